"""The figures as tables to take away: CSV and Excel, for staff (whole) and public (suppressed).

``staff_rows`` and ``public_rows`` build the table once; ``as_csv`` and ``as_xlsx`` only
write it out. Neither holds a name, an email or one person's gender: counts only.
"""

import csv
import io
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from convocation.reports.figures import ByGender, MeetingFigures, Row
from convocation.reports.public import PublicFigures


def staff_header() -> list[str]:
    return [
        _("Table"),
        _("Group"),
        _("Measure"),
        _("Female"),
        _("Male"),
        _("Another gender (self-described)"),
        _("Prefer not to say"),
        _("Total"),
    ]


def _counts(table: str, group: str, measure: str, counts: ByGender) -> list[Any]:
    return [table, group, measure, *counts.values(), counts.total]


def _rows(table: str, rows: Sequence[Row]) -> list[list[Any]]:
    out = []
    for row in rows:
        out.append(_counts(table, row.label, _("Registered"), row.registered))
        out.append(_counts(table, row.label, _("Attended"), row.attended))
    return out


def staff_rows(figures: MeetingFigures) -> list[list[Any]]:
    """Every figure of the meeting's report, one line per group and measure."""
    table = [
        *_rows(_("All participants"), [figures.total]),
        *_rows(_("Participant category"), figures.by_category),
        *_rows(_("Role"), figures.by_role),
        *_rows(_("Attendance"), figures.by_mode),
    ]
    for day, counts in figures.by_day:
        table.append(_counts(_("Checked in, by day"), day.isoformat(), _("Attended"), counts))
    speakers = figures.speakers
    table.append(_counts(_("Speakers"), _("Turns at the floor"), _("Turns"), speakers.turns))
    table.append(
        [
            _("Speakers"),
            _("Turns at the floor"),
            _("Speaker not noted"),
            "",
            "",
            "",
            "",
            speakers.turns_not_noted,
        ]
    )
    table.append(
        _counts(_("Speakers"), _("Persons who took the floor"), _("Speakers"), speakers.speakers)
    )
    delegations = figures.delegations
    for label, value in (
        (_("Delegations"), delegations.total),
        (_("With a head of delegation"), delegations.with_head),
        (_("Headed by a woman"), delegations.headed_by_woman),
        (_("Of women only (registered members)"), delegations.women_only),
    ):
        table.append([_("Delegations"), label, _("Registered"), "", "", "", "", value])
    return table


def public_header() -> list[str]:
    return [_("Table"), _("Row"), _("Column"), _("Count")]


def public_rows(figures: PublicFigures) -> list[list[Any]]:
    """Each shown cell of each public table; a suppressed one as "<5" or "—"."""
    table = []
    for public in figures.tables:
        for label, cells in public.rows:
            for column, cell in zip(public.header, cells, strict=True):
                table.append([public.title, label, column, str(cell)])
    return table


def as_csv(header: list[str], table: Sequence[Sequence[Any]]) -> bytes:
    """UTF-8 with a byte order mark, so that Excel reads accents right."""
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header)
    writer.writerows(table)
    return ("\ufeff" + text.getvalue()).encode("utf-8")


def as_xlsx(header: list[str], table: Sequence[Sequence[Any]], *, title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table:
        sheet.append(list(row))
    sheet.freeze_panes = "A2"
    for number, name in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = max(12, len(name) + 2)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
