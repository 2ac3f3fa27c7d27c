import datetime as dt
import hashlib
import threading

import pytest
from django.db import connection

from convocation.letters import services
from convocation.letters.models import Letter, LetterFile, ReferenceCounter
from convocation.meetings.models import Meeting

LETTER_DATE = dt.date(2026, 1, 16)


def read(record: LetterFile) -> bytes:
    with record.file.open("rb") as stored:
        return stored.read()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def draft(demo):
    meeting = Meeting.objects.get(slug="att-csp12-wg")
    return services.draft_letter(meeting=meeting, language="en", letter_date=LETTER_DATE)


def test_a_draft_holds_the_composed_paragraphs(draft):
    paragraphs = list(draft.paragraphs.all())
    composed = services.compose_from_facts(draft).paragraphs
    assert [(p.position, p.key, p.text) for p in paragraphs] == [
        (n, c.key, c.text) for n, c in enumerate(composed, start=1)
    ]
    assert not any(p.is_edited for p in paragraphs)


def test_a_hand_edit_shows_in_the_letter_and_survives_regeneration(draft):
    documents = draft.paragraphs.get(key="documents")
    documents.text = "The documents will be issued on 17 February 2026 through the Secretariat."
    documents.save()
    assert documents.text in [p.text for p in services.letter_content(draft).paragraphs]

    meeting = draft.meeting
    meeting.livestream = Meeting.Livestream.PUBLIC
    meeting.save()
    changes = {c.key: c for c in services.regeneration_changes(draft)}
    assert changes["format_and_livestream"].facts_changed
    assert not changes["format_and_livestream"].hand_edited
    assert changes["documents"].hand_edited
    assert not changes["documents"].facts_changed

    services.regenerate_letter(letter=draft)
    kept = {p.key: p.text for p in draft.paragraphs.all()}
    assert kept["documents"] == documents.text
    assert "published on the ATT website" in kept["format_and_livestream"]

    services.regenerate_letter(letter=draft, keep_hand_edits=False)
    assert "intend to issue" in draft.paragraphs.get(key="documents").text


def test_issuing_freezes_the_letter_with_a_reference_and_its_files(draft, django_user_model):
    officer = django_user_model.objects.create_user("officer")
    letter = services.issue_letter(letter=draft, by=officer)
    assert letter.status == Letter.Status.ISSUED
    assert letter.reference == "ATT/CSP12/2026/PRES/001/EN"
    assert letter.issued_by == officer
    files = {f.format: f for f in letter.files.all()}
    assert sorted(files) == ["docx", "html", "pdf", "txt"]
    for record in files.values():
        data = read(record)
        assert (len(data), hashlib.sha256(data).hexdigest()) == (record.size, record.sha256)
    assert read(files["pdf"])[:5] == b"%PDF-"
    text_before = read(files["txt"])

    # A later change to the meeting does not alter an issued letter.
    meeting = letter.meeting
    meeting.documents_target_date = dt.date(2026, 2, 27)
    meeting.venue = "Palais des Nations"
    meeting.save()
    frozen = services.letter_content(Letter.objects.get(pk=letter.pk))
    assert "17 February 2026" in " ".join(p.text for p in frozen.paragraphs)
    assert "Palais des Nations" not in " ".join(p.text for p in frozen.paragraphs)
    assert read(LetterFile.objects.get(letter=letter, format="txt")) == text_before
    with pytest.raises(services.LetterAlreadyIssued):
        services.issue_letter(letter=letter, by=officer)
    with pytest.raises(services.LetterAlreadyIssued):
        services.regenerate_letter(letter=letter)


def test_errors_block_issuing_and_nothing_is_written(draft):
    # A letter dated after the meeting opened is an error the checks catch.
    draft.letter_date = dt.date(2026, 3, 20)
    draft.save()
    with pytest.raises(services.LetterBlocked) as blocked:
        services.issue_letter(letter=draft, by=None)
    assert all(finding.severity == "error" for finding in blocked.value.findings)
    draft.refresh_from_db()
    assert (draft.status, draft.reference, draft.content) == (Letter.Status.DRAFT, None, None)
    assert LetterFile.objects.count() == 0
    assert ReferenceCounter.objects.filter(last_number__gt=0).count() == 0


def test_an_officer_may_override_errors_with_a_reason(draft):
    draft.letter_date = dt.date(2026, 3, 20)
    draft.save()
    letter = services.issue_letter(
        letter=draft, by=None, override_reason="Re-issued for the record after the meeting."
    )
    assert letter.is_issued
    assert letter.override_reason == "Re-issued for the record after the meeting."


def test_references_run_on_per_cycle_and_year(demo):
    meeting = Meeting.objects.get(slug="att-csp12-wg")
    references = [
        services.issue_letter(
            letter=services.draft_letter(meeting=meeting, language=lang, letter_date=LETTER_DATE),
            by=None,
        ).reference
        for lang in ("en", "fr", "es")
    ]
    assert references == [
        "ATT/CSP12/2026/PRES/001/EN",
        "ATT/CSP12/2026/PRES/002/FR",
        "ATT/CSP12/2026/PRES/003/ES",
    ]


@pytest.mark.django_db(transaction=True)
def test_two_officers_issuing_at_once_get_different_references(settings, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter; CI runs this test there")
    from convocation.meetings.demo import load_demo

    load_demo()
    meeting = Meeting.objects.get(slug="att-csp12-wg")
    drafts = [
        services.draft_letter(meeting=meeting, language=lang, letter_date=LETTER_DATE)
        for lang in ("en", "fr", "es", "en")
    ]
    barrier = threading.Barrier(len(drafts))
    errors = []

    def issue(letter):
        try:
            barrier.wait()
            services.issue_letter(letter=letter, by=None)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(d,)) for d in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    numbers = sorted(
        int(r.split("/")[4]) for r in Letter.objects.values_list("reference", flat=True)
    )
    assert numbers == [1, 2, 3, 4]
