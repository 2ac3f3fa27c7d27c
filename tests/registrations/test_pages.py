"""A delegate's pages, through the test client: what they offer, accept and refuse."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from convocation.people.models import Person
from convocation.registrations import services
from convocation.registrations.models import FocalPoint, Registration
from convocation.treaties.models import State
from tests.meetings.html import body_text
from tests.registrations.conftest import delegate, posted_form

REGISTER = "/meetings/next-wg/register/"


@pytest.fixture
def signed_in(client, django_user_model):
    def sign_in(email: str):
        user = django_user_model.objects.create_user(email, email=email)
        client.force_login(user)
        return client

    return sign_in


def form_data(week, **overrides) -> dict:
    return posted_form(**overrides)


def test_registering_needs_a_signed_in_account(client, week):
    response = client.get(REGISTER)
    assert response.status_code == 302
    assert "next=/meetings/next-wg/register/" in response["Location"]


def test_the_delegation_comes_first_and_decides_the_sessions_offered(week, signed_in):
    week.policy.asks_sessions = True
    week.policy.save()
    client = signed_in("ana@example.org")
    chooser = client.get(REGISTER)
    assert chooser.status_code == 200
    assert 'name="delegation"' in chooser.text and "Romania" in chooser.text
    observer = client.get(REGISTER, {"delegation": "state:IND"})
    party = client.get(REGISTER, {"delegation": "state:ROU"})
    assert f'value="{week.dief.pk}"' not in observer.text
    assert "Not offered to this delegation: DIEF" in body_text(observer.text)
    assert f'value="{week.dief.pk}"' in party.text
    assert f'value="{week.wgtu.pk}"' in observer.text


def test_a_delegate_registers_and_sees_the_confirmed_registration(week, signed_in):
    client = signed_in("ana@example.org")
    response = client.post(REGISTER, form_data(week))
    registration = Registration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/my/registrations/{registration.pk}/"
    assert registration.person.email == "ana@example.org"
    assert (registration.role, registration.status) == ("head", "confirmed")
    page = client.get(response["Location"])
    assert "Confirmed" in body_text(page.text)
    assert "https://example.org/live/next-wg" in page.text


def test_the_email_is_the_signed_in_address_whatever_is_posted(week, signed_in):
    client = signed_in("ana@example.org")
    client.post(REGISTER, form_data(week, email="someone.else@example.org"))
    assert Person.objects.get(registrations__isnull=False).email == "ana@example.org"


def test_a_crafted_request_for_the_dief_is_refused_with_its_reason_and_keeps_the_rest(
    week, signed_in
):
    week.policy.asks_sessions = True
    week.policy.save()
    client = signed_in("ana@example.org")
    response = client.post(
        REGISTER,
        form_data(week, delegation="state:IND", sessions=[week.wgtu.pk, week.dief.pk]),
    )
    assert response.status_code == 400
    text = body_text(response.text)
    assert "Please correct the following" in text
    # The rule's reason, next to the sessions field; not a bare "not a valid choice".
    assert "DIEF on " in text and "is open only to delegations of States Parties" in text
    assert "Select a valid choice" not in text
    assert 'href="#id_sessions_0">Sessions you will attend: DIEF on' in response.text
    assert 'value="Ionescu"' in response.text and 'value="First Secretary"' in response.text
    assert not Registration.objects.exists()


def test_a_double_submit_creates_one_registration(week, signed_in):
    client = signed_in("ana@example.org")
    first = client.post(REGISTER, form_data(week))
    second = client.post(REGISTER, form_data(week))
    assert Registration.objects.count() == 1
    assert second.status_code == 302 and second["Location"] == first["Location"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("given_name", "x" * 101, "at most 100 characters"),
        ("role", "emperor", "Select a valid choice"),
        ("gender", "", "This field is required"),
        ("consent", "", "needs your consent"),
        ("delegation", "state:XXX", "Select a valid choice"),
        ("mode", "teleport", "Select a valid choice"),
    ],
)
def test_each_bad_field_gets_a_clear_message_and_a_400(week, signed_in, field, value, message):
    client = signed_in("ana@example.org")
    response = client.post(REGISTER, form_data(week, **{field: value}))
    assert response.status_code == 400
    assert message in body_text(response.text)
    assert not Registration.objects.exists()


def test_a_malformed_upload_is_a_400_not_a_500(week, signed_in):
    client = signed_in("ana@example.org")
    response = client.generic(
        "POST",
        REGISTER,
        b'--x\r\nContent-Disposition: form-data; name="given_name"\r\n\r\nAna',
        content_type="multipart/form-data; boundary=x",
    )
    assert 400 <= response.status_code < 500


def test_a_credential_is_checked_by_its_content(week, signed_in, settings):
    week.policy.credential = "required"
    week.policy.save()
    client = signed_in("ana@example.org")
    fake = SimpleUploadedFile("note.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(REGISTER, {**form_data(week), "credential": fake})
    assert response.status_code == 400
    assert "Attach a PDF, Word (.docx) or OpenDocument (.odt) file." in body_text(response.text)
    assert not Registration.objects.exists()
    media = settings.MEDIA_ROOT
    assert not any(media.rglob("*")) if media.exists() else True
    renamed = SimpleUploadedFile("note.docx", b"%PDF-1.7\n...", content_type="application/pdf")
    response = client.post(REGISTER, {**form_data(week), "credential": renamed})
    assert "ends in .docx but it is a PDF file" in body_text(response.text)
    good = SimpleUploadedFile("note.pdf", b"%PDF-1.7\n...", content_type="application/pdf")
    response = client.post(REGISTER, {**form_data(week), "credential": good})
    assert response.status_code == 302
    assert Registration.objects.get().credential_name == "note.pdf"


def test_a_focal_point_registers_members_of_the_delegation_only(week, signed_in):
    focal = Person.objects.create(given_name="Ion", family_name="Pop", email="focal@example.org")
    FocalPoint.objects.create(person=focal, state_id="ROU")
    client = signed_in("focal@example.org")
    chooser = client.get(REGISTER, {"for": "other"})
    assert "Romania" in chooser.text and "India" not in chooser.text
    response = client.post(
        REGISTER + "?for=other", form_data(week, email="member@example.org", role="adviser")
    )
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.person.email == "member@example.org"
    assert registration.registered_by.email == "focal@example.org"
    refused = client.post(
        REGISTER + "?for=other",
        form_data(week, delegation="state:IND", email="other@example.org"),
    )
    assert refused.status_code == 400
    assert Registration.objects.count() == 1
    overview = client.get("/my/registrations/")
    assert "Ms. Ana IONESCU Adviser In person Confirmed" in body_text(overview.text)


def test_a_focal_point_cannot_take_over_a_member_of_another_delegation(week, signed_in):
    focal = Person.objects.create(given_name="Ion", family_name="Pop", email="focal@example.org")
    FocalPoint.objects.create(person=focal, state_id="ROU")
    indian = Person.objects.create(
        given_name="Asha",
        family_name="Rao",
        email="asha@example.org",
        state_id="IND",
        gender="female",
    )
    client = signed_in("focal@example.org")
    response = client.post(
        REGISTER + "?for=other",
        form_data(week, email="ASHA@example.org", given_name="Someone", gender="male"),
    )
    assert response.status_code == 400
    assert "You may register only yourself or members of your delegation." in response.text
    assert not Registration.objects.exists()
    indian.refresh_from_db()
    assert (indian.given_name, indian.gender, indian.state_id) == ("Asha", "female", "IND")
    # A person known without a delegation, or as a member of this one, may be registered.
    Person.objects.create(given_name="Radu", family_name="Lupu", email="radu@example.org")
    response = client.post(
        REGISTER + "?for=other", form_data(week, email="radu@example.org", given_name="Radu")
    )
    assert response.status_code == 302
    assert Person.objects.get(email="radu@example.org").state_id == "ROU"


def test_only_focal_points_register_others(week, signed_in):
    client = signed_in("ana@example.org")
    assert client.get(REGISTER, {"for": "other"}).status_code == 403


def test_a_registration_is_seen_by_its_delegate_focal_point_and_staff_only(
    week, client, django_user_model
):
    registration = services.register(
        week.meeting, delegate("ana@example.org", state=State.objects.get(code="ROU")), by=None
    )
    focal = Person.objects.create(given_name="Ion", family_name="Pop", email="focal@example.org")
    FocalPoint.objects.create(person=focal, state_id="ROU")
    Person.objects.create(given_name="Raj", family_name="Kumar", email="raj@example.org")
    url = f"/my/registrations/{registration.pk}/"
    for email, is_staff, expected in [
        ("ana@example.org", False, 200),
        ("focal@example.org", False, 200),
        ("raj@example.org", False, 404),
        ("officer@example.org", True, 200),
    ]:
        user = django_user_model.objects.create_user(email, email=email, is_staff=is_staff)
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == expected, email
        if expected == 404:
            assert "ana@example.org" not in response.text
        client.logout()


def test_a_delegate_changes_and_withdraws_until_the_meeting_starts(week, signed_in):
    client = signed_in("ana@example.org")
    client.post(REGISTER, form_data(week))
    registration = Registration.objects.get()
    url = f"/my/registrations/{registration.pk}/"
    changed = client.post(url, form_data(week, mode="online", position="Counsellor"))
    assert changed.status_code == 302
    registration.refresh_from_db()
    assert (registration.mode, registration.position) == ("online", "Counsellor")
    withdrawn = client.post(url + "withdraw/")
    assert withdrawn.status_code == 302
    registration.refresh_from_db()
    assert registration.status == "withdrawn"
    page = client.get(url)
    assert "Save the changes" not in page.text


def test_the_meeting_page_offers_registration_and_a_public_livestream(week, client):
    page = client.get("/meetings/next-wg/")
    assert 'href="/meetings/next-wg/register/"' in page.text
    assert "https://example.org/live/next-wg" not in page.text
    week.meeting.livestream = "public"
    week.meeting.save()
    assert "https://example.org/live/next-wg" in client.get("/meetings/next-wg/").text


def test_an_oversized_request_is_refused_before_it_is_read(week, signed_in):
    client = signed_in("ana@example.org")
    response = client.generic(
        "POST",
        REGISTER,
        b"x" * 100,
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(13 * 2**20),
    )
    assert response.status_code == 413
    assert "at most 12 MB" in response.text
    assert not Registration.objects.exists()


@pytest.mark.parametrize("delegation", ["state:\x00", "state:RO\x00", "org:1\x00"])
def test_a_null_character_in_the_delegation_is_a_400_and_writes_nothing(
    week, signed_in, delegation
):
    client = signed_in("ana@example.org")
    page = client.get(REGISTER, {"delegation": delegation})
    assert page.status_code == 400
    assert "null character" in page.text
    posted = client.post(REGISTER, posted_form(delegation=delegation))
    assert posted.status_code == 400
    assert not Registration.objects.exists()
    assert not Person.objects.filter(email="ana@example.org").exists()


def test_a_null_character_anywhere_in_a_form_or_a_query_is_a_400(week, signed_in, admin_client):
    client = signed_in("ana@example.org")
    assert client.post(REGISTER, posted_form(given_name="A\x00na")).status_code == 400
    assert client.post(REGISTER, {**posted_form(), "x\x00": "1"}).status_code == 400
    assert admin_client.get("/admin/registrations/registration/", {"q": "\x00"}).status_code == 400
    for path in ["/check-in/ab%00c/", "/sign-in/link/ab%00c/", "/my/calendar/1%00.ics"]:
        assert admin_client.get(path).status_code == 400, path
    assert not Registration.objects.exists()
    # A file may hold NULs: only the text fields are looked at.
    week.policy.credential = "required"
    week.policy.save()
    note = SimpleUploadedFile("note.pdf", b"%PDF-1.7\n\x00\x01binary", "application/pdf")
    response = client.post(REGISTER, posted_form(credential=note))
    assert response.status_code == 302
    assert Registration.objects.get().credential_name == "note.pdf"


def test_staff_reading_or_changing_a_delegate_page_is_recorded(week, client, django_user_model):
    from convocation.registrations.models import AuditEntry

    registration = services.register(
        week.meeting, delegate("ana@example.org", state=State.objects.get(code="ROU")), by=None
    )
    officer = django_user_model.objects.create_user("officer", email="o@example.org", is_staff=True)
    client.force_login(officer)
    client.get(f"/my/registrations/{registration.pk}/")
    client.post(f"/my/registrations/{registration.pk}/withdraw/")
    entries = AuditEntry.objects.filter(registration=registration, user=officer).order_by("id")
    assert list(entries.values_list("action", "details")) == [
        ("viewed", {"page": f"/my/registrations/{registration.pk}/"}),
        ("changed", {"fields": [["status", "confirmed", "withdrawn"]]}),
    ]
    # The delegate's own visits are not staff views.
    user = django_user_model.objects.create_user("ana", email="ana@example.org")
    client.force_login(user)
    client.get(f"/my/registrations/{registration.pk}/")
    assert AuditEntry.objects.filter(registration=registration).count() == 2


def test_a_submit_makes_as_many_queries_with_many_sessions_and_registrations(
    week, signed_in, django_user_model
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from convocation.meetings.models import Session

    week.policy.asks_sessions = True
    week.policy.save()

    def submit(email: str) -> list[str]:
        client = signed_in(email)
        with CaptureQueriesContext(connection) as queries:
            response = client.post(REGISTER, form_data(week, sessions=[week.wgtu.pk, week.dief.pk]))
        assert response.status_code == 302
        return [query["sql"] for query in queries]

    few = submit("first@example.org")
    for n in range(20):
        Session.objects.create(
            meeting=week.meeting,
            body=week.wgtu.body,
            start=week.wgtu.start + dt.timedelta(hours=n % 5, days=n // 5),
            end=week.wgtu.end + dt.timedelta(hours=n % 5, days=n // 5),
        )
        services.register(
            week.meeting,
            delegate(f"d{n}@example.org", state=State.objects.get(code="GBR")),
            by=None,
        )
    many = submit("second@example.org")
    assert len(many) == len(few), (few, many)
    # 17 here: sign-in (2), the meeting's fingerprint with its policy, its schedule (3,
    # read again because the sessions changed), the State with its treaty actions, the
    # person (a lookup and an insert in a savepoint), the lock, the count, the registration
    # and its sessions, and the transaction's own statements.
    assert len(few) <= 17, few
    # The policy is read with the fingerprint, and again only under the lock.
    policy_reads = [sql for sql in few if "registrations_registrationpolicy" in sql]
    assert len(policy_reads) == 2 and " JOIN " in policy_reads[0], policy_reads

    # With the schedule unchanged, the next delegate's submit reads it from the cache.
    again = submit("third@example.org")
    assert len(again) == len(many) - 3, again
    assert not any('"meetings_session"' in sql and "MAX(" not in sql for sql in again), again


def test_a_cancelled_session_is_marked_on_the_registration_page_and_does_not_open_the_meeting(
    week, signed_in, monkeypatch
):
    week.policy.asks_sessions = True
    week.policy.save()
    client = signed_in("ana@example.org")
    client.post(REGISTER, form_data(week, sessions=[week.wgtu.pk, week.dief.pk]))
    registration = Registration.objects.get()
    week.wgtu.cancelled = True
    week.wgtu.save()
    page = body_text(client.get(f"/my/registrations/{registration.pk}/").text)
    assert "(Cancelled)" in page and page.count("(Cancelled)") == 1
    # The meeting now starts with the DIEF: changes stay open until then.
    assert services.meeting_starts(week.meeting) == week.dief.start
