"""Who may reach what: each kind of participant against each closed or personal thing.

One row per kind of participant; each column is something the server must allow or refuse.
"""

from email import message_from_bytes
from email import policy as email_policy

import pytest
from django.core import mail
from icalendar import Calendar

from convocation.meetings.calendar import session_uid
from convocation.meetings.models import Meeting
from convocation.people.models import Person
from convocation.registrations import change_notices, services
from convocation.registrations.models import FocalPoint, Registration
from convocation.treaties.models import State
from tests.registrations.conftest import delegate

LIVESTREAM = "https://example.org/live/next-wg"

# kind: (delegation of the participant's own registration, expectations)
# dief_offered: the DIEF is among the sessions offered to the participant's delegation
# dief_accepted: a registration for the DIEF is accepted
# status: the participant's own registration, once made
# livestream: the link shows on the participant's own registration page
# email_livestream: the link is in the email the participant receives about it
# feed_dief: their own calendar feed answers and lists the DIEF
# ana_page: the State Party delegate Ana's registration (email, gender) can be opened
# admin_list: the Secretariat's registration list
# check_in: the check-in page of the QR code of their own registration (Ana's for those
#   who have none)
# public_livestream: the link is on the public meeting page once the livestream is public
# None: the participant has no registration of their own, so there is nothing to ask.
TABLE = {
    "anonymous": (
        None,
        dict(
            dief_offered=None,
            dief_accepted=None,
            status=None,
            livestream=None,
            email_livestream=None,
            feed_dief=None,
            ana_page=302,
            admin_list=302,
            check_in=302,
            public_livestream=True,
        ),
    ),
    "state_party": (
        "state:GBR",
        dict(
            dief_offered=True,
            dief_accepted=True,
            status="confirmed",
            livestream=True,
            email_livestream=True,
            feed_dief=True,
            ana_page=404,
            admin_list=302,
            check_in=403,
            public_livestream=True,
        ),
    ),
    "signatory": (
        "state:USA",
        dict(
            dief_offered=True,
            dief_accepted=True,
            status="confirmed",
            livestream=True,
            email_livestream=True,
            feed_dief=True,
            ana_page=404,
            admin_list=302,
            check_in=403,
            public_livestream=True,
        ),
    ),
    "observer": (
        "state:IND",
        dict(
            dief_offered=False,
            dief_accepted=False,
            status="confirmed",
            livestream=True,
            email_livestream=True,
            feed_dief=False,
            ana_page=404,
            admin_list=302,
            check_in=403,
            public_livestream=True,
        ),
    ),
    "party_by_the_dief": (
        "state:KEN",
        dict(
            dief_offered=True,
            dief_accepted=True,
            status="confirmed",
            livestream=True,
            email_livestream=True,
            feed_dief=True,
            ana_page=404,
            admin_list=302,
            check_in=403,
            public_livestream=True,
        ),
    ),
    "civil_society": (
        "org:civil_society",
        dict(
            dief_offered=False,
            dief_accepted=False,
            status="confirmed",
            livestream=True,
            email_livestream=True,
            feed_dief=False,
            ana_page=404,
            admin_list=302,
            check_in=403,
            public_livestream=True,
        ),
    ),
    "industry": (
        "org:industry",
        dict(
            dief_offered=False,
            dief_accepted=False,
            status="confirmed",
            livestream=True,
            email_livestream=True,
            feed_dief=False,
            ana_page=404,
            admin_list=302,
            check_in=403,
            public_livestream=True,
        ),
    ),
    "international": (
        "org:international",
        dict(
            dief_offered=False,
            dief_accepted=False,
            status="confirmed",
            livestream=True,
            email_livestream=True,
            feed_dief=False,
            ana_page=404,
            admin_list=302,
            check_in=403,
            public_livestream=True,
        ),
    ),
    "focal_point_of_ana": (
        "state:ROU",
        dict(
            dief_offered=True,
            dief_accepted=True,
            status="confirmed",
            livestream=True,
            email_livestream=True,
            feed_dief=True,
            ana_page=200,
            admin_list=302,
            check_in=403,
            public_livestream=True,
        ),
    ),
    "staff": (
        None,
        dict(
            dief_offered=None,
            dief_accepted=None,
            status=None,
            livestream=None,
            email_livestream=None,
            feed_dief=None,
            ana_page=200,
            admin_list=200,
            check_in=200,
            public_livestream=True,
        ),
    ),
    # Civil society where the Secretariat approves that category first.
    "pending_approval": (
        "org:civil_society",
        dict(
            dief_offered=False,
            dief_accepted=False,
            status="pending",
            livestream=False,
            email_livestream=False,
            feed_dief=False,
            ana_page=404,
            admin_list=302,
            check_in=403,
            public_livestream=True,
        ),
    ),
    # A State Party's delegate once Ana has taken the only in-person place.
    "waitlisted": (
        "state:FRA",
        dict(
            dief_offered=True,
            dief_accepted=True,
            status="waitlisted",
            livestream=False,
            email_livestream=False,
            feed_dief=True,
            ana_page=404,
            admin_list=302,
            check_in=403,
            public_livestream=True,
        ),
    ),
}


def delegation_value(week, value: str) -> str:
    kind, _sep, key = value.partition(":")
    return value if kind == "state" else f"org:{getattr(week, key).pk}"


def kim(delegation: str, sessions: list[int]) -> dict:
    return {
        "delegation": delegation,
        "given_name": "Kim",
        "family_name": "Lee",
        "position": "Delegate",
        "role": "member",
        "mode": "in_person",
        "gender": "not_said",
        "consent": "on",
        "sessions": sessions,
    }


def emails_to(address: str) -> list[str]:
    """Each email sent to this address, its text and HTML as the reader gets them."""
    texts = []
    for message in mail.outbox:
        if address not in message.to:
            continue
        parsed = message_from_bytes(message.message().as_bytes(), policy=email_policy.default)
        texts.append(
            "\n".join(
                part.get_content()
                for part in parsed.walk()
                if part.get_content_type() in ("text/plain", "text/html")
            )
        )
    return texts


def uids_in(ics: bytes) -> set[str]:
    events = Calendar.from_ical(ics).walk("VEVENT")
    return {str(event["uid"]) for event in events}


@pytest.mark.parametrize("kind", TABLE)
def test_access_table(week, client, django_user_model, django_capture_on_commit_callbacks, kind):
    week.policy.asks_sessions = True
    if kind == "pending_approval":
        week.policy.categories_needing_approval = ["civil_society"]
    if kind == "waitlisted":
        week.policy.in_person_capacity = 1
    week.policy.save()
    ana = services.register(
        week.meeting,
        delegate("ana@example.org", state=State.objects.get(code="ROU")),
        by=None,
    )
    assert ana.status == Registration.Status.CONFIRMED
    delegation, expected = TABLE[kind]
    email = f"{kind}@example.org"
    if kind != "anonymous":
        user = django_user_model.objects.create_user(
            email, email=email, is_staff=kind == "staff", is_superuser=kind == "staff"
        )
        client.force_login(user)
        if kind == "focal_point_of_ana":
            person = Person.objects.create(given_name="Ion", family_name="Pop", email=email)
            FocalPoint.objects.create(person=person, state_id="ROU")

    register = "/meetings/next-wg/register/"
    own = None
    if expected["dief_offered"] is not None:
        value = delegation_value(week, delegation)
        form = client.get(register, {"delegation": value})
        assert (f'value="{week.dief.pk}"' in form.text) is expected["dief_offered"]
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(register, kim(value, [week.wgtu.pk, week.dief.pk]))
            assert (response.status_code == 302) is expected["dief_accepted"]
            if not expected["dief_accepted"]:
                assert response.status_code == 400
                assert "open only to delegations of States Parties and signatory States" in (
                    response.text
                )
                # Nothing else of the registration is lost: the form comes back filled in.
                assert 'value="Kim"' in response.text
                response = client.post(register, kim(value, [week.wgtu.pk]))
                assert response.status_code == 302
        own = Registration.objects.get(person__email=email)
        assert own.status == expected["status"]
        page = client.get(f"/my/registrations/{own.pk}/")
        assert (LIVESTREAM in page.text) is expected["livestream"]

        [received] = emails_to(email)
        assert (LIVESTREAM in received) is expected["email_livestream"]

        feed_path = change_notices.feed_path(own)
        assert feed_path in page.text
        feed = client.get(feed_path)
        assert feed.status_code == 200
        assert feed["Content-Type"].startswith("text/calendar")
        uids = uids_in(feed.content)
        assert session_uid(week.wgtu) in uids
        assert session_uid(week.wgeti) not in uids
        assert (session_uid(week.dief) in uids) is expected["feed_dief"]

    ana_page = client.get(f"/my/registrations/{ana.pk}/")
    assert ana_page.status_code == expected["ana_page"]
    if expected["ana_page"] != 200:
        assert "ana@example.org" not in ana_page.text

    assert client.get("/admin/registrations/registration/").status_code == expected["admin_list"]

    scanned = own or ana
    check_in = client.get(f"/check-in/{scanned.check_in_code}/")
    assert check_in.status_code == expected["check_in"]
    if expected["check_in"] == 302:
        assert check_in["Location"].startswith("/admin/login/")
    # Only the Secretariat sees who the code is.
    assert (scanned.person.formal_name in check_in.text) is (expected["check_in"] == 200)
    if expected["check_in"] != 200:
        assert scanned.person.email not in check_in.text

    public = client.get("/meetings/next-wg/")
    assert public.status_code == 200
    assert "ana@example.org" not in public.text
    assert LIVESTREAM not in public.text

    meeting = Meeting.objects.get(pk=week.meeting.pk)
    meeting.livestream = Meeting.Livestream.PUBLIC
    meeting.save()
    public = client.get("/meetings/next-wg/")
    assert public.status_code == 200
    assert (LIVESTREAM in public.text) is expected["public_livestream"]
    assert "ana@example.org" not in public.text


def test_the_livestream_link_waits_for_confirmation(week, client, django_user_model):
    week.policy.categories_needing_approval = ["civil_society"]
    week.policy.save()
    pending = services.register(
        week.meeting, delegate("ngo@example.org", organisation=week.civil_society), by=None
    )
    user = django_user_model.objects.create_user("ngo", email="ngo@example.org")
    client.force_login(user)
    page = client.get(f"/my/registrations/{pending.pk}/")
    assert "Awaiting approval" in page.text
    assert "https://example.org/live/next-wg" not in page.text
