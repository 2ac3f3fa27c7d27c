"""The check-in desk and the QR code's address: staff only, idempotent, never on GET."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.test import Client

from convocation.attendance import services
from convocation.attendance.models import Attendance
from convocation.registrations.qr import check_in_payload
from convocation.treaties.models import State
from tests.reports.conftest import add_registration


@pytest.fixture
def delegate_client(client, sample):
    user = get_user_model().objects.create_user(
        "delegate", email=sample.registrations[0].person.email, password="a-long-password"
    )
    client.force_login(user)
    return client


def code_url(registration) -> str:
    return f"/check-in/{registration.check_in_code}/"


def test_check_in_service_is_idempotent(sample):
    registration = sample.registrations[2]  # France, not checked in yet
    day = sample.day(0)

    first, created = services.check_in(registration=registration, day=day, by=sample.officer)
    again, created_again = services.check_in(registration=registration, day=day, by=sample.officer)

    assert (created, created_again) == (True, False)
    assert first.pk == again.pk
    assert Attendance.objects.filter(registration=registration, day=day).count() == 1
    assert first.checked_in_by == sample.officer


def test_check_in_one_per_registration_and_day_in_the_database(sample):
    registration = sample.registrations[0]  # already checked in on day 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.create(registration=registration, day=sample.day(0))


def test_check_in_refuses_a_registration_not_confirmed_and_a_day_outside(sample):
    pending = sample.registrations[10]
    with pytest.raises(services.AttendanceError, match="not confirmed"):
        services.check_in(registration=pending, day=sample.day(0), by=sample.officer)
    with pytest.raises(services.AttendanceError, match="does not meet"):
        services.check_in(
            registration=sample.registrations[2],
            day=sample.day(0) - dt.timedelta(days=1),
            by=sample.officer,
        )


def test_qr_code_address_is_the_check_in_page(sample, settings):
    settings.SITE_URL = "https://convocation.example.org"
    registration = sample.registrations[2]

    assert check_in_payload(registration) == (
        f"https://convocation.example.org{code_url(registration)}"
    )


def test_qr_get_shows_the_delegate_and_changes_nothing(staff_client, sample):
    registration = sample.registrations[2]

    response = staff_client.get(code_url(registration) + f"?day={sample.day(0)}")

    assert response.status_code == 200
    html = response.content.decode()
    assert registration.person.formal_name in html
    assert '<button type="submit" class="confirm">Check in</button>' in html
    assert not Attendance.objects.filter(registration=registration).exists()


def test_qr_post_checks_in_once_whatever_the_taps(staff_client, sample):
    registration = sample.registrations[2]
    url = code_url(registration)

    first = staff_client.post(url, {"day": sample.day(1).isoformat()}, follow=True)
    second = staff_client.post(url, {"day": sample.day(1).isoformat()}, follow=True)

    assert Attendance.objects.filter(registration=registration).count() == 1
    assert f"{registration.person.formal_name} is checked in." in first.content.decode()
    assert f"{registration.person.formal_name} was already checked in." in (second.content.decode())
    assert "Checked in at" in second.content.decode()


def test_qr_post_for_today_by_default(staff_client, sample, monkeypatch):
    registration = sample.registrations[2]
    monkeypatch.setattr(services, "today_at", lambda meeting: sample.day(2))

    staff_client.post(code_url(registration))

    assert list(registration.attendances.values_list("day", flat=True)) == [sample.day(2)]


@pytest.mark.parametrize("day", ["2026-02-30", "2026-13-01", "0000-00-00", "tomorrow"])
def test_a_day_that_does_not_exist_means_today(staff_client, sample, monkeypatch, day):
    registration = sample.registrations[2]
    monkeypatch.setattr(services, "today_at", lambda meeting: sample.day(1))

    assert staff_client.get(code_url(registration), {"day": day}).status_code == 200
    assert staff_client.get("/check-in/", {"meeting": "next-wg", "day": day}).status_code == 200
    staff_client.post(code_url(registration), {"day": day})

    assert list(registration.attendances.values_list("day", flat=True)) == [sample.day(1)]


def test_qr_address_sends_the_signed_out_to_the_sign_in(client, sample):
    registration = sample.registrations[2]

    response = client.get(code_url(registration))
    posted = client.post(code_url(registration))

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=/check-in/")
    assert posted.status_code == 302
    assert not Attendance.objects.filter(registration=registration).exists()


def test_qr_address_shows_a_delegate_nothing(delegate_client, sample):
    registration = sample.registrations[2]

    response = delegate_client.get(code_url(registration))
    posted = delegate_client.post(code_url(registration))

    assert (response.status_code, posted.status_code) == (403, 403)
    assert registration.person.family_name not in response.content.decode()
    assert not Attendance.objects.filter(registration=registration).exists()


def test_unknown_code_is_404(staff_client, sample):
    assert staff_client.get("/check-in/not-a-code-of-anyone/").status_code == 404


def test_desk_search_by_name_and_delegation(staff_client, sample):
    url = f"/check-in/?meeting=next-wg&day={sample.day(0)}"

    by_name = staff_client.get(url + "&q=zabri")
    by_delegation = staff_client.get(url + "&q=France")
    both = staff_client.get(url + "&q=fra+chlo")

    assert [r.pk for r in by_name.context["results"]] == [sample.registrations[0].pk]
    assert {r.pk for r in by_delegation.context["results"]} == {
        r.pk for r in sample.registrations[:3]
    }
    assert [r.pk for r in both.context["results"]] == [sample.registrations[2].pk]
    html = by_delegation.content.decode()
    assert html.count('class="tap"') == 1  # #3; #1 and #2 are checked in on day 1
    assert html.count("✓ Checked in") == 2
    assert "2 of 10 confirmed delegates" not in html
    assert "5 of 10 confirmed delegates checked in on this day" in html


def test_desk_check_in_returns_to_the_desk(staff_client, sample):
    registration = sample.registrations[2]

    response = staff_client.post(
        code_url(registration), {"day": sample.day(0).isoformat(), "from": "desk"}
    )

    assert response.status_code == 302
    assert response["Location"] == f"/check-in/?meeting=next-wg&day={sample.day(0)}"
    assert registration.attendances.get().day == sample.day(0)


def test_desk_undo_removes_the_days_check_in(staff_client, sample):
    registration = sample.registrations[0]

    staff_client.post(code_url(registration) + "undo/", {"day": sample.day(0).isoformat()})

    assert list(registration.attendances.values_list("day", flat=True)) == [sample.day(1)]


def test_desk_undo_is_never_a_get(staff_client, sample):
    registration = sample.registrations[0]

    response = staff_client.get(code_url(registration) + "undo/")

    assert response.status_code == 405
    assert registration.attendances.count() == 2


@pytest.mark.parametrize("url", ["/check-in/", "/check-in/?meeting=next-wg&q=fra"])
def test_desk_is_for_staff_only(delegate_client, sample, url):
    signed_out = Client().get(url)
    assert signed_out.status_code == 302
    assert signed_out["Location"].startswith("/admin/login/")
    refused = delegate_client.get(url)
    assert refused.status_code == 403
    assert "Zabriskie" not in refused.content.decode()


def test_desk_defaults_to_the_meeting_under_way(staff_client, sample, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *args: sample.day(1))
    monkeypatch.setattr(services, "today_at", lambda meeting: sample.day(1))

    response = staff_client.get("/check-in/")

    assert response.context["meeting"] == sample.meeting
    assert response.context["day"] == sample.day(1)
    assert response.context["is_today"] is True


def test_desk_search_query_count_does_not_grow(staff_client, sample, django_assert_num_queries):
    url = f"/check-in/?meeting=next-wg&day={sample.day(0)}&q=fra"
    staff_client.get(url)  # sessions, the user, the policy row: loaded once

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            response = staff_client.get(url)
        assert response.status_code == 200
        return len(queries)

    few = count()
    france = State.objects.get(code="FRA")
    for number in range(400, 430):
        registration = add_registration(
            sample.meeting,
            france,
            number,
            category="state_party",
            role="member",
            mode="in_person",
            gender="male",
            status="confirmed",
        )
        services.check_in(registration=registration, day=sample.day(0), by=sample.officer)
    assert count() == few
