"""Every figure of the small meeting of ``conftest.py``, counted by hand from its table."""

import datetime as dt

import pytest

from convocation.meetings.models import Meeting
from convocation.reports.figures import ByGender, meeting_figures, trend
from convocation.treaties.models import State
from tests.reports.conftest import add_registration


def G(female=0, male=0, self_described=0, not_said=0):
    return ByGender(female, male, self_described, not_said)


def by_key(rows):
    return {row.key: (row.registered, row.attended) for row in rows}


def test_figures_total_counts_confirmed_registrations_and_who_checked_in(sample):
    figures = meeting_figures(sample.meeting)

    # #1–#10 confirmed; #11 pending and #12 withdrawn are not counted, check-in or not.
    assert figures.total.registered == G(female=6, male=2, self_described=1, not_said=1)
    # Checked in at least once: #1, #2, #4, #6, #7, #8, #9.
    assert figures.total.attended == G(female=4, male=2, self_described=1)
    assert figures.total.registered.total == 10
    assert figures.total.registered.share_of_women == pytest.approx(0.6)


def test_figures_by_participant_category(sample):
    figures = meeting_figures(sample.meeting)

    assert by_key(figures.by_category) == {
        "state_party": (G(female=3, male=2), G(female=1, male=2)),
        "signatory": (G(female=2), G(female=2)),
        "observer": (G(), G()),
        "international": (G(not_said=1), G()),
        "civil_society": (G(female=1, self_described=1), G(female=1, self_described=1)),
        "industry": (G(), G()),
        "academia": (G(), G()),
    }
    assert [row.label for row in figures.by_category][:3] == [
        "State Party",
        "Signatory State",
        "Observer State",
    ]


def test_figures_by_role_with_heads_of_delegation_apart(sample):
    figures = meeting_figures(sample.meeting)

    assert by_key(figures.by_role) == {
        "head": (G(female=3, male=1, not_said=1), G(female=3, male=1)),
        "alternate": (G(male=1), G(male=1)),
        "adviser": (G(female=1), G()),
        "member": (G(female=2, self_described=1), G(female=1, self_described=1)),
    }
    assert figures.heads.registered.share_of_women == pytest.approx(3 / 5)


def test_figures_in_person_and_online(sample):
    figures = meeting_figures(sample.meeting)

    assert by_key(figures.by_mode) == {
        "in_person": (G(female=5, male=2, not_said=1), G(female=4, male=2)),
        "online": (G(female=1, self_described=1), G(self_described=1)),
    }


def test_figures_delegations_headed_by_a_woman_and_of_women_only(sample):
    delegations = meeting_figures(sample.meeting).delegations

    # France, United Kingdom, United States, Control Arms, UNODA; the industry's only
    # registration is pending and Kenya's withdrawn.
    assert delegations.total == 5
    assert delegations.with_head == 5
    assert delegations.headed_by_woman == 3  # France, the United States, Control Arms
    assert delegations.women_only == 1  # the United States; Control Arms has #8
    assert delegations.share_headed_by_woman == pytest.approx(0.6)
    assert delegations.share_women_only == pytest.approx(0.2)


def test_figures_speakers_by_gender(sample):
    speakers = meeting_figures(sample.meeting).speakers

    assert speakers.turns == G(female=3, male=1, not_said=1)  # #1 twice, #9; #4; #10
    assert speakers.turns_not_noted == 1  # the United States
    assert speakers.speakers == G(female=2, male=1, not_said=1)
    assert speakers.all_turns == 6


def test_figures_checked_in_by_day(sample):
    by_day = meeting_figures(sample.meeting).by_day

    assert by_day == [
        (sample.day(0), G(female=2, male=2, self_described=1)),  # #1 #2 #4 #7 #8
        (sample.day(1), G(female=2)),  # #1 #6
        (sample.day(2), G(female=1)),  # #9
    ]


def test_figures_of_a_meeting_without_registrations_are_zero(sample):
    figures = meeting_figures(Meeting.objects.get(slug="att-csp10-wg"))

    assert figures.total.registered == G()
    assert figures.delegations.total == 0
    assert figures.delegations.share_headed_by_woman is None
    assert figures.speakers.all_turns == 0


def _more_meetings(sample):
    csp10 = Meeting.objects.get(slug="att-csp10-wg")
    csp12 = Meeting.objects.get(slug="att-csp12-wg")
    rou, che = State.objects.get(code="ROU"), State.objects.get(code="CHE")
    common = {"category": "state_party", "mode": "in_person", "status": "confirmed"}
    add_registration(csp10, rou, 100, role="head", gender="male", **common)
    add_registration(csp10, che, 101, role="head", gender="male", **common)
    add_registration(csp10, che, 102, role="member", gender="female", **common)
    add_registration(csp12, rou, 103, role="head", gender="female", **common)
    return csp10, csp12


def test_trend_per_meeting_oldest_first(sample):
    _more_meetings(sample)

    points = trend(by="meeting")

    assert [point.slug for point in points] == ["att-csp10-wg", "att-csp12-wg", "next-wg"]
    first, second, third = points
    assert (first.registered, first.registered_women, first.heads, first.women_heads) == (
        3,
        1,
        2,
        0,
    )
    assert (first.attended, first.turns) == (0, 0)
    assert first.share_women_heads == 0
    assert first.share_women_attended is None
    assert (second.heads, second.women_heads, second.share_women_heads) == (1, 1, 1.0)
    assert (third.registered, third.registered_women) == (10, 6)
    assert (third.attended, third.attended_women) == (7, 4)
    assert (third.heads, third.women_heads) == (5, 3)
    assert (third.turns, third.women_turns) == (5, 3)  # the turn with no speaker is left out
    assert third.share_women_turns == pytest.approx(0.6)


def test_trend_per_cycle_adds_up_the_cycles_meetings(sample):
    _more_meetings(sample)

    points = trend(by="cycle")

    assert [point.label for point in points] == ["ATT CSP10", "ATT CSP12"]
    assert [point.start_date for point in points] == [dt.date(2024, 2, 20), dt.date(2026, 3, 16)]
    csp12 = points[1]
    # next-wg (10 registered, 5 heads of whom 3 women) and att-csp12-wg (1 head, a woman).
    assert (csp12.registered, csp12.heads, csp12.women_heads) == (11, 6, 4)
    assert csp12.share_women_heads == pytest.approx(4 / 6)


def test_trend_of_chosen_meetings_only(sample):
    _more_meetings(sample)

    points = trend(meetings=Meeting.objects.filter(slug="att-csp10-wg"))

    assert [point.slug for point in points] == ["att-csp10-wg"]


def test_figures_queries_do_not_grow_with_registrations(sample, django_assert_num_queries):
    with django_assert_num_queries(5):
        meeting_figures(sample.meeting)
    france = State.objects.get(code="FRA")
    for number in range(200, 260):
        add_registration(
            sample.meeting,
            france,
            number,
            category="state_party",
            role="member",
            mode="in_person",
            gender="female",
            status="confirmed",
        )
    with django_assert_num_queries(5):
        figures = meeting_figures(sample.meeting)
    assert figures.total.registered.female == 66


def test_trend_queries_do_not_grow_with_meetings(sample, django_assert_num_queries):
    with django_assert_num_queries(4):
        trend()
    _more_meetings(sample)
    with django_assert_num_queries(4):
        assert len(trend()) == 3
    with django_assert_num_queries(4):
        assert len(trend(by="cycle")) == 2


def test_a_gender_not_asked_counts_as_not_said_in_every_table(sample):
    meeting = sample.meeting
    meeting.collects_gender_data = False
    meeting.save()
    day_before = dict(meeting_figures(meeting).by_day)[sample.day(1)]
    not_asked = add_registration(
        meeting,
        State.objects.get(code="ROU"),
        40,
        category="state_party",
        role="member",
        mode="in_person",
        gender="",
        status="confirmed",
    )
    not_asked.attendances.create(day=sample.day(1))
    figures = meeting_figures(meeting)

    assert figures.total.registered == G(female=6, male=2, self_described=1, not_said=2)
    assert figures.total.registered.total == 11
    assert figures.total.attended == G(female=4, male=2, self_described=1, not_said=1)
    assert dict(figures.by_day)[sample.day(1)] == day_before + G(not_said=1)
