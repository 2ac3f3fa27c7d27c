"""An invitation letter composed from the facts of a meeting.

Every paragraph carries the key of the fact or policy it follows from, so that a change of
fact changes the paragraph, a hand edit can be compared with what the facts say, and the
checks know where each finding is. The composed letter is plain data (``to_dict`` and
``from_dict``): an issued letter keeps it frozen, and every format is rendered from it.
"""

import dataclasses
import datetime as dt
from typing import Any

from django.utils import translation
from django.utils.dateformat import format as format_date
from django.utils.translation import pgettext

from convocation.cycles.models import ConferenceCycle, Office
from convocation.cycles.queries import offices_of_cycle
from convocation.letters.wording import date_range, date_span, long_date, ordinal
from convocation.meetings import policies
from convocation.meetings.models import Meeting
from convocation.meetings.queries import grid_for
from convocation.meetings.schedule import Grid


@dataclasses.dataclass(frozen=True)
class Paragraph:
    key: str
    text: str


@dataclasses.dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: list[Paragraph]


@dataclasses.dataclass(frozen=True)
class AnnexCell:
    lines: list[str]
    note: str = ""
    outside: bool = False


@dataclasses.dataclass(frozen=True)
class AnnexRow:
    label: str
    cells: list[AnnexCell]


@dataclasses.dataclass(frozen=True)
class Annex:
    title: str
    days: list[str]
    rows: list[AnnexRow]
    footnote: list[str]


@dataclasses.dataclass(frozen=True)
class ComposedLetter:
    language: str
    letterhead: list[str]
    place_and_date: str
    addressees: list[str]
    salutation: str
    subject: str
    sections: list[Section]
    closing: list[str]
    signatory_name: str
    signatory_title: str
    annex: Annex

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [paragraph for section in self.sections for paragraph in section.paragraphs]

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "ComposedLetter":
        annex = data["annex"]
        return cls(
            **{
                **data,
                "sections": [
                    Section(section["heading"], [Paragraph(**p) for p in section["paragraphs"]])
                    for section in data["sections"]
                ],
                "annex": Annex(
                    title=annex["title"],
                    days=annex["days"],
                    rows=[
                        AnnexRow(row["label"], [AnnexCell(**cell) for cell in row["cells"]])
                        for row in annex["rows"]
                    ],
                    footnote=annex["footnote"],
                ),
            }
        )


@dataclasses.dataclass(frozen=True)
class LetterFacts:
    """What a letter needs beyond the meeting: loaded once, in a fixed number of queries."""

    meeting: Meeting
    previous_cycle: ConferenceCycle | None
    president: Office | None
    vacancies: list[Office]
    # Every office serving the cycle: which are vacant depends on the letter's date.
    offices: list[Office]


def letter_facts(meeting: Meeting) -> LetterFacts:
    """The facts of a meeting loaded with ``queries.meeting_with_schedule``."""
    cycle = meeting.cycle
    previous = ConferenceCycle.objects.filter(treaty=cycle.treaty, number=cycle.number - 1).first()
    offices = list(offices_of_cycle(cycle).select_related("cycle", "holder__state", "body__parent"))
    offices.sort(key=_office_order)
    president = next((o for o in offices if o.title == Office.Title.PRESIDENT), None)
    vacancies = [o for o in offices if o.is_vacant and o.title != Office.Title.PRESIDENT]
    return LetterFacts(meeting, previous, president, vacancies, offices)


def _office_order(office: Office) -> tuple:
    return (office.body.order if office.body else 0, office.title, office.seat)


def vacancies_on(facts: LetterFacts, day: dt.date) -> list[Office]:
    """The offices other than the President's that nobody holds on the day of the letter."""
    return [
        office
        for office in facts.offices
        if office.title != Office.Title.PRESIDENT and office.vacant_on(day)
    ]


def conference_name(cycle: ConferenceCycle, language: str) -> str:
    """ "Twelfth Conference of States Parties (CSP12)" in the letter's language."""
    with translation.override(language):
        return pgettext("letter", "%(ordinal)s Conference of States Parties (%(code)s)") % {
            "ordinal": ordinal(cycle.number, language).capitalize(),
            "code": cycle.code,
        }


def _paragraph_preparatory_process(facts: LetterFacts, language: str) -> Paragraph:
    cycle = facts.meeting.cycle
    treaty = cycle.treaty.local_name
    this = conference_name(cycle, language)
    if facts.previous_cycle and facts.previous_cycle.conference_start:
        text = pgettext(
            "letter",
            "At their %(previous)s, held %(dates)s, the States Parties to the %(treaty)s "
            "set up an informal preparatory process towards the %(this)s.",
        ) % {
            "previous": conference_name(facts.previous_cycle, language),
            "dates": date_span(
                facts.previous_cycle.conference_start,
                facts.previous_cycle.conference_end or facts.previous_cycle.conference_start,
                language,
            ),
            "treaty": treaty,
            "this": this,
        }
    else:
        text = pgettext(
            "letter", "An informal preparatory process towards the %(this)s is under way."
        ) % {"this": this}
    if cycle.announcement_date:
        text += " " + pgettext(
            "letter",
            "On %(date)s, the President announced the schedule of the meetings leading up to "
            "%(code)s and the office holders for the period.",
        ) % {"date": long_date(cycle.announcement_date, language), "code": cycle.code}
    return Paragraph("preparatory_process", text)


def _paragraph_dates_and_venue(facts: LetterFacts, language: str) -> Paragraph:
    meeting = facts.meeting
    with translation.override(language):
        place = f"{meeting.venue}, {meeting.local_city}, {meeting.local_country}"
    values = {
        "dates": date_span(meeting.start_date, meeting.end_date, language),
        "place": place,
        "treaty": meeting.cycle.treaty.local_acronym,
    }
    if meeting.kind == Meeting.Kind.WORKING_GROUPS:
        text = pgettext(
            "letter",
            "It is my pleasure to invite you to the meetings of the %(treaty)s Working Groups, "
            "to be held %(dates)s at the %(place)s. The arrangements for the meetings are "
            "set out below.",
        )
    else:
        text = pgettext(
            "letter",
            "It is my pleasure to invite you to the %(kind)s, to be held %(dates)s at the "
            "%(place)s. The arrangements for the meeting are set out below.",
        )
        values["kind"] = meeting.get_kind_display().lower()
    return Paragraph("dates_and_venue", text % values)


def _paragraph_format(facts: LetterFacts, grid: Grid, language: str) -> Paragraph:
    meeting = facts.meeting
    sentences = []
    if meeting.format == Meeting.Format.VIRTUAL:
        sentences.append(pgettext("letter", "The meetings will be held online only."))
    elif meeting.format == Meeting.Format.HYBRID:
        sentences.append(
            pgettext(
                "letter", "Delegates may take part in the meetings either in person or online."
            )
        )
    else:
        sentences.append(pgettext("letter", "The meetings will be held in person."))
    if meeting.livestream == Meeting.Livestream.PUBLIC:
        sentences.append(
            pgettext(
                "letter",
                "Those who cannot attend in person may follow them by livestream; the link will "
                "be shared with all stakeholders and published on the %(treaty)s website before "
                "the meetings.",
            )
            % {"treaty": meeting.cycle.treaty.local_acronym}
        )
    elif meeting.livestream == Meeting.Livestream.REGISTERED:
        sentences.append(
            pgettext(
                "letter",
                "Those who cannot attend in person may follow them by livestream; the link will "
                "be sent to registered delegates before the meetings.",
            )
        )
    slots = [
        pgettext("letter", "%(start)s to %(end)s")
        % {"start": f"{row.slot.start:%H:%M}", "end": f"{row.slot.end:%H:%M}"}
        for row in grid.rows
    ]
    if slots:
        sentences.append(
            pgettext("letter", "Sessions will run daily from %(slots)s (%(city)s time).")
            % {"slots": pgettext("letter", " and ").join(slots), "city": meeting.local_city}
        )
    return Paragraph("format_and_livestream", " ".join(sentences))


def _paragraph_schedule(facts: LetterFacts, language: str) -> Paragraph:
    if facts.meeting.schedule_is_draft:
        text = pgettext(
            "letter",
            "The order and length of the meetings are shown in the draft schedule in the Annex, "
            "which may be adjusted as necessary.",
        )
    else:
        text = pgettext(
            "letter", "The order and length of the meetings are shown in the schedule in the Annex."
        )
    return Paragraph("schedule", text)


def _paragraph_documents(facts: LetterFacts, language: str) -> Paragraph:
    meeting = facts.meeting
    values = {"treaty": meeting.cycle.treaty.local_acronym}
    if meeting.documents_target_date:
        values["date"] = long_date(meeting.documents_target_date, language)
        text = pgettext(
            "letter",
            "The Chairs of the Working Groups and the other %(treaty)s office holders intend to "
            "issue the documents for the meetings through the %(treaty)s Secretariat on "
            "%(date)s.",
        )
    else:
        text = pgettext(
            "letter",
            "The Chairs of the Working Groups and the other %(treaty)s office holders are issuing "
            "the documents for the meetings through the %(treaty)s Secretariat together with "
            "this letter.",
        )
    return Paragraph("documents", text % values)


def _paragraph_registration(facts: LetterFacts, grid: Grid, language: str) -> list[Paragraph]:
    meeting = facts.meeting
    treaty = meeting.cycle.treaty.local_acronym
    if meeting.registration == Meeting.Registration.REQUIRED:
        text = pgettext("letter", "Delegates must register in advance for all the meetings.")
        if meeting.collects_gender_data:
            text += " " + pgettext(
                "letter",
                "Registration allows the %(treaty)s Secretariat to collect gender-disaggregated "
                "attendance data, as the Conference of States Parties has requested, in order to "
                "foster gender balance in delegations.",
            ) % {"treaty": treaty}
        text += " " + pgettext(
            "letter", "The %(treaty)s Secretariat will circulate the registration link."
        ) % {"treaty": treaty}
    elif meeting.registration == Meeting.Registration.SOME_SESSIONS:
        closed = [
            pgettext("letter", "the meeting of the %(body)s on %(date)s")
            % {"body": session.full_name, "date": long_date(cell.day, language)}
            for row in grid.rows
            for cell in row.cells
            for session in cell.sessions
            if session.closed
        ]
        text = pgettext(
            "letter",
            "Pre-registration is not needed for these meetings. The exception is %(closed)s, "
            "which is open to States Parties and signatory States only: their representatives "
            "who wish to take part must register. Details of the arrangements will be shared "
            "with the documents for that meeting.",
        ) % {"closed": pgettext("letter", " and ").join(closed)}
    else:
        text = pgettext("letter", "Pre-registration is not needed for these meetings.")
    website = meeting.cycle.treaty.website
    more = pgettext(
        "letter",
        "Further information and documents for the meetings are available on the %(treaty)s "
        "website%(address)s.",
    ) % {"treaty": treaty, "address": f" ({website})" if website else ""}
    return [Paragraph("registration", text), Paragraph("website", more)]


def _paragraph_office_holders(
    facts: LetterFacts, language: str, letter_date: dt.date
) -> Paragraph | None:
    vacancies = vacancies_on(facts, letter_date)
    if not vacancies:
        return None
    names = [office_name(office, language) for office in vacancies]
    cycle = facts.meeting.cycle
    text = pgettext(
        "letter",
        "I regret to inform you that the following offices remain vacant: %(offices)s. I "
        "again encourage all eligible States Parties to put forward nominations of delegates "
        "with relevant expertise, and to contact the office of the %(code)s President or the "
        "%(treaty)s Secretariat at their earliest convenience.",
    ) % {
        "offices": pgettext("letter", "; ").join(names),
        "code": cycle.code,
        "treaty": cycle.treaty.local_acronym,
    }
    return Paragraph("office_holders", text)


def office_name(office: Office, language: str) -> str:
    with translation.override(language):
        title = office.get_title_display()
        if office.body is None:
            return f"{title}, {office.cycle.code}"
        return pgettext("letter", "%(title)s of the %(body)s") % {
            "title": title,
            "body": office.body.full_name,
        }


def _annex(facts: LetterFacts, grid: Grid, language: str) -> Annex:
    meeting = facts.meeting
    closed_note = pgettext("letter", "(States Parties and signatory States only)")
    rows = [
        AnnexRow(
            row.slot.label,
            [
                AnnexCell(
                    lines=[session.label for session in cell.sessions],
                    note=closed_note if any(s.closed for s in cell.sessions) else "",
                    outside=not cell.in_meeting,
                )
                for cell in row.cells
            ],
        )
        for row in grid.rows
    ]
    rows.append(
        AnnexRow(
            pgettext("letter", "SIDE EVENTS"),
            [
                AnnexCell(
                    lines=[
                        *cell.titles,
                        *([pgettext("letter", "tbc")] if cell.to_be_confirmed else []),
                    ],
                    outside=not cell.in_meeting,
                )
                for cell in grid.side_events
            ],
        )
    )
    title = pgettext("letter", "%(schedule)s of %(code)s %(kind)s: %(dates)s") % {
        "schedule": pgettext("letter", "Draft schedule")
        if meeting.schedule_is_draft
        else pgettext("letter", "Schedule"),
        "code": meeting.cycle.code,
        "kind": meeting.get_kind_display(),
        "dates": date_range(meeting.start_date, meeting.end_date, language),
    }
    footnote = [
        *policies.footnote(meeting, grid),
        pgettext(
            "letter",
            "The draft agendas of the meetings are among the documents that the Chairs of the "
            "Working Groups and the other office holders issue through the Secretariat.",
        ),
    ]
    return Annex(
        title=title.upper(),
        days=[_weekday(day, language) for day in grid.days],
        rows=rows,
        footnote=footnote,
    )


def _weekday(day: dt.date, language: str) -> str:
    with translation.override(language):
        return format_date(day, "l").capitalize()


def compose_letter(facts: LetterFacts, *, language: str, letter_date: dt.date) -> ComposedLetter:
    """The President's invitation to a meeting, in one of the treaty's languages."""
    meeting = facts.meeting
    cycle = meeting.cycle
    treaty = cycle.treaty
    with translation.override(language):
        # Body names in the grid are in the active language: build it inside the override.
        grid = grid_for(meeting)
        code = treaty.local_acronym
        addressees = [
            pgettext("letter", "Representatives of States Parties to the %(treaty)s"),
            pgettext("letter", "Representatives of Signatory States to the %(treaty)s"),
            pgettext("letter", "Representatives of Observer States to the %(treaty)s"),
            pgettext("letter", "Representatives of International and Regional Organizations"),
            pgettext("letter", "Representatives of Civil Society, NGOs and Industry"),
        ]
        addressees = [line % {"treaty": treaty.local_name} for line in addressees]
        subject = pgettext(
            "letter", "Invitation to the %(treaty)s %(code)s %(kind)s: %(dates)s"
        ) % {
            "treaty": code,
            "code": cycle.code,
            "kind": meeting.get_kind_display(),
            "dates": date_range(meeting.start_date, meeting.end_date, language),
        }
        sections = [
            Section(
                "",
                [
                    _paragraph_preparatory_process(facts, language),
                    _paragraph_dates_and_venue(facts, language),
                    _paragraph_format(facts, grid, language),
                ],
            ),
            Section(
                pgettext("letter", "Draft schedule of meetings"),
                [_paragraph_schedule(facts, language)],
            ),
            Section(pgettext("letter", "Documents"), [_paragraph_documents(facts, language)]),
            Section(
                pgettext("letter", "Registration"), _paragraph_registration(facts, grid, language)
            ),
        ]
        vacancies = _paragraph_office_holders(facts, language, letter_date)
        if vacancies:
            sections.append(Section(pgettext("letter", "Office holders"), [vacancies]))
        president = facts.president
        signatory_name = president.holder.formal_name if president and president.holder else ""
        feminine = bool(president and president.holder and president.holder.is_woman)
        signatory_title = (
            pgettext("letter, woman", "President of the %(conference)s to the %(treaty)s")
            if feminine
            else pgettext("letter", "President of the %(conference)s to the %(treaty)s")
        ) % {
            "conference": conference_name(cycle, language).split(" (")[0],
            "treaty": code,
        }
        return ComposedLetter(
            language=language,
            letterhead=[
                pgettext("letter", "The %(treaty)s") % {"treaty": treaty.local_name},
                *treaty.address_lines,
            ],
            place_and_date=long_date(letter_date, language),
            addressees=addressees,
            salutation=pgettext("letter", "Dear Distinguished Representatives,"),
            subject=subject.upper(),
            sections=sections,
            closing=[
                pgettext(
                    "letter",
                    "Please accept, Distinguished Representatives, the assurances of my highest "
                    "consideration.",
                ),
            ],
            signatory_name=signatory_name,
            signatory_title=signatory_title,
            annex=_annex(facts, grid, language),
        )
