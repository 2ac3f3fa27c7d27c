import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from convocation.meetings.demo import load_bodies, load_states, load_treaty
from convocation.meetings.models import Meeting, Session
from tests.meetings.annex import LETTERS, SEEDS


@pytest.fixture
def seed_2026():
    path = SEEDS / LETTERS["att-csp12-wg"]
    if not path.exists():
        pytest.skip(f"the ATT letters are not here: {SEEDS} is absent")
    return path


@pytest.fixture
def treaty(db):
    load_states()
    treaty = load_treaty()
    load_bodies(treaty)
    return treaty


def test_dry_run_reports_and_writes_nothing(treaty, seed_2026, capsys):
    call_command("letter", "import", str(seed_2026), "--dry-run")
    out = capsys.readouterr().out
    assert "line 16: subject: ATT CSP12 Working Group meetings, 16 – 19 March 2026" in out
    assert "Not recognised: nothing." in out
    assert "ERROR: the letter disagrees with itself: line 52: the annex title names CSP11" in out
    assert "Would change att-csp12-wg:" in out
    assert Meeting.objects.count() == 0


def test_import_creates_the_meeting_and_reports_the_checks(treaty, seed_2026, capsys):
    call_command("letter", "import", str(seed_2026))
    out = capsys.readouterr().out
    assert "Changed att-csp12-wg:" in out
    assert "WARNING: meeting: The office of Chair of the Working Group" in out
    assert Session.objects.filter(meeting__slug="att-csp12-wg").count() == 8
    call_command("letter", "import", str(seed_2026))
    assert "Nothing to change." in capsys.readouterr().out


def test_json_prints_the_meeting_as_schedule_json(treaty, seed_2026, capsys):
    call_command("letter", "import", str(seed_2026), "--json")
    document = json.loads(capsys.readouterr().out)
    assert document["meeting"]["slug"] == "att-csp12-wg"
    assert document["meeting"]["registration"] == "required"
    assert [s["start"] for s in document["sessions"]][:2] == [
        "2026-03-16T10:00:00+01:00",
        "2026-03-16T15:00:00+01:00",
    ]
    assert Meeting.objects.count() == 0


def test_an_unreadable_letter_names_the_line_and_writes_nothing(treaty, tmp_path):
    letter = tmp_path / "letter.txt"
    letter.write_bytes(b"The Arms Trade Treaty\n\xff\xfe broken\n")
    with pytest.raises(CommandError, match=r"line 2.*nothing was written"):
        call_command("letter", "import", str(letter))
    with pytest.raises(CommandError, match=r"cannot read .*No such file or directory"):
        call_command("letter", "import", str(tmp_path / "missing.txt"))
    assert Meeting.objects.count() == 0
