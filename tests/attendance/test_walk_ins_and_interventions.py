"""Walk-ins at the door (where the meeting allows them) and the speakers' list."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from convocation.attendance import services
from convocation.attendance.models import Attendance, AttendancePolicy, Intervention
from convocation.registrations.models import Registration
from convocation.treaties.models import State


def walk_in_form(sample, **overrides) -> dict:
    values = {
        "delegation": "state:CHE",
        "honorific": "Ms.",
        "given_name": "Walburga",
        "family_name": "Tschanz",
        "email": "w.tschanz@example.org",
        "position": "Counsellor",
        "role": "member",
        "gender": "female",
        "consent": "on",
        "day": sample.day(1).isoformat(),
    }
    values.update(overrides)
    return values


@pytest.fixture
def walk_ins(sample):
    AttendancePolicy.objects.create(meeting=sample.meeting, allows_walk_ins=True)
    return sample


def test_walk_in_refused_where_the_meeting_does_not_allow_it(staff_client, sample):
    response = staff_client.post("/meetings/next-wg/walk-in/", walk_in_form(sample))

    assert response.status_code == 409
    assert "does not take walk-ins" in response.content.decode()
    assert not Registration.objects.filter(person__email="w.tschanz@example.org").exists()


def test_walk_in_registers_and_checks_in(
    staff_client, walk_ins, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post("/meetings/next-wg/walk-in/", walk_in_form(walk_ins))

    assert response.status_code == 302
    registration = Registration.objects.get(person__email="w.tschanz@example.org")
    assert (registration.state_id, registration.category, registration.status) == (
        "CHE",
        "state_party",
        "confirmed",
    )
    assert registration.mode == "in_person"
    assert registration.registered_by.username == "officer"
    assert list(registration.attendances.values_list("day", flat=True)) == [walk_ins.day(1)]
    # The officer's registration at the door is in the audit trail of the registration.
    assert list(registration.audit_entries.values_list("user__username", "action", "details")) == [
        ("officer", "registered", {"status": "confirmed", "at_the_door": True})
    ]
    # Switzerland is a State Party: every session, the closed DIEF too.
    assert set(registration.sessions.all()) == {
        walk_ins.week.wgtu,
        walk_ins.week.dief,
        walk_ins.week.wgeti,
    }


def test_walk_in_observer_state_is_kept_out_of_closed_sessions(walk_ins):
    from tests.registrations.conftest import delegate

    registration = services.register_walk_in(
        meeting=walk_ins.meeting,
        data=delegate("r.observer@example.org", state=State.objects.get(code="RUS")),
        by=walk_ins.officer,
        day=walk_ins.day(0),
    )

    assert registration.category == "observer"
    assert set(registration.sessions.all()) == {walk_ins.week.wgtu, walk_ins.week.wgeti}


def test_walk_in_of_someone_registered_sends_to_their_check_in(staff_client, walk_ins):
    existing = walk_ins.registrations[2]
    form = walk_in_form(walk_ins, email=existing.person.email, delegation="state:FRA")

    response = staff_client.post("/meetings/next-wg/walk-in/", form)

    assert response.status_code == 302
    assert response["Location"] == (
        f"/check-in/{existing.check_in_code}/?day={walk_ins.day(1).isoformat()}"
    )
    assert Registration.objects.filter(person=existing.person).count() == 1
    assert not existing.attendances.exists()


def test_walk_in_respects_the_in_person_capacity(staff_client, walk_ins):
    walk_ins.week.policy.in_person_capacity = 8  # 8 confirmed in person already
    walk_ins.week.policy.save()

    response = staff_client.post("/meetings/next-wg/walk-in/", walk_in_form(walk_ins))

    assert response.status_code == 400
    assert "No in-person place is left" in response.content.decode()
    assert not Registration.objects.filter(person__email="w.tschanz@example.org").exists()


def test_walk_in_needs_consent(staff_client, walk_ins):
    form = walk_in_form(walk_ins)
    del form["consent"]

    response = staff_client.post("/meetings/next-wg/walk-in/", form)

    assert response.status_code == 400
    assert not Registration.objects.filter(person__email="w.tschanz@example.org").exists()


def test_walk_in_page_is_for_staff_only(walk_ins):
    response = Client().post("/meetings/next-wg/walk-in/", walk_in_form(walk_ins))

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert not Registration.objects.filter(person__email="w.tschanz@example.org").exists()


URL = "/meetings/next-wg/sessions/{pk}/interventions/"


def test_interventions_page_lists_the_turns_so_far(staff_client, sample):
    response = staff_client.get(URL.format(pk=sample.week.wgtu.pk))

    assert response.status_code == 200
    turns = response.context["interventions"]
    assert [(turn.order, str(turn.delegation), turn.speaker_id) for turn in turns] == [
        (1, "France", sample.registrations[0].pk),
        (2, "United Kingdom", sample.registrations[3].pk),
        (3, "United States", None),
        (4, "France", sample.registrations[0].pk),
    ]
    html = response.content.decode()
    assert "Amélie ZABRISKIE" in html
    assert 'value="state:FRA"' in html
    assert f'value="reg:{sample.registrations[2].pk}"' in html
    # Pending and withdrawn registrations do not take the floor.
    assert f'value="reg:{sample.registrations[10].pk}"' not in html


def test_interventions_add_a_speaker_and_a_delegation_alone(staff_client, sample):
    url = URL.format(pk=sample.week.wgeti.pk)

    staff_client.post(url, {"speaker": f"reg:{sample.registrations[4].pk}"})
    response = staff_client.post(url, {"speaker": f"org:{sample.week.international.pk}"})

    assert response.status_code == 302
    turns = list(Intervention.objects.filter(session=sample.week.wgeti).order_by("order"))
    assert [(t.order, t.state_id, t.organisation_id, t.speaker_id) for t in turns] == [
        (1, "GBR", None, sample.registrations[4].pk),
        (2, None, sample.week.international.pk, None),
    ]
    assert turns[0].logged_by.username == "officer"


def test_interventions_refuse_a_speaker_of_another_meeting(staff_client, sample):
    response = staff_client.post(URL.format(pk=sample.week.wgeti.pk), {"speaker": "reg:999999"})

    assert response.status_code == 400
    assert not Intervention.objects.filter(session=sample.week.wgeti).exists()


def test_interventions_remove_a_turn(staff_client, sample):
    last = Intervention.objects.get(session=sample.week.wgtu, order=4)

    response = staff_client.post(URL.format(pk=sample.week.wgtu.pk) + f"{last.pk}/remove/")

    assert response.status_code == 302
    assert Intervention.objects.filter(session=sample.week.wgtu).count() == 3


def test_interventions_of_a_session_of_another_meeting_are_404(staff_client, sample):
    other = sample.week.wgtu.pk
    assert (
        staff_client.get(f"/meetings/att-csp12-wg/sessions/{other}/interventions/").status_code
        == 404
    )


def test_interventions_page_is_for_staff_only(client, sample):
    url = URL.format(pk=sample.week.wgtu.pk)
    signed_out = Client().post(url, {"speaker": "state:FRA"})
    user = get_user_model().objects.create_user("someone", email="x@example.org")
    client.force_login(user)
    refused = client.get(url)

    assert signed_out.status_code == 302
    assert refused.status_code == 403
    assert "Zabriskie" not in refused.content.decode()
    assert Intervention.objects.filter(session=sample.week.wgtu).count() == 4


def test_log_intervention_numbers_the_turns_in_order(sample):
    session = sample.week.wgeti
    france = State.objects.get(code="FRA")

    turns = [
        services.log_intervention(
            session=session, delegation=france, speaker=None, by=sample.officer
        )
        for _ in range(3)
    ]

    assert [turn.order for turn in turns] == [1, 2, 3]


def test_log_intervention_refuses_a_speaker_of_another_delegation(sample):
    with pytest.raises(services.AttendanceError, match="not a member"):
        services.log_intervention(
            session=sample.week.wgeti,
            delegation=State.objects.get(code="GBR"),
            speaker=sample.registrations[0],
            by=sample.officer,
        )


def test_check_ins_of_the_sample(sample):
    # Nine check-ins: #1 twice, #2, #4, #6, #7, #8, #9 and the withdrawn #12.
    assert Attendance.objects.count() == 9


def test_a_walk_in_is_not_asked_the_gender_where_the_meeting_collects_none(staff_client, walk_ins):
    walk_ins.meeting.collects_gender_data = False
    walk_ins.meeting.save()
    page = staff_client.get("/meetings/next-wg/walk-in/")
    assert page.status_code == 200 and 'name="gender"' not in page.content.decode()
    form = walk_in_form(walk_ins)
    del form["gender"]
    response = staff_client.post("/meetings/next-wg/walk-in/", form)
    assert response.status_code == 302
    registration = Registration.objects.get(person__email="w.tschanz@example.org")
    assert (registration.gender, registration.person.gender) == ("", "")
