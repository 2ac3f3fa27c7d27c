"""Reads of offices: those that serve a cycle, including terms carried over from earlier ones."""

from django.db.models import Q, QuerySet

from convocation.cycles.models import ConferenceCycle, Office


def offices_of_cycle(cycle: ConferenceCycle) -> QuerySet[Office]:
    """The offices of the cycle and those of earlier cycles whose term runs into it."""
    return Office.objects.filter(
        Q(cycle=cycle)
        | Q(
            cycle__treaty_id=cycle.treaty_id,
            cycle__number__lt=cycle.number,
            until_cycle__number__gte=cycle.number,
        )
    )


def president_of(cycle: ConferenceCycle) -> Office | None:
    return (
        offices_of_cycle(cycle)
        .filter(title=Office.Title.PRESIDENT)
        .select_related("holder")
        .order_by("-cycle__number", "seat")
        .first()
    )
