"""A composed letter in the formats the Secretariat sends: text, HTML, PDF and Word.

Every format is drawn from the same ``ComposedLetter`` and from nothing else, so an issued
letter renders the same years later. The HTML is a whole document with its print stylesheet
inside: the PDF is that HTML laid out by WeasyPrint, with nothing fetched from the web server.
The Word file (``docx.py``) is built with named styles, so that the Secretariat can edit it.
WeasyPrint and python-docx are imported on the first PDF or Word file only: a web process or a
command that never makes one does not pay for loading them.
"""

import functools
import re
from pathlib import Path

from django.template.loader import get_template
from django.utils import translation
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import pgettext

from convocation.letters.composition import ComposedLetter, Paragraph
from convocation.letters.text import letter_as_text

FORMATS = ("txt", "html", "pdf", "docx")
STYLESHEET = Path(__file__).parent / "static" / "letters" / "letter.css"

# A session's label starts with its body's acronym ("WGETI Sub-working Group on ..."): the
# annex sets it in bold, as the Secretariat's letters do.
_ACRONYM = re.compile(r"^([A-Z][A-Z0-9&]+)(?:\s+(.*))?$", re.DOTALL)
# A web address in a paragraph, without the punctuation that closes the sentence around it.
_ADDRESS = re.compile(r"https?://[^\s()<>]*[^\s()<>.,;:!?'\"]")


def render(letter: ComposedLetter, fmt: str) -> bytes:
    """The letter as a file: ``fmt`` is one of ``FORMATS``."""
    if fmt == "txt":
        return letter_as_text(letter).encode("utf-8")
    if fmt == "html":
        return letter_as_html(letter).encode("utf-8")
    if fmt == "pdf":
        from convocation.letters.pdf import html_as_pdf

        return html_as_pdf(letter_as_html(letter))
    if fmt == "docx":
        from convocation.letters.docx import letter_as_docx

        return letter_as_docx(letter)
    raise ValueError(f"no letter format {fmt!r}: choose one of {', '.join(FORMATS)}")


def addressee_label(language: str) -> str:
    """ "To :" before the list of addressees, in the letter's language."""
    with translation.override(language):
        return pgettext("letter", "To :")


def numbered_sections(letter: ComposedLetter) -> list[tuple[str, list[tuple[int, Paragraph]]]]:
    """The sections with their paragraphs numbered on from one section to the next."""
    number = 0
    sections = []
    for section in letter.sections:
        numbered = []
        for paragraph in section.paragraphs:
            number += 1
            numbered.append((number, paragraph))
        sections.append((section.heading, numbered))
    return sections


def slot_width_em(labels: list[str]) -> float:
    """How wide the time-slot columns must be, in ems of their bold face, padding included.

    From the rough advance widths of a bold serif face (Liberation Serif, Times New Roman): a
    time slot ("10:00 – 13:00") or a short label ("SIDE EVENTS") keeps to one line, a long one
    ("MANIFESTATIONS PARALLÈLES") breaks between its words, never inside one; the days share
    the rest of the width.
    """

    def width(text: str) -> float:
        return sum(0.74 if c.isupper() else 0.5 if c.isalnum() else 0.35 for c in text)

    units = [
        unit
        for label in labels
        for unit in (
            [label] if width(label) <= 9 or any(c.isdigit() for c in label) else label.split()
        )
    ]
    return round(max([6.0, *(width(unit) + 1.3 for unit in units)]), 1)


def split_acronym(line: str) -> tuple[str, str]:
    """ "WGETI Sub-working Group on ..." -> ("WGETI", "Sub-working Group on ...")."""
    match = _ACRONYM.match(line)
    if match is None:
        return "", line
    return match.group(1), match.group(2) or ""


def with_links(text: str) -> SafeString:
    """The paragraph, escaped, with its web addresses as links.

    Not Django's ``urlize``: in Django 5.2 it drops the full stop of "(https://...)."
    """
    parts = []
    position = 0
    for match in _ADDRESS.finditer(text):
        parts += [
            escape(text[position : match.start()]),
            format_html('<a href="{0}">{0}</a>', match[0]),
        ]
        position = match.end()
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))


@functools.cache
def stylesheet() -> SafeString:
    # Our own file, put inside <style>, where HTML entities would not be decoded.
    return mark_safe(STYLESHEET.read_text(encoding="utf-8"))


def letter_as_html(letter: ComposedLetter) -> str:
    """A complete HTML5 document: the letter, then the annex on its own landscape page."""
    annex = letter.annex
    context = {
        "letter": letter,
        "address_lines": letter.letterhead[1:],
        "to_label": addressee_label(letter.language),
        "sections": [
            {
                "heading": heading,
                "start": paragraphs[0][0] if paragraphs else 1,
                "paragraphs": [
                    {"key": paragraph.key, "text": with_links(paragraph.text)}
                    for _, paragraph in paragraphs
                ],
            }
            for heading, paragraphs in numbered_sections(letter)
            if paragraphs or heading
        ],
        "annex": {
            "title": annex.title,
            "days": annex.days,
            "slot_width": slot_width_em([row.label for row in annex.rows]),
            "rows": [
                {
                    "label": row.label,
                    "cells": [
                        {
                            "lines": [split_acronym(line) for line in cell.lines],
                            "note": cell.note,
                            "outside": cell.outside,
                        }
                        for cell in row.cells
                    ],
                }
                for row in annex.rows
            ],
            "footnote": annex.footnote,
        },
        "stylesheet": stylesheet(),
    }
    return get_template("letters/letter.html").render(context)
