"""Whether a document came by its meeting's target date: a plain function of dates."""

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from convocation.documents.models import Document


class Timeliness(models.TextChoices):
    ISSUED = "issued", _("Issued")
    ISSUED_LATE = "issued_late", _("Issued after the target date")
    PENDING = "pending", _("Pending")
    LATE = "late", _("Late: not issued by the target date")
    WITHDRAWN = "withdrawn", _("Withdrawn")


def timeliness(
    *, status: str, issued_on: dt.date | None, target: dt.date | None, today: dt.date
) -> Timeliness:
    """Issued (on time or late), pending, or late: still not issued after the target date."""
    if status == Document.Status.WITHDRAWN:
        return Timeliness.WITHDRAWN
    if status == Document.Status.ISSUED:
        if target is not None and issued_on is not None and issued_on > target:
            return Timeliness.ISSUED_LATE
        return Timeliness.ISSUED
    if target is not None and today > target:
        return Timeliness.LATE
    return Timeliness.PENDING
