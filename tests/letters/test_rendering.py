"""The CSP12 invitation in every format, read back as a delegate's software reads it.

The PDF is read with poppler (pdftotext, pdfinfo, pdffonts), the Word file with python-docx and
with LibreOffice, which lays it out as a PDF that poppler then reads. A missing tool FAILS the
test that needs it, it never skips it: `make test` installs them all.
"""

import datetime as dt
import io
import os
import re
import shutil
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from convocation.letters.composition import ComposedLetter, compose_letter, letter_facts
from convocation.letters.rendering import addressee_label, render
from convocation.letters.text import letter_as_text
from convocation.meetings.queries import meeting_with_schedule
from tests.browser.tools import (
    AXE_JS,
    CHROMIUM,
    CHROMIUM_ARGS,
    VNU_JAR,
    require_file,
    require_java,
)
from tests.meetings.html import tables

LANGUAGES = ("en", "fr", "es")
LETTER_DATE = dt.date(2026, 1, 16)
INSTALL_HINT = "`make test` installs it"
A4 = (595.3, 841.9)  # points


def compose(slug: str, language: str) -> ComposedLetter:
    meeting = meeting_with_schedule(slug)
    return compose_letter(letter_facts(meeting), language=language, letter_date=LETTER_DATE)


@pytest.fixture(params=LANGUAGES)
def letter(request, demo) -> ComposedLetter:
    return compose("att-csp12-wg", request.param)


@pytest.fixture
def csp10(demo) -> ComposedLetter:
    """The CSP10 week: an empty Monday before the meeting and a closed DIEF session."""
    return compose("att-csp10-wg", "en")


# What a reader of each format must find -------------------------------------------------------


def squeeze(text: str) -> str:
    """Text without the spaces, line breaks and hyphens that a layout adds, moves or justifies."""
    return re.sub(r"[\s\-\u2010\u00ad]+", "", text)


def numbered(letter: ComposedLetter) -> list[str]:
    """Every paragraph with its number: the numbers run on from section to section."""
    return [f"{n}. {p.text}" for n, p in enumerate(letter.paragraphs, start=1)]


def grid_rows(letter: ComposedLetter) -> list[list[str]]:
    """The annex as the letters draw it: time slot, a cell per day, the time slot again."""
    header = ["", *letter.annex.days, ""]
    rows = [
        [
            row.label,
            *[" ".join([*cell.lines, *([cell.note] if cell.note else [])]) for cell in row.cells],
            row.label,
        ]
        for row in letter.annex.rows
    ]
    return [header, *rows]


def assert_in_order(expected: list[str], text: str, what: str) -> None:
    """Each of ``expected`` occurs in ``text``, each after the one before (spaces ignored)."""
    haystack = squeeze(text)
    position = 0
    for item in expected:
        found = haystack.find(squeeze(item), position)
        assert found >= 0, f"{what}: {item!r} is missing after position {position}:\n{text}"
        position = found + len(squeeze(item))


def assert_letter_text(letter: ComposedLetter, text: str, what: str) -> None:
    assert_in_order(
        [
            letter.place_and_date,
            *letter.addressees,
            letter.salutation,
            letter.subject,
            *numbered(letter),
            *letter.closing,
            letter.signatory_name,
            letter.signatory_title,
        ],
        text,
        what,
    )
    # Small capitals come out of a PDF in capitals.
    assert squeeze(letter.letterhead[0]).casefold() in squeeze(text).casefold(), what
    for heading in (s.heading for s in letter.sections if s.heading):
        assert squeeze(heading) in squeeze(text), f"{what}: heading {heading!r}"


def assert_annex_text(letter: ComposedLetter, raw: str, what: str) -> None:
    """Every cell of the grid, row after row, in the annex page's text in drawing order."""
    cells = [cell for row in grid_rows(letter) for cell in row if cell]
    assert_in_order([letter.annex.title, *cells, *letter.annex.footnote], raw, what)


# Tools -----------------------------------------------------------------------------------------


def require_tool(name: str, package: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is missing (Debian package {package}): {INSTALL_HINT}.", pytrace=False)
    return found


def run(*command: str, **kwargs) -> str:
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, **kwargs)
    assert done.returncode == 0, f"{command} exited {done.returncode}:\n{done.stderr}"
    return done.stdout


def pdftotext(path: Path, mode: str, first: int, last: int) -> str:
    tool = require_tool("pdftotext", "poppler-utils")
    return run(tool, mode, "-f", str(first), "-l", str(last), str(path), "-")


def page_sizes(path: Path) -> list[tuple[float, float]]:
    tool = require_tool("pdfinfo", "poppler-utils")
    pages = int(re.search(r"^Pages:\s+(\d+)", run(tool, str(path)), re.M).group(1))
    info = run(tool, "-f", "1", "-l", str(pages), str(path))
    return [
        (float(width), float(height))
        for width, height in re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info, re.M)
    ]


def is_portrait_a4(size: tuple[float, float]) -> bool:
    return abs(size[0] - A4[0]) < 1 and abs(size[1] - A4[1]) < 1


def is_landscape_a4(size: tuple[float, float]) -> bool:
    return abs(size[0] - A4[1]) < 1 and abs(size[1] - A4[0]) < 1


def assert_pages(letter: ComposedLetter, path: Path, what: str) -> None:
    """The letter on portrait A4 pages, the annex alone on the last page, in landscape."""
    sizes = page_sizes(path)
    assert len(sizes) >= 2, f"{what}: {sizes}"
    assert all(is_portrait_a4(size) for size in sizes[:-1]), f"{what}: {sizes}"
    assert is_landscape_a4(sizes[-1]), f"{what}: the annex page is {sizes[-1]}"
    letter_pages = pdftotext(path, "-layout", 1, len(sizes) - 1)
    annex_page = pdftotext(path, "-raw", len(sizes), len(sizes))
    assert_letter_text(letter, letter_pages, what)
    assert squeeze(letter.annex.title) not in squeeze(letter_pages), what
    assert squeeze(letter.signatory_title) not in squeeze(annex_page), what
    # -layout sets the grid's columns side by side, so that a cell that wraps is read across
    # its neighbours; -raw keeps the order in which the cells are drawn, one after another.
    assert_annex_text(letter, annex_page, what)


def embedded_fonts(path: Path) -> dict[str, str]:
    """{font name: "yes" or "no"}, from pdffonts' "emb" column."""
    listing = run(require_tool("pdffonts", "poppler-utils"), str(path)).splitlines()
    # A long name pushes the columns right: count them from the end (emb sub uni object ID).
    return {line.split()[0]: line.split()[-5] for line in listing[2:]}


def pdf_objects(data: bytes) -> bytes:
    """The PDF with its compressed streams inflated, where the catalogue's /Lang may hide."""
    inflated = [data]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.DOTALL):
        try:
            inflated.append(zlib.decompress(stream))
        except zlib.error:
            continue
    return b"\n".join(inflated)


class Elements(HTMLParser):
    """Every element of a page with its attributes and its text, in document order."""

    VOID = {"meta", "br", "link", "img", "hr", "input"}

    def __init__(self, html: str):
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None], list[str]]] = []
        self._open: list[tuple[str, list[str]]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            for _, text in self._open:
                text.append(" ")
            return
        text: list[str] = []
        self.found.append((tag, dict(attrs), text))
        self._open.append((tag, text))

    def handle_endtag(self, tag):
        while self._open:
            if self._open.pop()[0] == tag:
                break

    def handle_data(self, data):
        for _, text in self._open:
            text.append(data)

    def all(self, tag: str, **attrs: str) -> list[str]:
        """The text of every ``tag`` whose attributes include ``attrs``, spaces collapsed."""
        return [
            # HTML collapses ASCII spaces only: a no-break space is kept, as a browser keeps it.
            re.sub(r"[ \t\n\r\f]+", " ", "".join(text)).strip(" \t\n\r\f")
            for name, found, text in self.found
            if name == tag and all(found.get(k) == v for k, v in attrs.items())
        ]


# The formats ----------------------------------------------------------------------------------


def test_render_refuses_an_unknown_format(letter):
    with pytest.raises(ValueError, match="odt"):
        render(letter, "odt")


def test_text_is_the_plain_letter_in_utf8(letter):
    assert render(letter, "txt") == letter_as_text(letter).encode("utf-8")


def test_html_is_a_whole_document_in_the_letters_language(letter):
    html = render(letter, "html").decode("utf-8")
    page = Elements(html)

    assert html.startswith("<!DOCTYPE html>\n")
    assert page.found[0][:2] == ("html", {"lang": letter.language})
    assert page.all("title") == [letter.subject]
    assert page.all("h1") == [letter.subject]
    assert page.all("h2") == [
        *[section.heading for section in letter.sections if section.heading],
        letter.annex.title + "*",
    ]
    assert page.all("dd") == letter.addressees
    # The paragraphs are numbered on from list to list: each <ol> starts after the last one.
    starts = [int(attrs["start"]) for tag, attrs, _ in page.found if tag == "ol"]
    lengths = [len(section.paragraphs) for section in letter.sections if section.paragraphs]
    assert starts == [1 + sum(lengths[:index]) for index in range(len(lengths))]
    assert page.all("li") == [paragraph.text for paragraph in letter.paragraphs]
    assert page.all("p", **{"class": "signatory-name"}) == [letter.signatory_name]
    # Everything the page needs is inside it: no stylesheet, font or picture to fetch.
    assert not re.search(r"<link\b|\bsrc=|url\(", html)


def test_html_annex_is_a_table_with_day_and_time_headers(letter):
    html = render(letter, "html").decode("utf-8")
    page = Elements(html)

    assert tables(html) == [grid_rows(letter)]
    assert page.all("th", scope="col") == letter.annex.days
    assert page.all("th", scope="row") == [row.label for row in letter.annex.rows]
    # The repeated time slot on the right is for the eye only.
    assert page.all("td", **{"class": "slot", "aria-hidden": "true"}) == [
        row.label for row in letter.annex.rows
    ]
    assert "@page annex" in html and "size: A4 landscape" in html


def test_html_annex_sets_closed_sessions_notes_in_italics(csp10):
    html = render(csp10, "html").decode("utf-8")
    notes = [cell.note for row in csp10.annex.rows for cell in row.cells if cell.note]

    assert notes == ["(States Parties and signatory States only)"]
    assert Elements(html).all("i") == notes
    assert Elements(html).all("td", **{"class": "outside"}) == ["", "", ""]


def test_html_is_valid_in_every_language(demo, tmp_path):
    jar = require_file(VNU_JAR, "The Nu HTML Checker (npm package vnu-jar)")
    java = require_java()
    names = []
    for language in LANGUAGES:
        (tmp_path / f"{language}.html").write_bytes(
            render(compose("att-csp12-wg", language), "html")
        )
        names.append(f"{language}.html")
    (tmp_path / "csp10.html").write_bytes(render(compose("att-csp10-wg", "en"), "html"))
    names.append("csp10.html")

    checked = subprocess.run(
        [java, "-jar", str(jar), "--errors-only", *names],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert checked.returncode == 0, checked.stderr or checked.stdout


def test_html_has_no_wcag_21_violations_in_chromium(demo):
    pages = {language: render(compose("att-csp12-wg", language), "html") for language in LANGUAGES}
    pages["csp10"] = render(compose("att-csp10-wg", "en"), "html")
    require_file(CHROMIUM, "Debian's Chromium (apt package chromium)")
    axe = require_file(AXE_JS, "axe-core (npm package axe-core)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        pytest.fail(f"Playwright's Python API is missing ({error}): {INSTALL_HINT}.")

    # The pages are rendered before Playwright starts: no database call while its loop runs.
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        found = {}
        for name, html in pages.items():
            page = browser.new_page()
            page.set_content(html.decode("utf-8"))
            page.add_script_tag(path=str(axe))
            found[name] = page.evaluate(
                "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
                "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
            )
        browser.close()

    for name, results in found.items():
        assert results["passes"], f"axe-core checked nothing in the {name} letter"
        violations = [
            (v["id"], v["help"], [node["html"][:120] for node in v["nodes"]])
            for v in results["violations"]
        ]
        assert violations == [], name


def test_pdf_holds_the_letter_on_portrait_pages_and_the_annex_in_landscape(letter, tmp_path):
    path = tmp_path / "letter.pdf"
    path.write_bytes(render(letter, "pdf"))

    assert_pages(letter, path, f"the PDF in {letter.language}")


def test_pdf_embeds_its_fonts_and_says_its_title_and_language(letter, tmp_path):
    data = render(letter, "pdf")
    path = tmp_path / "letter.pdf"
    path.write_bytes(data)

    fonts = embedded_fonts(path)
    assert fonts, "the PDF lists no font"
    assert set(fonts.values()) == {"yes"}, fonts
    # The faces the stylesheet asks for, found on the machine (Debian's fonts-liberation):
    # a missing one would fall back, unseen, to another face with other line breaks.
    assert all("Liberation" in name.replace("-", "") for name in fonts), (
        f"{fonts}: fonts-liberation is missing? {INSTALL_HINT}."
    )
    info = run(require_tool("pdfinfo", "poppler-utils"), str(path))
    assert re.search(r"^Title:\s+(.*)$", info, re.M).group(1) == letter.subject
    assert re.search(r"^Tagged:\s+yes$", info, re.M), info
    assert f"/Lang ({letter.language})".encode() in pdf_objects(data)


def test_pdf_annex_holds_the_closed_sessions_note(csp10, tmp_path):
    path = tmp_path / "csp10.pdf"
    path.write_bytes(render(csp10, "pdf"))

    assert_pages(csp10, path, "the CSP10 PDF")


def test_docx_uses_named_styles_and_word_numbering(letter):
    document = Document(io.BytesIO(render(letter, "docx")))
    styled = [(p.style.name, p.text) for p in document.paragraphs]

    label = addressee_label(letter.language)
    expected_letter = [
        ("Letterhead", letter.letterhead[0]),
        *[("Letterhead Address", line) for line in letter.letterhead[1:]],
        ("Date Line", letter.place_and_date),
        *[
            ("Addressee", f"{label if index == 0 else ''}\t{addressee}")
            for index, addressee in enumerate(letter.addressees)
        ],
        ("Salutation", letter.salutation),
        ("Subject", letter.subject),
    ]
    for section in letter.sections:
        if section.heading:
            expected_letter.append(("Heading 2", section.heading))
        expected_letter += [("Numbered paragraph", p.text) for p in section.paragraphs]
    expected_letter += [
        *[("Closing", line) for line in letter.closing],
        ("Signatory Name", letter.signatory_name),
        ("Signatory Title", letter.signatory_title),
        ("Annex Title", letter.annex.title + "*"),
        ("Annex Footnote", "* " + " ".join(letter.annex.footnote)),
    ]
    assert styled == expected_letter

    styles = document.styles
    assert styles["Subject"].font.bold and styles["Signatory Name"].font.bold
    assert styles["Heading 2"].font.bold
    # The numbers are Word's: the style points at a decimal list "1.", "2.", ... and no
    # paragraph restarts it.
    num_id = styles["Numbered paragraph"].element.pPr.numPr.numId.val
    numbering = document.part.numbering_part.element
    num = next(n for n in numbering.findall(qn("w:num")) if n.numId == num_id)
    abstract = next(
        a
        for a in numbering.findall(qn("w:abstractNum"))
        if a.get(qn("w:abstractNumId")) == str(num.abstractNumId.val)
    )
    level = abstract.find(qn("w:lvl"))
    assert level.find(qn("w:numFmt")).get(qn("w:val")) == "decimal"
    assert level.find(qn("w:lvlText")).get(qn("w:val")) == "%1."
    assert all(p._p.pPr.numPr is None for p in document.paragraphs)

    properties = document.core_properties
    assert (properties.title, properties.language) == (letter.subject, letter.language)


def test_docx_annex_is_a_landscape_section_with_a_real_table(letter):
    document = Document(io.BytesIO(render(letter, "docx")))

    first, annex = document.sections
    assert first.orientation == WD_ORIENT.PORTRAIT
    assert (round(first.page_width.cm, 1), round(first.page_height.cm, 1)) == (21.0, 29.7)
    assert annex.orientation == WD_ORIENT.LANDSCAPE
    assert (round(annex.page_width.cm, 1), round(annex.page_height.cm, 1)) == (29.7, 21.0)

    [table] = document.tables
    rows = [[cell.text.replace("\n", " ") for cell in row.cells] for row in table.rows]
    assert rows == grid_rows(letter)
    header = table.rows[0]
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None, "the header row must repeat"
    assert {cell.paragraphs[0].style.name for cell in header.cells} == {"Schedule Heading"}
    labels = [row.cells[0].paragraphs[0] for row in table.rows[1:]]
    assert {p.style.name for p in labels} == {"Schedule Heading"}
    assert document.styles["Schedule Heading"].font.bold


def test_docx_annex_sets_closed_sessions_notes_in_italics(csp10):
    document = Document(io.BytesIO(render(csp10, "docx")))

    italic = [
        run.text
        for row in document.tables[0].rows
        for cell in row.cells
        for paragraph in cell.paragraphs
        for run in paragraph.runs
        if run.italic
    ]
    assert italic == ["(States Parties and signatory States only)"]


def test_libreoffice_opens_the_docx_and_lays_it_out_as_the_letter(letter, tmp_path):
    office = shutil.which("soffice") or require_tool(
        "libreoffice", "libreoffice-writer-nogui (or libreoffice-writer)"
    )
    source = tmp_path / "letter.docx"
    source.write_bytes(render(letter, "docx"))
    # A profile of its own, so that runs side by side do not wait on each other's lock.
    profile = tmp_path / "libreoffice-profile"
    done = subprocess.run(
        [
            office,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    converted = tmp_path / "letter.pdf"
    assert converted.is_file(), f"LibreOffice made no PDF ({done.returncode}):\n{done.stderr}"

    assert_pages(letter, converted, f"the DOCX in {letter.language}, laid out by LibreOffice")
