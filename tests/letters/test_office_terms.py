"""The office-holders paragraph follows the vacancies on the letter's date (terms, spans)."""

import datetime as dt

import pytest

from convocation.cycles.models import ConferenceCycle, Office
from convocation.cycles.queries import offices_of_cycle
from convocation.letters.composition import compose_letter, letter_facts
from convocation.meetings.queries import meeting_with_schedule
from convocation.people.models import Person
from convocation.treaties.models import Body

LETTER_DATE = dt.date(2026, 1, 16)


def office_paragraph(letter_date=LETTER_DATE) -> str:
    facts = letter_facts(meeting_with_schedule("att-csp12-wg"))
    letter = compose_letter(facts, language="en", letter_date=letter_date)
    return next((p.text for p in letter.paragraphs if p.key == "office_holders"), "")


@pytest.fixture
def holder(db) -> Person:
    return Person.objects.create(given_name="Ana", family_name="Pérez")


@pytest.mark.parametrize(
    ("term_start", "term_end", "vacant"),
    [
        (None, None, False),
        (LETTER_DATE, None, False),  # from the letter's own day
        (LETTER_DATE + dt.timedelta(days=1), None, True),  # appointed the day after
        (None, LETTER_DATE, False),  # the last day of the term
        (None, LETTER_DATE - dt.timedelta(days=1), True),  # the term ended the day before
    ],
)
def test_an_office_is_vacant_on_a_day_its_holders_term_does_not_cover(
    demo, holder, term_start, term_end, vacant
):
    Office.objects.filter(cycle__number=12, title=Office.Title.CHAIR).update(
        holder=holder, term_start=term_start, term_end=term_end
    )
    chair = Office.objects.get(cycle__number=12, title=Office.Title.CHAIR)

    assert chair.vacant_on(LETTER_DATE) is vacant
    assert (
        "Chair of the Working Group on Effective Treaty Implementation" in office_paragraph()
    ) is vacant


def test_no_paragraph_when_nothing_is_vacant_on_the_letters_date(demo, holder):
    Office.objects.filter(cycle__number=12, holder=None).update(
        holder=holder, term_start=dt.date(2026, 1, 10)
    )
    assert office_paragraph() == ""
    assert "Chair of the Working Group" in office_paragraph(dt.date(2026, 1, 9))


def test_a_term_spanning_cycles_serves_the_later_cycle(demo, holder):
    cycles = {c.number: c for c in ConferenceCycle.objects.filter(treaty__code="att")}
    dief = Body.objects.get(slug="dief")
    spanning = Office.objects.create(
        cycle=cycles[11], title=Office.Title.CHAIR, body=dief, until_cycle=cycles[12]
    )
    one_cycle = Office.objects.create(cycle=cycles[10], title=Office.Title.CHAIR, body=dief)

    assert spanning in offices_of_cycle(cycles[12])
    assert spanning in offices_of_cycle(cycles[11])
    assert one_cycle not in offices_of_cycle(cycles[12])
    assert "Chair of the Diversion Information Exchange Forum (DIEF)" in office_paragraph()
    spanning.holder = holder
    spanning.save()
    assert "Diversion Information Exchange Forum" not in office_paragraph()
    assert spanning.cycles_label == "CSP11–CSP12"


def test_several_vice_presidents_share_a_cycle(demo, holder):
    cycle = ConferenceCycle.objects.get(treaty__code="att", number=12)
    for seat in (1, 2, 3, 4):
        Office.objects.create(
            cycle=cycle, title=Office.Title.VICE_PRESIDENT, seat=seat, holder=holder
        )
    assert Office.objects.filter(cycle=cycle, title=Office.Title.VICE_PRESIDENT).count() == 4
    assert Office.objects.get(cycle=cycle, seat=2).name == "Vice-President (2), CSP12"
