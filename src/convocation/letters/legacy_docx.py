"""A past invitation written in Word, as the lines the legacy reader reads.

Paragraphs become lines, separated by a blank line as paragraphs are; a soft line break
inside a paragraph starts a new line (the signature block often uses one). The annex is a
real Word table: each row becomes one tab-separated line, and the paragraphs inside a cell
are joined by ``<br>``, so a cell naming two bodies reads as two. Errors name the
paragraph or the table row, as Word shows no line numbers.
"""

import zipfile
from pathlib import Path

from docx import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph

from convocation.letters.legacy import LegacyLetterError, SourceLine


def _cell_text(cell) -> str:
    pieces = [paragraph.text.replace("\t", " ") for paragraph in cell.paragraphs]
    return "<br>".join(piece.replace("\n", "<br>") for piece in pieces if piece.strip())


def docx_lines(path: str | Path) -> list[SourceLine]:
    try:
        document = Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise LegacyLetterError(
            f"{Path(path).name} is not a Word document (.docx) that can be opened: {error}",
            where="paragraph 1",
        ) from error

    lines: list[SourceLine] = []

    def add(where: str, raw: str) -> None:
        lines.append(SourceLine(len(lines) + 1, where, raw))

    paragraphs = tables = 0
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            paragraphs += 1
            for piece in block.text.replace("\t", " ").split("\n"):
                add(f"paragraph {paragraphs}", piece)
            add(f"paragraph {paragraphs}", "")
        elif isinstance(block, Table):
            tables += 1
            for number, row in enumerate(block.rows, start=1):
                cells = [_cell_text(cell) for cell in row.cells]
                # A row without a tab would not read as a table row: keep at least two cells.
                add(
                    f"table {tables}, row {number}",
                    "\t".join(cells) + ("\t" if len(cells) < 2 else ""),
                )
            add(f"after table {tables}", "")
    return lines
