import datetime as dt
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from convocation.people.models import Person
from convocation.registrations import services
from convocation.registrations.models import Registration
from convocation.registrations.services import AlreadyRegistered, RegistrationError
from convocation.treaties.models import State, Treaty, TreatyAction
from convocation.treaties.status import ActionFact
from tests.registrations.conftest import delegate


def state(code: str) -> State:
    return State.objects.get(code=code)


def test_a_state_party_delegate_is_confirmed_with_the_sessions_asked(week):
    registration = services.register(
        week.meeting,
        delegate(state=state("ROU"), session_ids=[week.wgtu.pk, week.dief.pk]),
        by=None,
    )
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.category == "state_party"
    assert set(registration.sessions.values_list("pk", flat=True)) == {week.wgtu.pk, week.dief.pk}
    assert registration.person.email == "a.delegate@example.org"


def test_a_second_submit_for_the_same_person_creates_no_second_registration(week):
    services.register(week.meeting, delegate(state=state("ROU")), by=None)
    with pytest.raises(AlreadyRegistered):
        services.register(
            week.meeting, delegate("A.Delegate@Example.org", state=state("ROU")), by=None
        )
    assert Registration.objects.filter(meeting=week.meeting).count() == 1


@pytest.mark.parametrize(
    ("delegation", "may_attend_dief"),
    [
        ("ROU", True),  # State Party
        ("USA", True),  # signatory State
        ("IND", False),  # Observer State
        ("KEN", True),  # a State Party from the DIEF's own day
        ("civil_society", False),
        ("international", False),
        ("industry", False),
    ],
)
def test_the_dief_is_open_to_states_parties_and_signatories_by_status_on_its_day(
    week, delegation, may_attend_dief
):
    if len(delegation) == 3:
        data = delegate(state=state(delegation), session_ids=[week.dief.pk])
    else:
        data = delegate(organisation=getattr(week, delegation), session_ids=[week.dief.pk])
    if may_attend_dief:
        registration = services.register(week.meeting, data, by=None)
        assert list(registration.sessions.all()) == [week.dief]
    else:
        with pytest.raises(RegistrationError) as refusal:
            services.register(week.meeting, data, by=None)
        assert (
            "open only to delegations of States Parties and signatory States"
            in (refusal.value.errors["sessions"])
        )
        assert not Registration.objects.exists()


def test_kenya_is_an_observer_when_the_week_opens_but_a_party_at_the_dief(week):
    allowed, refused = services.sessions_open_to(week.meeting, state("KEN"))
    assert week.dief.pk in {fact.session_id for fact in allowed}
    assert services.category_for(week.meeting, state("KEN")) == "observer"
    # One day later in the treaty's eyes and the DIEF is closed to Kenya.
    action = state("KEN").treaty_actions.get()
    action.date += dt.timedelta(days=1)
    action.save()
    allowed, refused = services.sessions_open_to(week.meeting, state("KEN"))
    assert [fact.session_id for fact in refused] == [week.dief.pk]


def test_in_person_places_beyond_the_capacity_go_to_the_waiting_list(week):
    week.policy.in_person_capacity = 2
    week.policy.save()
    statuses = [
        services.register(
            week.meeting, delegate(f"d{n}@example.org", state=state("ROU")), by=None
        ).status
        for n in range(3)
    ]
    online = services.register(
        week.meeting, delegate("online@example.org", state=state("ROU"), mode="online"), by=None
    )
    assert statuses == ["confirmed", "confirmed", "waitlisted"]
    assert online.status == "confirmed"


def test_withdrawing_an_in_person_place_gives_it_to_the_first_on_the_waiting_list(week):
    week.policy.in_person_capacity = 1
    week.policy.save()
    first = services.register(week.meeting, delegate("d1@example.org", state=state("ROU")), by=None)
    second = services.register(
        week.meeting, delegate("d2@example.org", state=state("ROU")), by=None
    )
    third = services.register(week.meeting, delegate("d3@example.org", state=state("ROU")), by=None)
    services.withdraw(first, by=None)
    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.status, third.status) == ("confirmed", "waitlisted")


def test_categories_the_secretariat_approves_wait_for_approval_then_take_a_place(
    week, django_user_model
):
    week.policy.categories_needing_approval = ["civil_society", "industry"]
    week.policy.in_person_capacity = 1
    week.policy.save()
    ngo = services.register(
        week.meeting, delegate("ngo@example.org", organisation=week.civil_society), by=None
    )
    party = services.register(
        week.meeting, delegate("party@example.org", state=state("ROU")), by=None
    )
    assert (ngo.status, party.status) == ("pending", "confirmed")
    officer = django_user_model.objects.create_user("officer", is_staff=True)
    assert services.approve(ngo, by=officer).status == "waitlisted"
    refused = services.register(
        week.meeting, delegate("firm@example.org", organisation=week.industry), by=None
    )
    assert services.refuse(refused, by=officer, note="Not accredited").status == "refused"


def test_a_change_cannot_take_an_in_person_place_that_is_not_free(week):
    week.policy.in_person_capacity = 1
    week.policy.save()
    services.register(week.meeting, delegate("d1@example.org", state=state("ROU")), by=None)
    online = services.register(
        week.meeting, delegate("d2@example.org", state=state("ROU"), mode="online"), by=None
    )
    with pytest.raises(RegistrationError) as refusal:
        services.change(
            online, delegate("d2@example.org", mode="in_person", position="Counsellor"), by=None
        )
    assert "mode" in refusal.value.errors
    online.refresh_from_db()
    assert (online.mode, online.position) == ("online", "First Secretary")


def test_nothing_changes_once_the_meeting_has_started(week, monkeypatch):
    registration = services.register(week.meeting, delegate(state=state("ROU")), by=None)
    later = week.wgtu.start + dt.timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    with pytest.raises(RegistrationError):
        services.withdraw(registration, by=None)
    with pytest.raises(RegistrationError):
        services.change(registration, delegate(position="Counsellor"), by=None)
    with pytest.raises(RegistrationError):
        services.register(week.meeting, delegate("late@example.org", state=state("ROU")), by=None)
    registration.refresh_from_db()
    assert registration.status == "confirmed"


def test_consent_and_a_required_credential_are_checked_before_anything_is_written(week):
    week.policy.credential = "required"
    week.policy.save()
    with pytest.raises(RegistrationError) as refusal:
        services.register(week.meeting, delegate(state=state("ROU"), consent=False), by=None)
    assert set(refusal.value.errors) == {"consent", "credential"}
    assert not Registration.objects.exists()
    note = SimpleUploadedFile("note-verbale.pdf", b"%PDF-1.4 ...", content_type="application/pdf")
    registration = services.register(
        week.meeting, delegate(state=state("ROU"), credential=note), by=None
    )
    assert registration.credential_name == "note-verbale.pdf"
    with registration.credential.open("rb") as stored:
        assert stored.read().startswith(b"%PDF")


def test_registration_for_some_sessions_names_a_session_whoever_submits_it(week):
    from convocation.meetings.models import Meeting

    week.meeting.registration = Meeting.Registration.SOME_SESSIONS
    week.meeting.save()
    with pytest.raises(RegistrationError) as refusal:
        services.register(week.meeting, delegate(state=state("ROU")), by=None)
    assert refusal.value.errors == {"sessions": "Choose the sessions you will attend."}
    assert not Registration.objects.exists()
    registration = services.register(
        week.meeting, delegate(state=state("ROU"), session_ids=[week.dief.pk]), by=None
    )
    # Nor can a change leave none.
    with pytest.raises(RegistrationError):
        services.change(registration, delegate(state=state("ROU")), by=None)
    assert list(registration.sessions.values_list("pk", flat=True)) == [week.dief.pk]


def test_a_policy_changed_while_the_form_was_posted_is_the_one_that_counts(week, settings):
    """The page read the policy before the Secretariat closed registration and filled the
    last place: the locked row decides, and the refused registration leaves nothing, not
    even its credential's file."""
    read_by_the_page = services.policy_of(week.meeting)
    week.policy.closes_at = timezone.now() - dt.timedelta(minutes=1)
    week.policy.save()
    note = SimpleUploadedFile("note-verbale.pdf", b"%PDF-1.4 ...", content_type="application/pdf")

    with pytest.raises(RegistrationError) as refusal:
        services.register(
            week.meeting,
            delegate(state=state("ROU"), credential=note),
            by=None,
            policy=read_by_the_page,
        )

    assert "closed" in refusal.value.errors["__all__"]
    assert not Registration.objects.exists()
    assert not Person.objects.filter(email="a.delegate@example.org").exists()
    stored = [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]
    assert stored == []

    week.policy.closes_at = None
    week.policy.in_person_capacity = 0
    week.policy.save()
    late = services.register(
        week.meeting, delegate(state=state("ROU")), by=None, policy=read_by_the_page
    )
    assert late.status == "waitlisted"
    late.refresh_from_db()
    assert late.status == "waitlisted"


def test_registering_again_after_withdrawing_joins_the_end_of_the_waiting_list(week):
    week.policy.in_person_capacity = 1
    week.policy.save()
    rou = state("ROU")
    a = services.register(week.meeting, delegate("a@example.org", state=rou), by=None)
    b = services.register(week.meeting, delegate("b@example.org", state=rou), by=None)
    services.withdraw(b, by=None)
    c = services.register(week.meeting, delegate("c@example.org", state=rou), by=None)
    b_again = services.register(week.meeting, delegate("b@example.org", state=rou), by=None)
    assert (c.status, b_again.status) == ("waitlisted", "waitlisted")
    services.withdraw(a, by=None)
    c.refresh_from_db()
    b_again.refresh_from_db()
    assert (c.status, b_again.status) == ("confirmed", "waitlisted")


def test_a_waitlisted_delegate_who_follows_online_is_confirmed_and_keeps_no_seat(week):
    week.policy.in_person_capacity = 1
    week.policy.save()
    rou = state("ROU")
    a = services.register(week.meeting, delegate("a@example.org", state=rou), by=None)
    b = services.register(week.meeting, delegate("b@example.org", state=rou), by=None)
    c = services.register(week.meeting, delegate("c@example.org", state=rou), by=None)
    b = services.change(b, delegate("b@example.org", mode="online"), by=None)
    assert b.status == "confirmed"
    services.withdraw(a, by=None)
    c.refresh_from_db()
    assert c.status == "confirmed"


def test_raising_the_capacity_in_the_back_office_confirms_those_waiting(week, staff_client):
    week.policy.in_person_capacity = 1
    week.policy.save()
    rou = state("ROU")
    services.register(week.meeting, delegate("a@example.org", state=rou), by=None)
    waiting = [
        services.register(week.meeting, delegate(f"w{n}@example.org", state=rou), by=None)
        for n in range(3)
    ]
    response = staff_client.post(
        f"/admin/registrations/registrationpolicy/{week.meeting.pk}/change/",
        {
            "closes_at_0": "",
            "closes_at_1": "",
            "in_person_capacity": "3",
            "credential": "none",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    statuses = [Registration.objects.get(pk=r.pk).status for r in waiting]
    assert statuses == ["confirmed", "confirmed", "waitlisted"]


def test_a_state_is_read_with_its_actions_under_the_meeting_s_treaty_alone(week):
    other_treaty = Treaty.objects.create(
        code="other", name="Another treaty", entry_into_force=dt.date(2000, 1, 1)
    )
    TreatyAction.objects.create(
        treaty=other_treaty, state_id="KEN", kind="signature", date=dt.date(2001, 2, 3)
    )
    kenya, actions = services.state_with_actions(week.meeting, "KEN")
    assert (kenya.code, kenya.alpha_2, kenya.name) == ("KEN", "KE", state("KEN").name)
    assert actions == [
        ActionFact(action.kind, action.date)
        for action in TreatyAction.objects.filter(treaty=week.meeting.cycle.treaty, state=kenya)
    ]
    assert len(actions) == 1

    # A State with no action under this treaty is still found, with none.
    TreatyAction.objects.filter(treaty=week.meeting.cycle.treaty, state_id="KEN").delete()
    assert services.state_with_actions(week.meeting, "KEN")[1] == []
    assert services.state_with_actions(week.meeting, "XYZ") is None
    assert services.category_for(week.meeting, kenya) == "observer"
