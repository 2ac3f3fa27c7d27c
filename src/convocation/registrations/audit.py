"""Who among Secretariat staff saw, changed, decided or took away which registration.

Registrations hold personal data (email, gender, the credential a Mission sent); the audit
trail answers "who looked at this delegate, and when" without anyone having to remember.
Entries are written here only, by the back office, and never changed afterwards.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import models
from django.forms import ModelForm
from django.utils.translation import gettext, ngettext

from convocation.registrations.models import AuditEntry, Registration


def record(
    user: AbstractBaseUser,
    action: str,
    registration: Registration | None = None,
    **details: Any,
) -> AuditEntry:
    """Write one entry; ``details`` must be plain JSON values (see ``plain``)."""
    label = str(registration) if registration is not None else ""
    field = AuditEntry._meta.get_field("registration_label")
    return AuditEntry.objects.create(
        user=user,
        action=action,
        registration=registration,
        # The label outlives the registration: the entry still says whom it was about.
        registration_label=label[: field.max_length],
        details=details,
    )


def plain(value: Any) -> Any:
    """A form value as JSON keeps it: text for dates, choices and related records."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.date | dt.datetime | dt.time | Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, list | tuple | set | models.QuerySet):
        return [plain(item) for item in value]
    return str(value)


def field_changes(form: ModelForm) -> list[list[Any]]:
    """Each changed field of a saved form as [name, old, new], in the form's order.

    A list, not a mapping: PostgreSQL's jsonb keeps no order of keys, and the history
    should read as the form does.
    """
    return [
        [name, plain(form.initial.get(name)), plain(form.cleaned_data.get(name))]
        for name in form.changed_data
    ]


def describe(entry: AuditEntry) -> str:
    """One line an officer reads in the history: what the entry's details say."""
    details = entry.details or {}
    if entry.action == AuditEntry.Action.CHANGED:
        return "; ".join(
            f"{name}: {_shown(old)} → {_shown(new)}" for name, old, new in details.get("fields", [])
        )
    if entry.action == AuditEntry.Action.EXPORTED:
        scope = details.get("filter") or {}
        # Sorted: jsonb (PostgreSQL) does not keep the order in which the filter was given.
        filters = ", ".join(f"{name}={value}" for name, value in sorted(scope.items()))
        rows = details.get("rows", 0)
        parts = [
            str(details.get("format", "")).upper(),
            ngettext("%(count)d row", "%(count)d rows", rows) % {"count": rows},
        ]
        if filters:
            parts.append(filters)
        if details.get("selected"):
            parts.append(gettext("selected registrations"))
        return ", ".join(part for part in parts if part)
    if entry.action in (AuditEntry.Action.APPROVED, AuditEntry.Action.REFUSED):
        return f"→ {details.get('status', '')}"
    if entry.action == AuditEntry.Action.REGISTERED:
        status = f"→ {details.get('status', '')}"
        if details.get("at_the_door"):
            return ", ".join([status, gettext("at the door")])
        return status
    if entry.action == AuditEntry.Action.CREDENTIAL_OPENED:
        return str(details.get("file", ""))
    return ""


def _shown(value: Any) -> str:
    return "—" if value in (None, "", []) else str(value)
