"""Past invitation letters read back into a meeting: ``convocation letter import``.

A legacy letter is what the Secretariat sent before convocation wrote its letters: the
letterhead and date, the addressees, a subject line ("INVITATION TO THE ATT CSP12 WORKING
GROUP MEETINGS: 16 - 19 MARCH 2026"), numbered paragraphs, the signature, and an annex
with the draft schedule as a table (tab-separated in text and Markdown, a real table in
Word). Letters come with Markdown marks, stray HTML tags, en dashes or hyphens.

- ``read_letter`` (and ``read_letter_file``, ``read_docx``) recognise the facts without the
  database, sentence by sentence, and list what they recognised and what they did not.
  A file that cannot be read raises ``LegacyLetterError`` naming the line.
- ``apply_letter`` writes the facts in one transaction: the cycle, the meeting, its
  sessions and side events, the President and the vacant offices. A second import of the
  same letter changes nothing; an import over an edited meeting brings it back to the
  letter; a dry run rolls everything back and reports what would change.
- ``recognised_as_schedule_json`` shows the recognised meeting as ``schedule.json`` does.
"""

import datetime as dt
import gettext
import html
import re
import zoneinfo
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pycountry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone, translation

from convocation.cycles.models import ConferenceCycle, Office
from convocation.languages import in_language
from convocation.meetings.exports import schedule_document
from convocation.meetings.models import Meeting, Session, SideEvent
from convocation.meetings.schedule import Slot
from convocation.people.models import Person
from convocation.treaties.models import Body, Treaty


class LegacyLetterError(ValueError):
    """The letter cannot be read or applied; the message names the line (``where``)."""

    def __init__(self, message: str, *, where: str | None = None):
        self.where = where
        self.problem = message
        super().__init__(f"{where}: {message}" if where else message)


# --- What a letter says ---------------------------------------------------------------------


@dataclass(frozen=True)
class SourceLine:
    """A line as the officer sees it: ``where`` is "line 17", or "table 1, row 2" in Word."""

    number: int
    where: str
    raw: str


@dataclass(frozen=True)
class CellEntry:
    """A body as one annex cell names it, without markup: label and the access it states."""

    label: str
    access: str = ""  # "" when the cell says nothing; otherwise a Body.Access value


@dataclass(frozen=True)
class AnnexCell:
    """One cell of the annex grid with something in it.

    ``whole`` reads the cell as one body; ``parts`` are its pieces at line breaks, for a
    cell that names two bodies meeting in parallel.
    """

    day: dt.date
    slot: Slot
    whole: CellEntry
    parts: tuple[CellEntry, ...]
    where: str


@dataclass(frozen=True)
class AnnexSideEvent:
    day: dt.date
    title: str  # "" for "tbc"
    where: str


@dataclass(frozen=True)
class NamedPerson:
    honorific: str
    given_name: str
    family_name: str  # as a record keeps it: "Rusu", not "RUSU"
    gender: str  # a Person.Gender value, or "" when the honorific does not say
    where: str

    @property
    def formal_name(self) -> str:
        parts = (self.honorific, self.given_name, self.family_name.upper())
        return " ".join(part for part in parts if part)


@dataclass(frozen=True)
class NamedOffice:
    """An office the letter names, e.g. Chair of the WGETI; ``title`` is an Office.Title."""

    title: str
    body_label: str
    where: str


@dataclass(frozen=True)
class RegistrationException:
    """A session that needs registration when the meeting does not, e.g. the DIEF."""

    body_label: str
    day: dt.date | None
    where: str


@dataclass
class RecognisedLetter:
    """Everything ``read_letter`` recognised; None means the letter does not say."""

    letter_date: dt.date | None = None
    treaty_name: str = ""
    address_lines: list[str] = field(default_factory=list)
    addressees: list[str] = field(default_factory=list)
    subject: str = ""
    subject_where: str = ""
    treaty_acronym: str = ""
    cycle_number: int = 0
    annex_cycle_number: int | None = None
    kind: str = Meeting.Kind.WORKING_GROUPS
    first_day: dt.date | None = None
    last_day: dt.date | None = None
    venue: str = ""
    city: str = ""
    country: str = ""
    time_zone: str = ""
    daily_slots: list[Slot] = field(default_factory=list)
    format: str | None = None
    livestream: str | None = None
    registration: str | None = None
    registration_exceptions: list[RegistrationException] = field(default_factory=list)
    collects_gender_data: bool | None = None
    documents_stated: bool = False
    documents_target_date: dt.date | None = None  # None and stated: alongside the invitation
    previous_cycle_number: int | None = None
    previous_conference_start: dt.date | None = None
    previous_conference_end: dt.date | None = None
    process_cycle_number: int | None = None
    announcement_date: dt.date | None = None
    president: NamedPerson | None = None
    president_title: str = ""
    president_cycle_number: int | None = None
    vacancies: list[NamedOffice] = field(default_factory=list)
    schedule_is_draft: bool | None = None
    rolling_basis: bool = False
    annex_title: str = ""
    annex_days: list[tuple[str, dt.date]] = field(default_factory=list)
    annex_slots: list[Slot] = field(default_factory=list)
    annex: list[AnnexCell] = field(default_factory=list)
    side_events_stated: bool = False
    side_events: list[AnnexSideEvent] = field(default_factory=list)
    recognised: list[str] = field(default_factory=list)
    not_recognised: list[str] = field(default_factory=list)
    disagreements: list[str] = field(default_factory=list)

    @property
    def cycle_code(self) -> str:
        return f"CSP{self.cycle_number}"

    @property
    def meeting_days(self) -> list[dt.date]:
        """The annex's columns that fall within the meeting's dates."""
        return [day for _, day in self.annex_days if self.in_meeting(day)]

    def in_meeting(self, day: dt.date) -> bool:
        return bool(self.first_day and self.last_day and self.first_day <= day <= self.last_day)


# --- Words, dates and times -------------------------------------------------------------------

# What the reports say, in English whatever language is active: the letters read are English.
IN_WORDS = {
    Meeting.Kind.WORKING_GROUPS: "Working Group meetings",
    Meeting.Kind.PREPARATORY: "Preparatory meeting",
    Meeting.Format.IN_PERSON: "in person",
    Meeting.Format.HYBRID: "hybrid",
    Meeting.Format.VIRTUAL: "virtual",
    Meeting.Livestream.PUBLIC: "link public",
    Meeting.Livestream.REGISTERED: "link for registered delegates only",
    Office.Title.PRESIDENT: "President",
    Office.Title.VICE_PRESIDENT: "Vice-President",
    Office.Title.CHAIR: "Chair",
    Office.Title.FACILITATOR: "Facilitator",
}

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_MONTH_NUMBERS = {name.casefold(): number for number, name in enumerate(MONTHS, start=1)}
_MONTH_NUMBERS |= {name[:3].casefold(): number for number, name in enumerate(MONTHS, start=1)}
_MONTH_NUMBERS["sept"] = 9
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_WEEKDAY_NUMBERS = {name.casefold(): number for number, name in enumerate(WEEKDAYS)}
_WEEKDAY_NUMBERS |= {name[:3].casefold(): number for number, name in enumerate(WEEKDAYS)}

DASHES = "-‐‑‒–—−"
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_DATE = re.compile(
    rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m>{_MONTH}),?\s+(?P<y>\d{{4}})\b", re.I
)
_RANGE = re.compile(
    rf"\b(?P<d1>\d{{1,2}})(?:\s+(?P<m1>{_MONTH}))?(?:\s+(?P<y1>\d{{4}}))?"
    rf"\s*(?:[{DASHES}]|\bto\b|\buntil\b)\s*"
    rf"(?P<d2>\d{{1,2}})\s+(?P<m2>{_MONTH}),?\s+(?P<y2>\d{{4}})\b",
    re.I,
)
_TIME_RANGE = re.compile(
    rf"\b(?P<h1>\d{{1,2}})[:.h](?P<n1>\d{{2}})\s*(?:[{DASHES}]|\bto\b)\s*"
    rf"(?P<h2>\d{{1,2}})[:.h](?P<n2>\d{{2}})\b",
    re.I,
)

_UNITS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"]
_TEENS = [
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
]
ORDINALS = {word: number for number, word in enumerate(_UNITS, start=1)}
ORDINALS |= {word: number for number, word in enumerate(_TEENS, start=10)}
for _tens, (_cardinal, _ordinal) in {
    20: ("twenty", "twentieth"),
    30: ("thirty", "thirtieth"),
    40: ("forty", "fortieth"),
}.items():
    ORDINALS[_ordinal] = _tens
    for _number, _unit in enumerate(_UNITS, start=1):
        ORDINALS[f"{_cardinal}-{_unit}"] = _tens + _number


def day_in_words(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def span_in_words(first: dt.date, last: dt.date) -> str:
    """16 – 19 March 2026, as the Secretariat writes a range."""
    if first == last:
        return day_in_words(first)
    if first.year != last.year:
        start = day_in_words(first)
    elif first.month != last.month:
        start = f"{first.day} {MONTHS[first.month - 1]}"
    else:
        start = str(first.day)
    return f"{start} – {day_in_words(last)}"


def _make_date(day: str, month: str, year: str, where: str) -> dt.date:
    try:
        return dt.date(int(year), _MONTH_NUMBERS[month.rstrip(".").casefold()], int(day))
    except (KeyError, ValueError) as error:
        raise LegacyLetterError(
            f"{day} {month} {year} is not a date in the calendar", where=where
        ) from error


def find_date(text: str, where: str) -> dt.date | None:
    match = _DATE.search(text)
    return _make_date(match["d"], match["m"], match["y"], where) if match else None


def find_date_range(text: str, where: str) -> tuple[dt.date, dt.date] | None:
    """ "16 – 19 March 2026", "20-23 FEBRUARY 2024", "28 February – 2 March 2026", or one day."""
    match = _RANGE.search(text)
    if match:
        year, month = match["y2"], match["m2"]
        first = _make_date(match["d1"], match["m1"] or month, match["y1"] or year, where)
        last = _make_date(match["d2"], month, year, where)
        if last < first:
            raise LegacyLetterError(f"the dates {match[0]!r} end before they begin", where=where)
        return first, last
    single = find_date(text, where)
    return (single, single) if single else None


def find_slots(text: str, where: str) -> list[Slot]:
    slots = []
    for match in _TIME_RANGE.finditer(text):
        try:
            start = dt.time(int(match["h1"]), int(match["n1"]))
            end = dt.time(int(match["h2"]), int(match["n2"]))
        except ValueError as error:
            raise LegacyLetterError(f"{match[0]!r} is not a time of day", where=where) from error
        if end <= start:
            raise LegacyLetterError(f"the slot {match[0]!r} ends before it starts", where=where)
        slots.append(Slot(start, end))
    return slots


def ordinal_number(word: str) -> int | None:
    """ "Twelfth" → 12."""
    return ORDINALS.get(word.casefold().replace("–", "-"))


# --- Markup ------------------------------------------------------------------------------------

_BREAK = re.compile(r"<br\s*/?>", re.I)
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_MD_ITALIC = re.compile(r"(?<![\w*\\])\*(?=[^\s*])([^*\n]+?)(?<=[^\s\\])\*(?![\w*])")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>])")
_NUMBERED = re.compile(r"^(?P<number>\d{1,2})[.)]\s+(?P<text>.*)$")
_TERMINAL = (".", ":", ";", "!", "?", ")")


def clean(text: str) -> str:
    """The words of a line without Markdown marks, HTML tags or extra spaces."""
    text = text.replace("\u00a0", " ").replace("\ufeff", "").replace("\t", " ")
    text = _MD_LINK.sub(r"\1", text)
    text = _BREAK.sub(" ", text)
    text = _TAG.sub("", text)
    text = html.unescape(text)
    text = _MD_HEADING.sub("", text)
    text = re.sub(r"^\s*>\s?", "", text)
    text = text.replace("**", "").replace("__", "")
    text = _MD_ITALIC.sub(r"\1", text)
    text = _MD_ESCAPE.sub(r"\1", text)
    return " ".join(text.split())


def _table_cells(raw: str) -> list[str] | None:
    """The raw cells of a table row: tab-separated, or a Markdown pipe row; None otherwise."""
    stripped = raw.strip()
    if stripped.startswith("|") and stripped.count("|") >= 2:
        if re.fullmatch(r"\|?[\s:|-]+\|?", stripped) and "-" in stripped:
            return []  # the |---|---| line under a Markdown header
        inner = stripped[1:-1] if stripped.endswith("|") else stripped[1:]
        return inner.split("|")
    if "\t" in raw:
        return raw.rstrip("\r\n").split("\t")
    return None


def _weekday_of(cell: str) -> tuple[int, str] | None:
    """(0–6, the rest) for "Monday" or "Monday 16 March", None when it is no weekday."""
    match = re.match(r"^([A-Za-z]+)\.?,?\s*(.*)$", cell)
    if not match or match[1].casefold() not in _WEEKDAY_NUMBERS:
        return None
    return _WEEKDAY_NUMBERS[match[1].casefold()], match[2]


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\"“‘*])")
_ABBREVIATIONS = ("Ms.", "Mr.", "Mrs.", "Dr.", "H.E.", "No.", "e.g.", "i.e.", "St.", "Prof.")


def sentences(text: str) -> list[tuple[int, str]]:
    """(offset, sentence) pairs; "Ms. Tsholofelo" does not end a sentence."""
    pieces: list[tuple[int, str]] = []
    position = 0
    for match in _SENTENCE_END.finditer(text):
        piece = text[position : match.start()]
        if piece.endswith(_ABBREVIATIONS):
            continue
        pieces.append((position, piece.strip()))
        position = match.end()
    if text[position:].strip():
        pieces.append((position, text[position:].strip()))
    return pieces


# --- Places ------------------------------------------------------------------------------------

# Host cities of the treaty's meetings: the French and Spanish names and the time zone. A city
# not listed here takes these from an earlier meeting held there (see ``apply_letter``).
CITIES = {
    "geneva": ("Genève", "Ginebra", "Europe/Zurich"),
    "vienna": ("Vienne", "Viena", "Europe/Vienna"),
    "new york": ("New York", "Nueva York", "America/New_York"),
    "tokyo": ("Tokyo", "Tokio", "Asia/Tokyo"),
}


def city_time_zone(city: str) -> str:
    known = CITIES.get(city.casefold())
    if known:
        return known[2]
    wanted = city.replace(" ", "_").casefold()
    for name in sorted(zoneinfo.available_timezones()):
        if name.rsplit("/", 1)[-1].casefold() == wanted:
            return name
    return ""


def country_in(country: str, language: str) -> str:
    """The country's name in French or Spanish from ISO 3166 data, or "" when unknown."""
    try:
        record = pycountry.countries.lookup(country)
        translation = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
    except (LookupError, OSError):
        return ""
    return translation.gettext(record.name)


# --- Reading -----------------------------------------------------------------------------------

_SUBJECT = re.compile(
    r"^(?:(?:subject|re|object)\s*:\s*)?INVITATION TO (?:THE )?"
    r"(?:(?P<acronym>[A-Z]{2,10})\s+)?CSP\s?(?P<number>\d{1,2})\b\s*(?P<what>[^:]*?)\s*"
    r"(?::\s*(?P<dates>.*?))?\s*$",
    re.I,
)
_ANNEX_TITLE = re.compile(
    r"^(?:(?P<draft>DRAFT|PROVISIONAL|TENTATIVE)\s+)?(?:SCHEDULE|PROGRAMME|PROGRAM) OF "
    r"(?:THE )?(?:(?P<acronym>[A-Z]{2,10})\s+)?CSP\s?(?P<number>\d{1,2})\b\s*(?P<what>[^:]*?)"
    r"\s*(?::\s*(?P<dates>.*?))?\s*\**\s*$",
    re.I,
)
_CLOSING = re.compile(
    r"^(?:I avail myself|Please accept|Accept,|Yours (?:faithfully|sincerely|truly)"
    r"|(?:With )?(?:kind|best) regards)",
    re.I,
)
_SIDE_EVENTS = re.compile(r"^side[ -]?events?$", re.I)
_TBC = re.compile(r"^(?:tbc|t\.b\.c\.?|tbd|to be (?:confirmed|determined|announced))$", re.I)
_EMPTY_CELL = re.compile(rf"^[{DASHES}\s]*$")
_HONORIFICS = (
    "H.E.",
    "HE",
    "Ambassador",
    "Amb.",
    "Ms.",
    "Ms",
    "Mrs.",
    "Mrs",
    "Mr.",
    "Mr",
    "Dr.",
    "Dr",
    "Prof.",
    "Professor",
    "Minister",
    "Judge",
)
_FEMALE = {"ms.", "ms", "mrs.", "mrs", "madam", "madame"}
_MALE = {"mr.", "mr"}
_OFFICE_TITLES = {
    "president": Office.Title.PRESIDENT,
    "vice-president": Office.Title.VICE_PRESIDENT,
    "chair": Office.Title.CHAIR,
    "chairperson": Office.Title.CHAIR,
    "facilitator": Office.Title.FACILITATOR,
}
_CLOSED_NOTE = re.compile(
    r"\b(?:only|closed|restricted|registered (?:delegates|participants))\b", re.I
)
_OPEN_NOTE = re.compile(r"^(?:open|open to all(?: participants)?|public)$", re.I)

# Headings of the family's letters; another heading is listed as not recognised.
_HEADINGS = re.compile(
    r"^(?:(?:draft )?(?:schedule|programme)(?: of (?:the )?meetings?)?|documents?(?:ation)?"
    r"|(?:pre-?)?registration|office holders|format|livestream(?:ing)?|venue|side events"
    r"|background|contacts?|further information)$",
    re.I,
)

# Sentences of the family's letters that carry no fact of their own.
COURTESIES = [
    r"information pertaining to the meetings? (?:is|are) outlined below",
    r"subject to change",
    r"^further details\b",
    r"registration form",
    r"gender balance|in response to the call",
    r"\bnominations?\b",
    r"invited to contact",
    r"draft agendas?\b",
    r"rolling basis",
    r"^(?:dear|excellency|excellencies)\b",
    r"^I have the honou?r to\b(?!.*\binvite\b)",
]


class _Reader:
    """Reads the lines of one letter into a RecognisedLetter, part by part."""

    def __init__(self, lines: list[SourceLine]):
        self.lines = lines
        self.texts = [clean(line.raw) for line in lines]
        self.letter = RecognisedLetter()

    # Bookkeeping

    def found(self, where: str, fact: str) -> None:
        self.letter.recognised.append(f"{where}: {fact}")

    def missed(self, where: str, text: str) -> None:
        shown = text if len(text) <= 160 else text[:157] + "…"
        self.letter.not_recognised.append(f"{where}: {shown}")

    def disagree(self, message: str) -> None:
        self.letter.disagreements.append(message)

    def _span(self, start: int, stop: int) -> str:
        if stop - start <= 1:
            return self.lines[start].where if start < len(self.lines) else "the end of the file"
        return f"{self.lines[start].where} to {self.lines[stop - 1].where}"

    # The parts of a letter, top to bottom

    def read(self) -> RecognisedLetter:
        if not any(self.texts):
            raise LegacyLetterError("the file is empty", where="line 1")
        subject = self._find_subject()
        table_start, table_end = self._find_table(subject)
        annex_title = self._find_annex_title(subject, table_start)
        signature_limit = annex_title if annex_title is not None else table_start
        closing = self._find_closing(subject, signature_limit)

        self._read_head(0, subject)
        after_subject = self._read_subject(subject)
        self._read_prose(after_subject, closing if closing is not None else signature_limit)
        if closing is not None:
            self._read_signature(closing, signature_limit)
        if annex_title is not None:
            self._read_annex_title(annex_title, table_start)
        self._read_table(table_start, table_end)
        self._read_footnotes(table_end)
        self._compare()
        return self.letter

    def _find_subject(self) -> int:
        for index, text in enumerate(self.texts):
            if _SUBJECT.match(text):
                return index
        raise LegacyLetterError(
            "no subject line: the letter must say what it invites to, as in "
            "'INVITATION TO THE ATT CSP12 WORKING GROUP MEETINGS: 16 - 19 MARCH 2026'",
            where=self._span(0, len(self.lines)),
        )

    def _is_header(self, index: int) -> bool:
        cells = _table_cells(self.lines[index].raw)
        if not cells:
            return False
        words = [clean(cell) for cell in cells]
        named = [word for word in words if word]
        days = [word for word in named if _weekday_of(word)]
        return bool(days) and all(
            _weekday_of(word) or word.casefold() in {"time", "times", "hours", "date"}
            for word in named
        )

    def _find_table(self, subject: int) -> tuple[int, int]:
        for index in range(subject + 1, len(self.lines)):
            if self._is_header(index):
                end = index + 1
                scan = end
                while scan < len(self.lines):
                    if _table_cells(self.lines[scan].raw) is not None:
                        end = scan = scan + 1
                    elif not self.texts[scan]:
                        scan += 1
                    else:
                        break
                return index, end
        raise LegacyLetterError(
            "no annex table: no line after the subject is a row of weekdays (Monday, Tuesday, …) "
            "with tabs between the cells, or a Markdown table",
            where=self._span(subject + 1, len(self.lines)),
        )

    def _find_annex_title(self, subject: int, table_start: int) -> int | None:
        for index in range(table_start - 1, subject, -1):
            if _ANNEX_TITLE.match(self.texts[index]):
                return index
        return None

    def _find_closing(self, subject: int, limit: int) -> int | None:
        for index in range(subject + 1, limit):
            if _CLOSING.match(self.texts[index]):
                return index
        return None

    def _read_head(self, start: int, stop: int) -> None:
        letterhead: list[str] = []
        letter = self.letter
        seen_addressees = False
        for index in range(start, stop):
            text, where = self.texts[index], self.lines[index].where
            if not text:
                continue
            addressee = re.match(r"^(?:To\s*)?:\s*(?P<who>.+)$", text)
            date_line = re.fullmatch(rf"(?:[A-Z][\w\s-]*,\s*)?{_DATE.pattern}\.?", text, re.I)
            if addressee:
                seen_addressees = True
                letter.addressees.append(addressee["who"].rstrip(".").strip())
            elif re.match(r"^(?:Dear|Excellenc)", text):
                continue
            elif date_line and letter.letter_date is None:
                letter.letter_date = _make_date(
                    date_line["d"], date_line["m"], date_line["y"], where
                )
                self.found(where, f"letter dated {day_in_words(letter.letter_date)}")
            elif not seen_addressees and letter.letter_date is None:
                letterhead.append(text)
                if len(letterhead) == 1:
                    letter.treaty_name = text
                    self.found(where, f"letterhead of {text}")
                else:
                    letter.address_lines.append(text)
            else:
                self.missed(where, text)
        if letter.addressees:
            first = next(i for i in range(start, stop) if re.match(r"^(?:To\s*)?:", self.texts[i]))
            self.found(
                self.lines[first].where,
                f"addressed to {len(letter.addressees)} groups of representatives",
            )

    def _read_subject(self, index: int) -> int:
        """Reads the subject line, joined with the next when the dates wrapped; the next index."""
        letter = self.letter
        where = self.lines[index].where
        text = self.texts[index]
        following = index + 1
        match = _SUBJECT.match(text)
        if not (match and match["dates"] and find_date_range(match["dates"], where)):
            while following < len(self.lines) and not self.texts[following]:
                following += 1
            if following < len(self.lines):
                text = f"{text} {self.texts[following]}"
                match = _SUBJECT.match(text)
                following += 1
        dates = find_date_range(match["dates"] or "", where) if match else None
        if not match or dates is None:
            raise LegacyLetterError(
                f"the subject {self.texts[index]!r} gives no dates such as '16 - 19 MARCH 2026'",
                where=where,
            )
        text = text.rstrip("*").strip()
        letter.subject, letter.subject_where = text, where
        letter.treaty_acronym = (match["acronym"] or "").upper()
        letter.cycle_number = int(match["number"])
        letter.kind = self._kind(match["what"], where)
        letter.first_day, letter.last_day = dates
        kind = IN_WORDS[letter.kind]
        self.found(
            where,
            f"subject: {letter.treaty_acronym} {letter.cycle_code} {kind}, "
            f"{span_in_words(*dates)}".replace("  ", " "),
        )
        return following

    def _kind(self, what: str, where: str) -> str:
        words = what.casefold()
        if "preparatory" in words and "working group" not in words:
            return Meeting.Kind.PREPARATORY
        if "working group" in words:
            if "preparatory" in words:
                self.missed(
                    where,
                    f"{what!r}: a preparatory meeting in the same letter is imported as part of "
                    "the Working Group meetings",
                )
            return Meeting.Kind.WORKING_GROUPS
        raise LegacyLetterError(
            f"the subject invites to {what!r}, which is neither Working Group meetings nor a "
            "preparatory meeting",
            where=where,
        )

    # Numbered paragraphs

    def _paragraphs(self, start: int, stop: int) -> list[tuple[str, list[tuple[int, str]]]]:
        """Joins hard-wrapped lines: (text, [(offset in text, where)])."""
        paragraphs: list[tuple[str, list[tuple[int, str]]]] = []
        blank = True
        for index in range(start, stop):
            text = self.texts[index]
            if not text:
                blank = True
                continue
            where = self.lines[index].where
            if paragraphs:
                previous, starts = paragraphs[-1]
                continues = not blank or (text[0].islower() and not previous.endswith(_TERMINAL))
                if continues and not _NUMBERED.match(text) and not self._is_heading(previous):
                    starts.append((len(previous) + 1, where))
                    paragraphs[-1] = (f"{previous} {text}", starts)
                    blank = False
                    continue
            paragraphs.append((text, [(0, where)]))
            blank = False
        return paragraphs

    @staticmethod
    def _is_heading(text: str) -> bool:
        return (
            not _NUMBERED.match(text)
            and len(text.split()) <= 8
            and not text.endswith((".", ",", ";", ":"))
        )

    def _read_prose(self, start: int, stop: int) -> None:
        handlers: list[Callable[[str, str, str], bool]] = [
            self._on_previous_conference,
            self._on_announcement,
            self._on_invitation,
            self._on_format,
            self._on_livestream_link,
            self._on_daily_sessions,
            self._on_schedule,
            self._on_documents,
            self._on_registration,
            self._on_website,
            self._on_vacancies,
            self._on_courtesy,
        ]
        for text, starts in self._paragraphs(start, stop):
            if re.match(r"^(?:Dear|Excellenc)", text):
                continue
            if self._is_heading(text):
                if not _HEADINGS.match(text):
                    self.missed(starts[0][1], f"heading {text!r}")
                continue
            numbered = _NUMBERED.match(text)
            body = numbered["text"] if numbered else text
            shift = numbered.start("text") if numbered else 0
            for offset, sentence in sentences(body):
                where = [w for position, w in starts if position <= offset + shift][-1]
                handled = [handler(sentence, where, body) for handler in handlers]
                if not any(handled):
                    self.missed(where, sentence)

    def _on_previous_conference(self, sentence: str, where: str, _: str) -> bool:
        handled = False
        process = re.search(r"preparatory process for the .*?\(CSP\s?(\d{1,2})\)", sentence)
        if process:
            self.letter.process_cycle_number = int(process[1])
            handled = True
        held = re.search(r"\bheld\b", sentence)
        if held:
            before = list(re.finditer(r"\(CSP\s?(\d{1,2})\)", sentence[: held.start()]))
            dates = find_date_range(sentence[held.end() :], where)
            if before and dates:
                letter = self.letter
                letter.previous_cycle_number = int(before[-1][1])
                letter.previous_conference_start, letter.previous_conference_end = dates
                self.found(where, f"CSP{letter.previous_cycle_number} held {span_in_words(*dates)}")
                ordinal = re.search(
                    r"\b([A-Za-z-]+)\s+Conference\b", sentence[: before[-1].start()]
                )
                number = ordinal_number(ordinal[1]) if ordinal else None
                if number and number != letter.previous_cycle_number:
                    self.disagree(
                        f"{where}: the {ordinal[1]} Conference is called "
                        f"CSP{letter.previous_cycle_number}"
                    )
                handled = True
        return handled

    def _on_announcement(self, sentence: str, where: str, _: str) -> bool:
        match = re.search(
            rf"\bOn (?P<date>{_DATE.pattern}),? the (?:\w+ )?President\b"
            r".*\b(?:announcement|announced)",
            sentence,
            re.I,
        )
        if not match:
            return False
        self.letter.announcement_date = _make_date(match["d"], match["m"], match["y"], where)
        self.found(
            where, f"President's announcement of {day_in_words(self.letter.announcement_date)}"
        )
        return True

    def _on_invitation(self, sentence: str, where: str, _: str) -> bool:
        match = re.search(
            r"\b(?:take|took) place\b(?P<when>.*?)\s+at\s+(?:the\s+)?(?P<place>.+?)\.?$",
            sentence,
        )
        if not match:
            return False
        letter = self.letter
        dates = find_date_range(match["when"], where)
        if dates and dates != (letter.first_day, letter.last_day):
            self.disagree(
                f"{where}: the paragraph gives {span_in_words(*dates)}, the subject "
                f"{span_in_words(letter.first_day, letter.last_day)}"
            )
        parts = [part.strip() for part in match["place"].split(",")]
        if len(parts) < 3:
            self.missed(where, f"venue, city and country in {match['place']!r}")
            return bool(dates)
        letter.venue = ", ".join(parts[:-2])
        letter.city, letter.country = parts[-2], parts[-1]
        letter.time_zone = city_time_zone(letter.city)
        self.found(where, f"venue: {letter.venue}, {letter.city}, {letter.country}")
        if not letter.time_zone:
            self.missed(where, f"no time zone is known for {letter.city}")
        return True

    def _on_format(self, sentence: str, where: str, _: str) -> bool:
        words = sentence.casefold()
        letter = self.letter
        handled = False
        found = None
        if re.search(r"\bhybrid\b", words):
            found = Meeting.Format.HYBRID
        elif re.search(r"\b(?:held|take place|meet) (?:in-person|in person)\b", words):
            found = Meeting.Format.IN_PERSON
        elif re.search(r"\b(?:held|take place) (?:virtually|online|in a virtual format)\b", words):
            found = Meeting.Format.VIRTUAL
        if found:
            letter.format = found
            self.found(where, f"format: {IN_WORDS[found]}")
            handled = True
        if re.search(r"live[ -]?stream|webcast", words):
            if re.search(r"\bnot\b.*live[ -]?stream|\bno live[ -]?stream", words):
                letter.livestream = Meeting.Livestream.NONE
                self.found(where, "no livestream")
            elif letter.livestream is None:
                letter.livestream = Meeting.Livestream.PUBLIC
            handled = True
        return handled

    def _on_livestream_link(self, sentence: str, where: str, paragraph: str) -> bool:
        words = sentence.casefold()
        if not re.search(r"\blink\b", words) or "registration" in words:
            return False
        if not re.search(r"live[ -]?stream|webcast", paragraph.casefold()):
            return False
        if re.search(r"registered (?:delegates|participants)", words):
            self.letter.livestream = Meeting.Livestream.REGISTERED
        elif re.search(r"all stakeholders|published|publicly|everyone|website", words):
            self.letter.livestream = Meeting.Livestream.PUBLIC
        else:
            return False
        self.found(where, f"livestream: {IN_WORDS[self.letter.livestream]}")
        return True

    def _on_daily_sessions(self, sentence: str, where: str, _: str) -> bool:
        if not re.search(r"\b(?:daily|sessions?|meetings?)\b", sentence, re.I):
            return False
        slots = find_slots(sentence, where)
        if not slots:
            return False
        self.letter.daily_slots = slots
        local = re.search(r"\((\w[\w ]*) time\)", sentence)
        if local and not self.letter.city:
            self.letter.time_zone = city_time_zone(local[1])
        labels = ", ".join(slot.label for slot in slots)
        self.found(where, f"daily slots {labels}" + (f" ({local[1]} time)" if local else ""))
        return True

    def _on_schedule(self, sentence: str, where: str, _: str) -> bool:
        words = sentence.casefold()
        if "schedule" not in words or "annex" not in words:
            return False
        self.letter.schedule_is_draft = "draft" in words
        self.found(
            where, "the schedule is in the annex" + (", as a draft" if "draft" in words else "")
        )
        return True

    def _on_documents(self, sentence: str, where: str, _: str) -> bool:
        words = sentence.casefold()
        if not re.search(r"\bdocuments?\b", words) or not re.search(
            r"\b(?:issue|circulat|publish|made available|distribut|post)", words
        ):
            return False
        letter = self.letter
        if re.search(
            r"\b(?:alongside|together with|attached to|enclosed with) this (?:invitation|letter)",
            words,
        ):
            letter.documents_stated, letter.documents_target_date = True, None
            self.found(where, "documents issued alongside the invitation")
            return True
        match = re.search(rf"\b(?:on|by|before)\s+(?:{_DATE.pattern})", sentence, re.I)
        if match:
            letter.documents_stated = True
            letter.documents_target_date = find_date(match[0], where)
            self.found(where, f"documents by {day_in_words(letter.documents_target_date)}")
            return True
        return False

    def _on_registration(self, sentence: str, where: str, _: str) -> bool:
        words = sentence.casefold()
        if "regist" not in words or "registered delegates" in words:
            return False
        letter = self.letter
        handled = False
        negative = re.search(
            r"registration\b.*\b(?:will|is|shall|would) not be (?:required|necessary|needed)"
            r"|\bno (?:pre-?)?registration\b"
            r"|\bnot (?:be )?(?:required|necessary) to (?:pre-?)?register",
            words,
        )
        positive = re.search(
            r"registration\b.*\b(?:will be|is|shall be) (?:required|necessary|mandatory)"
            r"|\b(?:must|will need to|are required to|need to) (?:pre-?)?register\b",
            words,
        )
        exception = re.search(
            r"wishing to (?:participate in|attend) (?:the )?(?:meetings?|sessions?) of "
            rf"(?:the )?(?P<body>.+?)(?: on (?P<date>{_DATE.pattern}))?,? "
            r"(?:will need|must|are required|need|should|have) to (?:pre-?)?register",
            sentence,
            re.I,
        )
        if negative:
            # "Not required, except for the DIEF" keeps the exception, in whichever order.
            if letter.registration != Meeting.Registration.SOME_SESSIONS:
                letter.registration = Meeting.Registration.NONE
            self.found(where, "pre-registration not required")
            handled = True
        elif exception:
            day = (
                _make_date(exception["d"], exception["m"], exception["y"], where)
                if exception["date"]
                else None
            )
            letter.registration_exceptions.append(
                RegistrationException(exception["body"].strip(), day, where)
            )
            letter.registration = Meeting.Registration.SOME_SESSIONS
            on_day = f" on {day_in_words(day)}" if day else ""
            self.found(where, f"registration required for {exception['body'].strip()}{on_day}")
            handled = True
        elif positive:
            letter.registration = Meeting.Registration.REQUIRED
            self.found(where, "pre-registration required")
            handled = True
        if handled:
            gender = "gender" in words
            if gender or letter.collects_gender_data is None:
                letter.collects_gender_data = gender
            if gender:
                self.found(where, "registration collects gender-disaggregated attendance data")
        return handled

    def _on_website(self, sentence: str, where: str, _: str) -> bool:
        words = sentence.casefold()
        if "website" in words and re.search(r"\b(?:visit|consult|encouraged|refer)\b", words):
            self.found(where, "delegates referred to the website")
            return True
        return False

    def _on_vacancies(self, sentence: str, where: str, _: str) -> bool:
        match = re.search(
            r"\bpositions? of (?P<offices>.+?) (?:still )?(?:remains?|is|are|continues? to be)"
            r"(?: still)? vacant",
            sentence,
            re.I,
        )
        if not match:
            return False
        titles = "|".join(
            [
                "Vice-President",
                "President",
                "Vice-Chair",
                "Co-Chair",
                "Chair(?:person)?",
                "Facilitator",
            ]
        )
        pieces = re.split(rf"\s*(?:,|\band\b)\s+(?=(?:the\s+)?(?:{titles})\b)", match["offices"])
        handled = False
        for piece in pieces:
            office = re.match(
                rf"^(?:the\s+)?(?P<title>{titles}) of (?:the\s+)?(?P<body>.+)$", piece.strip()
            )
            title = _OFFICE_TITLES.get(office["title"].casefold()) if office else None
            if not office or title is None:
                self.missed(where, f"vacant office {piece.strip()!r}")
                continue
            body = office["body"].strip().rstrip(".")
            self.letter.vacancies.append(NamedOffice(title, body, where))
            self.found(where, f"vacant: {office['title']} of {body}")
            handled = True
        return handled

    def _on_courtesy(self, sentence: str, where: str, _: str) -> bool:
        words = sentence.casefold()
        if "subject to change" in words and self.letter.schedule_is_draft is None:
            self.letter.schedule_is_draft = True
        if "rolling basis" in words:
            self.letter.rolling_basis = True
        return any(re.search(pattern, sentence, re.I) for pattern in COURTESIES)

    # Signature and annex

    def _read_signature(self, closing: int, limit: int) -> None:
        block = [
            index
            for index in range(closing, limit)
            if self.texts[index] and not _CLOSING.match(self.texts[index])
        ]
        if not block:
            return
        name_index, *title_indexes = block
        where = self.lines[name_index].where
        person = self._person(self.texts[name_index], where)
        titles = [self.texts[index] for index in title_indexes]
        office = re.match(
            r"^(?P<office>President|Vice-President)\b[\s,]*(?:of\s+)?(?:the\s+)?"
            r"(?:(?P<ordinal>[A-Za-z-]+)\s+Conference\b|CSP\s?(?P<number>\d{1,2})\b)",
            titles[0] if titles else "",
            re.I,
        )
        if person and office and office["office"].casefold() == "president":
            letter = self.letter
            letter.president = person
            letter.president_title = titles[0]
            number = (
                int(office["number"]) if office["number"] else ordinal_number(office["ordinal"])
            )
            letter.president_cycle_number = number
            self.found(where, f"signed by the President: {person.formal_name}")
            self.found(self.lines[title_indexes[0]].where, f"title: {titles[0]}")
            rest = title_indexes[1:]
        else:
            self.missed(where, self.texts[name_index])
            rest = title_indexes
        for index in rest:
            self.missed(self.lines[index].where, self.texts[index])

    def _person(self, text: str, where: str) -> NamedPerson | None:
        words = text.split()
        honorifics = []
        while words and words[0] in _HONORIFICS:
            honorifics.append(words.pop(0))
        family = []
        while words and any(c.isalpha() for c in words[-1]) and words[-1].isupper():
            family.insert(0, words.pop())
        if not words or not family:
            return None
        honorific = " ".join(honorifics)
        gender = ""
        lowered = {word.casefold() for word in honorifics}
        if lowered & _FEMALE:
            gender = Person.Gender.FEMALE
        elif lowered & _MALE:
            gender = Person.Gender.MALE
        family_name = " ".join(
            "-".join(part[:1].upper() + part[1:].lower() for part in word.split("-"))
            for word in family
        )
        return NamedPerson(honorific, " ".join(words), family_name, gender, where)

    def _read_annex_title(self, index: int, table_start: int) -> None:
        letter = self.letter
        text, where = self.texts[index], self.lines[index].where
        match = _ANNEX_TITLE.match(text)
        letter.annex_title = text.rstrip("*").strip()
        letter.annex_cycle_number = int(match["number"])
        if match["draft"]:
            letter.schedule_is_draft = True
        elif letter.schedule_is_draft is None:
            letter.schedule_is_draft = False
        self.found(where, f"annex: {letter.annex_title}")
        dates = find_date_range(match["dates"] or "", where)
        if letter.annex_cycle_number != letter.cycle_number:
            self.disagree(
                f"{where}: the annex title names CSP{letter.annex_cycle_number}, the subject "
                f"({letter.subject_where}) {letter.cycle_code}"
            )
        if dates and dates != (letter.first_day, letter.last_day):
            self.disagree(
                f"{where}: the annex title gives {span_in_words(*dates)}, the subject "
                f"{span_in_words(letter.first_day, letter.last_day)}"
            )
        what = (match["what"] or "").casefold()
        named = (
            Meeting.Kind.PREPARATORY
            if "preparatory" in what and "working group" not in what
            else Meeting.Kind.WORKING_GROUPS
            if "working group" in what
            else None
        )
        if named and named != letter.kind:
            self.disagree(f"{where}: the annex title names {match['what']!r}, unlike the subject")
        for between in range(index + 1, table_start):
            if self.texts[between]:
                self.missed(self.lines[between].where, self.texts[between])

    def _read_table(self, start: int, stop: int) -> None:
        letter = self.letter
        header = _table_cells(self.lines[start].raw) or []
        header_where = self.lines[start].where
        words = [clean(cell) for cell in header]
        columns = [i for i, word in enumerate(words) if word and _weekday_of(word)]
        offset = columns[0]
        if columns != list(range(offset, offset + len(columns))):
            raise LegacyLetterError(
                "the weekdays of the annex header must stand side by side", where=header_where
            )
        days = self._column_dates([words[i] for i in columns], header_where)
        letter.annex_days = [(WEEKDAYS[day.weekday()], day) for day in days]
        shown = f"{WEEKDAYS[days[0].weekday()]} – {WEEKDAYS[days[-1].weekday()]}"
        self.found(header_where, f"annex columns {shown} ({span_in_words(days[0], days[-1])})")

        for index in range(start + 1, stop):
            cells = _table_cells(self.lines[index].raw)
            if not cells:
                continue
            where = self.lines[index].where
            label = next((clean(cell) for cell in cells[:offset] if clean(cell)), "")
            if not label and offset == 0:
                label = clean(cells[0])
            row = cells[offset : offset + len(days)] if offset else cells[1 : 1 + len(days)]
            row += [""] * (len(days) - len(row))
            extra = [clean(cell) for cell in cells[(offset or 1) + len(days) :]]
            if any(word and word != label and not find_slots(word, where) for word in extra):
                raise LegacyLetterError(
                    f"the row {label!r} has more cells than the annex has days", where=where
                )
            slots = find_slots(label, where)
            if len(slots) == 1:
                self._read_slot_row(slots[0], days, row, where)
            elif _SIDE_EVENTS.match(label):
                self._read_side_events(days, row, where)
            elif not label and not any(clean(cell) for cell in row):
                continue
            else:
                raise LegacyLetterError(
                    f"the annex row {label!r} is neither a time slot such as '10:00 – 13:00' "
                    "nor the SIDE EVENTS row",
                    where=where,
                )
        if not letter.annex_slots:
            raise LegacyLetterError(
                "the annex table has no row of time slots such as '10:00 – 13:00'",
                where=header_where,
            )

    def _column_dates(self, weekdays: list[str], where: str) -> list[dt.date]:
        letter = self.letter
        first, last = letter.first_day, letter.last_day
        days: list[dt.date] = []
        for word in weekdays:
            number, rest = _weekday_of(word)
            explicit = None
            if rest:
                year = f" {first.year}" if not re.search(r"\d{4}", rest) else ""
                explicit = find_date(rest + year, where)
            if explicit:
                day = explicit
            elif not days:
                day = first - dt.timedelta(days=(first.weekday() - number) % 7)
            else:
                day = days[-1] + dt.timedelta(days=(number - days[-1].weekday()) % 7 or 7)
            if day.weekday() != number or (days and day <= days[-1]):
                raise LegacyLetterError(
                    f"the annex column {word!r} does not follow the dates of the meeting",
                    where=where,
                )
            days.append(day)
        meeting = span_in_words(first, last)
        named = f"{WEEKDAYS[days[0].weekday()]} – {WEEKDAYS[days[-1].weekday()]}"
        for needed, which in ((first, "first"), (last, "last")):
            if needed not in days:
                raise LegacyLetterError(
                    f"the annex columns ({named}) do not match the dates {meeting}: no column "
                    f"for {WEEKDAYS[needed.weekday()]} {day_in_words(needed)}, the {which} day",
                    where=where,
                )
        day = first
        while day <= last:
            if day.weekday() < 5 and day not in days:
                raise LegacyLetterError(
                    f"the annex columns ({named}) leave out {WEEKDAYS[day.weekday()]} "
                    f"{day_in_words(day)}, within the dates {meeting}",
                    where=where,
                )
            day += dt.timedelta(days=1)
        return days

    def _check_in_meeting(self, day: dt.date, what: str, where: str) -> None:
        letter = self.letter
        if not letter.in_meeting(day):
            raise LegacyLetterError(
                f"the annex puts {what!r} on {WEEKDAYS[day.weekday()]} {day_in_words(day)}, "
                f"outside the dates {span_in_words(letter.first_day, letter.last_day)}",
                where=where,
            )

    def _read_slot_row(self, slot: Slot, days: list[dt.date], row: list[str], where: str) -> None:
        letter = self.letter
        if slot not in letter.annex_slots:
            letter.annex_slots.append(slot)
        count = 0
        for day, raw in zip(days, row, strict=True):
            parts = tuple(
                entry
                for piece in _BREAK.split(raw.replace("\n", "<br>"))
                if (entry := _entry(piece))
            )
            if not parts:
                continue
            whole = _entry(raw) or parts[0]
            self._check_in_meeting(day, whole.label, where)
            letter.annex.append(AnnexCell(day, slot, whole, parts, where))
            count += 1
        self.found(where, f"annex slot {slot.label}: {count} sessions")

    def _read_side_events(self, days: list[dt.date], row: list[str], where: str) -> None:
        letter = self.letter
        letter.side_events_stated = True
        for day, raw in zip(days, row, strict=True):
            for piece in _BREAK.split(raw.replace("\n", "<br>")):
                text = clean(piece)
                if _EMPTY_CELL.match(text):
                    continue
                self._check_in_meeting(day, text, where)
                title = "" if _TBC.match(text) else text
                letter.side_events.append(AnnexSideEvent(day, title, where))
        count = len({event.day for event in letter.side_events})
        self.found(where, f"side events on {count} days")

    def _read_footnotes(self, start: int) -> None:
        for text, starts in self._paragraphs(start, len(self.lines)):
            shift = len(text) - len(text.lstrip("*").lstrip())
            body = text[shift:]
            for offset, sentence in sentences(body):
                where = [w for position, w in starts if position <= offset + shift][-1]
                rolling = self.letter.rolling_basis
                if not (
                    self._on_courtesy(sentence, where, body)
                    or self._on_schedule(sentence, where, body)
                ):
                    self.missed(where, sentence)
                if self.letter.rolling_basis and not rolling:
                    self.found(where, "footnote: meetings held on a rolling basis")

    def _compare(self) -> None:
        letter = self.letter
        where = letter.subject_where
        if letter.process_cycle_number and letter.process_cycle_number != letter.cycle_number:
            self.disagree(
                f"the letter prepares CSP{letter.process_cycle_number}, the subject ({where}) "
                f"names {letter.cycle_code}"
            )
        if letter.previous_cycle_number and letter.previous_cycle_number != letter.cycle_number - 1:
            self.disagree(
                f"the previous Conference is CSP{letter.previous_cycle_number}, not "
                f"CSP{letter.cycle_number - 1}"
            )
        if letter.president_cycle_number and letter.president_cycle_number != letter.cycle_number:
            self.disagree(
                f"{letter.president.where}: the signature is the President of "
                f"CSP{letter.president_cycle_number}, the subject names {letter.cycle_code}"
            )
        if letter.daily_slots and set(letter.daily_slots) != set(letter.annex_slots):
            self.disagree(
                "the daily sessions ("
                + ", ".join(slot.label for slot in letter.daily_slots)
                + ") are not the annex's slots ("
                + ", ".join(slot.label for slot in letter.annex_slots)
                + ")"
            )
        if letter.letter_date and letter.first_day and letter.letter_date > letter.first_day:
            self.disagree("the letter is dated after the meeting opens")
        for exception in letter.registration_exceptions:
            if exception.day and not any(cell.day == exception.day for cell in letter.annex):
                self.disagree(
                    f"{exception.where}: registration for {exception.body_label} on "
                    f"{day_in_words(exception.day)}, a day without sessions in the annex"
                )


def _entry(raw: str) -> CellEntry | None:
    """A cell piece as a body label and the access it states: "DIEF (… only)" → DIEF, closed."""
    text = clean(raw)
    if _EMPTY_CELL.match(text):
        return None
    access = ""
    note = re.search(r"\s*\(([^()]*)\)\s*$", text)
    if note and _CLOSED_NOTE.search(note[1]):
        access = Body.Access.PARTIES_AND_SIGNATORIES
        text = text[: note.start()].strip()
    elif note and _OPEN_NOTE.match(note[1].strip()):
        access = Body.Access.OPEN
        text = text[: note.start()].strip()
    return CellEntry(text, access)


def read_lines(lines: list[SourceLine]) -> RecognisedLetter:
    """Reads a letter given as lines with their places (text, Markdown or a Word file)."""
    return _Reader(lines).read()


def read_letter(text: str) -> RecognisedLetter:
    """Recognises the facts of a letter in plain text or Markdown; no database."""
    return read_lines(
        [
            SourceLine(number, f"line {number}", raw)
            for number, raw in enumerate(text.splitlines(), start=1)
        ]
    )


def read_docx(path: str | Path) -> RecognisedLetter:
    """Recognises the facts of a letter written in Word: paragraphs, and the annex as a table."""
    # legacy_docx builds on this module's SourceLine: imported here, not at the top.
    from convocation.letters.legacy_docx import docx_lines

    return read_lines(docx_lines(path))


def read_letter_file(path: str | Path) -> RecognisedLetter:
    """A letter from a file: Word by its content, otherwise UTF-8 text or Markdown."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise LegacyLetterError(f"cannot read {path}: {error.strerror}") from error
    if data.startswith(b"PK\x03\x04") or path.suffix.lower() == ".docx":
        return read_docx(path)
    for magic, kind in ((b"%PDF", "a PDF"), (b"\xd0\xcf\x11\xe0", "an old Word file (.doc)")):
        if data.startswith(magic):
            raise LegacyLetterError(
                f"{path.name} is {kind}; save the letter as .docx or as text", where="line 1"
            )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise LegacyLetterError(
            f"the file is not UTF-8 text (byte {data[error.start]:#04x} at column {column}); "
            "save it as UTF-8 or as a Word file",
            where=f"line {line}",
        ) from error
    return read_letter(text)


# --- Writing -----------------------------------------------------------------------------------


@dataclass
class ImportResult:
    """What an import did, or would do in a dry run: one line per change."""

    meeting: Meeting
    created: bool
    dry_run: bool
    changes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.changes)


@dataclass(frozen=True)
class _PlannedSession:
    body: Body
    start: dt.datetime
    end: dt.datetime
    access: str


def _key(text: str) -> str:
    """ "The WGETI Sub-working Group on Articles 6 & 7." and its record's label meet here."""
    text = re.sub(rf"[{DASHES}]", "-", text.casefold())
    text = re.sub(r"\s*&\s*", "&", re.sub(r"^the\s+", "", text.strip()))
    return " ".join(text.split()).strip(" .,;:")


class _Bodies:
    """The treaty's bodies by every way a letter names them; case does not matter."""

    def __init__(self, treaty: Treaty):
        self.by_key: dict[str, set[Body]] = {}
        for body in Body.objects.filter(treaty=treaty).select_related("parent"):
            for key in self._keys(body):
                self.by_key.setdefault(_key(key), set()).add(body)

    @staticmethod
    def _keys(body: Body) -> Iterable[str]:
        for suffix in ("", "_fr", "_es"):
            name = getattr(body, f"name{suffix}")
            acronym = getattr(body, f"acronym{suffix}") or body.acronym
            if not name:
                continue
            yield name
            if acronym:
                yield acronym
                yield f"{name} ({acronym})"
            if body.parent_id:
                parent = body.parent
                parent_acronym = getattr(parent, f"acronym{suffix}") or parent.acronym
                if parent_acronym:
                    yield f"{parent_acronym} {name}"
                yield f"{getattr(parent, f'name{suffix}') or parent.name} {name}"

    def find(self, label: str) -> Body | None:
        found = self.by_key.get(_key(label), set())
        return next(iter(found)) if len(found) == 1 else None

    def get(self, label: str, where: str, what: str = "the body") -> Body:
        found = self.by_key.get(_key(label), set())
        if len(found) == 1:
            return next(iter(found))
        if found:
            names = ", ".join(sorted(body.label for body in found))
            raise LegacyLetterError(f"{label!r} could be any of {names}", where=where)
        raise LegacyLetterError(
            f"{what} {label!r} is not a body of the treaty; add it in the back office or "
            "correct the letter",
            where=where,
        )


def _cell_bodies(cell: AnnexCell, bodies: _Bodies) -> list[tuple[Body, str]]:
    body = bodies.find(cell.whole.label)
    if body:
        return [(body, cell.whole.access)]
    if len(cell.parts) > 1 and all(bodies.find(part.label) for part in cell.parts):
        return [(bodies.find(part.label), part.access) for part in cell.parts]
    # Neither the cell nor its pieces name a body: get() says which label is unknown.
    return [(bodies.get(cell.whole.label, cell.where, "the annex names"), cell.whole.access)]


def treaty_of_letter(recognised: RecognisedLetter) -> Treaty:
    """The treaty whose acronym the subject names, or whose name heads the letter."""
    acronym = recognised.treaty_acronym
    name = re.sub(r"^the\s+", "", recognised.treaty_name, flags=re.I)
    for lookup in ({"code__iexact": acronym}, {"acronym__iexact": acronym}, {"name__iexact": name}):
        if not next(iter(lookup.values())):
            continue
        treaty = Treaty.objects.filter(**lookup).first()
        if treaty:
            return treaty
    raise LegacyLetterError(
        f"no treaty {acronym or name!r} in the database; load it first",
        where=recognised.subject_where,
    )


def meeting_slug(recognised: RecognisedLetter, treaty: Treaty) -> str:
    suffix = "prep" if recognised.kind == Meeting.Kind.PREPARATORY else "wg"
    return f"{treaty.code}-csp{recognised.cycle_number}-{suffix}"


def meeting_titles(recognised: RecognisedLetter, treaty: Treaty) -> tuple[str, str, str]:
    """The meeting's title in English, French and Spanish, as the demo writes them."""
    code = recognised.cycle_code
    english = treaty.acronym or treaty.code.upper()
    french = in_language(treaty, "acronym", "fr") or english
    spanish = in_language(treaty, "acronym", "es") or english
    if recognised.kind == Meeting.Kind.PREPARATORY:
        return (
            f"{english} {code} Preparatory meeting",
            f"Réunion préparatoire de la {code} du {french}",
            f"Reunión preparatoria de la {code} del {spanish}",
        )
    return (
        f"{english} {code} Working Group meetings",
        f"Réunions des groupes de travail de la {code} du {french}",
        f"Reuniones de los grupos de trabajo de la {code} del {spanish}",
    )


def _set(
    record,
    values: dict[str, Any],
    what: str,
    changes: list[str],
    check: Callable[[], None] | None = None,
) -> None:
    """Sets the fields that differ and saves them; a record already right is not touched."""
    changed = [name for name, value in values.items() if getattr(record, name) != value]
    for name in changed:
        old = getattr(record, name)
        setattr(record, name, values[name])
        changes.append(f"{what}: {name} {_shown(old)} → {_shown(values[name])}")
    if not changed:
        return
    if check:
        check()
    stamped = [*changed, "updated_at"] if hasattr(record, "updated_at") else changed
    record.save(update_fields=stamped)


def _shown(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M %Z}"
    if isinstance(value, dt.date):
        return day_in_words(value)
    if value is None or value == "":
        return "(none)"
    return str(value)


def _place_names(recognised: RecognisedLetter) -> dict[str, str]:
    """French and Spanish names of the city and country, and the time zone."""
    city, country = recognised.city, recognised.country
    names = {"time_zone": recognised.time_zone}
    earlier = (
        Meeting.objects.filter(city__iexact=city)
        .exclude(city_fr="")
        .order_by("-start_date")
        .first()
    )
    known = CITIES.get(city.casefold())
    names["city_fr"] = known[0] if known else (earlier.city_fr if earlier else "")
    names["city_es"] = known[1] if known else (earlier.city_es if earlier else "")
    if not names["time_zone"] and earlier:
        names["time_zone"] = earlier.time_zone
    same_country = Meeting.objects.filter(country__iexact=country).exclude(country_fr="").first()
    names["country_fr"] = country_in(country, "fr") or (
        same_country.country_fr if same_country else ""
    )
    names["country_es"] = country_in(country, "es") or (
        same_country.country_es if same_country else ""
    )
    return names


def _status(meeting: Meeting | None, last_day: dt.date, today: dt.date) -> str:
    if meeting and meeting.status in (Meeting.Status.POSTPONED, Meeting.Status.CANCELLED):
        return meeting.status
    return Meeting.Status.HELD if last_day < today else Meeting.Status.PLANNED


def _plan_sessions(
    recognised: RecognisedLetter, bodies: _Bodies, zone: zoneinfo.ZoneInfo
) -> list[_PlannedSession]:
    planned: list[_PlannedSession] = []
    seen = set()
    for cell in recognised.annex:
        for body, access in _cell_bodies(cell, bodies):
            start = dt.datetime.combine(cell.day, cell.slot.start, tzinfo=zone)
            end = dt.datetime.combine(cell.day, cell.slot.end, tzinfo=zone)
            if (body.pk, start) in seen:
                continue
            seen.add((body.pk, start))
            planned.append(
                _PlannedSession(body, start, end, "" if access == body.access else access)
            )
    return planned


def _describe(session: _PlannedSession | Session, zone: zoneinfo.ZoneInfo) -> str:
    start, end = session.start.astimezone(zone), session.end.astimezone(zone)
    return (
        f"{session.body.label}, {WEEKDAYS[start.weekday()]} {day_in_words(start.date())} "
        f"{start:%H:%M} – {end:%H:%M}"
    )


def _write(recognised: RecognisedLetter, treaty: Treaty, today: dt.date) -> ImportResult:
    letter = recognised
    if letter.treaty_acronym and letter.treaty_acronym.casefold() not in {
        treaty.code.casefold(),
        (treaty.acronym or treaty.code).casefold(),
    }:
        raise LegacyLetterError(
            f"the letter invites to {letter.treaty_acronym} meetings, not {treaty}",
            where=letter.subject_where,
        )
    if not (letter.venue and letter.city and letter.country):
        raise LegacyLetterError(
            "the letter names no venue, city and country ('… take place … at the Centre …, "
            "Geneva, Switzerland.')",
            where=letter.subject_where,
        )
    place = _place_names(letter)
    if not place["time_zone"]:
        raise LegacyLetterError(
            f"no time zone is known for {letter.city}; enter a meeting there first",
            where=letter.subject_where,
        )
    zone = zoneinfo.ZoneInfo(place["time_zone"])

    # Everything the letter names must be found before anything is written.
    bodies = _Bodies(treaty)
    planned = _plan_sessions(letter, bodies, zone)
    vacancies = [
        (office, bodies.get(office.body_label, office.where, "the vacant office's body"))
        for office in letter.vacancies
    ]

    changes: list[str] = []
    notes: list[str] = []
    name = re.sub(r"^the\s+", "", letter.treaty_name, flags=re.I)
    if name and name.casefold() != treaty.name.casefold():
        notes.append(f"the letterhead names {letter.treaty_name!r}, the treaty {treaty.name!r}")

    if letter.previous_cycle_number and letter.previous_conference_start:
        previous = _cycle(treaty, letter.previous_cycle_number, changes)
        _set(
            previous,
            {
                "conference_start": letter.previous_conference_start,
                "conference_end": letter.previous_conference_end,
            },
            previous.code,
            changes,
        )
    cycle = _cycle(treaty, letter.cycle_number, changes)
    if letter.announcement_date:
        _set(cycle, {"announcement_date": letter.announcement_date}, cycle.code, changes)

    slug = meeting_slug(letter, treaty)
    meeting = Meeting.objects.filter(slug=slug).first()
    created = meeting is None
    facts: dict[str, Any] = {
        "cycle": cycle,
        "kind": letter.kind,
        "venue": letter.venue,
        "city": letter.city,
        "country": letter.country,
        "time_zone": place["time_zone"],
        "start_date": letter.first_day,
        "end_date": letter.last_day,
        "status": _status(meeting, letter.last_day, today),
    }
    optional = {
        "format": letter.format,
        "registration": letter.registration,
        "livestream": letter.livestream,
        "collects_gender_data": letter.collects_gender_data,
        "schedule_is_draft": letter.schedule_is_draft,
    }
    facts |= {name: value for name, value in optional.items() if value is not None}
    if letter.documents_stated:
        facts["documents_target_date"] = letter.documents_target_date
    translations = {key: value for key, value in place.items() if key != "time_zone"}
    if created:
        title, title_fr, title_es = meeting_titles(letter, treaty)
        meeting = Meeting(slug=slug, title=title, title_fr=title_fr, title_es=title_es)
        for name, value in {**facts, **translations}.items():
            setattr(meeting, name, value)
        _validate(meeting, letter)
        meeting.save()
        changes.append(
            f"created meeting {slug}: {title}, {span_in_words(letter.first_day, letter.last_day)}"
        )
    else:
        moved = meeting.city.casefold() != letter.city.casefold()
        for name, value in translations.items():
            if value and (moved or not getattr(meeting, name)):
                facts[name] = value
        _set(meeting, facts, f"meeting {slug}", changes, lambda: _validate(meeting, letter))

    _write_sessions(meeting, planned, zone, changes)
    if letter.side_events_stated:
        _write_side_events(meeting, letter.side_events, changes)
    if letter.president:
        number = letter.president_cycle_number or letter.cycle_number
        _write_president(_cycle(treaty, number, changes), letter.president, changes)
    for office, body in vacancies:
        _write_vacancy(cycle, office.title, body, changes)
    return ImportResult(
        meeting=meeting, created=created, dry_run=False, changes=changes, notes=notes
    )


def _validate(meeting: Meeting, letter: RecognisedLetter) -> None:
    try:
        meeting.full_clean(validate_unique=False)
    except ValidationError as error:
        problems = "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items()
        )
        raise LegacyLetterError(problems, where=letter.subject_where) from error


def _cycle(treaty: Treaty, number: int, changes: list[str]) -> ConferenceCycle:
    cycle, created = ConferenceCycle.objects.get_or_create(treaty=treaty, number=number)
    if created:
        changes.append(f"created cycle {cycle.code}")
    return cycle


def _write_sessions(
    meeting: Meeting, planned: list[_PlannedSession], zone: zoneinfo.ZoneInfo, changes: list[str]
) -> None:
    existing = {
        (session.body_id, session.start): session
        for session in meeting.sessions.select_related("body__parent")
    }
    for plan in planned:
        session = existing.pop((plan.body.pk, plan.start), None)
        if session is None:
            Session.objects.create(
                meeting=meeting, body=plan.body, start=plan.start, end=plan.end, access=plan.access
            )
            changes.append(f"added session {_describe(plan, zone)}")
        else:
            _set(
                session,
                {"end": plan.end, "access": plan.access},
                f"session {_describe(plan, zone)}",
                changes,
            )
    for session in existing.values():
        changes.append(f"removed session {_describe(session, zone)}")
        session.delete()


def _write_side_events(meeting: Meeting, events: list[AnnexSideEvent], changes: list[str]) -> None:
    existing = list(meeting.side_events.all())
    for event in events:
        match = next(
            (item for item in existing if item.date == event.day and item.title == event.title),
            None,
        )
        if match:
            existing.remove(match)
            continue
        SideEvent.objects.create(meeting=meeting, date=event.day, title=event.title)
        changes.append(f"added side event {event.title or 'tbc'} on {day_in_words(event.day)}")
    for item in existing:
        changes.append(f"removed side event {item.title or 'tbc'} on {day_in_words(item.date)}")
        item.delete()


def _write_president(cycle: ConferenceCycle, named: NamedPerson, changes: list[str]) -> None:
    person = Person.objects.filter(
        given_name__iexact=named.given_name, family_name__iexact=named.family_name
    ).first()
    if person is None:
        person = Person.objects.create(
            honorific=named.honorific,
            given_name=named.given_name,
            family_name=named.family_name,
            gender=named.gender,
        )
        changes.append(f"created person {person.formal_name}")
    else:
        # A person is shared by every record that names them: fill gaps, keep what is there.
        filled = {
            name: value
            for name, value in (("honorific", named.honorific), ("gender", named.gender))
            if value and not getattr(person, name)
        }
        _set(person, filled, f"person {person.formal_name}", changes)
    office, created = Office.objects.get_or_create(
        cycle=cycle, title=Office.Title.PRESIDENT, body=None, defaults={"holder": person}
    )
    if created:
        changes.append(f"President of {cycle.code}: {person.formal_name}")
    elif office.holder_id != person.pk:
        changes.append(
            f"President of {cycle.code}: {office.holder or 'vacant'} → {person.formal_name}"
        )
        office.holder = person
        office.save(update_fields=["holder", "updated_at"])


def _write_vacancy(cycle: ConferenceCycle, title: str, body: Body, changes: list[str]) -> None:
    office, created = Office.objects.get_or_create(
        cycle=cycle, title=title, body=body, defaults={"holder": None}
    )
    label = f"{IN_WORDS[title]} of {body.label} ({cycle.code})"
    if created:
        changes.append(f"{label}: vacant")
    elif office.holder_id is not None:
        changes.append(f"{label}: vacant (was {office.holder})")
        office.holder = None
        office.save(update_fields=["holder", "updated_at"])


def apply_letter(
    recognised: RecognisedLetter,
    *,
    treaty: Treaty,
    dry_run: bool = False,
    today: dt.date | None = None,
) -> ImportResult:
    """Creates or updates the letter's cycle, meeting, sessions, side events and offices.

    All in one transaction: a body the annex names that the treaty does not have, or any
    other problem, leaves the database as it was. With ``dry_run`` everything is done and
    rolled back; ``changes`` says what would change and ``meeting`` is not saved. ``today``
    decides whether the meeting is held or planned.
    """
    today = today or timezone.localdate()
    # The report names bodies as the English letters do, whatever language is active.
    with translation.override("en"), transaction.atomic():
        result = _write(recognised, treaty, today)
        if dry_run:
            transaction.set_rollback(True)
            result.dry_run = True
    return result


def recognised_as_schedule_json(
    recognised: RecognisedLetter, *, treaty: Treaty | None = None, today: dt.date | None = None
) -> dict[str, Any]:
    """The recognised meeting in the schema of ``schedule.json``, without writing anything.

    The import is done and rolled back, and the document is read in between, so the schema is
    ``schedule_document``'s own. A session that already exists keeps its uid; one the letter
    would add has ``"uid": null``.
    """
    treaty = treaty or treaty_of_letter(recognised)
    today = today or timezone.localdate()
    with transaction.atomic():
        slug = meeting_slug(recognised, treaty)
        before = set(Session.objects.filter(meeting__slug=slug).values_list("pk", flat=True))
        result = _write(recognised, treaty, today)
        meeting = (
            Meeting.objects.select_related("cycle__treaty")
            .prefetch_related(
                Prefetch(
                    "sessions", queryset=Session.objects.select_related("meeting", "body__parent")
                ),
                "side_events",
            )
            .get(pk=result.meeting.pk)
        )
        document = schedule_document(meeting)
        for entry, session in zip(document["sessions"], meeting.sessions.all(), strict=True):
            if session.pk not in before:
                entry["uid"] = None
        transaction.set_rollback(True)
    return document
