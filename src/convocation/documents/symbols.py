"""Document symbols made from the treaty's pattern: plain functions, no database.

The ATT's pattern is ``ATT/{cycle}.{body}/{year}/{office}/{number}/{code}``, which gives
ATT/CSP10.WGTU/2024/CHAIR/776/DrAgenda for a Working Group's document and, without a body,
ATT/CSP10/2024/PRES/782/WG.WP.IAC for a document of the Conference as a whole. A revision
adds ``.Rev1``, a corrigendum ``.Corr1`` (a corrigendum of a revision: ``.Rev1.Corr1``).
"""

import re
import string

from convocation.cycles.models import Office

PLACEHOLDERS = frozenset({"treaty", "cycle", "body", "year", "office", "number", "code"})
DEFAULT_PATTERN = "{treaty}/{cycle}.{body}/{year}/{office}/{number}/{code}"
OFFICE_CODES = {
    Office.Title.PRESIDENT: "PRES",
    Office.Title.VICE_PRESIDENT: "VP",
    Office.Title.CHAIR: "CHAIR",
    Office.Title.FACILITATOR: "FAC",
}
SECRETARIAT_CODE = "SECR"
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-]{0,39}$")
# The separator written before {body}, which goes with it when there is no body.
_BODY_WITH_SEPARATOR = re.compile(r"[./\-]?\{body\}")


class SymbolError(ValueError):
    """A pattern or a short code that cannot make a symbol."""


def placeholders_of(pattern: str) -> set[str]:
    try:
        return {name for _text, name, _spec, _conv in string.Formatter().parse(pattern) if name}
    except ValueError as error:
        raise SymbolError(str(error)) from error


def check_pattern(pattern: str) -> None:
    """A pattern names only known placeholders, and always {number}, so symbols never repeat."""
    names = placeholders_of(pattern)
    unknown = names - PLACEHOLDERS
    if unknown:
        raise SymbolError(f"Unknown placeholders: {', '.join(sorted(unknown))}")
    if "number" not in names:
        raise SymbolError("The pattern must contain {number}.")


def check_code(code: str) -> None:
    if not CODE_RE.match(code):
        raise SymbolError(
            "A short code is up to 40 letters, digits, dots or hyphens, for example DrAgenda."
        )


def office_code(title: str | None) -> str:
    """CHAIR, PRES, FAC, VP; SECR for a document the Secretariat issues in its own name."""
    if not title:
        return SECRETARIAT_CODE
    return OFFICE_CODES[Office.Title(title)]


def symbol(
    pattern: str,
    *,
    treaty: str,
    cycle: str,
    body: str,
    year: int,
    office: str,
    number: int,
    code: str,
) -> str:
    """The symbol of a first version; without a body, ``{body}`` and its separator go."""
    check_pattern(pattern)
    check_code(code)
    if not body:
        pattern = _BODY_WITH_SEPARATOR.sub("", pattern, count=1)
        pattern = pattern.lstrip("./-")
    return pattern.format(
        treaty=treaty, cycle=cycle, body=body, year=year, office=office, number=number, code=code
    )


def version_suffix(revision: int, corrigendum: int) -> str:
    return (f".Rev{revision}" if revision else "") + (f".Corr{corrigendum}" if corrigendum else "")


def version_symbol(base: str, revision: int, corrigendum: int) -> str:
    return base + version_suffix(revision, corrigendum)


def next_version(revision: int, corrigendum: int, kind: str) -> tuple[int, int]:
    """The (revision, corrigendum) numbers of the version that replaces this one.

    A revision of ``S.Rev1.Corr1`` is ``S.Rev2``; a corrigendum of ``S.Rev1`` is
    ``S.Rev1.Corr1``, and of that, ``S.Rev1.Corr2``.
    """
    if kind == "revision":
        return revision + 1, 0
    if kind == "corrigendum":
        return revision, corrigendum + 1
    raise ValueError(f"Not a kind of version: {kind!r}")


def file_name(symbol_text: str, language: str, extension: str) -> str:
    """The download name: ATT-CSP10-WGTU-2024-CHAIR-776-DrAgenda-en.pdf."""
    safe = re.sub(r"[^A-Za-z0-9]+", "-", symbol_text).strip("-")
    return f"{safe}-{language}.{extension}"
