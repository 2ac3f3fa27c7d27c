from convocation.meetings.demo import load_demo
from convocation.registrations import services
from convocation.registrations.demo import load_registration_demo
from convocation.registrations.models import FocalPoint, Registration
from convocation.treaties.models import State
from tests.registrations.conftest import delegate


def test_the_demo_has_delegates_at_csp12_and_a_week_open_for_registration(db):
    load_demo()
    first = load_registration_demo()
    again = load_registration_demo()
    assert (first.registrations, again.registrations) == (60, 0)
    held = Registration.objects.filter(meeting__slug="att-csp12-wg")
    assert held.count() == 60
    assert set(held.values_list("category", flat=True)) == {
        "state_party",
        "signatory",
        "international",
        "civil_society",
    }
    assert FocalPoint.objects.filter(state_id="ROU").exists()
    # The week ahead takes registrations.
    from convocation.meetings.models import Meeting

    week = Meeting.objects.get(slug=first.open_meeting)
    first = week.sessions.order_by("start").first()
    registration = services.register(
        week, delegate(state=State.objects.get(code="GBR"), session_ids=[first.pk]), by=None
    )
    assert registration.status == "confirmed"
