"""The meeting's policy, through the registration pages: whether and for what one registers."""

import datetime as dt
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from convocation.meetings.models import Meeting, Session
from convocation.meetings.queries import meeting_fingerprint, meeting_fingerprint_with
from convocation.people.models import Person
from convocation.registrations.models import Registration, RegistrationPolicy
from tests.meetings.html import body_text
from tests.registrations.conftest import posted_form

REGISTER = "/meetings/next-wg/register/"
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


@pytest.fixture
def delegate_client(client, django_user_model):
    user = django_user_model.objects.create_user("ana@example.org", email="ana@example.org")
    client.force_login(user)
    return client


def with_registration(week, policy: str):
    week.meeting.registration = policy
    week.meeting.save()


form_data = posted_form


def post_counting_writes(client, url: str, data: dict):
    """The response, and the statements of the request that wrote to a table other than the
    signed-in session's."""
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, data)
    writes = [
        query["sql"]
        for query in queries
        if query["sql"].lstrip().upper().startswith(WRITES) and "django_session" not in query["sql"]
    ]
    return response, writes


def field_errors(html: str, name: str) -> list[str]:
    """The errors Django renders with the field itself (not the summary at the top)."""
    found = re.search(rf'<ul class="errorlist" id="id_{name}_error">(.*?)</ul>', html, re.S)
    if found is None:
        return []
    return [unescape(item).strip() for item in re.findall(r"<li>(.*?)</li>", found.group(1), re.S)]


def fieldset_of(html: str, name: str) -> str:
    """The innermost fieldset holding the inputs called ``name``."""
    first_input = html.index(f'name="{name}"')
    start = html.rindex("<fieldset", 0, first_input)
    return html[start : html.index("</fieldset>", first_input)]


# A meeting without pre-registration


def test_a_meeting_without_registration_refuses_the_registration_page(week, delegate_client):
    with_registration(week, Meeting.Registration.NONE)
    for query in [{}, {"delegation": "state:ROU"}]:
        response = delegate_client.get(REGISTER, query)
        assert response.status_code == 409, query
        assert "registrations/closed.html" in [t.name for t in response.templates]
        assert "This meeting does not take registrations." in body_text(response.text)
        assert 'name="given_name"' not in response.text


def test_a_meeting_without_registration_refuses_a_posted_form_and_writes_nothing(
    week, delegate_client
):
    with_registration(week, Meeting.Registration.NONE)
    people = Person.objects.count()
    response, writes = post_counting_writes(
        delegate_client, REGISTER, form_data(sessions=[week.wgtu.pk])
    )
    assert response.status_code == 409
    assert "This meeting does not take registrations." in body_text(response.text)
    assert writes == []
    assert not Registration.objects.exists()
    assert Person.objects.count() == people
    assert not Person.objects.filter(email="ana@example.org").exists()


def test_the_same_form_registers_once_the_meeting_takes_registrations(week, delegate_client):
    # The refusal above comes from the policy, not from the form or the week.
    with_registration(week, Meeting.Registration.NONE)
    assert delegate_client.post(REGISTER, form_data()).status_code == 409
    with_registration(week, Meeting.Registration.REQUIRED)
    response = delegate_client.post(REGISTER, form_data())
    assert response.status_code == 302
    assert Registration.objects.get().person.email == "ana@example.org"


def test_a_meeting_without_registration_is_not_offered_among_open_meetings(week, delegate_client):
    assert REGISTER in delegate_client.get("/my/registrations/").text
    with_registration(week, Meeting.Registration.NONE)
    assert REGISTER not in delegate_client.get("/my/registrations/").text
    assert REGISTER not in delegate_client.get("/meetings/next-wg/").text


# A meeting with pre-registration for some sessions only


def test_some_sessions_asks_which_sessions_even_when_the_policy_does_not(week, delegate_client):
    with_registration(week, Meeting.Registration.SOME_SESSIONS)
    assert not week.policy.asks_sessions
    page = delegate_client.get(REGISTER, {"delegation": "state:ROU"})
    assert page.status_code == 200
    sessions = fieldset_of(page.text, "sessions")
    for session in (week.wgtu, week.dief, week.wgeti):
        assert f'value="{session.pk}"' in sessions
    # Where the meeting needs registration for all of it, the same policy asks no sessions.
    with_registration(week, Meeting.Registration.REQUIRED)
    assert 'name="sessions"' not in delegate_client.get(REGISTER, {"delegation": "state:ROU"}).text


def test_some_sessions_refuses_a_form_without_a_session_and_writes_nothing(week, delegate_client):
    with_registration(week, Meeting.Registration.SOME_SESSIONS)
    people = Person.objects.count()
    response, writes = post_counting_writes(delegate_client, REGISTER, form_data())
    assert response.status_code == 400
    # Next to the field, and the field points at it, as well as in the summary on top.
    [error] = field_errors(response.text, "sessions")
    assert error == "This field is required."
    sessions = fieldset_of(response.text, "sessions")
    assert 'aria-describedby="id_sessions_error"' in sessions
    assert '<ul class="errorlist" id="id_sessions_error">' in sessions
    assert f"Sessions you will attend: {error}" in body_text(response.text)
    assert not any(field_errors(response.text, name) for name in ("given_name", "mode", "gender"))
    # What was typed is kept for the next try.
    assert 'value="Ionescu"' in response.text and 'value="First Secretary"' in response.text
    assert writes == []
    assert not Registration.objects.exists()
    assert Person.objects.count() == people


def test_some_sessions_registers_a_delegate_who_chose_a_session(week, delegate_client):
    with_registration(week, Meeting.Registration.SOME_SESSIONS)
    response = delegate_client.post(REGISTER, form_data(sessions=[week.wgeti.pk]))
    registration = Registration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/my/registrations/{registration.pk}/"
    assert registration.person.email == "ana@example.org"
    assert registration.status == Registration.Status.CONFIRMED
    assert list(registration.sessions.all()) == [week.wgeti]


def test_some_sessions_keeps_at_least_one_session_when_the_registration_is_changed(
    week, delegate_client
):
    with_registration(week, Meeting.Registration.SOME_SESSIONS)
    delegate_client.post(REGISTER, form_data(sessions=[week.wgtu.pk, week.wgeti.pk]))
    registration = Registration.objects.get()
    url = f"/my/registrations/{registration.pk}/"
    emptied = delegate_client.post(url, form_data(position="Counsellor"))
    assert emptied.status_code == 400
    assert field_errors(emptied.text, "sessions") == ["This field is required."]
    registration.refresh_from_db()
    assert registration.position == "First Secretary"
    assert set(registration.sessions.all()) == {week.wgtu, week.wgeti}
    changed = delegate_client.post(url, form_data(position="Counsellor", sessions=[week.wgtu.pk]))
    assert changed.status_code == 302
    registration.refresh_from_db()
    assert registration.position == "Counsellor"
    assert list(registration.sessions.all()) == [week.wgtu]


# The policy is read on every request, with the meeting's fingerprint


def test_the_fingerprint_query_reads_the_policy_as_the_orm_does(week):
    week.policy.closes_at = timezone.now() + dt.timedelta(days=3)
    week.policy.categories_needing_approval = ["civil_society", "industry"]
    week.policy.in_person_capacity = 150
    week.policy.save()
    fingerprint, policy = meeting_fingerprint_with("next-wg", RegistrationPolicy)
    assert fingerprint == meeting_fingerprint("next-wg")
    stored = RegistrationPolicy.objects.get(pk=week.meeting.pk)
    fields = [field.attname for field in RegistrationPolicy._meta.concrete_fields]
    assert [getattr(policy, name) for name in fields] == [getattr(stored, name) for name in fields]
    assert policy.categories_needing_approval == ["civil_society", "industry"]
    assert not policy._state.adding

    week.policy.delete()
    assert meeting_fingerprint_with("next-wg", RegistrationPolicy) == (fingerprint, None)
    assert meeting_fingerprint_with("no-such-meeting", RegistrationPolicy) is None
    with pytest.raises(ValueError, match="primary key is not its meeting"):
        meeting_fingerprint_with("next-wg", Session)


def test_a_policy_changed_after_the_schedule_was_cached_counts_at_the_next_request(
    week, delegate_client
):
    page = delegate_client.get(REGISTER, {"delegation": "state:ROU"})
    assert page.status_code == 200 and 'name="credential"' not in page.text

    week.policy.credential = RegistrationPolicy.Credential.REQUIRED
    week.policy.save()
    page = delegate_client.get(REGISTER, {"delegation": "state:ROU"})
    assert 'name="credential"' in page.text

    week.policy.closes_at = timezone.now() - dt.timedelta(minutes=1)
    week.policy.save()
    response, writes = post_counting_writes(delegate_client, REGISTER, form_data())
    assert response.status_code == 409 and writes == []
    assert not Registration.objects.exists()


def test_a_meeting_without_a_policy_gets_the_default_one_at_its_first_registration_page(
    week, delegate_client
):
    week.policy.delete()
    page = delegate_client.get(REGISTER, {"delegation": "state:ROU"})
    assert page.status_code == 200
    policy = RegistrationPolicy.objects.get(meeting=week.meeting)
    assert policy.credential == RegistrationPolicy.Credential.NONE


# Gender data


def test_a_meeting_that_collects_no_gender_data_does_not_ask_it(week, delegate_client):
    week.meeting.collects_gender_data = False
    week.meeting.save()
    known = Person.objects.create(
        email="ana@example.org", given_name="Ana", family_name="Ionescu", gender="female"
    )
    page = delegate_client.get(REGISTER, {"delegation": "state:ROU"})
    assert page.status_code == 200
    assert 'name="gender"' not in page.text and "Why we ask" not in page.text

    data = form_data()
    del data["gender"]
    response = delegate_client.post(REGISTER, data)
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert (registration.gender, registration.gender_description) == ("", "")
    # What the delegate told another meeting is kept.
    known.refresh_from_db()
    assert known.gender == "female"

    change = delegate_client.get(f"/my/registrations/{registration.pk}/")
    assert change.status_code == 200 and 'name="gender"' not in change.text


def test_a_meeting_that_collects_gender_data_asks_it_and_says_why(week, delegate_client):
    page = delegate_client.get(REGISTER, {"delegation": "state:ROU"})
    assert 'name="gender"' in page.text and "Why we ask" in page.text
    data = form_data()
    del data["gender"]
    response = delegate_client.post(REGISTER, data)
    assert response.status_code == 400
    assert field_errors(response.text, "gender") == ["This field is required."]
    assert not Registration.objects.exists()
