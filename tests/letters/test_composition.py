import datetime as dt

import pytest

from convocation.cycles.models import Office
from convocation.letters.composition import ComposedLetter, compose_letter, letter_facts
from convocation.letters.wording import date_range, ordinal
from convocation.meetings.models import Meeting
from convocation.meetings.queries import meeting_with_schedule
from convocation.people.models import Person

CSP12_DATE = dt.date(2026, 1, 16)


def compose(slug="att-csp12-wg", language="en", letter_date=CSP12_DATE) -> ComposedLetter:
    return compose_letter(
        letter_facts(meeting_with_schedule(slug)), language=language, letter_date=letter_date
    )


def paragraph(letter: ComposedLetter, key: str) -> str:
    return next(p.text for p in letter.paragraphs if p.key == key)


@pytest.mark.parametrize(
    ("number", "language", "expected"),
    [
        (12, "en", "twelfth"),
        (10, "en", "tenth"),
        (12, "fr", "douzième"),
        (11, "fr", "onzième"),
        (12, "es", "duodécima"),
        (10, "es", "décima"),
        (13, "es", "decimotercera"),
    ],
)
def test_ordinal_of_a_conference(number, language, expected):
    assert ordinal(number, language) == expected


@pytest.mark.parametrize(
    ("first", "last", "language", "expected"),
    [
        (dt.date(2026, 3, 16), dt.date(2026, 3, 19), "en", "16 – 19 March 2026"),
        (dt.date(2026, 3, 16), dt.date(2026, 3, 19), "fr", "16 – 19 mars 2026"),
        (dt.date(2026, 3, 16), dt.date(2026, 3, 19), "es", "16 – 19 de marzo de 2026"),
        (dt.date(2026, 2, 27), dt.date(2026, 3, 2), "en", "27 February – 2 March 2026"),
        (dt.date(2026, 12, 30), dt.date(2027, 1, 2), "en", "30 December 2026 – 2 January 2027"),
        (dt.date(2026, 3, 16), dt.date(2026, 3, 16), "en", "16 March 2026"),
    ],
)
def test_date_range_as_a_secretariat_writes_it(first, last, language, expected):
    assert date_range(first, last, language) == expected


def test_csp12_letter_in_english_follows_the_facts(demo):
    letter = compose()
    assert letter.letterhead == ["The Arms Trade Treaty", "Avenue de France 23", "CH-1202 Geneva"]
    assert letter.place_and_date == "16 January 2026"
    assert (
        letter.subject == "INVITATION TO THE ATT CSP12 WORKING GROUP MEETINGS: 16 – 19 MARCH 2026"
    )
    assert [s.heading for s in letter.sections] == [
        "",
        "Draft schedule of meetings",
        "Documents",
        "Registration",
        "Office holders",
    ]
    assert [p.key for p in letter.paragraphs] == [
        "preparatory_process",
        "dates_and_venue",
        "format_and_livestream",
        "schedule",
        "documents",
        "registration",
        "website",
        "office_holders",
    ]
    first = paragraph(letter, "preparatory_process")
    assert "Eleventh Conference of States Parties (CSP11)" in first
    assert "held from 25 to 29 August 2025" in first
    assert "Twelfth Conference of States Parties (CSP12)" in first
    assert "On 1 December 2025" in first
    assert (
        "from 16 to 19 March 2026 at the Centre International de Conférences Genève (CICG), "
        in (paragraph(letter, "dates_and_venue"))
    )
    assert "sent to registered delegates" in paragraph(letter, "format_and_livestream")
    assert "from 10:00 to 13:00 and 15:00 to 18:00 (Geneva time)" in paragraph(
        letter, "format_and_livestream"
    )
    assert "on 17 February 2026" in paragraph(letter, "documents")
    assert "gender-disaggregated attendance data" in paragraph(letter, "registration")
    vacancies = paragraph(letter, "office_holders")
    assert "Chair of the Working Group on Effective Treaty Implementation (WGETI)" in vacancies
    assert "Facilitator of the WGETI Sub-working Group on current and emerging" in vacancies
    assert letter.signatory_name == "Ms. Tsholofelo TSHEOLE"
    assert letter.signatory_title == (
        "President of the Twelfth Conference of States Parties to the ATT"
    )


def test_annex_title_names_the_cycle_of_the_letter(demo):
    # The real 2026 letter titles its annex "CSP11"; composed from the data, it cannot.
    letter = compose()
    assert (
        letter.annex.title == "DRAFT SCHEDULE OF CSP12 WORKING GROUP MEETINGS: 16 – 19 MARCH 2026"
    )
    assert letter.annex.days == ["Monday", "Tuesday", "Wednesday", "Thursday"]
    assert [row.label for row in letter.annex.rows] == [
        "10:00 – 13:00",
        "15:00 – 18:00",
        "SIDE EVENTS",
    ]
    assert letter.annex.rows[1].cells[2].lines == ["WGTU"]
    assert letter.annex.rows[2].cells[0].lines == ["tbc"]


def test_csp10_letter_names_the_dief_exception_and_public_livestream(demo):
    letter = compose("att-csp10-wg", letter_date=dt.date(2024, 1, 22))
    registration = paragraph(letter, "registration")
    assert "Pre-registration is not needed" in registration
    assert "Diversion Information Exchange Forum (DIEF) on 22 February 2024" in registration
    assert "published on the ATT website" in paragraph(letter, "format_and_livestream")
    assert "together with this letter" in paragraph(letter, "documents")
    assert "office_holders" not in [p.key for p in letter.paragraphs]
    assert letter.signatory_name == "Ambassador Răzvan RUSU"
    dief = letter.annex.rows[1].cells[3]
    assert (dief.lines, dief.note) == (["DIEF"], "(States Parties and signatory States only)")
    assert letter.annex.rows[0].cells[0].outside is True


def test_changing_a_fact_changes_its_paragraph(demo):
    before = compose()
    meeting = Meeting.objects.get(slug="att-csp12-wg")
    meeting.livestream = Meeting.Livestream.PUBLIC
    meeting.registration = Meeting.Registration.NONE
    meeting.documents_target_date = dt.date(2026, 2, 20)
    meeting.save()
    Office.objects.filter(cycle__number=12, title=Office.Title.CHAIR).update(
        holder=Person.objects.create(given_name="Ana", family_name="Pérez")
    )
    after = compose()
    assert "published on the ATT website" in paragraph(after, "format_and_livestream")
    assert paragraph(after, "registration") == "Pre-registration is not needed for these meetings."
    assert "on 20 February 2026" in paragraph(after, "documents")
    assert "Chair of the Working Group" not in paragraph(after, "office_holders")
    assert paragraph(before, "preparatory_process") == paragraph(after, "preparatory_process")


def test_composed_letter_survives_its_record(demo):
    letter = compose(language="fr")
    assert ComposedLetter.from_dict(letter.to_dict()) == letter


FRENCH = {
    # French sets a no-break space before the colon.
    "subject": "INVITATION AUX RÉUNIONS DES GROUPES DE TRAVAIL DE LA CSP12 DU TCA\u00a0: "
    "16 – 19 MARS 2026",
    "letterhead": "Le Traité sur le commerce des armes",
    "signatory_title": "Présidente de la Douzième Conférence des États parties au TCA",
    "salutation": "Mesdames et Messieurs les Représentants,",
}
SPANISH = {
    "subject": "INVITACIÓN A LAS REUNIONES DE LOS GRUPOS DE TRABAJO DE LA CSP12 DEL TCA: "
    "16 – 19 DE MARZO DE 2026",
    "letterhead": "El Tratado sobre el Comercio de Armas",
    "signatory_title": "Presidenta de la Duodécima Conferencia de los Estados Partes del TCA",
    "salutation": "Distinguidos representantes:",
}


@pytest.mark.parametrize(("language", "expected"), [("fr", FRENCH), ("es", SPANISH)])
def test_letter_in_french_and_spanish(demo, language, expected):
    letter = compose(language=language)
    assert letter.subject == expected["subject"]
    assert letter.letterhead[0] == expected["letterhead"]
    assert letter.signatory_title == expected["signatory_title"]
    assert letter.salutation == expected["salutation"]
    words = " ".join(p.text for p in letter.paragraphs) + " " + letter.annex.title
    for english in ["the ", "meeting", "Working Group", "will be", "Secretariat", "SIDE EVENTS"]:
        assert english not in words, f"{english!r} left in English"


def test_french_writes_the_first_of_the_month_as_an_ordinal(demo):
    from convocation.letters.wording import date_span, long_date

    assert long_date(dt.date(2025, 12, 1), "fr") == "1er décembre 2025"
    assert date_span(dt.date(2026, 6, 1), dt.date(2026, 6, 4), "fr") == "du 1er au 4 juin 2026"
    assert date_span(dt.date(2026, 3, 16), dt.date(2026, 3, 19), "es") == (
        "del 16 al 19 de marzo de 2026"
    )
    assert "Le 1er décembre 2025, la présidence" in paragraph(
        compose(language="fr"), "preparatory_process"
    )
