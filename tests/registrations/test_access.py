"""Who may reach what: each kind of participant against each closed or personal thing.

One row per kind of participant; each column is something the server must allow or refuse.
"""

import pytest

from convocation.people.models import Person
from convocation.registrations import services
from convocation.registrations.models import FocalPoint, Registration
from convocation.treaties.models import State
from tests.registrations.conftest import delegate

# kind: (delegation of the participant's own registration, expectations)
# dief_offered: the DIEF is among the sessions offered to the participant's delegation
# dief_accepted: a registration for the DIEF is accepted
# livestream: the link shows on the participant's own registration page
# ana_page: the State Party delegate Ana's registration (email, gender) can be opened
# admin_list: the Secretariat's registration list
TABLE = {
    "anonymous": (
        None,
        dict(dief_offered=None, dief_accepted=None, livestream=None, ana_page=302, admin_list=302),
    ),
    "state_party": (
        "state:GBR",
        dict(dief_offered=True, dief_accepted=True, livestream=True, ana_page=404, admin_list=302),
    ),
    "signatory": (
        "state:USA",
        dict(dief_offered=True, dief_accepted=True, livestream=True, ana_page=404, admin_list=302),
    ),
    "observer": (
        "state:IND",
        dict(
            dief_offered=False, dief_accepted=False, livestream=True, ana_page=404, admin_list=302
        ),
    ),
    "party_by_the_dief": (
        "state:KEN",
        dict(dief_offered=True, dief_accepted=True, livestream=True, ana_page=404, admin_list=302),
    ),
    "civil_society": (
        "org:civil_society",
        dict(
            dief_offered=False, dief_accepted=False, livestream=True, ana_page=404, admin_list=302
        ),
    ),
    "industry": (
        "org:industry",
        dict(
            dief_offered=False, dief_accepted=False, livestream=True, ana_page=404, admin_list=302
        ),
    ),
    "international": (
        "org:international",
        dict(
            dief_offered=False, dief_accepted=False, livestream=True, ana_page=404, admin_list=302
        ),
    ),
    "focal_point_of_ana": (
        "state:ROU",
        dict(dief_offered=True, dief_accepted=True, livestream=True, ana_page=200, admin_list=302),
    ),
    "staff": (
        None,
        dict(dief_offered=None, dief_accepted=None, livestream=None, ana_page=200, admin_list=200),
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


@pytest.mark.parametrize("kind", TABLE)
def test_access_table(week, client, django_user_model, kind):
    week.policy.asks_sessions = True
    week.policy.save()
    ana = services.register(
        week.meeting,
        delegate("ana@example.org", state=State.objects.get(code="ROU")),
        by=None,
    )
    delegation, expected = TABLE[kind]
    if kind != "anonymous":
        email = f"{kind}@example.org"
        user = django_user_model.objects.create_user(
            email, email=email, is_staff=kind == "staff", is_superuser=kind == "staff"
        )
        client.force_login(user)
        if kind == "focal_point_of_ana":
            person = Person.objects.create(given_name="Ion", family_name="Pop", email=email)
            FocalPoint.objects.create(person=person, state_id="ROU")

    register = "/meetings/next-wg/register/"
    if expected["dief_offered"] is not None:
        value = delegation_value(week, delegation)
        form = client.get(register, {"delegation": value})
        assert (f'value="{week.dief.pk}"' in form.text) is expected["dief_offered"]
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
        own = Registration.objects.get(person__email=f"{kind}@example.org")
        page = client.get(f"/my/registrations/{own.pk}/")
        assert ("https://example.org/live/next-wg" in page.text) is expected["livestream"]

    ana_page = client.get(f"/my/registrations/{ana.pk}/")
    assert ana_page.status_code == expected["ana_page"]
    if expected["ana_page"] != 200:
        assert "ana@example.org" not in ana_page.text

    assert client.get("/admin/registrations/registration/").status_code == expected["admin_list"]

    public = client.get("/meetings/next-wg/")
    assert public.status_code == 200
    assert "ana@example.org" not in public.text
    assert "https://example.org/live/next-wg" not in public.text


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
