"""Registration lists as the Secretariat takes them away: one row per registration.

``rows`` builds the table once, in a fixed number of queries whatever its length; CSV and
Excel only write it out. The lists carry personal data: the admin checks who asks for them
and records each export.
"""

import csv
import datetime as dt
import io
from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from convocation.meetings.models import Meeting, Session
from convocation.registrations.models import Registration

# A spreadsheet runs a cell that starts with one of these as a formula; delegates type
# their own names and positions.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def header() -> list[str]:
    return [
        _("Meeting"),
        _("Honorific"),
        _("Given name"),
        _("Family name"),
        _("Email"),
        _("Gender"),
        _("Delegation"),
        _("Participant category"),
        _("Role"),
        _("Position"),
        _("Attendance"),
        _("Sessions"),
        _("Status"),
        _("Registered at (meeting's time)"),
    ]


def for_export(queryset: QuerySet[Registration]) -> QuerySet[Registration]:
    """The registrations with everything a row reads, loaded in a fixed number of queries."""
    sessions = Session.objects.select_related("body__parent").order_by("start", "id")
    return queryset.select_related("meeting", "person", "state", "organisation").prefetch_related(
        Prefetch("sessions", queryset=sessions)
    )


def session_label(session: Session, meeting: Meeting) -> str:
    """As the registration form names a session: body, then day and hour where it meets."""
    return f"{session.body.label} ({session.start.astimezone(meeting.tz):%d.%m %H:%M})"


def rows(queryset: QuerySet[Registration]) -> list[list[Any]]:
    """One row per registration, in the order of ``header``; the time without a zone."""
    table = []
    for registration in for_export(queryset):
        meeting, person = registration.meeting, registration.person
        table.append(
            [
                meeting.title,
                person.honorific,
                person.given_name,
                person.family_name,
                person.email,
                registration.get_gender_display(),
                str(registration.delegation),
                registration.get_category_display(),
                registration.get_role_display(),
                registration.position,
                registration.get_mode_display(),
                "; ".join(
                    session_label(session, meeting) for session in registration.sessions.all()
                ),
                registration.get_status_display(),
                # Excel keeps no time zone: the time is written as Geneva (the meeting) reads it.
                registration.created_at.astimezone(meeting.tz).replace(tzinfo=None),
            ]
        )
    return table


def as_csv(table: Iterable[list[Any]]) -> bytes:
    """UTF-8 with a byte order mark, without which Excel reads "Côte d'Ivoire" as mojibake."""
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header())
    for row in table:
        writer.writerow([_csv_cell(value) for value in row])
    return ("\ufeff" + text.getvalue()).encode("utf-8")


def _csv_cell(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def as_xlsx(table: Iterable[list[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Registrations")[:31]
    sheet.append(header())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table:
        sheet.append(row)
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                # Kept as text: openpyxl would otherwise store it as a formula.
                cell.data_type = "s"
            elif isinstance(cell.value, dt.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
    sheet.freeze_panes = "A2"
    for number, title in enumerate(header(), start=1):
        sheet.column_dimensions[get_column_letter(number)].width = max(12, len(title) + 2)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
