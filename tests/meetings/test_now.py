"""Now in session and what comes next: by the clock, and by the Secretariat's marks."""

import datetime as dt

import pytest
from django.utils import timezone

from convocation.meetings.models import Session
from convocation.meetings.now import OVERRUN, LiveSession, mark_finished, now_and_next
from tests.meetings.html import text

T = dt.datetime(2026, 3, 17, 9, tzinfo=dt.UTC)  # 10:00 in Geneva
H = dt.timedelta(hours=1)


def live(session_id: int, start: dt.datetime, hours: int = 3, **marks) -> LiveSession:
    return LiveSession(session_id, f"S{session_id}", start, start + hours * H, **marks)


MORNING = live(1, T)
AFTERNOON = live(2, T + 5 * H)
PARALLEL = live(3, T + 5 * H)
TOMORROW = live(4, T + 24 * H)
WEEK = [MORNING, AFTERNOON, PARALLEL, TOMORROW]


def ids(sessions: list[LiveSession]) -> list[int]:
    return [session.session_id for session in sessions]


@pytest.mark.parametrize(
    ("at", "now", "following"),
    [
        (T - H, [], [1]),  # before the first session: it comes next
        (T, [1], [2, 3]),  # a slot begins at its first minute
        (T + 3 * H - dt.timedelta(seconds=1), [1], [2, 3]),
        (T + 3 * H, [], [2, 3]),  # and is over at its end
        (T + 5 * H, [2, 3], [4]),  # parallel sessions run and come next together
        (T + 30 * H, [], []),  # after the last one
    ],
)
def test_now_and_next_by_the_clock(at, now, following):
    result = now_and_next(WEEK, at)
    assert (ids(result[0]), ids(result[1])) == (now, following)


def test_a_session_marked_finished_early_is_not_in_session_though_its_slot_runs():
    finished = live(1, T, ended_at=T + H, started_at=T)
    assert ids(now_and_next([finished, AFTERNOON], T + 2 * H)[0]) == []
    # Until the mark it ran.
    assert ids(now_and_next([finished, AFTERNOON], T + H - dt.timedelta(seconds=1))[0]) == [1]


def test_a_session_marked_started_is_in_session_before_its_slot_and_no_longer_next():
    started = live(2, T + 5 * H, started_at=T + H)
    finished = live(1, T, started_at=T, ended_at=T + H)
    now, following = now_and_next([finished, started, TOMORROW], T + H)
    assert (ids(now), ids(following)) == ([2], [4])
    # Just before the mark it was next.
    now, following = now_and_next([finished, live(2, T + 5 * H)], T + H - dt.timedelta(minutes=1))
    assert (ids(now), ids(following)) == ([1], [2])


def test_a_session_marked_started_and_never_finished_stops_after_the_overrun():
    started = live(1, T, started_at=T)
    assert ids(now_and_next([started], T + 3 * H + OVERRUN - dt.timedelta(seconds=1))[0]) == [1]
    assert ids(now_and_next([started], T + 3 * H + OVERRUN)[0]) == []


def test_a_session_marked_started_running_late_stays_in_session_past_its_slot():
    started = live(1, T, started_at=T + H)
    assert ids(now_and_next([started, AFTERNOON], T + 4 * H)[0]) == [1]


# The page -----------------------------------------------------------------------------------

SLUG = "att-csp12-wg"


@pytest.fixture
def rolling(demo):
    """The three WGETI sub-working group sessions of Tuesday and Wednesday, rolling from now."""
    now = timezone.now().replace(microsecond=0)
    sessions = list(
        Session.objects.filter(meeting__slug=SLUG, body__slug="wgeti-current-issues").order_by(
            "start"
        )
    )
    for index, session in enumerate(sessions):
        session.start = now + (index * 4 - 1) * H
        session.end = session.start + 3 * H
        session.save()
    return sessions


def test_the_page_shows_what_is_in_session_and_what_comes_next(client, rolling):
    response = client.get(f"/meetings/{SLUG}/now/")
    assert response["Refresh"] == "60"
    assert "no-cache" in response["Cache-Control"]
    page = text(response.content.decode())
    now, following = page.split("Next", 1)[0], page.split("Next", 1)[1]
    label = "WGETI Sub-working Group on current and emerging implementation issues"
    assert now.count(label) == 1 and "No session is in session now." not in now
    assert following.count(label) == 1
    assert "On a rolling basis" in following
    # Nobody but the Secretariat sees the buttons.
    assert "Mark finished" not in page and "Mark started" not in page


def test_the_secretariat_marks_one_finished_early_and_the_next_started(staff_client, rolling):
    first, second, third = rolling
    page = text(staff_client.get(f"/meetings/{SLUG}/now/").content.decode())
    assert "Mark finished" in page and "Mark started" in page
    response = staff_client.post(
        f"/meetings/{SLUG}/now/", {"session": first.pk, "action": "finish"}
    )
    assert response.status_code == 302
    staff_client.post(f"/meetings/{SLUG}/now/", {"session": second.pk, "action": "start"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.ended_at is not None and second.started_at is not None
    assert second.started_at < second.start
    html = staff_client.get(f"/meetings/{SLUG}/now/").content.decode()
    now_part, next_part = html.split('id="next"', 1)
    assert f'name="session" value="{second.pk}"' in now_part
    assert f'name="session" value="{first.pk}"' not in html
    assert f'name="session" value="{third.pk}"' in next_part


@pytest.mark.parametrize("signed_in", [False, True])
def test_only_the_secretariat_may_mark_a_session(client, django_user_model, rolling, signed_in):
    first = rolling[0]
    if signed_in:
        client.force_login(django_user_model.objects.create_user("delegate"))
    response = client.post(f"/meetings/{SLUG}/now/", {"session": first.pk, "action": "finish"})
    assert response.status_code == 403
    first.refresh_from_db()
    assert (first.started_at, first.ended_at) == (None, None)


def test_a_cancelled_session_is_never_in_session(client, rolling):
    for session in rolling:
        session.cancelled = True
        session.save()
    page = text(client.get(f"/meetings/{SLUG}/now/").content.decode())
    assert "No session is in session now." in page
    assert "No further session is scheduled." in page


def test_the_admin_marks_sessions_started_and_finished(staff_client, rolling):
    first, second, _third = rolling
    staff_client.post(
        "/admin/meetings/session/",
        {"action": "mark_finished", "_selected_action": [first.pk]},
    )
    staff_client.post(
        "/admin/meetings/session/",
        {"action": "mark_started", "_selected_action": [second.pk]},
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.ended_at is not None
    assert second.started_at is not None and second.ended_at is None
    staff_client.post(
        "/admin/meetings/session/",
        {"action": "clear_marks", "_selected_action": [first.pk, second.pk]},
    )
    assert set(
        Session.objects.filter(pk__in=[first.pk, second.pk]).values_list("started_at", "ended_at")
    ) == {(None, None)}


def test_marking_finished_a_session_never_started_notes_when_it_began(demo):
    session = Session.objects.filter(meeting__slug=SLUG).first()
    finished = mark_finished(session, at=session.start + H)
    assert (finished.started_at, finished.ended_at) == (session.start, session.start + H)
