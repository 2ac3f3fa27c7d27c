"""Symbols from the treaty's pattern, as the ATT writes them: plain functions, no database."""

import pytest

from convocation.documents import symbols

ATT = "ATT/{cycle}.{body}/{year}/{office}/{number}/{code}"


def make(pattern: str = ATT, **overrides) -> str:
    values = {
        "treaty": "ATT",
        "cycle": "CSP10",
        "body": "WGTU",
        "year": 2024,
        "office": "CHAIR",
        "number": 776,
        "code": "DrAgenda",
    }
    values.update(overrides)
    return symbols.symbol(pattern, **values)


def test_symbol_of_a_working_group_document_follows_the_att_pattern():
    assert make() == "ATT/CSP10.WGTU/2024/CHAIR/776/DrAgenda"


def test_symbol_without_a_body_drops_the_body_and_its_separator():
    assert (
        make(body="", office="PRES", number=782, code="WG.WP.IAC")
        == "ATT/CSP10/2024/PRES/782/WG.WP.IAC"
    )


def test_symbol_pattern_starting_with_the_body_drops_the_separator_after_it():
    assert make("{body}/{number}", body="") == "776"


def test_symbol_pattern_may_format_the_number():
    assert make("{treaty}/{number:04d}") == "ATT/0776"


def test_symbol_pattern_without_a_number_is_refused():
    with pytest.raises(symbols.SymbolError, match="number"):
        make("ATT/{cycle}/{code}")


def test_symbol_pattern_with_an_unknown_placeholder_is_refused():
    with pytest.raises(symbols.SymbolError, match="session"):
        make("ATT/{session}/{number}")


@pytest.mark.parametrize("code", ["", "Dr Agenda", "../x", "a" * 41, ".Rev1"])
def test_symbol_refuses_a_short_code_that_would_break_it(code):
    with pytest.raises(symbols.SymbolError):
        make(code=code)


@pytest.mark.parametrize(
    ("title", "expected"),
    [("president", "PRES"), ("vice_president", "VP"), ("chair", "CHAIR"), ("facilitator", "FAC")],
)
def test_office_codes(title, expected):
    assert symbols.office_code(title) == expected


def test_office_code_of_the_secretariat():
    assert symbols.office_code(None) == "SECR"


@pytest.mark.parametrize(
    ("revision", "corrigendum", "kind", "expected"),
    [
        (0, 0, "revision", (1, 0)),
        (1, 0, "revision", (2, 0)),
        (0, 0, "corrigendum", (0, 1)),
        (0, 1, "corrigendum", (0, 2)),
        (1, 0, "corrigendum", (1, 1)),
        (1, 1, "revision", (2, 0)),
    ],
)
def test_next_version_numbers(revision, corrigendum, kind, expected):
    assert symbols.next_version(revision, corrigendum, kind) == expected


def test_next_version_of_an_unknown_kind_is_an_error():
    with pytest.raises(ValueError, match="addendum"):
        symbols.next_version(0, 0, "addendum")


@pytest.mark.parametrize(
    ("revision", "corrigendum", "expected"),
    [(0, 0, "S"), (1, 0, "S.Rev1"), (0, 2, "S.Corr2"), (1, 1, "S.Rev1.Corr1")],
)
def test_version_symbol(revision, corrigendum, expected):
    assert symbols.version_symbol("S", revision, corrigendum) == expected


def test_file_name_of_a_symbol():
    assert (
        symbols.file_name("ATT/CSP10.WGTU/2024/CHAIR/776/DrAgenda.Rev1", "en", "pdf")
        == "ATT-CSP10-WGTU-2024-CHAIR-776-DrAgenda-Rev1-en.pdf"
    )
