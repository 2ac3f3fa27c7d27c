"""A delegation's focal point, through the pages: registers members, then manages them.

A focal point is designated by the Secretariat (a FocalPoint record, in the back office) for
one State or organisation; they see and manage that delegation's registrations and nobody
else's, which for them do not exist (404).
"""

import email
from email import policy
from email.message import Message

import pytest
from django.core import mail
from django.test import Client

from convocation.people.models import Person
from convocation.registrations.models import FocalPoint, Registration
from convocation.treaties.models import State
from tests.meetings.html import body_text, tables

REGISTER = "/meetings/next-wg/register/"
SITE = "https://convocation.example.org"
MEMBERS = {
    "ana@example.org": {"given_name": "Ana", "family_name": "Ionescu", "role": "head"},
    "bogdan@example.org": {"given_name": "Bogdan", "family_name": "Marin", "role": "adviser"},
}


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


def sign_in(django_user_model, email_address: str, client: Client | None = None) -> Client:
    client = client or Client()
    user = django_user_model.objects.get_or_create(
        username=email_address, defaults={"email": email_address}
    )[0]
    client.force_login(user)
    return client


def focal_point_of(delegation, email_address: str, **names) -> Person:
    person = Person.objects.create(email=email_address, **names)
    if isinstance(delegation, State):
        FocalPoint.objects.create(person=person, state=delegation)
    else:
        FocalPoint.objects.create(person=person, organisation=delegation)
    return person


@pytest.fixture
def romania_focal(week, client, django_user_model):
    """Romania's focal point, signed in with the address the Secretariat has for them."""
    person = focal_point_of(
        State.objects.get(code="ROU"),
        "focal@mae.example.ro",
        honorific="Mr.",
        given_name="Radu",
        family_name="Focal",
    )
    return person, sign_in(django_user_model, person.email, client)


def form_data(email_address: str, **overrides) -> dict:
    data = {
        "delegation": "state:ROU",
        "honorific": "Ms.",
        "email": email_address,
        "position": "First Secretary",
        "mode": "in_person",
        "gender": "female",
        "consent": "on",
        **MEMBERS.get(email_address, {}),
    }
    data.update(overrides)
    return data


def register_members(client, capture) -> dict[str, Registration]:
    for address in MEMBERS:
        with capture(execute=True):
            response = client.post(REGISTER + "?for=other", form_data(address))
        assert response.status_code == 302, body_text(response.text)
    return {
        r.person.email: r for r in Registration.objects.select_related("person", "registered_by")
    }


def sent() -> list[Message]:
    return [
        email.message_from_bytes(message.message().as_bytes(), policy=policy.default)
        for message in mail.outbox
    ]


def text_of(message: Message) -> str:
    part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    return part.get_payload(decode=True).decode()


def recipients(message) -> list[str]:
    return [*message.to, *message.cc, *message.bcc]


def test_a_focal_point_registers_two_members_and_each_gets_their_own_email(
    week, romania_focal, django_capture_on_commit_callbacks
):
    focal, client = romania_focal
    registrations = register_members(client, django_capture_on_commit_callbacks)
    assert set(registrations) == set(MEMBERS)
    for address, registration in registrations.items():
        assert registration.state_id == "ROU"
        assert registration.registered_by.email == focal.email
        assert registration.role == MEMBERS[address]["role"]
        assert registration.status == Registration.Status.CONFIRMED
    # One message per member, to that member alone; none to the focal point.
    assert sorted(address for message in mail.outbox for address in recipients(message)) == sorted(
        MEMBERS
    )
    by_recipient = dict(zip([m.to[0] for m in mail.outbox], sent(), strict=True))
    for address, message in by_recipient.items():
        mine = registrations[address]
        [other] = [r for a, r in registrations.items() if a != address]
        text = text_of(message)
        assert message["To"] == address
        assert message["Subject"] == f"Registration confirmed: {week.meeting.title}"
        person = mine.person
        assert f"Dear {person.honorific} {person.given_name} {person.family_name}," in text
        assert f"{SITE}/my/registrations/{mine.pk}/" in text
        assert f"/my/registrations/{other.pk}/" not in text
        assert other.person.family_name not in text
        assert f"{focal.formal_name} ({focal.email}) registered you for this meeting." in text
    overview = tables(client.get("/my/registrations/").text)[-1]
    delegates = [row[1] for row in overview[1:]]
    assert sorted(delegates) == sorted(r.person.formal_name for r in registrations.values())


def test_a_focal_point_opens_changes_and_withdraws_one_member_registration(
    week, romania_focal, django_capture_on_commit_callbacks
):
    _focal, client = romania_focal
    registrations = register_members(client, django_capture_on_commit_callbacks)
    ana, bogdan = registrations["ana@example.org"], registrations["bogdan@example.org"]
    url = f"/my/registrations/{ana.pk}/"
    overview = client.get("/my/registrations/")
    assert f'href="{url}"' in overview.text
    assert f'href="/my/registrations/{bogdan.pk}/"' in overview.text

    page = client.get(url)
    assert page.status_code == 200
    text = body_text(page.text)
    assert ana.person.formal_name in text and "ana@example.org" in text
    assert "Save the changes" in page.text and f'action="{url}withdraw/"' in page.text

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        changed = client.post(
            url,
            form_data(
                "ana@example.org", mode="online", position="Counsellor", email="x@example.org"
            ),
        )
    assert changed.status_code == 302 and changed["Location"] == url
    ana.refresh_from_db()
    bogdan.refresh_from_db()
    assert (ana.mode, ana.position, ana.status) == ("online", "Counsellor", "confirmed")
    # The member's address is theirs: the focal point cannot move the registration to another.
    assert ana.person.email == "ana@example.org"
    assert (bogdan.mode, bogdan.position) == ("in_person", "First Secretary")
    [changed_mail] = mail.outbox
    assert recipients(changed_mail) == ["ana@example.org"]
    assert changed_mail.subject == f"Registration changed: {week.meeting.title}"
    assert "Online" in body_text(client.get(url).text)

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        withdrawn = client.post(url + "withdraw/")
    assert withdrawn.status_code == 302 and withdrawn["Location"] == url
    ana.refresh_from_db()
    bogdan.refresh_from_db()
    assert ana.status == Registration.Status.WITHDRAWN
    assert bogdan.status == Registration.Status.CONFIRMED
    [withdrawn_mail] = mail.outbox
    assert recipients(withdrawn_mail) == ["ana@example.org"]
    assert withdrawn_mail.subject == f"Registration withdrawn: {week.meeting.title}"
    after = client.get(url)
    assert after.status_code == 200
    assert "Withdrawn" in body_text(after.text)
    assert "Save the changes" not in after.text
    # Bogdan's page still offers its changes.
    assert "Save the changes" in client.get(f"/my/registrations/{bogdan.pk}/").text


@pytest.mark.parametrize("other", ["state:GBR", "org:civil_society"])
def test_a_focal_point_of_another_delegation_gets_a_404_on_a_member_registration(
    week, romania_focal, django_capture_on_commit_callbacks, django_user_model, other
):
    _focal, romania = romania_focal
    ana = register_members(romania, django_capture_on_commit_callbacks)["ana@example.org"]
    kind, _sep, key = other.partition(":")
    delegation = State.objects.get(code=key) if kind == "state" else getattr(week, key)
    stranger = focal_point_of(delegation, "focal@other.example.org", given_name="Sam")
    client = sign_in(django_user_model, stranger.email)
    url = f"/my/registrations/{ana.pk}/"
    assert romania.get(url).status_code == 200

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        responses = [
            client.get(url),
            client.post(url, form_data("ana@example.org", mode="online", position="Nobody")),
            client.post(url + "withdraw/"),
        ]
    for response in responses:
        assert response.status_code == 404
        assert "ana@example.org" not in response.text
        assert "Ionescu" not in response.text
    ana.refresh_from_db()
    assert (ana.mode, ana.position, ana.status) == ("in_person", "First Secretary", "confirmed")
    assert mail.outbox == []
    overview = client.get("/my/registrations/")
    assert f"/my/registrations/{ana.pk}/" not in overview.text
    assert "Ionescu" not in overview.text


def test_the_focal_point_designated_in_the_back_office_is_the_one_who_manages(
    week, staff_client, django_user_model, django_capture_on_commit_callbacks
):
    person = Person.objects.create(
        given_name="Radu", family_name="Focal", email="focal@mae.example.ro"
    )
    focal = sign_in(django_user_model, person.email)
    # Before the designation: no registering for others, and a member's page is a 404.
    assert focal.get(REGISTER, {"for": "other"}).status_code == 403
    added = staff_client.post(
        "/admin/registrations/focalpoint/add/",
        {"person": person.pk, "state": "ROU", "organisation": ""},
    )
    assert added.status_code == 302, body_text(added.text)
    designation = FocalPoint.objects.get(person=person)
    assert designation.state_id == "ROU"

    with django_capture_on_commit_callbacks(execute=True):
        response = focal.post(REGISTER + "?for=other", form_data("ana@example.org"))
    assert response.status_code == 302
    ana = Registration.objects.get(person__email="ana@example.org")
    url = f"/my/registrations/{ana.pk}/"
    assert focal.get(url).status_code == 200

    removed = staff_client.post(
        f"/admin/registrations/focalpoint/{designation.pk}/delete/", {"post": "yes"}
    )
    assert removed.status_code == 302
    assert not FocalPoint.objects.exists()
    assert focal.get(url).status_code == 404
    assert focal.post(url + "withdraw/").status_code == 404
    ana.refresh_from_db()
    assert ana.status == Registration.Status.CONFIRMED
