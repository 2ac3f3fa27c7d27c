"""The checks a careful Secretariat officer makes before an invitation goes out.

Each check reads plain data (the composed letter, the meeting and its loaded sessions and
offices) and returns findings; nothing here needs a request or writes anything. An error
blocks the letter (``blocking``); a warning is for the officer to read and decide.

A finding's ``where`` starts with a fixed word — ``subject``, ``paragraph N (key)``,
``annex title``, ``annex, <column> <row>``, ``annex footnote``, ``signature``, ``meeting``,
``schedule, <day>, <slot>`` — followed by the letter's own labels, so an officer finds the
place and a test can name it.

Texts are read in English, French and Spanish at once: a letter in one language often
quotes a date or a phrase written in another, and a weekday name or a month name means the
same thing whatever the language of the paragraph around it.
"""

import dataclasses
import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from convocation.cycles.models import Office
from convocation.languages import in_language
from convocation.letters.composition import (
    ComposedLetter,
    LetterFacts,
    compose_letter,
    office_name,
)
from convocation.meetings.models import Meeting, Session
from convocation.meetings.schedule import grid_days

ERROR = "error"
WARNING = "warning"


@dataclasses.dataclass(frozen=True)
class Finding:
    severity: str  # ERROR or WARNING
    code: str  # a stable id, e.g. "annex-cycle-mismatch"
    where: str  # "subject", "paragraph 5 (documents)", "annex, Tuesday 10:00 – 13:00", "meeting"
    message: str  # a plain sentence for an officer, naming the facts


def blocking(findings: Iterable[Finding]) -> list[Finding]:
    """The findings that must be put right before the letter goes out."""
    return [finding for finding in findings if finding.severity == ERROR]


# Words ------------------------------------------------------------------------------------


def _fold_char(char: str) -> str:
    if char.isspace():
        return " "
    if char == "’":
        return "'"
    plain = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    plain = plain.lower()
    return plain if len(plain) == 1 else char


def _fold(text: str) -> str:
    """Lower case without accents and with plain apostrophes, for comparing words.

    One character for one, so that a match in the folded text is quoted from the original.
    """
    return "".join(_fold_char(char) for char in text)


WEEKDAY_NAMES = {
    0: ("Monday", "lundi", "lunes"),
    1: ("Tuesday", "mardi", "martes"),
    2: ("Wednesday", "mercredi", "miércoles", "miercoles"),
    3: ("Thursday", "jeudi", "jueves"),
    4: ("Friday", "vendredi", "viernes"),
    5: ("Saturday", "samedi", "sábado", "sabado"),
    6: ("Sunday", "dimanche", "domingo"),
}
MONTH_NAMES = {
    1: ("January", "Jan", "janvier", "enero"),
    2: ("February", "Feb", "février", "fevrier", "febrero"),
    3: ("March", "Mar", "mars", "marzo"),
    4: ("April", "Apr", "avril", "abril"),
    5: ("May", "mai", "mayo"),
    6: ("June", "Jun", "juin", "junio"),
    7: ("July", "Jul", "juillet", "julio"),
    8: ("August", "Aug", "août", "aout", "agosto"),
    9: ("September", "Sept", "Sep", "septembre", "septiembre", "setiembre"),
    10: ("October", "Oct", "octobre", "octubre"),
    11: ("November", "Nov", "novembre", "noviembre"),
    12: ("December", "Dec", "décembre", "decembre", "diciembre"),
}
WEEKDAYS = {_fold(name): number for number, names in WEEKDAY_NAMES.items() for name in names}
MONTHS = {_fold(name): number for number, names in MONTH_NAMES.items() for name in names}


def _alternation(names: Iterable[str]) -> str:
    return "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))


_WEEKDAY = _alternation(name for names in WEEKDAY_NAMES.values() for name in names)
_MONTH = _alternation(name for names in MONTH_NAMES.values() for name in names)
_ORDINAL = r"(?:er|re|st|nd|rd|th|º|°)?"
_DAY_MONTH_YEAR = (
    rf"(?P<day>[0-3]?\d)(?!\d){_ORDINAL}\s+(?:de\s+)?(?P<month>{_MONTH})\b\.?"
    rf"(?:,?\s+(?:de\s+|del\s+)?(?P<year>\d{{4}})(?!\d))?"
)
# A single date or a range: "17 February 2026", "16 – 19 March 2026", "16-19 MARCH 2026",
# "28 February – 2 March 2026", "16 – 19 de marzo de 2026", "1er décembre 2025".
_DATES = re.compile(
    rf"(?<![\w:.])(?:(?P<first_day>[0-3]?\d)(?!\d){_ORDINAL}"
    rf"(?:\s+(?:de\s+)?(?P<first_month>{_MONTH})\b\.?(?:,?\s+(?:de\s+)?(?P<first_year>\d{{4}}))?)?"
    rf"\s*(?:[–—-]|\bto\b|\bau\b|\bal\b)\s*)?{_DAY_MONTH_YEAR}",
    re.IGNORECASE,
)
# "March 17, 2026", as an American hand writes it.
_MONTH_DAY_YEAR = re.compile(
    rf"\b(?P<month>{_MONTH})\b\.?\s+(?P<day>[0-3]?\d)(?!\d)(?:st|nd|rd|th)?\b"
    rf"(?:,?\s+(?P<year>\d{{4}})(?!\d))?",
    re.IGNORECASE,
)
_WEEKDAY_THEN = re.compile(rf"\b(?P<weekday>{_WEEKDAY})\b,?\s+(?:(?:the|le|el)\s+)?", re.IGNORECASE)
_DAY_AT = re.compile(
    rf"(?P<day>[0-3]?\d)(?!\d){_ORDINAL}(?:\s+(?:de\s+)?(?P<month>{_MONTH})\b\.?"
    rf"(?:,?\s+(?:de\s+|del\s+)?(?P<year>\d{{4}})(?!\d))?)?",
    re.IGNORECASE,
)
_CYCLE_CODE = re.compile(r"\bCSP\s?(\d+)\b", re.IGNORECASE)
_NUMBER = re.compile(r"\d+(?::\d{2})?")


@dataclasses.dataclass(frozen=True)
class _Dates:
    """A date or a range of dates written in a text; None where no such day exists."""

    start: int
    end: int
    text: str
    first: dt.date | None
    last: dt.date | None


def _day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _year_near(month: int, day: int, near: dt.date) -> int:
    """The year a date written without one most likely means: the one nearest the meeting."""
    candidates = [
        (abs((date - near).days), date.year)
        for year in (near.year - 1, near.year, near.year + 1)
        if (date := _day(year, month, day))
    ]
    return min(candidates)[1] if candidates else near.year


def _dates_in(text: str, near: dt.date) -> list[_Dates]:
    found = []
    for match in _DATES.finditer(text):
        month = MONTHS[_fold(match["month"])]
        day = int(match["day"])
        year = int(match["year"]) if match["year"] else _year_near(month, day, near)
        last = _day(year, month, day)
        first = last
        if match["first_day"]:
            first_month = MONTHS[_fold(match["first_month"])] if match["first_month"] else month
            if match["first_year"]:
                first_year = int(match["first_year"])
            else:
                first_year = year - 1 if first_month > month else year
            first = _day(first_year, first_month, int(match["first_day"]))
        found.append(_Dates(match.start(), match.end(), match[0], first, last))
    for match in _MONTH_DAY_YEAR.finditer(text):
        if any(d.start < match.end() and match.start() < d.end for d in found):
            continue
        month = MONTHS[_fold(match["month"])]
        day = int(match["day"])
        year = int(match["year"]) if match["year"] else _year_near(month, day, near)
        date = _day(year, month, day)
        found.append(_Dates(match.start(), match.end(), match[0], date, date))
    return sorted(found, key=lambda dates: dates.start)


@dataclasses.dataclass(frozen=True)
class _WeekdayDate:
    text: str
    weekday: int
    date: dt.date | None


def _weekday_dates(text: str, near: dt.date) -> list[_WeekdayDate]:
    """ "Monday 17 March 2026", "lundi 17 mars", "el lunes 17 de marzo", "Monday, March 17"."""
    pairs = []
    for match in _WEEKDAY_THEN.finditer(text):
        weekday = WEEKDAYS[_fold(match["weekday"])]
        position = match.end()
        at = _DAY_AT.match(text, position)
        if at:
            day = int(at["day"])
            end = at.end()
            if at["month"]:
                month = MONTHS[_fold(at["month"])]
                year = int(at["year"]) if at["year"] else None
            else:
                # "Monday 16 – Thursday 19 March 2026": the month and year come later.
                later = _DATES.search(text, at.end(), at.end() + 60)
                if not later:
                    continue
                month = MONTHS[_fold(later["month"])]
                year = int(later["year"]) if later["year"] else None
        else:
            at = _MONTH_DAY_YEAR.match(text, position)
            if not at:
                continue
            day, month = int(at["day"]), MONTHS[_fold(at["month"])]
            year = int(at["year"]) if at["year"] else None
            end = at.end()
        if year is None:
            year = _year_near(month, day, near)
        pairs.append(_WeekdayDate(text[match.start() : end], weekday, _day(year, month, day)))
    return pairs


# Where the letter says what --------------------------------------------------------------


def _paragraph_places(letter: ComposedLetter) -> dict[str, str]:
    return {
        paragraph.key: f"paragraph {number} ({paragraph.key})"
        for number, paragraph in enumerate(letter.paragraphs, start=1)
    }


def _texts(letter: ComposedLetter) -> Iterator[tuple[str, str]]:
    """Every text of the letter that states facts, with the place an officer finds it."""
    yield "subject", letter.subject
    places = _paragraph_places(letter)
    for paragraph in letter.paragraphs:
        yield places[paragraph.key], paragraph.text
    annex = letter.annex
    yield "annex title", annex.title
    for row in annex.rows:
        for index, cell in enumerate(row.cells):
            day = annex.days[index] if index < len(annex.days) else str(index + 1)
            for line in [*cell.lines, cell.note]:
                if line:
                    yield f"annex, {day} {row.label}", line
    for note in annex.footnote:
        yield "annex footnote", note


def _long(day: dt.date) -> str:
    return date_format(day, "DATE_FORMAT")


def _range(first: dt.date, last: dt.date) -> str:
    return _long(first) if first == last else f"{_long(first)} – {_long(last)}"


def _weekday_name(day: dt.date) -> str:
    return date_format(day, "l")


# The meeting ------------------------------------------------------------------------------


def _local(session: Session, meeting: Meeting) -> tuple[dt.datetime, dt.datetime]:
    return session.start.astimezone(meeting.tz), session.end.astimezone(meeting.tz)


def _session_place(session: Session, meeting: Meeting) -> str:
    start, end = _local(session, meeting)
    return f"schedule, {date_format(start.date(), 'l j F Y')}, {start:%H:%M} – {end:%H:%M}"


def _sessions_outside_dates(meeting: Meeting, sessions: Sequence[Session]) -> list[Finding]:
    findings = []
    for session in sessions:
        start, end = _local(session, meeting)
        if meeting.start_date <= start.date() and end.date() <= meeting.end_date:
            continue
        findings.append(
            Finding(
                ERROR,
                "session-outside-dates",
                _session_place(session, meeting),
                _(
                    "The %(body)s session of %(day)s, %(start)s – %(end)s, falls outside the "
                    "meeting's dates (%(dates)s)."
                )
                % {
                    "body": session.body.label,
                    "day": _long(start.date()),
                    "start": f"{start:%H:%M}",
                    "end": f"{end:%H:%M}",
                    "dates": _range(meeting.start_date, meeting.end_date),
                },
            )
        )
    return findings


def _room_clashes(meeting: Meeting, sessions: Sequence[Session]) -> list[Finding]:
    findings = []
    ordered = sorted(sessions, key=lambda session: (session.start, session.end, session.pk))
    for index, first in enumerate(ordered):
        room = first.room.strip().casefold()
        if not room:
            continue
        for second in ordered[index + 1 :]:
            if second.start >= first.end:
                break
            if second.room.strip().casefold() != room:
                continue
            start, end = _local(second, meeting)
            first_start, first_end = _local(first, meeting)
            findings.append(
                Finding(
                    ERROR,
                    "room-clash",
                    _session_place(second, meeting),
                    _(
                        "%(room)s is booked twice on %(day)s: the %(first)s (%(first_start)s – "
                        "%(first_end)s) and the %(second)s (%(start)s – %(end)s)."
                    )
                    % {
                        "room": first.room.strip(),
                        "day": _long(start.date()),
                        "first": first.body.label,
                        "first_start": f"{first_start:%H:%M}",
                        "first_end": f"{first_end:%H:%M}",
                        "second": second.body.label,
                        "start": f"{start:%H:%M}",
                        "end": f"{end:%H:%M}",
                    },
                )
            )
    return findings


def _vacant_offices(meeting: Meeting) -> list[Office]:
    return list(
        Office.objects.filter(cycle_id=meeting.cycle_id, holder__isnull=True)
        .exclude(title=Office.Title.PRESIDENT)
        .select_related("body__parent", "cycle")
    )


def _scheduled_vacancies(
    sessions: Sequence[Session], offices: Iterable[Office]
) -> list[tuple[Office, bool]]:
    """Vacant offices whose body meets, directly (True) or through its sub-working groups."""
    meeting_bodies = {session.body_id for session in sessions}
    parents = {session.body.parent_id for session in sessions if session.body.parent_id}
    found = []
    for office in offices:
        if not office.is_vacant or office.title == Office.Title.PRESIDENT:
            continue
        if office.body_id in meeting_bodies:
            found.append((office, True))
        elif office.body_id in parents:
            found.append((office, False))
    return found


def _vacancy_message(office: Office, directly: bool) -> str:
    values = {
        "office": office_name(office, translation.get_language() or "en"),
        "body": office.body.label,
    }
    if directly:
        text = _("The office of %(office)s is vacant, and the %(body)s meets in this meeting.")
    else:
        text = _(
            "The office of %(office)s is vacant, and sub-working groups of the %(body)s meet "
            "in this meeting."
        )
    return text % values


def _documents(meeting: Meeting, where: str) -> list[Finding]:
    target = meeting.documents_target_date
    if not target:
        return []
    values = {
        "target": _long(target),
        "start": _long(meeting.start_date),
        "days": (meeting.start_date - target).days,
        "notice": meeting.cycle.treaty.documents_notice_days,
    }
    if target >= meeting.start_date:
        return [
            Finding(
                ERROR,
                "documents-after-start",
                where,
                _(
                    "The documents' target date, %(target)s, is not before the meeting opens on "
                    "%(start)s."
                )
                % values,
            )
        ]
    if (meeting.start_date - target).days < meeting.cycle.treaty.documents_notice_days:
        return [
            Finding(
                WARNING,
                "documents-short-notice",
                where,
                ngettext(
                    "The documents' target date, %(target)s, is %(days)s day before the meeting "
                    "opens on %(start)s: less than the usual %(notice)s days.",
                    "The documents' target date, %(target)s, is %(days)s days before the meeting "
                    "opens on %(start)s: less than the usual %(notice)s days.",
                    values["days"],
                )
                % values,
            )
        ]
    return []


def check_meeting(meeting: Meeting, *, offices: Iterable[Office] | None = None) -> list[Finding]:
    """What is wrong with the facts of a meeting, whatever a letter says about them.

    ``offices`` are the cycle's offices when they are loaded already (a letter's facts carry
    the vacant ones); otherwise they are read in one query.
    """
    sessions = list(meeting.sessions.all())
    findings = [
        *_sessions_outside_dates(meeting, sessions),
        *_room_clashes(meeting, sessions),
    ]
    for office, directly in _scheduled_vacancies(
        sessions, _vacant_offices(meeting) if offices is None else offices
    ):
        findings.append(
            Finding(WARNING, "office-vacant", "meeting", _vacancy_message(office, directly))
        )
    findings += _documents(meeting, "meeting")
    return findings


# The letter -------------------------------------------------------------------------------


def _cycle_codes(letter: ComposedLetter, meeting: Meeting) -> list[Finding]:
    code = meeting.cycle.code
    findings = []
    for where, text, finding_code, sentence in [
        (
            "subject",
            letter.subject,
            "subject-cycle-mismatch",
            _("The subject names %(wrong)s, but the letter invites to the %(code)s meetings."),
        ),
        (
            "annex title",
            letter.annex.title,
            "annex-cycle-mismatch",
            _("The annex title names %(wrong)s, but the letter invites to the %(code)s meetings."),
        ),
    ]:
        named = [f"CSP{number}" for number in _CYCLE_CODE.findall(text)]
        wrong = list(dict.fromkeys(other for other in named if other != code))
        if wrong:
            values = {"wrong": ", ".join(wrong), "code": code}
            findings.append(Finding(ERROR, finding_code, where, sentence % values))
    return findings


def _title_dates(letter: ComposedLetter, meeting: Meeting) -> list[Finding]:
    findings = []
    for where, text, finding_code, sentence in [
        (
            "subject",
            letter.subject,
            "subject-dates-mismatch",
            _("The subject gives the dates as “%(written)s”, but the meeting runs %(dates)s."),
        ),
        (
            "annex title",
            letter.annex.title,
            "annex-dates-mismatch",
            _("The annex title gives the dates as “%(written)s”, but the meeting runs %(dates)s."),
        ),
    ]:
        written = _dates_in(text, meeting.start_date)
        if not written:
            continue
        dates = written[-1]
        if (dates.first, dates.last) == (meeting.start_date, meeting.end_date):
            continue
        values = {"written": dates.text, "dates": _range(meeting.start_date, meeting.end_date)}
        findings.append(Finding(ERROR, finding_code, where, sentence % values))
    return findings


def _weekdays(letter: ComposedLetter, meeting: Meeting) -> list[Finding]:
    findings = []
    for where, text in _texts(letter):
        for pair in _weekday_dates(text, meeting.start_date):
            if pair.date is None:
                message = _("“%(text)s”: there is no such day.") % {"text": pair.text}
            elif pair.date.weekday() != pair.weekday:
                message = _("“%(text)s”: %(date)s is a %(weekday)s.") % {
                    "text": pair.text,
                    "date": _long(pair.date),
                    "weekday": _weekday_name(pair.date),
                }
            else:
                continue
            findings.append(Finding(ERROR, "weekday-date-mismatch", where, message))
    # The annex's column headings are the days from the Monday of the first week.
    days = grid_days(meeting.start_date, meeting.end_date)
    with translation.override(letter.language):
        expected = [date_format(day, "l") for day in days]
    headings = letter.annex.days
    for index, heading in enumerate(headings):
        if index < len(days) and _fold(heading) == _fold(expected[index]):
            continue
        message = (
            _("The annex column “%(heading)s” stands for %(date)s, a %(weekday)s.")
            % {
                "heading": heading,
                "date": _long(days[index]),
                "weekday": _weekday_name(days[index]),
            }
            if index < len(days)
            else _("The annex has a column “%(heading)s” after the meeting's last day, %(last)s.")
            % {"heading": heading, "last": _long(meeting.end_date)}
        )
        findings.append(Finding(ERROR, "weekday-date-mismatch", f"annex, {heading}", message))
    return findings


# Policy phrases in English, French and Spanish, matched on folded text (no accents, lower
# case, plain apostrophes), so "préalable" and "prealable" read alike.
def _phrases(*patterns: str) -> list[re.Pattern[str]]:
    return [re.compile(pattern) for pattern in patterns]


REGISTRATION_NOT_REQUIRED = _phrases(
    r"\bpre-?registration\b[^.;]*?\b(?:is|will)\s+not\s+(?:be\s+)?(?:required|needed|necessary|"
    r"mandatory|compulsory)",
    r"\bregistration\s+(?:is|will)\s+not\s+(?:be\s+)?(?:required|needed|necessary|mandatory)",
    r"\bno\s+(?:need\s+(?:for|to)\s+)?(?:pre-?)?regist(?:ration|er)\b",
    r"\bwithout\s+(?:prior\s+)?(?:pre-?)?registration\b",
    r"\b(?:do|does|will)\s+not\s+(?:need|have)\s+to\s+(?:pre-?)?register\b",
    r"\b(?:pre-?)?inscription\b[^.;]*?\b(?:n'est|ne\s+sera)\s+pas\s+(?:requise|necessaire|"
    r"obligatoire|exigee)",
    r"\bsans\s+(?:pre-?)?inscription\b",
    r"\baucune\s+(?:pre-?)?inscription\b",
    r"\bpas\s+(?:besoin|tenus?)\s+de\s+s'inscrire",
    r"\bno\s+(?:se\s+)?(?:requiere|requerira|sera\s+necesari[ao]|es\s+necesari[ao]|"
    r"sera\s+obligatori[ao]|es\s+obligatori[ao])\s+(?:la\s+|el\s+|ninguna\s+|ningun\s+)?"
    r"(?:(?:pre-?)?inscripcion|registro|inscribirse|registrarse)",
    r"\b(?:pre-?)?(?:inscripcion|registro)\b[^.;]*?\bno\s+(?:es|sera)\s+(?:necesari|obligatori|"
    r"requerid)",
    r"\bsin\s+(?:necesidad\s+de\s+)?(?:(?:pre-?)?inscripcion|registro|inscribirse|registrarse)",
    r"\bningun[ao]?\s+(?:pre-?)?(?:inscripcion|registro)\b",
)
REGISTRATION_REQUIRED = _phrases(
    r"\bmust\s+(?:pre-?)?register\b",
    r"\b(?:need|needs|required|requested|asked)\s+to\s+(?:pre-?)?register\b",
    r"\bpre-?registration\b(?:(?!\bnot\b)[^.;])*?\b(?:is|will\s+be)\s+(?:required|mandatory|"
    r"compulsory|necessary)",
    r"\bregistration\s+(?:is|will\s+be)\s+(?:required|mandatory|compulsory)",
    r"\b(?:doivent|devront|doit|devra)\s+s'inscrire",
    r"\btenus?\s+de\s+s'inscrire",
    r"(?<!aucune\s)\b(?:pre-?)?inscription\b(?:(?!\bpas\b)[^.;])*?\s(?:est|sera)\s+(?:requise|"
    r"obligatoire|necessaire|exigee)",
    r"\bdeber(?:a|an)\s+(?:inscribirse|registrarse)",
    r"(?<!\bno\s)(?<!\bno\sse\s)\b(?:se\s+)?(?:requiere|requerira)\s+(?:la\s+|el\s+)?(?:pre-?)?"
    r"(?:inscripcion|registro)",
    r"\b(?:pre-?)?(?:inscripcion|registro)\s+(?:previ[ao]\s+)?(?:es|sera)\s+(?:obligatori|"
    r"necesari|requerid)",
    r"(?<!\bno\s)\b(?:es|sera)\s+(?:obligatorio|necesario)\s+(?:inscribirse|registrarse)",
)
LIVESTREAM_WORDS = re.compile(
    r"\blive-?stream|\bwebcast|\bretransmi|\bdiffusion\s+en\s+direct|\bdiffuse\w*\s+en\s+direct|"
    r"\ben\s+direct\b|\btransmision\b|\btransmitir|\ben\s+directo\b|\ben\s+vivo\b"
)
LINK_WORDS = re.compile(r"\b(?:link|lien|enlace|vinculo)\b")
LIVESTREAM_PUBLIC = _phrases(
    r"\b(?:published|posted|made\s+available)\s+(?:on|at)\s+the\b[^.;]*?\bwebsite",
    r"\b(?:shared|circulated|sent|available|communicated)\s+(?:with|to)\s+(?:all|everyone)\b",
    r"\bpublicly\b",
    r"\bfor\s+(?:everyone|all\s+stakeholders)\b",
    r"\bpublie\w*\s+sur\s+le\s+site",
    r"\b(?:communique|transmis|diffuse|envoye|partage|adresse)e?s?\s+a\s+(?:toutes|tous)\b",
    r"\bpubliquement\b",
    r"\bpublicar\w*\s+en\s+(?:el\s+)?(?:sitio|portal|pagina)",
    r"\bpublicad[oa]\s+en\s+(?:el\s+)?(?:sitio|portal|pagina)",
    r"\b(?:compart|envi|distribu|comunic|circul|difund)\w*\s+(?:a|con|entre)\s+tod[oa]s\b",
    r"\bpublicamente\b",
)
LIVESTREAM_REGISTERED = _phrases(
    r"\bregistered\s+(?:delegates|participants|delegations|representatives|persons|people)\b",
    r"\bthose\s+who\s+(?:have\s+)?registered\b",
    r"\b(?:delegue|participant|representant|personne)e?s\s+inscrit",
    r"\bdelegations\s+inscrites\b",
    r"\b(?:delegad|participant|representant|persona)[oae]?s\s+(?:inscrit|registrad)",
    r"\bdelegaciones\s+(?:inscritas|registradas)\b",
)
LIVESTREAM_NONE = _phrases(
    r"\b(?:will\s+not|won't|cannot|can\s+not)\s+be\s+(?:live-?streamed|webcast|broadcast)",
    r"\bno\s+live-?stream",
    r"\bnot\s+(?:be\s+)?(?:live-?streamed|webcast)",
    r"\bne\s+(?:seront|sera)\s+pas\s+(?:retransmis|diffuse)",
    r"\bpas\s+de\s+(?:retransmission|diffusion)",
    r"\bno\s+(?:se\s+)?(?:transmitir|retransmitir)",
    r"\bsin\s+(?:transmision|retransmision)",
)


def _said(patterns: Sequence[re.Pattern[str]], text: str) -> str:
    """The first words of ``text`` that a pattern finds, as the text writes them."""
    folded = _fold(text)
    matches = [match for pattern in patterns if (match := pattern.search(folded))]
    if not matches:
        return ""
    first = min(matches, key=lambda match: match.start())
    return text[first.start() : first.end()]


def _livestream_sentences(text: str) -> str:
    """The sentences about the livestream, each with a following one about its link."""
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", text) if s]
    kept = []
    for index, sentence in enumerate(sentences):
        if LIVESTREAM_WORDS.search(_fold(sentence)):
            kept.append(sentence)
            following = sentences[index + 1] if index + 1 < len(sentences) else ""
            if LINK_WORDS.search(_fold(following)) and not LIVESTREAM_WORDS.search(
                _fold(following)
            ):
                kept.append(following)
    return " ".join(kept)


def _registration(letter: ComposedLetter, meeting: Meeting) -> list[Finding]:
    places = _paragraph_places(letter)
    policy = meeting.get_registration_display()
    not_required = [
        (paragraph, said)
        for paragraph in letter.paragraphs
        if (said := _said(REGISTRATION_NOT_REQUIRED, paragraph.text))
    ]
    required = [
        (paragraph, said)
        for paragraph in letter.paragraphs
        if (said := _said(REGISTRATION_REQUIRED, paragraph.text))
    ]
    if meeting.registration == Meeting.Registration.REQUIRED:
        wrong = not_required
    elif meeting.registration == Meeting.Registration.NONE:
        wrong = required
    elif required and not not_required:
        # Some sessions only: the letter asks everyone to register.
        wrong = required[:1]
    elif not_required and not required:
        # Some sessions only: the letter forgets the sessions that need registration.
        paragraph, said = not_required[0]
        return [
            Finding(
                ERROR,
                "registration-contradicts-policy",
                places[paragraph.key],
                _(
                    "The letter says “%(said)s” and does not say which sessions need "
                    "registration, but the meeting's policy is: %(policy)s."
                )
                % {"said": said, "policy": policy},
            )
        ]
    else:
        wrong = []
    return [
        Finding(
            ERROR,
            "registration-contradicts-policy",
            places[paragraph.key],
            _("The letter says “%(said)s”, but the meeting's policy is: %(policy)s.")
            % {"said": said, "policy": policy},
        )
        for paragraph, said in wrong
    ]


def _livestream(letter: ComposedLetter, meeting: Meeting) -> list[Finding]:
    places = _paragraph_places(letter)
    findings = []
    for paragraph in letter.paragraphs:
        about = _livestream_sentences(paragraph.text)
        if not about:
            continue
        negated = _said(LIVESTREAM_NONE, about)
        if meeting.livestream == Meeting.Livestream.NONE:
            said = "" if negated else _said([LIVESTREAM_WORDS], about)
        elif negated:
            said = negated
        elif meeting.livestream == Meeting.Livestream.REGISTERED:
            said = _said(LIVESTREAM_PUBLIC, about)
        else:
            said = _said(LIVESTREAM_REGISTERED, about)
        if said:
            findings.append(
                Finding(
                    ERROR,
                    "livestream-contradicts-policy",
                    places[paragraph.key],
                    _("The letter says “%(said)s”, but the meeting's policy is: %(policy)s.")
                    % {"said": said, "policy": meeting.get_livestream_display()},
                )
            )
    return findings


def _vacancies_in_letter(
    letter: ComposedLetter, facts: LetterFacts, sessions: Sequence[Session]
) -> list[Finding]:
    places = _paragraph_places(letter)
    said = next((p for p in letter.paragraphs if p.key == "office_holders"), None)
    said_text = _fold(said.text) if said else ""
    findings = []
    for office, directly in _scheduled_vacancies(sessions, facts.vacancies):
        message = _vacancy_message(office, directly)
        name = _fold(in_language(office.body, "name", letter.language))
        if said and name in said_text:
            where = places["office_holders"]
            message += " " + _("The letter says so in %(where)s.") % {"where": where}
        else:
            where = "meeting"
            message += " " + _("The letter does not say so.")
        findings.append(Finding(WARNING, "office-vacant", where, message))
    return findings


_ZONE = re.compile(
    r"\b(?P<name>CEST|CET|WEST|WET|EEST|EET|BST|GMT|UTC)\b"
    r"(?:\s?(?P<sign>[+\-−])(?P<hours>\d{1,2})(?::?(?P<minutes>\d{2}))?\b)?"
)


def _offset_label(offset: dt.timedelta) -> str:
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _time_zones(
    letter: ComposedLetter, meeting: Meeting, sessions: Sequence[Session]
) -> list[Finding]:
    zone = meeting.tz
    moments = [
        dt.datetime.combine(day, dt.time(12), tzinfo=zone)
        for day in (
            meeting.start_date + dt.timedelta(days=n)
            for n in range((meeting.end_date - meeting.start_date).days + 1)
        )
    ]
    moments += [moment.astimezone(zone) for s in sessions for moment in (s.start, s.end)]
    names = {moment.tzname() for moment in moments}
    offsets = {moment.utcoffset() for moment in moments}
    right = ", ".join(
        sorted({f"{moment.tzname()} ({_offset_label(moment.utcoffset())})" for moment in moments})
    )
    findings = []
    for where, text in _texts(letter):
        for match in _ZONE.finditer(text):
            if match["sign"]:
                if match["name"] not in ("UTC", "GMT"):
                    continue
                offset = dt.timedelta(hours=int(match["hours"]), minutes=int(match["minutes"] or 0))
                if match["sign"] != "+":
                    offset = -offset
                fits = offset in offsets
            else:
                fits = match["name"] in names or (
                    match["name"] in ("UTC", "GMT") and dt.timedelta(0) in offsets
                )
            if fits:
                continue
            findings.append(
                Finding(
                    ERROR,
                    "time-zone-mismatch",
                    where,
                    _("“%(written)s” is not the time in %(city)s on %(dates)s, which is %(right)s.")
                    % {
                        "written": match[0],
                        "city": meeting.local_city,
                        "dates": _range(meeting.start_date, meeting.end_date),
                        "right": right,
                    },
                )
            )
    return findings


# Words that join the words of a name: "Centre International de Conférences Genève".
_CONNECTORS = {"d", "de", "del", "des", "du", "el", "l", "la", "le", "les", "of", "the"}
_SYNONYMS = {"center": "centre", "centro": "centre"}
_WORD = re.compile(r"[^\W\d_]+")


def _stem(word: str, cities: set[str]) -> str:
    folded = _fold(word)
    if folded in cities:
        return "<city>"
    return _SYNONYMS.get(folded, folded)[:5]


def _venue_mentions(text: str, meeting: Meeting) -> list[str]:
    """Mentions of the venue written otherwise than its own name.

    The venue's name and a word-by-word translation share their words (the city in any of
    its languages, "conference" and "conférences", "centre" and "center"): a run of the
    name's words, joined only by "de", "of", "the" and the like, holding all but one of
    them, or the venue's acronym with another of them, is a mention of the venue.
    """
    venue = meeting.venue.strip()
    if not venue:
        return []
    cities = {_fold(city) for city in (meeting.city, meeting.city_fr, meeting.city_es) if city}
    acronym_match = re.search(r"\(([^)]+)\)\s*$", venue)
    acronym = _fold(acronym_match[1]) if acronym_match else ""
    name = venue[: acronym_match.start()] if acronym_match else venue
    name_stems = {
        _stem(word, cities) for word in _WORD.findall(name) if _fold(word) not in _CONNECTORS
    }
    stems = name_stems | ({acronym} if acronym else set())
    needed = max(2, len(name_stems) - 1)
    # The venue written exactly is blanked out, so only the other mentions are left.
    blanked = text.replace(venue, " " * len(venue))
    runs: list[list[tuple[str, int, int]]] = [[]]
    previous_end = 0
    for word in _WORD.finditer(blanked):
        if _fold(word[0]) in _CONNECTORS:
            continue
        key = _stem(word[0], cities)
        broken = re.search(r"[.;:!?]", blanked[previous_end : word.start()])
        repeated = any(key == seen for seen, _start, _end in runs[-1])
        if key not in stems or broken or repeated:
            runs.append([])
        if key in stems:
            runs[-1].append((key, word.start(), word.end()))
        previous_end = word.end()
    mentions = []
    for run in runs:
        matched = {key for key, _start, _end in run}
        if len(matched) >= needed or (acronym in matched and len(matched) >= 2):
            mentions.append(text[run[0][1] : run[-1][2]])
    return mentions


def _venues(letter: ComposedLetter, meeting: Meeting) -> list[Finding]:
    return [
        Finding(
            WARNING,
            "venue-near-miss",
            where,
            _("“%(written)s” looks like the venue, whose own name is “%(venue)s”.")
            % {"written": written, "venue": meeting.venue},
        )
        for where, text in _texts(letter)
        for written in _venue_mentions(text, meeting)
    ]


def _facts_in(text: str, meeting: Meeting) -> dict[str, set]:
    """The facts a paragraph states: its dates, codes, numbers, weekdays and the venue."""
    dates = _dates_in(text, meeting.start_date)
    rest = text
    for found in dates:
        rest = rest[: found.start] + " " * (found.end - found.start) + rest[found.end :]
    codes = {f"CSP{number}" for number in _CYCLE_CODE.findall(rest)}
    rest = _CYCLE_CODE.sub(" ", rest)
    return {
        "dates": {day for found in dates for day in (found.first, found.last) if day},
        "codes": codes,
        "numbers": set(_NUMBER.findall(rest)),
        "weekdays": {
            WEEKDAYS[_fold(match[0])]
            for match in re.finditer(rf"\b(?:{_WEEKDAY})\b", text, re.IGNORECASE)
        },
        "venue": {meeting.venue} if meeting.venue and meeting.venue in text else set(),
    }


def _said_facts(kind: str, values: set) -> list[str]:
    if kind == "dates":
        return [_long(day) for day in sorted(values)]
    if kind == "weekdays":
        # 1 January 2024 was a Monday.
        return [_weekday_name(dt.date(2024, 1, 1 + weekday)) for weekday in sorted(values)]
    return sorted(values)


def _hand_edits(
    letter: ComposedLetter,
    facts: LetterFacts,
    hand_edited: dict[str, str],
    on: dt.date,
) -> list[Finding]:
    meeting = facts.meeting
    fresh = compose_letter(facts, language=letter.language, letter_date=on)
    fresh_text = {paragraph.key: paragraph.text for paragraph in fresh.paragraphs}
    places = _paragraph_places(letter)
    findings = []
    for key, edited in hand_edited.items():
        where = places.get(key, f"paragraph ({key})")
        if key not in fresh_text:
            findings.append(
                Finding(
                    WARNING,
                    "hand-edit-stale",
                    where,
                    _("This paragraph was edited by hand, and the facts no longer call for it."),
                )
            )
            continue
        want = _facts_in(fresh_text[key], meeting)
        have = _facts_in(edited, meeting)
        missing = [said for kind in want for said in _said_facts(kind, want[kind] - have[kind])]
        if not missing:
            continue
        instead = [said for kind in want for said in _said_facts(kind, have[kind] - want[kind])]
        message = _(
            "This paragraph was edited by hand and no longer says %(missing)s, as the facts do."
        ) % {"missing": ", ".join(missing)}
        if instead:
            message += " " + _("It says %(instead)s instead.") % {"instead": ", ".join(instead)}
        findings.append(Finding(WARNING, "hand-edit-stale", where, message))
    return findings


def _signatory(letter: ComposedLetter) -> list[Finding]:
    if letter.signatory_name.strip():
        return []
    return [
        Finding(
            ERROR,
            "signatory-missing",
            "signature",
            _("The President's office has no holder: nobody signs the letter."),
        )
    ]


def _timing(meeting: Meeting, on: dt.date, documents_where: str) -> list[Finding]:
    findings = []
    if meeting.status in (Meeting.Status.CANCELLED, Meeting.Status.POSTPONED):
        findings.append(
            Finding(
                ERROR,
                "meeting-not-going-ahead",
                "meeting",
                _("The meeting is marked %(status)s.")
                % {"status": meeting.get_status_display().lower()},
            )
        )
    if on >= meeting.start_date:
        findings.append(
            Finding(
                ERROR,
                "invitation-after-start",
                "meeting",
                _("The letter would go out on %(on)s, but the meeting opens on %(start)s.")
                % {"on": _long(on), "start": _long(meeting.start_date)},
            )
        )
    target = meeting.documents_target_date
    if target and target < on and target < meeting.start_date:
        findings.append(
            Finding(
                WARNING,
                "documents-date-passed",
                documents_where,
                _("The letter gives %(target)s for the documents, a day already past on %(on)s.")
                % {"target": _long(target), "on": _long(on)},
            )
        )
    return findings


def check_letter(
    letter: ComposedLetter,
    facts: LetterFacts,
    *,
    hand_edited: dict[str, str] | None = None,
    on: dt.date | None = None,
) -> list[Finding]:
    """What a careful officer finds wrong with a letter before it goes out on ``on``.

    ``facts`` are those the letter was composed from (``letter_facts``); ``hand_edited``
    maps a paragraph's key to the text an officer typed for it (the letter already holds
    that text). Findings about the meeting come first, then those about the letter.
    """
    on = on or timezone.localdate()
    meeting = facts.meeting
    sessions = list(meeting.sessions.all())
    places = _paragraph_places(letter)
    documents_where = places.get("documents", "meeting")
    findings = [
        *_sessions_outside_dates(meeting, sessions),
        *_room_clashes(meeting, sessions),
        *_vacancies_in_letter(letter, facts, sessions),
        *_documents(meeting, documents_where),
        *_timing(meeting, on, documents_where),
        *_signatory(letter),
        *_cycle_codes(letter, meeting),
        *_title_dates(letter, meeting),
        *_weekdays(letter, meeting),
        *_time_zones(letter, meeting, sessions),
        *_registration(letter, meeting),
        *_livestream(letter, meeting),
        *_venues(letter, meeting),
    ]
    if hand_edited:
        findings += _hand_edits(letter, facts, hand_edited, on)
    return findings
