import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from convocation.manage import main
from convocation.treaties.imports import ImportRejected, ImportResult, import_treaty_actions
from convocation.treaties.models import Treaty, TreatyAction

HEADER = "state,action,date\n"
GOOD_ROWS = (
    "DEU,signature,2013-06-03\n"
    "DEU,ratification,2014-04-02\n"
    "jp,signature,2013-06-03\n"  # alpha-2, in lower case
    "JPN,acceptance,2014-05-09\n"
    " PS , Accession , 2017-12-29 \n"  # spaces and capitals are tolerated
)
ACTIONS_OF_A_KIND = "acceptance, accession, approval, ratification, signature"


def recorded_actions():
    """Every treaty action as (treaty, state, kind, date), in a stable order."""
    return list(
        TreatyAction.objects.order_by("treaty__code", "state_id", "kind").values_list(
            "treaty__code", "state_id", "kind", "date"
        )
    )


def actions_of(*codes):
    return list(
        TreatyAction.objects.filter(state_id__in=codes)
        .order_by("state_id", "kind")
        .values_list("state_id", "kind", "date")
    )


def write(tmp_path, text, *, encoding="utf-8", name="actions.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return path


def run_command(path, *args):
    out = io.StringIO()
    call_command("import_treaty_actions", str(path), *args, stdout=out)
    return out.getvalue()


def command_error(path, *args):
    with pytest.raises(CommandError) as raised:
        run_command(path, *args)
    return str(raised.value)


# The function


def test_import_function_creates_every_row(demo):
    att = Treaty.objects.get(code="att")

    result = import_treaty_actions(treaty=att, lines=io.StringIO(HEADER + GOOD_ROWS))

    assert result == ImportResult(created=5, updated=0)
    assert actions_of("DEU", "JPN", "PSE") == [
        ("DEU", "ratification", dt.date(2014, 4, 2)),
        ("DEU", "signature", dt.date(2013, 6, 3)),
        ("JPN", "acceptance", dt.date(2014, 5, 9)),
        ("JPN", "signature", dt.date(2013, 6, 3)),
        ("PSE", "accession", dt.date(2017, 12, 29)),
    ]
    assert TreatyAction.objects.filter(treaty=att).count() == 10 + 5


def test_import_function_updates_an_existing_action(demo):
    att = Treaty.objects.get(code="att")
    lines = io.StringIO(HEADER + "CN,accession,2020-07-07\nDEU,signature,2013-06-03\n")

    result = import_treaty_actions(treaty=att, lines=lines)

    assert result == ImportResult(created=1, updated=1)
    assert actions_of("CHN") == [("CHN", "accession", dt.date(2020, 7, 7))]


def test_import_function_accepts_columns_in_any_order_and_case(demo):
    att = Treaty.objects.get(code="att")
    lines = io.StringIO("Date, STATE ,Action,notes\n2013-06-03,DEU,signature,first\n")

    result = import_treaty_actions(treaty=att, lines=lines)

    assert result == ImportResult(created=1, updated=0)
    assert actions_of("DEU") == [("DEU", "signature", dt.date(2013, 6, 3))]


def test_import_function_rejects_with_every_problem_by_line(demo):
    att = Treaty.objects.get(code="att")
    before = recorded_actions()
    lines = io.StringIO(
        HEADER
        + "DEU,signature,2013-06-03\n"
        + "TWN,signature,2013-06-03\n"
        + "DEU,ratify,2014-04-02\n"
        + "JPN,signature,3 June 2013\n"
        + "XX,sign,\n"
        + "DE,signature,2013-06-04\n"
    )

    with pytest.raises(ImportRejected) as raised:
        import_treaty_actions(treaty=att, lines=lines)

    assert raised.value.problems == [
        "line 3: 'TWN' is not the ISO code of a known State",
        f"line 4: 'ratify' is not an action; use one of {ACTIONS_OF_A_KIND}",
        "line 5: '3 June 2013' is not a date as YYYY-MM-DD",
        "line 6: 'XX' is not the ISO code of a known State",
        f"line 6: 'sign' is not an action; use one of {ACTIONS_OF_A_KIND}",
        "line 6: '' is not a date as YYYY-MM-DD",
        "line 7: DEU signature appears twice in the file",
    ]
    assert recorded_actions() == before


def test_import_line_numbers_count_blank_lines(demo):
    # csv.DictReader skips blank lines, so counting rows is not counting lines: the problem
    # must name line 4, the line an officer finds when opening the file.
    att = Treaty.objects.get(code="att")
    lines = io.StringIO(HEADER + "DEU,signature,2013-06-03\n\nTWN,signature,2013-06-03\n")

    with pytest.raises(ImportRejected) as raised:
        import_treaty_actions(treaty=att, lines=lines)

    assert raised.value.problems == ["line 4: 'TWN' is not the ISO code of a known State"]


# The command, good files


def test_import_command_creates_rows_with_their_dates(demo, tmp_path):
    path = write(tmp_path, HEADER + GOOD_ROWS)

    output = run_command(path)

    assert output == "Imported 5 treaty actions (5 new, 0 updated).\n"
    assert actions_of("DEU", "JPN", "PSE") == [
        ("DEU", "ratification", dt.date(2014, 4, 2)),
        ("DEU", "signature", dt.date(2013, 6, 3)),
        ("JPN", "acceptance", dt.date(2014, 5, 9)),
        ("JPN", "signature", dt.date(2013, 6, 3)),
        ("PSE", "accession", dt.date(2017, 12, 29)),
    ]


def test_import_command_accepts_alpha_2_and_alpha_3_codes(demo, tmp_path):
    path = write(tmp_path, HEADER + "KR,signature,2013-09-26\nKOR,ratification,2016-11-28\n")

    run_command(path)

    assert actions_of("KOR") == [
        ("KOR", "ratification", dt.date(2016, 11, 28)),
        ("KOR", "signature", dt.date(2013, 9, 26)),
    ]


def test_import_command_twice_updates_instead_of_duplicating(demo, tmp_path):
    run_command(write(tmp_path, HEADER + GOOD_ROWS, name="first.csv"))
    count = TreatyAction.objects.count()
    corrected = GOOD_ROWS.replace("2014-05-09", "2014-05-10")

    output = run_command(write(tmp_path, HEADER + corrected, name="second.csv"))

    assert output == "Imported 5 treaty actions (0 new, 5 updated).\n"
    assert TreatyAction.objects.count() == count
    assert actions_of("JPN") == [
        ("JPN", "acceptance", dt.date(2014, 5, 10)),
        ("JPN", "signature", dt.date(2013, 6, 3)),
    ]


def test_import_command_accepts_a_utf8_byte_order_mark(demo, tmp_path):
    # Spreadsheet programs write a BOM before the header; it must not hide the state column.
    path = write(tmp_path, HEADER + "DEU,signature,2013-06-03\n", encoding="utf-8-sig")
    assert path.read_bytes()[:3] == b"\xef\xbb\xbf"

    output = run_command(path)

    assert output == "Imported 1 treaty actions (1 new, 0 updated).\n"
    assert actions_of("DEU") == [("DEU", "signature", dt.date(2013, 6, 3))]


def test_import_command_accepts_windows_line_endings(demo, tmp_path):
    path = write(tmp_path, (HEADER + GOOD_ROWS).replace("\n", "\r\n"))

    output = run_command(path)

    assert output == "Imported 5 treaty actions (5 new, 0 updated).\n"


@pytest.fixture
def keep_test_connection(monkeypatch):
    # A command run from the command line closes every connection when it ends; in the test
    # that would close the test's own transaction (PostgreSQL then refuses the next query).
    monkeypatch.setattr("django.db.connections.close_all", lambda: None)


def test_import_command_hyphenated_name_through_console_script(
    demo, tmp_path, capsys, keep_test_connection
):
    path = write(tmp_path, HEADER + "DEU,signature,2013-06-03\nCHN,accession,2020-07-06\n")

    main(["convocation", "import-treaty-actions", str(path)])

    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("Imported 2 treaty actions (1 new, 1 updated).\n", "")
    assert actions_of("DEU", "CHN") == [
        ("CHN", "accession", dt.date(2020, 7, 6)),
        ("DEU", "signature", dt.date(2013, 6, 3)),
    ]


def test_import_command_error_through_console_script_exits_1(
    demo, tmp_path, capsys, keep_test_connection
):
    path = tmp_path / "missing.csv"

    with pytest.raises(SystemExit) as raised:
        main(["convocation", "import-treaty-actions", str(path)])

    assert raised.value.code == 1
    assert capsys.readouterr().err == (
        f"CommandError: Cannot read {path}: No such file or directory\n"
    )


# The command, bad files: a CommandError naming the line and the problem, and nothing written


@pytest.mark.parametrize(
    ("bad_line", "problem"),
    [
        pytest.param(
            "TWN,signature,2013-06-03",
            "line 5: 'TWN' is not the ISO code of a known State",
            id="unknown-state",
        ),
        pytest.param(
            "DEU,ratify,2014-04-02",
            f"line 5: 'ratify' is not an action; use one of {ACTIONS_OF_A_KIND}",
            id="unknown-action",
        ),
        pytest.param(
            "DEU,ratification,02/04/2014",
            "line 5: '02/04/2014' is not a date as YYYY-MM-DD",
            id="bad-date-format",
        ),
        pytest.param(
            "DEU,ratification,2014-02-30",
            "line 5: '2014-02-30' is not a date as YYYY-MM-DD",
            id="impossible-date",
        ),
        pytest.param(
            "DEU,signature,2013-06-03",
            "line 5: DEU signature appears twice in the file",
            id="duplicate-row",
        ),
        pytest.param(
            "de,signature,2013-06-04",
            "line 5: DEU signature appears twice in the file",
            id="duplicate-by-alpha-2",
        ),
    ],
)
def test_import_command_bad_row_after_good_rows_writes_nothing(demo, tmp_path, bad_line, problem):
    # Good rows first, one of them changing the date of a demo action: none may be written.
    path = write(
        tmp_path,
        HEADER + "DEU,signature,2013-06-03\nCHN,accession,2021-01-01\nJPN,signature,2013-06-03\n"
        f"{bad_line}\n",
    )
    before = recorded_actions()

    message = command_error(path)

    assert message == f"{path} was not imported; nothing was written.\n{problem}"
    assert recorded_actions() == before
    assert TreatyAction.objects.count() == 10


def test_import_command_missing_column_writes_nothing(demo, tmp_path):
    path = write(tmp_path, "state,action\nDEU,signature\n")
    before = recorded_actions()

    message = command_error(path)

    assert message == (
        f"{path} was not imported; nothing was written.\n"
        "line 1: the header must name the columns state, action, date; missing: date"
    )
    assert recorded_actions() == before


def test_import_command_empty_file_writes_nothing(demo, tmp_path):
    path = write(tmp_path, "")
    before = recorded_actions()

    message = command_error(path)

    assert message == (
        f"{path} was not imported; nothing was written.\n"
        "line 1: the header must name the columns state, action, date; "
        "missing: state, action, date"
    )
    assert recorded_actions() == before


def test_import_command_non_utf8_bytes_writes_nothing(demo, tmp_path):
    # "Côte d'Ivoire" as Latin-1 writes it, after a good row.
    path = write(
        tmp_path,
        (HEADER + "DEU,signature,2013-06-03\nCIV,signature,2013-06-03,Côte d'Ivoire\n"),
        encoding="latin-1",
    )
    before = recorded_actions()

    message = command_error(path)

    assert message == f"{path} is not UTF-8 text."
    assert recorded_actions() == before


def test_import_command_missing_file_writes_nothing(demo, tmp_path):
    path = tmp_path / "missing.csv"
    before = recorded_actions()

    message = command_error(path)

    assert message == f"Cannot read {path}: No such file or directory"
    assert recorded_actions() == before


def test_import_command_unknown_treaty_writes_nothing(demo, tmp_path):
    path = write(tmp_path, HEADER + "DEU,signature,2013-06-03\n")
    before = recorded_actions()

    message = command_error(path, "--treaty", "cwc")

    assert message == "No treaty with the code 'cwc'."
    assert recorded_actions() == before


def test_import_command_names_the_treaty_with_any_case(demo, tmp_path):
    path = write(tmp_path, HEADER + "DEU,signature,2013-06-03\n")

    output = run_command(path, "--treaty", "ATT")

    assert output == "Imported 1 treaty actions (1 new, 0 updated).\n"
    assert TreatyAction.objects.get(state_id="DEU").treaty.code == "att"
