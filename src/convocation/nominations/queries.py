"""Reads of vacancies, nominations and offices for the pages, in a fixed number of queries."""

from django.db.models import Prefetch, QuerySet

from convocation.cycles.models import ConferenceCycle, Office
from convocation.cycles.queries import offices_of_cycle
from convocation.nominations.models import Nomination, Vacancy


def open_vacancies() -> QuerySet[Vacancy]:
    return (
        Vacancy.objects.filter(status=Vacancy.Status.OPEN)
        .select_related("office__cycle__treaty", "office__body__parent")
        .order_by("deadline", "id")
    )


def vacancy(pk: int) -> Vacancy:
    return Vacancy.objects.select_related(
        "office__cycle__treaty", "office__body__parent", "office__holder"
    ).get(pk=pk)


def nominations_of(vacancy: Vacancy) -> QuerySet[Nomination]:
    return vacancy.nominations.select_related("state").order_by("submitted_at", "id")


def offices_page(cycle: ConferenceCycle) -> list[Office]:
    """The offices serving a cycle, with holders, terms and their open vacancies."""
    offices = (
        offices_of_cycle(cycle)
        .select_related("cycle", "until_cycle", "body__parent", "holder__state")
        .prefetch_related(
            Prefetch(
                "vacancies",
                queryset=Vacancy.objects.filter(status=Vacancy.Status.OPEN),
                to_attr="open_vacancies",
            )
        )
    )
    titles = list(Office.Title)
    return sorted(
        offices,
        key=lambda o: (o.body.order if o.body else 0, titles.index(o.title), o.seat),
    )
