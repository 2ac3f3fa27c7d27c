"""The status of a State towards a treaty on a date, derived from its treaty actions.

Nothing here touches the database: callers pass the facts, so that the rule is tested
at its edges without a request, and a page can compute the status of every State from
one query.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

CONSENT_KINDS = frozenset({"ratification", "acceptance", "approval", "accession"})


class StateStatus(models.TextChoices):
    STATE_PARTY = "state_party", _("State Party")
    SIGNATORY = "signatory", _("Signatory State")
    OBSERVER = "observer", _("Observer State")


@dataclass(frozen=True)
class ActionFact:
    kind: str
    date: dt.date


def party_from(
    actions: Iterable[ActionFact], *, entry_into_force: dt.date, delay_days: int
) -> dt.date | None:
    """The day from which the State is a State Party, or None if it has not consented.

    The treaty enters into force for a State on the later of the treaty's own entry into
    force and ``delay_days`` after the State deposits its instrument (ATT Article 22).
    """
    deposits = [action.date for action in actions if action.kind in CONSENT_KINDS]
    if not deposits:
        return None
    first_deposit = min(deposits)
    return max(entry_into_force, first_deposit + dt.timedelta(days=delay_days))


def status_on(
    actions: Iterable[ActionFact],
    on: dt.date,
    *,
    entry_into_force: dt.date,
    delay_days: int,
) -> StateStatus:
    """State Party, Signatory State or Observer State on the given day."""
    actions = list(actions)
    became_party = party_from(actions, entry_into_force=entry_into_force, delay_days=delay_days)
    if became_party is not None and on >= became_party:
        return StateStatus.STATE_PARTY
    if any(action.kind == "signature" and action.date <= on for action in actions):
        return StateStatus.SIGNATORY
    return StateStatus.OBSERVER
