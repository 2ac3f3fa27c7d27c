import datetime as dt
import os
import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.core.management.base import CommandError

from convocation.letters import services
from convocation.letters.models import Letter
from convocation.meetings.models import Meeting
from tests.meetings.html import body_text, tables

LETTER_DATE = dt.date(2026, 1, 16)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def issued(demo):
    meeting = Meeting.objects.get(slug="att-csp12-wg")
    draft = services.draft_letter(meeting=meeting, language="fr", letter_date=LETTER_DATE)
    return services.issue_letter(letter=draft, by=None)


def test_letters_page_lists_issued_letters_only(client, issued):
    services.draft_letter(meeting=issued.meeting, language="en", letter_date=LETTER_DATE)
    rows = tables(client.get("/meetings/att-csp12-wg/letters/").content.decode())[0]
    assert rows[1:] == [
        [
            "16 January 2026",
            "Invitation (French)",
            "ATT/CSP12/2026/PRES/001/FR",
            "TXT · HTML · PDF · DOCX",
        ]
    ]


def test_issued_files_are_served_with_type_and_name(client, issued):
    pdf = client.get(f"/meetings/att-csp12-wg/letters/{issued.pk}.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == ('attachment; filename="ATT-CSP12-2026-PRES-001-FR.pdf"')
    assert b"".join(pdf.streaming_content)[:5] == b"%PDF-"
    html = client.get(f"/meetings/att-csp12-wg/letters/{issued.pk}.html")
    body = b"".join(html.streaming_content).decode()
    assert 'lang="fr"' in body
    assert "Mesdames et Messieurs les Représentants" in body


def test_a_draft_is_not_public(client, demo):
    meeting = Meeting.objects.get(slug="att-csp12-wg")
    draft = services.draft_letter(meeting=meeting, language="en", letter_date=LETTER_DATE)
    assert client.get(f"/meetings/att-csp12-wg/letters/{draft.pk}.pdf").status_code == 404
    assert client.get("/meetings/att-csp12-wg/letters/999.exe").status_code == 404
    assert client.get("/meetings/nope/letters/").status_code == 404


def test_admin_adds_a_draft_composed_from_the_meeting(staff_client, demo):
    meeting = Meeting.objects.get(slug="att-csp12-wg")
    response = staff_client.post(
        "/admin/letters/letter/add/",
        {
            "meeting": meeting.pk,
            "kind": "invitation",
            "language": "es",
            "letter_date": "2026-01-16",
        },
    )
    assert response.status_code == 302
    letter = Letter.objects.get()
    assert letter.paragraphs.count() == 8
    page = body_text(
        staff_client.get(f"/admin/letters/letter/{letter.pk}/change/").content.decode()
    )
    assert "Regenerate from the facts" in page
    assert "WARNING" in page


def test_admin_issue_refuses_errors_without_a_reason(staff_client, demo):
    meeting = Meeting.objects.get(slug="att-csp12-wg")
    draft = services.draft_letter(meeting=meeting, language="en", letter_date=dt.date(2026, 3, 20))
    url = f"/admin/letters/letter/{draft.pk}/issue/"
    page = body_text(staff_client.get(url).content.decode())
    assert "ERROR" in page
    refused = staff_client.post(url, {"override_reason": ""})
    assert refused.status_code == 200
    assert "give the reason to issue anyway" in refused.content.decode()
    draft.refresh_from_db()
    assert not draft.is_issued
    accepted = staff_client.post(url, {"override_reason": "Record of the meeting."})
    assert accepted.status_code == 302
    draft.refresh_from_db()
    assert (draft.is_issued, draft.override_reason) == (True, "Record of the meeting.")


def test_admin_regenerate_shows_what_the_facts_change(staff_client, demo):
    meeting = Meeting.objects.get(slug="att-csp12-wg")
    draft = services.draft_letter(meeting=meeting, language="en", letter_date=LETTER_DATE)
    meeting.documents_target_date = dt.date(2026, 2, 20)
    meeting.save()
    url = f"/admin/letters/letter/{draft.pk}/regenerate/"
    rows = next(
        table
        for table in tables(staff_client.get(url).content.decode())
        if table[0][0] == "Paragraph"
    )
    documents = next(row for row in rows if row[0].endswith("documents"))
    assert "17 February 2026" in documents[1]
    assert "20 February 2026" in documents[2]
    assert documents[3] == "The facts changed"
    assert staff_client.post(url, {"keep_hand_edits": "on"}).status_code == 302
    assert "20 February 2026" in draft.paragraphs.get(key="documents").text


@pytest.mark.parametrize("fmt", ["txt", "html", "pdf", "docx"])
def test_letter_render_command_writes_each_format(demo, tmp_path, fmt):
    output = tmp_path / f"letter.{fmt}"
    call_command(
        "letter", "render", "att-csp12-wg", "--lang", "en", "--format", fmt,
        "-o", str(output), "--date", "2026-01-16",
    )  # fmt: skip
    data = output.read_bytes()
    signatures = {"pdf": b"%PDF-", "docx": b"PK", "html": b"<!DOCTYPE html>", "txt": b"The Arms"}
    assert data.startswith(signatures[fmt])


def test_letter_check_command_lists_findings_and_fails_on_errors(demo, capsys):
    call_command("letter", "check", "att-csp12-wg", "--date", "2026-01-16")
    out = capsys.readouterr().out
    assert "WARNING" in out
    assert out.strip().endswith("0 errors, " + out.strip().split("0 errors, ")[1])
    with pytest.raises(CommandError, match="would not be issued"):
        call_command("letter", "check", "att-csp12-wg", "--date", "2026-03-20")
    with pytest.raises(CommandError, match="No meeting"):
        call_command("letter", "check", "att-csp99-wg")


def test_letter_command_is_the_console_script(tmp_path):
    env = {**os.environ, "CONVOCATION_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    console = [sys.executable, "-m", "convocation.manage"]
    subprocess.run([*console, "migrate", "-v", "0"], env=env, check=True)
    result = subprocess.run(
        [*console, "letter", "render", "nope"], capture_output=True, text=True, env=env
    )
    assert result.returncode == 1
    assert "No meeting with the short name 'nope'." in result.stderr


def test_admin_letter_pages_refuse_staff_without_the_permission_with_a_403(client, demo):
    meeting = Meeting.objects.get(slug="att-csp12-wg")
    draft = services.draft_letter(meeting=meeting, language="en", letter_date=dt.date(2026, 3, 20))
    viewer = get_user_model().objects.create_user(
        "viewer", password="a-long-password", is_staff=True
    )
    viewer.user_permissions.add(Permission.objects.get(codename="view_letter"))
    client.force_login(viewer)
    for action in ("issue", "regenerate"):
        response = client.get(f"/admin/letters/letter/{draft.pk}/{action}/")
        assert response.status_code == 403, action
    draft.refresh_from_db()
    assert not draft.is_issued


def test_an_issued_letter_is_shown_for_reading_and_a_save_changes_nothing(staff_client, demo):
    meeting = Meeting.objects.get(slug="att-csp12-wg")
    letter = services.draft_letter(meeting=meeting, language="en", letter_date=dt.date(2026, 3, 20))
    services.issue_letter(letter=letter, by=None, override_reason="Record of the meeting.")
    letter.refresh_from_db()
    url = f"/admin/letters/letter/{letter.pk}/change/"
    page = staff_client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    texts = list(letter.paragraphs.values_list("text", flat=True))
    # What the page would post back, as the form was drawn before the letter was issued.
    posted = {
        "letter_date": "2026-03-21",
        "paragraphs-TOTAL_FORMS": str(len(texts)),
        "paragraphs-INITIAL_FORMS": str(len(texts)),
        "_save": "Save",
    }
    for number, paragraph in enumerate(letter.paragraphs.order_by("position")):
        posted |= {f"paragraphs-{number}-id": paragraph.pk, f"paragraphs-{number}-text": "x"}
    assert staff_client.post(url, posted).status_code == 403
    letter.refresh_from_db()
    assert letter.letter_date == dt.date(2026, 3, 20)
    assert list(letter.paragraphs.values_list("text", flat=True)) == texts
    for action in ("issue", "regenerate"):
        response = staff_client.get(f"/admin/letters/letter/{letter.pk}/{action}/")
        assert response.status_code == 302, action
