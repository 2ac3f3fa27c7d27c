"""The letter as plain text, for email bodies, diffs and the command line."""

import textwrap

from django.utils import translation
from django.utils.translation import pgettext

from convocation.letters.composition import ComposedLetter


def _wrap(text: str, indent: str = "") -> str:
    return textwrap.fill(text, width=92, initial_indent=indent, subsequent_indent=" " * len(indent))


def letter_as_text(letter: ComposedLetter) -> str:
    lines = [*letter.letterhead, letter.place_and_date, ""]
    with translation.override(letter.language):
        to = pgettext("letter", "To :") + " "
    lines += [(to if n == 0 else " " * len(to)) + a for n, a in enumerate(letter.addressees)]
    lines += ["", letter.salutation, "", letter.subject, ""]
    number = 0
    for section in letter.sections:
        if section.heading:
            lines += [section.heading, ""]
        for paragraph in section.paragraphs:
            number += 1
            lines += [_wrap(paragraph.text, f"{number}. "), ""]
    lines += [*letter.closing, "", "", letter.signatory_name, letter.signatory_title, ""]
    annex = letter.annex
    lines += ["", annex.title + "*", ""]
    # A grid does not fit a line of text: the annex is read day by day, as on a phone.
    for index, day in enumerate(annex.days):
        entries = [
            f"    {row.label}: "
            + "; ".join(row.cells[index].lines)
            + (f" {row.cells[index].note}" if row.cells[index].note else "")
            for row in annex.rows
            if row.cells[index].lines
        ]
        if entries:
            lines += [day, *entries]
    lines.append("")
    lines += [_wrap("* " + " ".join(annex.footnote))]
    return "\n".join(lines) + "\n"
