"""Round trip: a real letter imported, composed again, rendered, holds the same facts."""

import io

import docx
import pytest

from convocation.letters.composition import compose_letter, letter_facts
from convocation.letters.legacy import apply_letter, read_letter
from convocation.letters.rendering import render
from convocation.meetings.demo import load_bodies, load_states, load_treaty
from convocation.meetings.queries import meeting_with_schedule
from tests.meetings.annex import LETTERS, SEEDS


def seed(slug: str) -> str:
    path = SEEDS / LETTERS[slug]
    if not path.exists():
        pytest.skip(f"the ATT letters are not here: {SEEDS} is absent")
    return path.read_text(encoding="utf-8")


@pytest.fixture
def treaty(db):
    """The treaty, its bodies and the States: no meeting, no cycle, no person."""
    load_states()
    treaty = load_treaty()
    load_bodies(treaty)
    return treaty


def annex_of_docx(data: bytes) -> dict[tuple[str, str], str]:
    """(weekday, slot) → the cell's text, read from the Word file's annex table."""
    table = docx.Document(io.BytesIO(data)).tables[-1]
    rows = [[cell.text.strip() for cell in row.cells] for row in table.rows]
    days = rows[0][1:-1]
    return {
        (day, row[0]): " ".join(row[1 + index].split())
        for row in rows[1:]
        for index, day in enumerate(days)
    }


@pytest.mark.parametrize("slug", ["att-csp10-wg", "att-csp12-wg"])
def test_a_seed_letter_imported_composed_and_rendered_keeps_its_facts(treaty, slug):
    recognised = read_letter(seed(slug))
    result = apply_letter(recognised, treaty=treaty)
    meeting = meeting_with_schedule(result.meeting.slug)
    assert meeting.slug == slug

    letter = compose_letter(
        letter_facts(meeting), language="en", letter_date=recognised.letter_date
    )
    # Dates, signatory and policies.
    span = f"{recognised.first_day:%-d} – {recognised.last_day:%-d %B %Y}".upper()
    assert letter.subject.endswith(span)
    assert letter.place_and_date == f"{recognised.letter_date:%-d %B %Y}"
    president = recognised.president
    assert letter.signatory_name == (
        f"{president.honorific} {president.given_name} {president.family_name.upper()}"
    )
    assert (meeting.registration, meeting.livestream) == (
        recognised.registration,
        recognised.livestream,
    )
    assert meeting.documents_target_date == recognised.documents_target_date

    # Bodies per cell: the Word annex holds, cell by cell, what the seed's annex held.
    cells = annex_of_docx(render(letter, "docx"))
    for cell in recognised.annex:
        rendered = cells[(f"{cell.day:%A}", cell.slot.label)]
        assert rendered.startswith(cell.whole.label), (cell.where, rendered)
        if cell.whole.access:
            assert "(States Parties and signatory States only)" in rendered
    filled = {(f"{c.day:%A}", c.slot.label) for c in recognised.annex}
    empty = [key for key, text in cells.items() if key[1] != "SIDE EVENTS" and key not in filled]
    assert [cells[key] for key in empty] == [""] * len(empty)
    side_events = {f"{e.day:%A}": e.title or "tbc" for e in recognised.side_events}
    assert {day: text for (day, row), text in cells.items() if row == "SIDE EVENTS" and text} == (
        side_events
    )


def test_the_real_2026_annex_title_is_caught_and_the_composed_one_is_right(treaty):
    recognised = read_letter(seed("att-csp12-wg"))
    assert (recognised.cycle_number, recognised.annex_cycle_number) == (12, 11)
    result = apply_letter(recognised, treaty=treaty)
    letter = compose_letter(
        letter_facts(meeting_with_schedule(result.meeting.slug)),
        language="en",
        letter_date=recognised.letter_date,
    )
    assert "CSP12" in letter.annex.title
    assert "CSP11" not in letter.annex.title
