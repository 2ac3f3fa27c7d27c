"""The checks before a letter goes out.

The demo's CSP12 letter, composed from the data, is clean but for what the facts themselves
say (two offices are vacant; the documents' target date is 27 days ahead). Each test then
plants one fault, the way it happens in a real letter, and expects that finding and no other.
"""

import dataclasses
import datetime as dt
import zoneinfo

import pytest

from convocation.cycles.models import Office
from convocation.letters.checks import (
    ERROR,
    WARNING,
    Finding,
    blocking,
    check_letter,
    check_meeting,
)
from convocation.letters.composition import (
    ComposedLetter,
    LetterFacts,
    Paragraph,
    Section,
    compose_letter,
    letter_facts,
)
from convocation.meetings.models import Meeting, Session
from convocation.meetings.queries import meeting_with_schedule
from convocation.people.models import Person
from convocation.treaties.models import Body

GENEVA = zoneinfo.ZoneInfo("Europe/Zurich")
CSP12 = "att-csp12-wg"
CSP10 = "att-csp10-wg"
LETTER_DATE = dt.date(2026, 1, 16)
CSP10_LETTER_DATE = dt.date(2024, 1, 22)
LANGUAGES = ["en", "fr", "es"]
VENUE = "Centre International de Conférences Genève (CICG)"

VACANCIES = [
    (WARNING, "office-vacant", "paragraph 8 (office_holders)"),
    (WARNING, "office-vacant", "paragraph 8 (office_holders)"),
]
SHORT_NOTICE = (WARNING, "documents-short-notice", "paragraph 5 (documents)")
DEMO_FINDINGS = [*VACANCIES, SHORT_NOTICE]

# The ATT demo keeps the treaty's default notice for documents.
DOCUMENTS_NOTICE_DAYS = 28


def csp12(language: str = "en") -> tuple[ComposedLetter, LetterFacts]:
    facts = letter_facts(meeting_with_schedule(CSP12))
    return compose_letter(facts, language=language, letter_date=LETTER_DATE), facts


def csp10(language: str = "en") -> tuple[ComposedLetter, LetterFacts]:
    facts = letter_facts(meeting_with_schedule(CSP10))
    return compose_letter(facts, language=language, letter_date=CSP10_LETTER_DATE), facts


def brief(findings: list[Finding]) -> list[tuple[str, str, str]]:
    return [(finding.severity, finding.code, finding.where) for finding in findings]


def beyond_demo(findings: list[Finding]) -> list[tuple[str, str, str]]:
    """The findings other than the demo letter's own, which must all still be there."""
    rest = brief(findings)
    for expected in DEMO_FINDINGS:
        rest.remove(expected)
    return rest


def only(findings: list[Finding], code: str) -> list[Finding]:
    return [finding for finding in findings if finding.code == code]


def paragraph_text(letter: ComposedLetter, key: str) -> str:
    return next(p.text for p in letter.paragraphs if p.key == key)


def with_paragraph(letter: ComposedLetter, key: str, text: str) -> ComposedLetter:
    sections = [
        Section(
            section.heading,
            [Paragraph(p.key, text if p.key == key else p.text) for p in section.paragraphs],
        )
        for section in letter.sections
    ]
    assert any(p.key == key for s in sections for p in s.paragraphs)
    return dataclasses.replace(letter, sections=sections)


def with_annex(letter: ComposedLetter, **changes) -> ComposedLetter:
    return dataclasses.replace(letter, annex=dataclasses.replace(letter.annex, **changes))


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=GENEVA)


def update_csp12(**fields) -> None:
    Meeting.objects.filter(slug=CSP12).update(**fields)


# The demo ---------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_demo_csp12_letter_gives_the_vacancy_warnings_and_no_error(demo, language):
    letter, facts = csp12(language)

    findings = check_letter(letter, facts, on=LETTER_DATE)

    # The documents' target date of the real letter, 17 February, is 27 days before the
    # meeting: one day short of the 28 days taken as the usual notice.
    assert brief(findings) == DEMO_FINDINGS
    assert blocking(findings) == []
    assert findings[0].message == (
        "The office of Chair of the Working Group on Effective Treaty Implementation (WGETI) "
        "is vacant, and sub-working groups of the WGETI meet in this meeting. The letter says "
        "so in paragraph 8 (office_holders)."
    )
    assert findings[1].message == (
        "The office of Facilitator of the WGETI Sub-working Group on current and emerging "
        "implementation issues is vacant, and the WGETI Sub-working Group on current and "
        "emerging implementation issues meets in this meeting. The letter says so in "
        "paragraph 8 (office_holders)."
    )
    assert findings[2].message == (
        "The documents' target date, 17 February 2026, is 27 days before the meeting opens on "
        "16 March 2026: less than the usual 28 days."
    )


def test_demo_csp12_letter_with_four_weeks_notice_gives_exactly_the_vacancy_warnings(demo):
    update_csp12(documents_target_date=dt.date(2026, 3, 16) - dt.timedelta(DOCUMENTS_NOTICE_DAYS))
    letter, facts = csp12()

    assert brief(check_letter(letter, facts, on=LETTER_DATE)) == VACANCIES


@pytest.mark.parametrize("language", LANGUAGES)
def test_demo_csp10_letter_has_no_finding(demo, language):
    letter, facts = csp10(language)

    assert check_letter(letter, facts, on=CSP10_LETTER_DATE) == []


def test_check_meeting_gives_the_facts_alone(demo):
    findings = check_meeting(meeting_with_schedule(CSP12))

    assert brief(findings) == [
        (WARNING, "office-vacant", "meeting"),
        (WARNING, "office-vacant", "meeting"),
        (WARNING, "documents-short-notice", "meeting"),
    ]
    assert check_meeting(meeting_with_schedule(CSP10)) == []


# The real letters as they went out ----------------------------------------------------------

REAL_2026 = {
    "subject": "INVITATION TO THE ATT CSP12 WORKING GROUP MEETINGS: 16 - 19 MARCH 2026",
    "annex title": "DRAFT SCHEDULE OF CSP11 WORKING GROUP MEETINGS: 16-19 MARCH 2026",
    "preparatory_process": (
        "The Eleventh Conference States Parties (CSP11) to the Arms Trade Treaty (ATT), held on "
        "25 – 29 August 2025, established an informal preparatory process for the Twelfth "
        "Conference of States Parties (CSP12). On 1 December 2025, the President issued an "
        "announcement regarding the schedule of ATT meetings for the period leading up to CSP12 "
        "and the ATT office holders."
    ),
    "dates_and_venue": (
        "I have the pleasure to invite you to the meetings of the ATT Working Groups, which will "
        "take place over the period 16 – 19 March 2026 at the Centre International de "
        "Conférences Genève (CICG), Geneva, Switzerland. Information pertaining to the meetings "
        "is outlined below."
    ),
    "format_and_livestream": (
        "The meetings of the ATT Working Groups will be held in-person, with an option for those "
        "who cannot attend in-person to follow the meetings via livestreaming. The relevant link "
        "will be circulated to registered delegates in advance of the meetings."
    ),
    "schedule": (
        "The order and duration of the meetings are reflected in the draft schedule in the "
        "attached Annex. The draft schedule remains subject to change, as appropriate."
    ),
    "documents": (
        "The Chairs of the Working Groups and other ATT office holders aim to issue meeting "
        "documents through the ATT Secretariat on 17 February 2026."
    ),
    "registration": (
        "It is brought to your attention that pre-registration for the Working Group meetings "
        "will be required to facilitate the collection of gender-disaggregated attendance data "
        "by the ATT Secretariat. This is done in response to the call of CSP10 to collect this "
        "data during ATT Working Group and Preparatory meetings, in addition to the data "
        "collected at CSPs, to foster gender balance in delegations. The ATT Secretariat will "
        "circulate a link to the registration form in due course."
    ),
    "website": (
        "Delegates are encouraged to consult the ATT website for further information and "
        "documentation related to the forthcoming meetings."
    ),
    "office_holders": (
        "In line with my undertaking to keep States Parties and other stakeholders updated "
        "concerning the status of appointment of ATT office holders, I regret to inform you that "
        "the position of Chair of the Working Group on Effective Treaty Implementation (WGETI) "
        "and Facilitator of the WGETI Sub-working Group on Current and Emerging Implementation "
        "Issues remains vacant. I once again urge all eligible States Parties to consider "
        "submitting nominations by presenting delegates with relevant expertise. Interested "
        "States Parties are kindly invited to contact the office of the CSP12 President or the "
        "ATT Secretariat at their earliest convenience."
    ),
}
REAL_2024 = {
    "subject": "INVITATION TO THE ATT CSP10 WORKING GROUP MEETINGS: 20 - 23 FEBRUARY 2024",
    "annex title": "DRAFT SCHEDULE OF CSP10 WORKING GROUP MEETINGS: 20-23 FEBRUARY 2024",
    "preparatory_process": (
        "The Ninth Conference States Parties (CSP9) to the Arms Trade Treaty held on 21 - 25 "
        "August 2023 established an informal preparatory process for the Tenth Conference of "
        "States Parties (CSP10). On 20 November 2023, the President issued an announcement "
        "regarding the schedule of ATT meetings for the period leading up to CSP10 and the ATT "
        "office holders."
    ),
    "dates_and_venue": (
        "I have the pleasure to invite you to the meetings of the ATT Working Groups, which will "
        "take place over the period 20 - 23 February 2024 at the Centre International de "
        "Conférences Genève (CICG), Geneva, Switzerland. Information pertaining to the meetings "
        "is outlined below."
    ),
    "format_and_livestream": (
        "The meetings of the ATT Working Groups will be held in-person, with an option for those "
        "who cannot attend in-person to follow the meetings via livestreaming. The link to "
        "follow the meetings via livestreaming will be circulated to all stakeholders and "
        "published on the ATT website in advance of the meetings. Daily sessions of the "
        "meetings will take place from 10:00 to 13:00 and 15:00 to 18:00 (Geneva time)."
    ),
    "schedule": (
        "The order and duration of the meetings is reflected in the draft schedule in the "
        "attached Annex. The draft schedule is subject to change, as appropriate."
    ),
    "documents": (
        "Documents for the meetings will be issued by the Chairs of the Working Groups and other "
        "ATT office holders through the ATT Secretariat alongside this invitation."
    ),
    "registration": (
        "It is brought to your attention that pre-registration will not be required for these "
        "meetings. However, representatives of States Parties and Signatory States wishing to "
        "participate in the meeting of the Diversion Information Exchange Forum (DIEF) on 22 "
        "February 2024 will need to register. Further details on the administrative "
        "arrangements will be shared upon circulation of the documentation for this DIEF "
        "meeting."
    ),
    "website": (
        "Delegates are encouraged to visit the ATT website (here) for further information and "
        "documentation pertaining to the forthcoming meetings."
    ),
}


def as_sent(letter: ComposedLetter, real: dict[str, str]) -> ComposedLetter:
    for paragraph in letter.paragraphs:
        letter = with_paragraph(letter, paragraph.key, real[paragraph.key])
    letter = dataclasses.replace(letter, subject=real["subject"])
    return with_annex(letter, title=real["annex title"])


def test_real_2026_letter_as_sent_names_csp11_in_its_annex_title(demo):
    letter, facts = csp12()
    sent = as_sent(letter, REAL_2026)

    findings = check_letter(sent, facts, on=LETTER_DATE)

    assert beyond_demo(findings) == [(ERROR, "annex-cycle-mismatch", "annex title")]
    assert only(findings, "annex-cycle-mismatch")[0].message == (
        "The annex title names CSP11, but the letter invites to the CSP12 meetings."
    )


def test_real_2026_letter_typed_by_hand_no_longer_gives_the_session_times(demo):
    letter, facts = csp12()
    sent = as_sent(letter, REAL_2026)
    typed = {paragraph.key: paragraph.text for paragraph in sent.paragraphs}

    findings = check_letter(sent, facts, on=LETTER_DATE, hand_edited=typed)

    assert beyond_demo(findings) == [
        (ERROR, "annex-cycle-mismatch", "annex title"),
        (WARNING, "hand-edit-stale", "paragraph 3 (format_and_livestream)"),
    ]
    assert only(findings, "hand-edit-stale")[0].message == (
        "This paragraph was edited by hand and no longer says 10:00, 13:00, 15:00, 18:00, as "
        "the facts do."
    )


def test_real_2024_letter_as_sent_has_no_finding(demo):
    letter, facts = csp10()
    sent = as_sent(letter, REAL_2024)
    typed = {paragraph.key: paragraph.text for paragraph in sent.paragraphs}

    assert check_letter(sent, facts, on=CSP10_LETTER_DATE, hand_edited=typed) == []


# Another CSP, other dates ------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_annex_title_naming_another_csp_is_an_error(demo, language):
    letter, facts = csp12(language)
    wrong = with_annex(letter, title=letter.annex.title.replace("CSP12", "CSP11"))

    findings = check_letter(wrong, facts, on=LETTER_DATE)

    assert beyond_demo(findings) == [(ERROR, "annex-cycle-mismatch", "annex title")]


@pytest.mark.parametrize("language", LANGUAGES)
def test_subject_naming_another_csp_is_an_error(demo, language):
    letter, facts = csp12(language)
    wrong = dataclasses.replace(letter, subject=letter.subject.replace("CSP12", "CSP13"))

    findings = check_letter(wrong, facts, on=LETTER_DATE)

    assert beyond_demo(findings) == [(ERROR, "subject-cycle-mismatch", "subject")]
    assert only(findings, "subject-cycle-mismatch")[0].message == (
        "The subject names CSP13, but the letter invites to the CSP12 meetings."
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_subject_and_annex_title_with_other_dates_are_errors(demo, language):
    letter, facts = csp12(language)
    wrong = dataclasses.replace(letter, subject=letter.subject.replace("19", "20"))
    wrong = with_annex(wrong, title=letter.annex.title.replace("16", "15"))

    findings = check_letter(wrong, facts, on=LETTER_DATE)

    assert beyond_demo(findings) == [
        (ERROR, "subject-dates-mismatch", "subject"),
        (ERROR, "annex-dates-mismatch", "annex title"),
    ]
    assert only(findings, "subject-dates-mismatch")[0].message.endswith(
        "but the meeting runs 16 March 2026 – 19 March 2026."
    )


# Weekdays and dates -----------------------------------------------------------------------

WRONG_WEEKDAY = {
    "en": "The documents will be issued on Monday 17 March 2026.",
    "fr": "Les documents seront publiés le lundi 17 mars 2026.",
    "es": "Los documentos se publicarán el lunes 17 de marzo de 2026.",
}
RIGHT_WEEKDAY = {
    "en": "The documents will be issued on Tuesday, 17 March 2026.",
    "fr": "Les documents seront publiés le mardi 17 mars 2026.",
    "es": "Los documentos se publicarán el martes 17 de marzo de 2026.",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_weekday_that_is_not_the_date_s_is_an_error(demo, language):
    letter, facts = csp12(language)
    wrong = with_paragraph(letter, "documents", WRONG_WEEKDAY[language])

    findings = check_letter(wrong, facts, on=LETTER_DATE)

    assert beyond_demo(findings) == [(ERROR, "weekday-date-mismatch", "paragraph 5 (documents)")]
    assert only(findings, "weekday-date-mismatch")[0].message.endswith(
        ": 17 March 2026 is a Tuesday."
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_weekday_that_is_the_date_s_is_no_finding(demo, language):
    letter, facts = csp12(language)
    right = with_paragraph(letter, "documents", RIGHT_WEEKDAY[language])

    assert beyond_demo(check_letter(right, facts, on=LETTER_DATE)) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The meetings run from Monday 16 – Thursday 19 March 2026.", []),
        ("The meetings run from Monday 16 – Friday 19 March 2026.", ["Friday 19 March 2026"]),
        ("The documents will be issued on Monday, March 17, 2026.", ["Monday, March 17, 2026"]),
        ("The documents will be issued on Tuesday 17 March.", []),
        ("The documents will be issued on Tuesday 31 February 2026.", ["Tuesday 31 February 2026"]),
    ],
)
def test_weekday_and_date_written_in_other_ways(demo, text, expected):
    letter, facts = csp12()
    wrong = with_paragraph(letter, "documents", text)

    findings = only(check_letter(wrong, facts, on=LETTER_DATE), "weekday-date-mismatch")

    assert [finding.message.split("”")[0].lstrip("“") for finding in findings] == expected


@pytest.mark.parametrize(
    ("language", "weekday"), [("en", "Monday"), ("fr", "lundi"), ("es", "lunes")]
)
def test_a_wrong_weekday_in_an_annex_cell_is_an_error(demo, language, weekday):
    letter, facts = csp12(language)
    row = letter.annex.rows[0]
    cells = list(row.cells)
    cells[1] = dataclasses.replace(cells[1], note=f"({weekday} 17 March 2026)")
    wrong = with_annex(letter, rows=[dataclasses.replace(row, cells=cells), *letter.annex.rows[1:]])

    findings = check_letter(wrong, facts, on=LETTER_DATE)

    tuesday = letter.annex.days[1]
    assert beyond_demo(findings) == [
        (ERROR, "weekday-date-mismatch", f"annex, {tuesday} 10:00 – 13:00"),
    ]


@pytest.mark.parametrize(
    ("language", "tuesday"), [("en", "Tuesday"), ("fr", "Mardi"), ("es", "Martes")]
)
def test_an_annex_column_headed_with_another_weekday_is_an_error(demo, language, tuesday):
    letter, facts = csp12(language)
    wrong = with_annex(letter, days=[tuesday, *letter.annex.days[1:]])

    findings = check_letter(wrong, facts, on=LETTER_DATE)

    assert beyond_demo(findings) == [(ERROR, "weekday-date-mismatch", f"annex, {tuesday}")]
    assert only(findings, "weekday-date-mismatch")[0].message == (
        f"The annex column “{tuesday}” stands for 16 March 2026, a Monday."
    )


# Sessions ---------------------------------------------------------------------------------


def test_a_session_moved_outside_the_meeting_s_dates_is_an_error(demo):
    Session.objects.filter(meeting__slug=CSP12, start=at(19, 15)).update(
        start=at(20, 15), end=at(20, 18)
    )
    meeting = meeting_with_schedule(CSP12)

    assert brief(check_meeting(meeting)) == [
        (ERROR, "session-outside-dates", "schedule, Friday 20 March 2026, 15:00 – 18:00"),
        (WARNING, "office-vacant", "meeting"),
        (WARNING, "office-vacant", "meeting"),
        (WARNING, "documents-short-notice", "meeting"),
    ]
    letter, facts = csp12()
    findings = check_letter(letter, facts, on=LETTER_DATE)
    assert beyond_demo(findings) == [
        (ERROR, "session-outside-dates", "schedule, Friday 20 March 2026, 15:00 – 18:00"),
    ]
    assert findings[0].message == (
        "The WGTR session of 20 March 2026, 15:00 – 18:00, falls outside the meeting's dates "
        "(16 March 2026 – 19 March 2026)."
    )


def test_a_session_on_the_sunday_before_is_outside_the_dates(demo):
    Session.objects.filter(meeting__slug=CSP12, start=at(16, 10)).update(
        start=at(15, 10), end=at(15, 13)
    )

    findings = check_meeting(meeting_with_schedule(CSP12))

    assert brief(only(findings, "session-outside-dates")) == [
        (ERROR, "session-outside-dates", "schedule, Sunday 15 March 2026, 10:00 – 13:00"),
    ]


def add_wgtu_session(start: dt.datetime, end: dt.datetime, room: str) -> None:
    Session.objects.create(
        meeting=Meeting.objects.get(slug=CSP12),
        body=Body.objects.get(slug="wgtu"),
        start=start,
        end=end,
        room=room,
    )


def test_two_sessions_in_one_room_at_the_same_time_are_an_error(demo):
    Session.objects.filter(meeting__slug=CSP12, start=at(16, 10)).update(room="Room XVIII")
    add_wgtu_session(at(16, 11), at(16, 12), room=" room xviii ")

    findings = check_meeting(meeting_with_schedule(CSP12))

    assert brief(only(findings, "room-clash")) == [
        (ERROR, "room-clash", "schedule, Monday 16 March 2026, 11:00 – 12:00"),
    ]
    assert only(findings, "room-clash")[0].message == (
        "Room XVIII is booked twice on 16 March 2026: the WGETI Sub-working Group on exchange "
        "of national implementation practices (10:00 – 13:00) and the WGTU (11:00 – 12:00)."
    )
    letter, facts = csp12()
    assert brief(only(check_letter(letter, facts, on=LETTER_DATE), "room-clash")) == [
        (ERROR, "room-clash", "schedule, Monday 16 March 2026, 11:00 – 12:00"),
    ]


@pytest.mark.parametrize(
    ("first_room", "second_room", "start", "end"),
    [
        ("Room XVIII", "Room XIX", at(16, 11), at(16, 12)),  # another room
        ("", "", at(16, 11), at(16, 12)),  # rooms not yet known
        ("Room XVIII", "Room XVIII", at(16, 13), at(16, 14)),  # one after the other
    ],
)
def test_sessions_not_sharing_a_room_and_a_time_are_no_clash(
    demo, first_room, second_room, start, end
):
    Session.objects.filter(meeting__slug=CSP12, start=at(16, 10)).update(room=first_room)
    add_wgtu_session(start, end, room=second_room)

    assert only(check_meeting(meeting_with_schedule(CSP12)), "room-clash") == []


# Vacant offices ---------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_vacancies_the_letter_does_not_mention_are_warned_about_at_the_meeting(demo, language):
    letter, facts = csp12(language)
    silent = dataclasses.replace(letter, sections=letter.sections[:-1])

    findings = check_letter(silent, facts, on=LETTER_DATE)

    assert brief(findings) == [
        (WARNING, "office-vacant", "meeting"),
        (WARNING, "office-vacant", "meeting"),
        SHORT_NOTICE,
    ]
    assert findings[0].message.endswith("meet in this meeting. The letter does not say so.")


CHAIR_ONLY = {
    "en": "I regret to inform you that the position of Chair of the Working Group on Effective "
    "Treaty Implementation (WGETI) remains vacant.",
    "fr": "J'ai le regret de vous informer que le poste de président(e) du Groupe de travail sur "
    "l’application efficace du Traité (WGETI) reste vacant.",
    "es": "Lamento informarles de que el cargo de Presidente/a del Grupo de Trabajo sobre la "
    "Aplicación Eficaz del Tratado (WGETI) sigue vacante.",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_vacancy_left_out_of_the_office_holders_paragraph_is_found(demo, language):
    letter, facts = csp12(language)
    typed = with_paragraph(letter, "office_holders", CHAIR_ONLY[language])

    findings = check_letter(typed, facts, on=LETTER_DATE)

    assert brief(findings) == [
        (WARNING, "office-vacant", "paragraph 8 (office_holders)"),
        (WARNING, "office-vacant", "meeting"),
        SHORT_NOTICE,
    ]
    assert "Facilitator of the WGETI Sub-working Group" in findings[1].message


def test_a_filled_office_or_a_body_not_meeting_gives_no_vacancy(demo):
    holder = Person.objects.create(given_name="Ana", family_name="Example")
    Office.objects.filter(title=Office.Title.FACILITATOR).update(holder=holder)
    Office.objects.create(
        cycle=Meeting.objects.get(slug=CSP12).cycle,
        title=Office.Title.CHAIR,
        body=Body.objects.get(slug="dief"),
    )

    findings = check_meeting(meeting_with_schedule(CSP12))

    assert brief(only(findings, "office-vacant")) == [(WARNING, "office-vacant", "meeting")]
    assert findings[0].message.startswith(
        "The office of Chair of the Working Group on Effective Treaty Implementation (WGETI)"
    )


# Documents --------------------------------------------------------------------------------


@pytest.mark.parametrize("target", [dt.date(2026, 3, 16), dt.date(2026, 3, 17)])
def test_a_documents_target_date_not_before_the_meeting_is_an_error(demo, target):
    update_csp12(documents_target_date=target)

    meeting_findings = check_meeting(meeting_with_schedule(CSP12))
    letter, facts = csp12()
    findings = check_letter(letter, facts, on=LETTER_DATE)

    assert brief(meeting_findings)[-1] == (ERROR, "documents-after-start", "meeting")
    assert brief(findings) == [
        *VACANCIES,
        (ERROR, "documents-after-start", "paragraph 5 (documents)"),
    ]
    assert blocking(findings) == [findings[-1]]
    assert findings[-1].message == (
        f"The documents' target date, {target.day} March 2026, is not before the meeting opens "
        "on 16 March 2026."
    )


@pytest.mark.parametrize(
    ("days_before", "expected"),
    [
        (DOCUMENTS_NOTICE_DAYS - 1, [SHORT_NOTICE]),
        (15, [SHORT_NOTICE]),
        (DOCUMENTS_NOTICE_DAYS, []),
        (None, []),  # issued alongside the invitation
    ],
)
def test_documents_later_than_the_usual_notice_are_a_warning(demo, days_before, expected):
    target = None if days_before is None else dt.date(2026, 3, 16) - dt.timedelta(days_before)
    update_csp12(documents_target_date=target)
    letter, facts = csp12()

    assert brief(check_letter(letter, facts, on=LETTER_DATE)) == [*VACANCIES, *expected]


def test_a_letter_going_out_after_the_documents_date_is_a_warning(demo):
    letter, facts = csp12()

    findings = check_letter(letter, facts, on=dt.date(2026, 2, 20))

    assert beyond_demo(findings) == [
        (WARNING, "documents-date-passed", "paragraph 5 (documents)"),
    ]


def test_a_letter_going_out_once_the_meeting_has_opened_is_an_error(demo):
    letter, facts = csp12()

    findings = check_letter(letter, facts, on=dt.date(2026, 3, 16))

    assert beyond_demo(findings) == [
        (ERROR, "invitation-after-start", "meeting"),
        (WARNING, "documents-date-passed", "paragraph 5 (documents)"),
    ]


@pytest.mark.parametrize("status", [Meeting.Status.POSTPONED, Meeting.Status.CANCELLED])
def test_an_invitation_to_a_meeting_not_going_ahead_is_an_error(demo, status):
    update_csp12(status=status)
    letter, facts = csp12()

    findings = check_letter(letter, facts, on=LETTER_DATE)

    assert beyond_demo(findings) == [(ERROR, "meeting-not-going-ahead", "meeting")]


def test_a_letter_nobody_signs_is_an_error(demo):
    Office.objects.filter(title=Office.Title.PRESIDENT, cycle__number=12).update(holder=None)
    letter, facts = csp12()

    findings = check_letter(letter, facts, on=LETTER_DATE)

    assert beyond_demo(findings) == [(ERROR, "signatory-missing", "signature")]


# Policies ---------------------------------------------------------------------------------

NOT_REQUIRED = {
    "en": "Pre-registration will not be required for these meetings.",
    "fr": "L’inscription préalable ne sera pas requise pour ces réunions.",
    "es": "No se requerirá inscripción previa para estas reuniones.",
}
# The words the finding quotes.
NOT_REQUIRED_SAID = {
    "en": "Pre-registration will not be required",
    "fr": "inscription préalable ne sera pas requise",
    "es": "No se requerirá inscripción",
}
REQUIRED = {
    "en": "Pre-registration for the Working Group meetings will be required.",
    "fr": "Les délégués doivent s'inscrire au préalable à toutes les réunions.",
    "es": "Los delegados deberán inscribirse previamente en todas las reuniones.",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_registration_paragraph_saying_not_required_when_required_is_an_error(demo, language):
    letter, facts = csp12(language)
    wrong = with_paragraph(letter, "registration", NOT_REQUIRED[language])

    findings = check_letter(wrong, facts, on=LETTER_DATE)

    assert beyond_demo(findings) == [
        (ERROR, "registration-contradicts-policy", "paragraph 6 (registration)"),
    ]
    assert only(findings, "registration-contradicts-policy")[0].message == (
        f"The letter says “{NOT_REQUIRED_SAID[language]}”, but the meeting's policy is: "
        "Pre-registration required."
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_registration_paragraph_agreeing_with_the_policy_is_no_finding(demo, language):
    letter, facts = csp12(language)
    right = with_paragraph(letter, "registration", REQUIRED[language])

    assert beyond_demo(check_letter(right, facts, on=LETTER_DATE)) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_registration_paragraph_requiring_it_when_the_policy_is_none_is_an_error(demo, language):
    update_csp12(registration=Meeting.Registration.NONE)
    letter, facts = csp12(language)
    assert beyond_demo(check_letter(letter, facts, on=LETTER_DATE)) == []

    wrong = with_paragraph(letter, "registration", REQUIRED[language])

    assert beyond_demo(check_letter(wrong, facts, on=LETTER_DATE)) == [
        (ERROR, "registration-contradicts-policy", "paragraph 6 (registration)"),
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_registration_paragraph_asking_everyone_when_only_some_sessions_need_it_is_an_error(
    demo, language
):
    letter, facts = csp10(language)
    wrong = with_paragraph(letter, "registration", REQUIRED[language])

    findings = check_letter(wrong, facts, on=CSP10_LETTER_DATE)

    assert brief(findings) == [
        (ERROR, "registration-contradicts-policy", "paragraph 6 (registration)"),
    ]
    assert findings[0].message.endswith(
        "but the meeting's policy is: Pre-registration required for some sessions only."
    )


def test_registration_paragraph_forgetting_the_closed_sessions_is_an_error(demo):
    letter, facts = csp10()
    wrong = with_paragraph(letter, "registration", NOT_REQUIRED["en"])

    findings = check_letter(wrong, facts, on=CSP10_LETTER_DATE)

    assert brief(findings) == [
        (ERROR, "registration-contradicts-policy", "paragraph 6 (registration)"),
    ]
    assert "does not say which sessions need registration" in findings[0].message


PUBLIC_LINK = {
    "en": "The meetings will be held in person. The link to follow the meetings via "
    "livestreaming will be circulated to all stakeholders and published on the ATT website.",
    "fr": "Les réunions se tiendront en personne. Le lien permettant de suivre la retransmission "
    "en direct sera communiqué à toutes les parties prenantes et publié sur le site web du TCA.",
    "es": "Las reuniones se celebrarán de forma presencial. El enlace para seguir la "
    "transmisión en directo se compartirá con todas las partes interesadas y se publicará en el "
    "sitio web del TCA.",
}
REGISTERED_LINK = {
    "en": "The meetings will be held in person, with an option to follow them via "
    "livestreaming. The relevant link will be circulated to registered delegates.",
    "fr": "Les réunions se tiendront en personne et pourront être suivies en retransmission en "
    "direct. Le lien sera communiqué aux délégués inscrits avant les réunions.",
    "es": "Las reuniones se celebrarán de forma presencial y podrán seguirse por transmisión en "
    "directo. El enlace se enviará a los delegados inscritos antes de las reuniones.",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_livestream_link_for_all_when_for_registered_delegates_only_is_an_error(demo, language):
    letter, facts = csp12(language)
    wrong = with_paragraph(letter, "format_and_livestream", PUBLIC_LINK[language])

    findings = check_letter(wrong, facts, on=LETTER_DATE)

    assert beyond_demo(findings) == [
        (ERROR, "livestream-contradicts-policy", "paragraph 3 (format_and_livestream)"),
    ]
    assert only(findings, "livestream-contradicts-policy")[0].message.endswith(
        "but the meeting's policy is: Livestream link for registered delegates only."
    )


def test_livestream_link_published_in_the_sentence_after_is_an_error(demo):
    letter, facts = csp12()
    wrong = with_paragraph(
        letter,
        "format_and_livestream",
        "The meetings will be held in person, with an option to follow them via livestreaming. "
        "The relevant link will be published on the ATT website.",
    )

    findings = check_letter(wrong, facts, on=LETTER_DATE)

    assert only(findings, "livestream-contradicts-policy")[0].message == (
        "The letter says “published on the ATT website”, but the meeting's policy is: "
        "Livestream link for registered delegates only."
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_livestream_paragraph_agreeing_with_the_policy_is_no_finding(demo, language):
    letter, facts = csp12(language)
    right = with_paragraph(letter, "format_and_livestream", REGISTERED_LINK[language])

    assert beyond_demo(check_letter(right, facts, on=LETTER_DATE)) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_livestream_for_registered_delegates_when_public_is_an_error(demo, language):
    letter, facts = csp10(language)
    wrong = with_paragraph(letter, "format_and_livestream", REGISTERED_LINK[language])

    assert brief(check_letter(wrong, facts, on=CSP10_LETTER_DATE)) == [
        (ERROR, "livestream-contradicts-policy", "paragraph 3 (format_and_livestream)"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (REGISTERED_LINK["en"], ["livestream"]),
        ("The meetings will be held in person and will not be livestreamed.", []),
    ],
)
def test_livestream_offered_when_there_is_none_is_an_error(demo, text, expected):
    update_csp12(livestream=Meeting.Livestream.NONE)
    letter, facts = csp12()
    assert beyond_demo(check_letter(letter, facts, on=LETTER_DATE)) == []

    findings = check_letter(
        with_paragraph(letter, "format_and_livestream", text), facts, on=LETTER_DATE
    )

    assert [
        finding.message.split("”")[0].removeprefix("The letter says “")
        for finding in only(findings, "livestream-contradicts-policy")
    ] == expected


# Hand edits -------------------------------------------------------------------------------

TARGET = {"en": "17 February 2026", "fr": "17 février 2026", "es": "17 de febrero de 2026"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_hand_edit_giving_another_date_than_the_facts_is_a_warning(demo, language):
    letter, facts = csp12(language)
    typed = paragraph_text(letter, "documents").replace(
        TARGET[language], TARGET[language].replace("17", "24")
    )
    edited = with_paragraph(letter, "documents", typed)

    findings = check_letter(edited, facts, on=LETTER_DATE, hand_edited={"documents": typed})

    assert beyond_demo(findings) == [(WARNING, "hand-edit-stale", "paragraph 5 (documents)")]
    assert only(findings, "hand-edit-stale")[0].message == (
        "This paragraph was edited by hand and no longer says 17 February 2026, as the facts "
        "do. It says 24 February 2026 instead."
    )


@pytest.mark.parametrize(
    ("key", "old", "new", "missing"),
    [
        ("preparatory_process", "CSP12", "CSP13", "no longer says CSP12, as"),
        ("dates_and_venue", VENUE, "CICG", f"no longer says {VENUE}, as"),
        ("format_and_livestream", "15:00 to 18:00", "15:00 to 17:30", "no longer says 18:00, as"),
    ],
)
def test_a_hand_edit_dropping_a_fact_is_a_warning(demo, key, old, new, missing):
    letter, facts = csp12()
    typed = paragraph_text(letter, key).replace(old, new)
    assert typed != paragraph_text(letter, key)
    edited = with_paragraph(letter, key, typed)

    findings = only(
        check_letter(edited, facts, on=LETTER_DATE, hand_edited={key: typed}), "hand-edit-stale"
    )

    assert len(findings) == 1
    assert missing in findings[0].message


REWORDED_DOCUMENTS = {
    "en": "On 17 February 2026, the Chairs and the other ATT office holders will issue the "
    "meeting documents through the ATT Secretariat.",
    "fr": "Le 17 février 2026, les présidents et les autres titulaires de fonctions du TCA "
    "publieront les documents par l'intermédiaire du Secrétariat.",
    "es": "El 17 de febrero de 2026, los presidentes y los demás titulares de cargos del TCA "
    "publicarán los documentos por conducto de la Secretaría.",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_hand_edit_keeping_the_facts_is_no_finding(demo, language):
    letter, facts = csp12(language)
    typed = REWORDED_DOCUMENTS[language]
    edited = with_paragraph(letter, "documents", typed)

    findings = check_letter(edited, facts, on=LETTER_DATE, hand_edited={"documents": typed})

    assert beyond_demo(findings) == []


def test_a_hand_edited_paragraph_the_facts_no_longer_call_for_is_a_warning(demo):
    holder = Person.objects.create(given_name="Ana", family_name="Example")
    Office.objects.filter(holder__isnull=True).update(holder=holder)
    letter, facts = csp12()
    typed = REAL_2026["office_holders"]
    edited = dataclasses.replace(
        letter,
        sections=[
            *letter.sections,
            Section("Office holders", [Paragraph("office_holders", typed)]),
        ],
    )

    findings = check_letter(edited, facts, on=LETTER_DATE, hand_edited={"office_holders": typed})

    assert brief(findings) == [
        SHORT_NOTICE,
        (WARNING, "hand-edit-stale", "paragraph 8 (office_holders)"),
    ]
    assert findings[-1].message == (
        "This paragraph was edited by hand, and the facts no longer call for it."
    )


# Time zones -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("CEST", [(ERROR, "time-zone-mismatch", "paragraph 3 (format_and_livestream)")]),
        ("GMT", [(ERROR, "time-zone-mismatch", "paragraph 3 (format_and_livestream)")]),
        ("UTC+2", [(ERROR, "time-zone-mismatch", "paragraph 3 (format_and_livestream)")]),
        ("UTC", [(ERROR, "time-zone-mismatch", "paragraph 3 (format_and_livestream)")]),
        ("CET", []),
        ("UTC+1", []),
        ("UTC+01:00", []),
        ("GMT+1", []),
    ],
)
def test_a_time_zone_abbreviation_wrong_for_the_dates_is_an_error(demo, written, expected):
    letter, facts = csp12()
    typed = paragraph_text(letter, "format_and_livestream").replace(
        "(Geneva time)", f"(Geneva time, {written})"
    )

    findings = check_letter(
        with_paragraph(letter, "format_and_livestream", typed), facts, on=LETTER_DATE
    )

    assert beyond_demo(findings) == expected


@pytest.mark.parametrize("language", LANGUAGES)
def test_cest_for_16_march_is_an_error_in_any_language(demo, language):
    letter, facts = csp12(language)
    wrong = with_annex(letter, footnote=[*letter.annex.footnote, "10:00 – 13:00 CEST"])

    findings = check_letter(wrong, facts, on=LETTER_DATE)

    assert beyond_demo(findings) == [(ERROR, "time-zone-mismatch", "annex footnote")]
    assert only(findings, "time-zone-mismatch")[0].message == (
        "“CEST” is not the time in Geneva on 16 March 2026 – 19 March 2026, which is "
        "CET (UTC+01:00)."
    )


def test_cest_is_right_for_a_meeting_running_into_summer_time(demo):
    update_csp12(end_date=dt.date(2026, 3, 30))
    letter, facts = csp12()
    typed = with_annex(letter, footnote=[*letter.annex.footnote, "10:00 – 13:00 CET or CEST"])

    assert only(check_letter(typed, facts, on=LETTER_DATE), "time-zone-mismatch") == []


# The venue --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "written", "quoted"),
    [
        ("en", "Geneva International Conference Centre", "Geneva International Conference Centre"),
        ("en", "CICG Geneva", "CICG Geneva"),
        # The city the paragraph names next joins the mention.
        ("en", "International Conference Center", "International Conference Center, Geneva"),
        ("fr", "Centre international de conférences de Genève", None),
        ("es", "Centro Internacional de Conferencias de Ginebra", None),
    ],
)
def test_a_venue_written_otherwise_than_its_own_name_is_a_warning(demo, language, written, quoted):
    letter, facts = csp12(language)
    typed = paragraph_text(letter, "dates_and_venue").replace(VENUE, written)

    findings = check_letter(with_paragraph(letter, "dates_and_venue", typed), facts, on=LETTER_DATE)

    assert beyond_demo(findings) == [(WARNING, "venue-near-miss", "paragraph 2 (dates_and_venue)")]
    assert only(findings, "venue-near-miss")[0].message == (
        f"“{quoted or written}” looks like the venue, whose own name is “{VENUE}”."
    )


@pytest.mark.parametrize(
    "text",
    [
        "Side events will take place at the CICG.",  # the short name after the full one
        "Delegates are welcome in Geneva for the International Conference.",
        "The Conference of States Parties will meet in Geneva.",
    ],
)
def test_words_merely_near_the_venue_s_are_no_finding(demo, text):
    letter, facts = csp12()
    typed = paragraph_text(letter, "dates_and_venue") + " " + text

    findings = check_letter(with_paragraph(letter, "dates_and_venue", typed), facts, on=LETTER_DATE)

    assert beyond_demo(findings) == []


# Blocking ---------------------------------------------------------------------------------


def test_blocking_keeps_the_errors_in_their_order():
    error = Finding(ERROR, "room-clash", "meeting", "Room XVIII is booked twice.")
    other_error = Finding(ERROR, "annex-cycle-mismatch", "annex title", "CSP11.")
    warning = Finding(WARNING, "office-vacant", "meeting", "The Chair is vacant.")

    assert blocking([warning, error, warning, other_error]) == [error, other_error]
    assert blocking([warning]) == []


def test_the_usual_notice_for_documents_is_the_treatys(demo):
    from convocation.treaties.models import Treaty

    _, facts = csp12()
    assert only(check_meeting(facts.meeting), "documents-short-notice")
    Treaty.objects.filter(code="att").update(documents_notice_days=27)
    _, facts = csp12()
    assert only(check_meeting(facts.meeting), "documents-short-notice") == []
