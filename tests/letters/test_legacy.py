"""Past invitation letters read back into meetings: the two real ATT letters and our own."""

import datetime as dt
import re
import zoneinfo
from pathlib import Path

import docx
import pytest

from convocation.cycles.models import ConferenceCycle, Office
from convocation.letters.legacy import (
    LegacyLetterError,
    apply_letter,
    read_docx,
    read_letter,
    read_letter_file,
    recognised_as_schedule_json,
)
from convocation.meetings.demo import load_bodies, load_demo, load_states, load_treaty
from convocation.meetings.exports import schedule_document
from convocation.meetings.models import Meeting, Session, SideEvent
from convocation.people.models import Person
from convocation.treaties.models import Body
from tests.meetings.annex import LETTERS, SEEDS

GENEVA = zoneinfo.ZoneInfo("Europe/Zurich")
# The day the tests pretend it is: both seed weeks are past, our own letters' weeks to come.
TODAY = dt.date(2026, 11, 23)
FIXTURES = Path(__file__).parent / "fixtures"
MEETING_FIELDS = [
    "slug",
    "kind",
    "title",
    "title_fr",
    "title_es",
    "venue",
    "city",
    "city_fr",
    "city_es",
    "country",
    "country_fr",
    "country_es",
    "time_zone",
    "start_date",
    "end_date",
    "status",
    "format",
    "registration",
    "livestream",
    "collects_gender_data",
    "documents_target_date",
    "schedule_is_draft",
]


def seed_text(slug: str) -> str:
    path = SEEDS / LETTERS[slug]
    if not path.exists():
        pytest.skip(f"the ATT letters are not here: {SEEDS} is absent")
    return path.read_text(encoding="utf-8")


def fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


@pytest.fixture
def treaty(db):
    """A database with only the treaty, its bodies and the States: nothing a letter brings."""
    load_states()
    treaty = load_treaty()
    load_bodies(treaty)
    return treaty


@pytest.fixture
def preparatory_body(treaty):
    return Body.objects.create(
        treaty=treaty,
        slug="informal-preparatory-meeting",
        kind=Body.Kind.CONFERENCE,
        name="Informal Preparatory Meeting",
        order=20,
    )


def snapshot(slug: str) -> dict:
    """What a letter says about a meeting, as comparable values."""
    meeting = Meeting.objects.select_related("cycle").get(slug=slug)
    cycle = meeting.cycle
    president = Office.objects.get(cycle=cycle, title=Office.Title.PRESIDENT, body=None).holder
    previous = ConferenceCycle.objects.get(treaty=cycle.treaty, number=cycle.number - 1)
    return {
        "meeting": {name: getattr(meeting, name) for name in MEETING_FIELDS}
        | {"cycle": cycle.number},
        "sessions": [
            (
                session.start,
                session.end,
                session.body.slug,
                session.access,
                session.effective_access,
            )
            for session in meeting.sessions.select_related("body")
        ],
        "side_events": [(event.date, event.title) for event in meeting.side_events.all()],
        "president": (president.honorific, president.given_name, president.family_name),
        "vacancies": sorted(
            (office.title, office.body.slug)
            for office in Office.objects.filter(cycle=cycle, holder=None).select_related("body")
        ),
        "announcement": cycle.announcement_date,
        "previous_conference": (previous.conference_start, previous.conference_end),
    }


def forget_meetings() -> None:
    """Back to the treaty, its bodies and States only."""
    Meeting.objects.all().delete()
    Office.objects.all().delete()
    ConferenceCycle.objects.all().delete()
    Person.objects.all().delete()


def row_counts() -> dict[str, int]:
    models = (ConferenceCycle, Office, Meeting, Session, SideEvent, Person, Body)
    return {model.__name__: model.objects.count() for model in models}


def without_uids(document: dict) -> dict:
    sessions = [{k: v for k, v in s.items() if k != "uid"} for s in document["sessions"]]
    return document | {"sessions": sessions}


# --- The two real letters ---------------------------------------------------------------------


def test_read_letter_needs_no_database():
    # No db fixture: pytest-django fails the test on any query.
    letter = read_letter(seed_text("att-csp12-wg"))
    assert letter.cycle_number == 12


def test_2024_letter_is_recognised_whole():
    letter = read_letter(seed_text("att-csp10-wg"))
    assert letter.not_recognised == []
    assert letter.disagreements == []
    assert (letter.letter_date, letter.treaty_name) == (
        dt.date(2024, 1, 22),
        "The Arms Trade Treaty",
    )
    assert letter.address_lines == ["Avenue de France 23", "CH-1202 Geneva"]
    assert (letter.treaty_acronym, letter.cycle_number, letter.kind) == (
        "ATT",
        10,
        "working_groups",
    )
    assert (letter.first_day, letter.last_day) == (dt.date(2024, 2, 20), dt.date(2024, 2, 23))
    assert (letter.venue, letter.city, letter.country) == (
        "Centre International de Conférences Genève (CICG)",
        "Geneva",
        "Switzerland",
    )
    assert [slot.label for slot in letter.daily_slots] == ["10:00 – 13:00", "15:00 – 18:00"]
    assert (letter.format, letter.livestream) == ("in_person", "public")
    assert (letter.registration, letter.collects_gender_data) == ("some_sessions", False)
    assert [(e.body_label, e.day) for e in letter.registration_exceptions] == [
        ("Diversion Information Exchange Forum (DIEF)", dt.date(2024, 2, 22))
    ]
    assert (letter.documents_stated, letter.documents_target_date) == (True, None)
    assert (
        letter.previous_cycle_number,
        letter.previous_conference_start,
        letter.previous_conference_end,
    ) == (9, dt.date(2023, 8, 21), dt.date(2023, 8, 25))
    assert letter.announcement_date == dt.date(2023, 11, 20)
    assert letter.president.formal_name == "Ambassador Răzvan RUSU"
    assert letter.president_cycle_number == 10
    assert letter.vacancies == []
    assert [name for name, _ in letter.annex_days] == [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
    ]
    assert letter.annex_days[0][1] == dt.date(2024, 2, 19)
    dief = [cell for cell in letter.annex if cell.whole.label == "DIEF"]
    assert [(cell.day, cell.slot.label, cell.whole.access) for cell in dief] == [
        (dt.date(2024, 2, 22), "15:00 – 18:00", "parties_and_signatories")
    ]
    assert [(event.day, event.title) for event in letter.side_events] == [
        (dt.date(2024, 2, 20 + n), "") for n in range(4)
    ]
    assert letter.schedule_is_draft and letter.rolling_basis


def test_2026_letter_is_recognised_whole_and_its_annex_title_disagrees():
    letter = read_letter(seed_text("att-csp12-wg"))
    assert letter.not_recognised == []
    assert (letter.cycle_number, letter.annex_cycle_number) == (12, 11)
    assert letter.disagreements == [
        "line 52: the annex title names CSP11, the subject (line 16) CSP12"
    ]
    assert (letter.livestream, letter.registration, letter.collects_gender_data) == (
        "registered",
        "required",
        True,
    )
    assert letter.documents_target_date == dt.date(2026, 2, 17)
    assert letter.announcement_date == dt.date(2025, 12, 1)
    assert (letter.previous_conference_start, letter.previous_conference_end) == (
        dt.date(2025, 8, 25),
        dt.date(2025, 8, 29),
    )
    assert letter.president.formal_name == "Ms. Tsholofelo TSHEOLE"
    assert letter.president.gender == Person.Gender.FEMALE
    assert [(office.title, office.body_label) for office in letter.vacancies] == [
        ("chair", "Working Group on Effective Treaty Implementation (WGETI)"),
        ("facilitator", "WGETI Sub-working Group on Current and Emerging Implementation Issues"),
    ]
    assert letter.annex[0].whole.label == (
        "WGETI Sub-working Group on exchange of national implementation practices"
    )
    assert "line 16: subject: ATT CSP12 Working Group meetings, 16 – 19 March 2026" in (
        letter.recognised
    )


@pytest.mark.parametrize("slug", ["att-csp10-wg", "att-csp12-wg"])
def test_seed_letter_imports_as_the_demo_has_it(treaty, slug):
    result = apply_letter(read_letter(seed_text(slug)), treaty=treaty, today=TODAY)
    assert result.created and not result.dry_run
    imported = snapshot(slug)

    forget_meetings()
    load_demo()
    assert imported == snapshot(slug)


def test_2026_letter_creates_the_president_as_a_woman(treaty):
    apply_letter(read_letter(seed_text("att-csp12-wg")), treaty=treaty, today=TODAY)
    assert Person.objects.get(family_name="Tsheole").gender == Person.Gender.FEMALE


@pytest.mark.parametrize("slug", ["att-csp10-wg", "att-csp12-wg"])
def test_seed_letter_as_json_is_the_demo_schedule_json(treaty, slug):
    document = recognised_as_schedule_json(read_letter(seed_text(slug)), treaty=treaty, today=TODAY)
    assert Meeting.objects.count() == 0
    assert {session["uid"] for session in document["sessions"]} == {None}

    load_demo()
    demo = schedule_document(Meeting.objects.get(slug=slug))
    assert without_uids(document) == without_uids(demo)


def test_json_finds_the_treaty_and_keeps_the_uids_of_sessions_that_exist(demo):
    # No treaty given: the subject's "ATT" finds it.
    document = recognised_as_schedule_json(read_letter(seed_text("att-csp12-wg")), today=TODAY)
    assert document == schedule_document(Meeting.objects.get(slug="att-csp12-wg"))


@pytest.mark.parametrize("slug", ["att-csp10-wg", "att-csp12-wg"])
def test_importing_a_letter_twice_changes_nothing(treaty, slug):
    letter = read_letter(seed_text(slug))
    apply_letter(letter, treaty=treaty, today=TODAY)
    stamps = {
        model.__name__: list(model.objects.order_by("pk").values_list("pk", "updated_at"))
        for model in (ConferenceCycle, Office, Meeting, Session, SideEvent)
    }
    counts = row_counts()

    again = apply_letter(letter, treaty=treaty, today=TODAY)
    assert again.changes == []
    assert not again.created
    assert row_counts() == counts
    assert stamps == {
        model.__name__: list(model.objects.order_by("pk").values_list("pk", "updated_at"))
        for model in (ConferenceCycle, Office, Meeting, Session, SideEvent)
    }


def test_importing_the_demo_letters_over_the_demo_changes_nothing(demo):
    treaty = Meeting.objects.get(slug="att-csp12-wg").cycle.treaty
    for slug in LETTERS:
        result = apply_letter(read_letter(seed_text(slug)), treaty=treaty, today=TODAY)
        assert result.changes == [], slug


def test_dry_run_writes_nothing_and_says_what_it_would_do(treaty):
    before = row_counts()
    result = apply_letter(
        read_letter(seed_text("att-csp12-wg")), treaty=treaty, dry_run=True, today=TODAY
    )
    assert row_counts() == before
    assert result.dry_run and result.created
    assert "created meeting att-csp12-wg: ATT CSP12 Working Group meetings, 16 – 19 March 2026" in (
        result.changes
    )
    assert "added session WGTU, Wednesday 18 March 2026 15:00 – 18:00" in result.changes
    assert "Chair of WGETI (CSP12): vacant" in result.changes
    assert sum(change.startswith("added session") for change in result.changes) == 8


def test_import_over_an_edited_meeting_brings_it_back_to_the_letter(demo):
    meeting = Meeting.objects.get(slug="att-csp12-wg")
    treaty = meeting.cycle.treaty
    expected = snapshot("att-csp12-wg")
    kept = Session.objects.get(meeting=meeting, start=dt.datetime(2026, 3, 16, 10, tzinfo=GENEVA))

    meeting.venue = "Palais des Nations"
    meeting.livestream = Meeting.Livestream.PUBLIC
    meeting.save()
    moved = Session.objects.get(meeting=meeting, start=dt.datetime(2026, 3, 18, 15, tzinfo=GENEVA))
    moved.start, moved.end = (
        dt.datetime(2026, 3, 18, 14, tzinfo=GENEVA),
        dt.datetime(2026, 3, 18, 17, tzinfo=GENEVA),
    )
    moved.save()
    Session.objects.create(
        meeting=meeting,
        body=Body.objects.get(slug="dief"),
        start=dt.datetime(2026, 3, 19, 18, tzinfo=GENEVA),
        end=dt.datetime(2026, 3, 19, 19, tzinfo=GENEVA),
    )
    meeting.side_events.filter(date=dt.date(2026, 3, 17)).delete()
    chair = Office.objects.get(cycle=meeting.cycle, title=Office.Title.CHAIR)
    chair.holder = Person.objects.get(family_name="Rusu")
    chair.save()

    result = apply_letter(read_letter(seed_text("att-csp12-wg")), treaty=treaty, today=TODAY)

    assert not result.created
    assert result.changes == [
        "meeting att-csp12-wg: venue Palais des Nations → "
        "Centre International de Conférences Genève (CICG)",
        "meeting att-csp12-wg: livestream public → registered",
        "added session WGTU, Wednesday 18 March 2026 15:00 – 18:00",
        "removed session WGTU, Wednesday 18 March 2026 14:00 – 17:00",
        "removed session DIEF, Thursday 19 March 2026 18:00 – 19:00",
        "added side event tbc on 17 March 2026",
        "Chair of WGETI (CSP12): vacant (was Ambassador Răzvan RUSU)",
    ]
    assert snapshot("att-csp12-wg") == expected
    # A session the letter keeps is the same record, so calendars keep its uid.
    assert Session.objects.filter(pk=kept.pk).exists()


# --- Letters of other years, in other shapes ---------------------------------------------------


def local_sessions(slug: str) -> list[tuple[str, str, str, str]]:
    meeting = Meeting.objects.get(slug=slug)
    return [
        (
            session.start.astimezone(meeting.tz).isoformat(),
            session.end.astimezone(meeting.tz).strftime("%H:%M"),
            session.body.slug,
            session.access,
        )
        for session in meeting.sessions.select_related("body")
    ]


def meeting_facts(slug: str, *names: str) -> tuple:
    return tuple(Meeting.objects.filter(slug=slug).values_list(*names).get())


def test_letter_for_wednesday_to_friday_with_only_those_columns(treaty):
    letter = read_letter(fixture_text("att-csp13-wg-2027-wednesday-to-friday.txt"))
    assert letter.not_recognised == []
    result = apply_letter(letter, treaty=treaty, today=TODAY)

    assert result.meeting.slug == "att-csp13-wg"
    assert meeting_facts(
        "att-csp13-wg",
        "title",
        "status",
        "start_date",
        "end_date",
        "registration",
        "livestream",
        "documents_target_date",
    ) == (
        "ATT CSP13 Working Group meetings",
        "planned",
        dt.date(2027, 2, 10),
        dt.date(2027, 2, 12),
        "none",
        "public",
        dt.date(2027, 1, 13),
    )
    assert local_sessions("att-csp13-wg") == [
        ("2027-02-10T10:00:00+01:00", "13:00", "wgtu", ""),
        ("2027-02-10T15:00:00+01:00", "18:00", "wgeti-national-practices", ""),
        ("2027-02-11T10:00:00+01:00", "13:00", "wgeti-articles-6-7", ""),
        ("2027-02-11T15:00:00+01:00", "18:00", "wgeti-articles-6-7", ""),
        ("2027-02-12T10:00:00+01:00", "13:00", "wgtr", ""),
        ("2027-02-12T15:00:00+01:00", "18:00", "wgtr", ""),
    ]
    assert ConferenceCycle.objects.filter(number=12).values_list(
        "conference_start", "conference_end"
    ).get() == (dt.date(2026, 8, 24), dt.date(2026, 8, 28))
    assert ConferenceCycle.objects.get(number=13).announcement_date == dt.date(2026, 10, 2)
    president = Office.objects.get(cycle__number=13, title=Office.Title.PRESIDENT).holder
    assert (president.honorific, president.given_name, president.family_name) == (
        "H.E. Ambassador",
        "Jean-Marc",
        "Dupont-Morel",
    )


def test_letter_for_a_one_day_preparatory_meeting(treaty, preparatory_body):
    letter = read_letter(fixture_text("att-csp13-prep-2027-one-day.md"))
    assert letter.not_recognised == []
    apply_letter(letter, treaty=treaty, today=TODAY)

    assert meeting_facts(
        "att-csp13-prep",
        "kind",
        "title",
        "title_fr",
        "format",
        "livestream",
        "registration",
        "collects_gender_data",
        "documents_target_date",
    ) == (
        "preparatory",
        "ATT CSP13 Preparatory meeting",
        "Réunion préparatoire de la CSP13 du TCA",
        "hybrid",
        "registered",
        "required",
        False,
        None,
    )
    assert local_sessions("att-csp13-prep") == [
        ("2027-04-06T10:00:00+02:00", "13:00", "informal-preparatory-meeting", ""),
        ("2027-04-06T15:00:00+02:00", "18:00", "informal-preparatory-meeting", ""),
    ]
    assert list(
        SideEvent.objects.filter(meeting__slug="att-csp13-prep").values_list("date", "title")
    ) == [(dt.date(2027, 4, 6), "")]
    vacant = Office.objects.get(cycle__number=13, holder=None)
    assert (vacant.title, vacant.body.slug) == ("facilitator", "wgeti-articles-6-7")


def test_letter_for_a_five_day_week_with_a_markdown_table(treaty):
    letter = read_letter(fixture_text("att-csp14-wg-2028-five-days.md"))
    assert letter.not_recognised == []
    apply_letter(letter, treaty=treaty, today=TODAY)

    sessions = local_sessions("att-csp14-wg")
    assert len(sessions) == 10
    assert sessions[-1] == ("2028-02-18T15:00:00+01:00", "18:00", "dief", "")
    assert Session.objects.get(body__slug="dief").effective_access == "parties_and_signatories"
    assert list(
        SideEvent.objects.filter(meeting__slug="att-csp14-wg").values_list("date", "title")
    ) == [
        (dt.date(2028, 2, 14), ""),
        (dt.date(2028, 2, 15), "Gender and small arms: a panel"),
        (dt.date(2028, 2, 17), ""),
        (dt.date(2028, 2, 18), ""),
    ]
    assert meeting_facts("att-csp14-wg", "registration", "livestream") == (
        "some_sessions",
        "public",
    )
    assert ConferenceCycle.objects.filter(number=13).values_list(
        "conference_start", "conference_end"
    ).get() == (dt.date(2027, 8, 30), dt.date(2027, 9, 3))
    assert sorted(
        Office.objects.filter(cycle__number=14, holder=None).values_list("title", "body__slug")
    ) == [("chair", "wgtr"), ("facilitator", "wgeti-national-practices")]
    president = Office.objects.get(cycle__number=14, title=Office.Title.PRESIDENT).holder
    assert (president.formal_name, president.gender) == ("Mr. Kwame ASANTE-MENSAH", "male")


def test_letter_with_three_slots_two_bodies_in_a_cell_and_summer_time(treaty):
    letter = read_letter(fixture_text("att-csp15-wg-2029-three-slots.txt"))
    assert letter.not_recognised == []
    assert letter.disagreements == []
    apply_letter(letter, treaty=treaty, today=TODAY)

    assert local_sessions("att-csp15-wg") == [
        ("2029-06-05T10:00:00+02:00", "12:00", "wgeti-articles-6-7", ""),
        ("2029-06-05T13:00:00+02:00", "15:00", "wgeti-articles-6-7", ""),
        ("2029-06-05T15:30:00+02:00", "18:00", "wgeti-current-issues", ""),
        ("2029-06-06T10:00:00+02:00", "12:00", "wgtu", ""),
        ("2029-06-06T10:00:00+02:00", "12:00", "wgtr", ""),
        ("2029-06-06T15:30:00+02:00", "18:00", "dief", ""),
        ("2029-06-07T10:00:00+02:00", "12:00", "wgtr", ""),
        ("2029-06-07T13:00:00+02:00", "15:00", "wgtu", "parties_and_signatories"),
        ("2029-06-07T15:30:00+02:00", "18:00", "wgtr", ""),
    ]
    assert meeting_facts("att-csp15-wg", "livestream", "registration", "collects_gender_data") == (
        "none",
        "required",
        True,
    )


def test_letters_of_several_years_import_one_after_another(treaty, preparatory_body):
    names = [
        "att-csp13-wg-2027-wednesday-to-friday.txt",
        "att-csp13-prep-2027-one-day.md",
        "att-csp14-wg-2028-five-days.md",
        "att-csp15-wg-2029-three-slots.txt",
    ]
    for name in names:
        apply_letter(read_letter(fixture_text(name)), treaty=treaty, today=TODAY)
    assert list(Meeting.objects.order_by("start_date").values_list("slug", flat=True)) == [
        "att-csp13-wg",
        "att-csp13-prep",
        "att-csp14-wg",
        "att-csp15-wg",
    ]
    # One person signs two letters of CSP13; one presides over CSP15 after CSP12's letters.
    assert Person.objects.count() == 3
    for name in names:
        again = apply_letter(read_letter(fixture_text(name)), treaty=treaty, today=TODAY)
        assert again.changes == [], name


# --- Word -------------------------------------------------------------------------------------


def _plain(text: str) -> str:
    text = re.sub(r"<[^>]+>", "", text).replace("**", "").replace("\\", "")
    return re.sub(r"^#+\s*", "", text).strip()


def write_docx(text: str, path: Path) -> Path:
    """The letter as Word writes it: one paragraph per line, the annex as a real table."""
    document = docx.Document()
    rows: list[list[str]] = []

    def add_table() -> None:
        if not rows:
            return
        table = document.add_table(rows=len(rows), cols=max(len(row) for row in rows))
        for i, row in enumerate(rows):
            for j, cell in enumerate(row):
                table.cell(i, j).text = "\n".join(
                    _plain(piece) for piece in re.split(r"<br\s*/?>", cell)
                )
        rows.clear()

    for line in text.splitlines():
        if "\t" in line:
            rows.append(line.split("\t"))
            continue
        add_table()
        if line.strip():
            paragraph = document.add_paragraph()
            paragraph.add_run(_plain(line)).bold = line.startswith(("#", "**"))
    add_table()
    document.save(path)
    return path


def test_word_letter_reads_as_its_text(tmp_path):
    text = seed_text("att-csp12-wg")
    from_text = read_letter(text)
    from_word = read_docx(write_docx(text, tmp_path / "letter.docx"))
    assert from_word.not_recognised == []
    for name in (
        "letter_date",
        "cycle_number",
        "annex_cycle_number",
        "first_day",
        "last_day",
        "venue",
        "livestream",
        "registration",
        "documents_target_date",
        "announcement_date",
        "annex_days",
        "annex_slots",
    ):
        assert getattr(from_word, name) == getattr(from_text, name), name
    assert [(c.day, c.slot, c.whole) for c in from_word.annex] == [
        (c.day, c.slot, c.whole) for c in from_text.annex
    ]
    assert from_word.president.formal_name == "Ms. Tsholofelo TSHEOLE"
    assert from_word.subject_where == "paragraph 11"
    assert from_word.annex[0].where == "table 1, row 2"


def test_word_letter_imports_as_the_demo_has_it(treaty, tmp_path):
    path = write_docx(seed_text("att-csp10-wg"), tmp_path / "csp10.docx")
    apply_letter(read_letter_file(path), treaty=treaty, today=TODAY)
    imported = snapshot("att-csp10-wg")
    forget_meetings()
    load_demo()
    assert imported == snapshot("att-csp10-wg")


def test_word_letter_with_two_bodies_in_a_cell(treaty, tmp_path):
    path = write_docx(fixture_text("att-csp15-wg-2029-three-slots.txt"), tmp_path / "l.docx")
    apply_letter(read_docx(path), treaty=treaty, today=TODAY)
    wednesday = [s for s in local_sessions("att-csp15-wg") if s[0].startswith("2029-06-06T10")]
    assert [s[2] for s in wednesday] == ["wgtu", "wgtr"]


def test_word_letter_naming_an_unknown_body_names_the_table_row(treaty, tmp_path):
    text = seed_text("att-csp12-wg").replace("<b>WGTU</b>", "<b>WGXX</b>")
    letter = read_docx(write_docx(text, tmp_path / "letter.docx"))
    with pytest.raises(LegacyLetterError) as error:
        apply_letter(letter, treaty=treaty, today=TODAY)
    assert error.value.where == "table 1, row 3"


def test_a_file_that_is_not_word_is_refused(tmp_path):
    path = tmp_path / "letter.docx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(LegacyLetterError, match="not a Word document"):
        read_letter_file(path)


# --- Files that cannot be read ------------------------------------------------------------------


def test_a_file_not_in_utf8_names_its_line(tmp_path):
    text = seed_text("att-csp12-wg")
    path = tmp_path / "letter.txt"
    lines = text.split("\n")
    assert "Conférences" in lines[19]
    path.write_bytes(
        "\n".join(lines[:19]).encode("utf-8")
        + b"\n"
        + lines[19].replace("–", "-").encode("latin-1")  # é as one byte, as Windows saves it
        + b"\n"
        + "\n".join(lines[20:]).encode("utf-8")
    )
    with pytest.raises(LegacyLetterError) as error:
        read_letter_file(path)
    assert error.value.where == "line 20"
    assert "not UTF-8" in str(error.value)


def _drop_subject(text: str) -> str:
    return "\n".join(line for line in text.split("\n") if "INVITATION TO" not in line)


def _drop_annex(text: str) -> str:
    return text.split("**DRAFT SCHEDULE")[0]


@pytest.mark.parametrize(
    ("edit", "where", "message"),
    [
        (_drop_subject, "line 1 to line 58", "no subject line"),
        (_drop_annex, "line 17 to line 51", "no annex table"),
        (
            lambda text: text.replace("16 - 19 MARCH 2026**", "17 - 20 MARCH 2026**"),
            "line 54",
            "no column for Friday 20 March 2026, the last day",
        ),
        (
            lambda text: text.replace("16 - 19 MARCH 2026**", "30 - 31 FEBRUARY 2026**"),
            "line 16",
            "30 FEBRUARY 2026 is not a date",
        ),
        (
            lambda text: text.replace("15:00 – 18:00\t<b>WGETI", "Afternoon\t<b>WGETI"),
            "line 56",
            "the annex row 'Afternoon' is neither a time slot",
        ),
        (
            lambda text: text.replace("<i>tbc</i>\t<b>SIDE", "<i>tbc</i>\t<i>tbc</i>\t<b>SIDE"),
            "line 57",
            "the row 'SIDE EVENTS' has more cells than the annex has days",
        ),
        (lambda text: "\n\n  \n", "line 1", "the file is empty"),
    ],
)
def test_unreadable_letters_name_the_line(edit, where, message):
    with pytest.raises(LegacyLetterError) as error:
        read_letter(edit(seed_text("att-csp12-wg")))
    assert error.value.where == where
    assert message in str(error.value)


def test_a_session_outside_the_dates_names_the_line():
    text = seed_text("att-csp10-wg").replace("13:00\t\tWGETI", "13:00\tWGTU\tWGETI")
    with pytest.raises(LegacyLetterError) as error:
        read_letter(text)
    assert error.value.where == "line 52"
    assert "'WGTU' on Monday 19 February 2024, outside the dates" in str(error.value)


@pytest.mark.parametrize(
    ("old", "new", "where", "message"),
    [
        ("<b>WGTU</b>", "<b>WGXX</b>", "line 56", "the annex names 'WGXX' is not a body"),
        (
            "Sub-working Group on Current and Emerging Implementation Issues**",
            "Sub-working Group on Outer Space**",
            "line 40",
            "'WGETI Sub-working Group on Outer Space' is not a body",
        ),
        ("THE ATT CSP12", "THE UNTT CSP12", "line 16", "invites to UNTT meetings, not ATT"),
    ],
)
def test_a_letter_the_database_cannot_take_writes_nothing(treaty, old, new, where, message):
    letter = read_letter(seed_text("att-csp12-wg").replace(old, new))
    before = row_counts()
    with pytest.raises(LegacyLetterError) as error:
        apply_letter(letter, treaty=treaty, today=TODAY)
    assert error.value.where == where
    assert message in str(error.value)
    assert row_counts() == before


# --- What is not recognised, and other shapes of the same family -------------------------------


def test_sentences_and_headings_it_cannot_interpret_are_listed_with_their_lines():
    text = seed_text("att-csp12-wg").replace(
        "at their earliest convenience.**",
        "at their earliest convenience.** The meetings will be held in Room XVII.\n\n"
        "#### **Accessibility**\n\n9. Ramps are available at the main entrance.",
    )
    letter = read_letter(text)
    assert letter.not_recognised == [
        "line 40: The meetings will be held in Room XVII.",
        "line 42: heading 'Accessibility'",
        "line 44: Ramps are available at the main entrance.",
    ]
    # The rest is read as before.
    assert letter.vacancies and letter.president.family_name == "Tsheole"


def test_registration_exception_before_the_rule_keeps_some_sessions():
    text = seed_text("att-csp10-wg")
    rule = (
        "It is brought to your attention that pre-registration will not be required for "
        "these meetings. "
    )
    exception = text[text.index("However, ") : text.index("register. ") + len("register. ")]
    text = text.replace(rule + exception, exception + rule)
    assert read_letter(text).registration == "some_sessions"


def test_annex_columns_may_skip_a_weekend():
    text = (
        fixture_text("att-csp13-wg-2027-wednesday-to-friday.txt")
        .replace("10-12 FEBRUARY 2027", "11 - 16 FEBRUARY 2027")
        .replace("10-12 February 2027", "11 - 16 February 2027")
    )
    head, _, _ = text.partition("Time\t")
    text = head + (
        "Time\tThursday\tFriday\tMonday\tTuesday\n"
        "10:00 - 13:00\tWGTU\tWGTR\tWGTU\tWGTR\n"
        "SIDE EVENTS\ttbc\ttbc\ttbc\ttbc\n"
    )
    letter = read_letter(text)
    assert [day for _, day in letter.annex_days] == [
        dt.date(2027, 2, 11),
        dt.date(2027, 2, 12),
        dt.date(2027, 2, 15),
        dt.date(2027, 2, 16),
    ]
    assert [(cell.day.isoformat(), cell.whole.label) for cell in letter.annex][2:] == [
        ("2027-02-15", "WGTU"),
        ("2027-02-16", "WGTR"),
    ]
    assert letter.disagreements == [
        "the daily sessions (10:00 – 13:00, 15:00 – 18:00) are not the annex's slots "
        "(10:00 – 13:00)"
    ]


def test_a_pdf_is_refused_with_a_clear_error(tmp_path):
    path = tmp_path / "letter.pdf"
    path.write_bytes(b"%PDF-1.7\n...")
    with pytest.raises(LegacyLetterError, match=r"letter\.pdf is a PDF; save the letter as \.docx"):
        read_letter_file(path)
