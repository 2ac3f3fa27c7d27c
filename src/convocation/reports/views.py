"""The reports: a meeting's figures and the trend for staff, the suppressed figures for all.

Staff pages are decided on the server (``secretariat_only``); the public page and its CSV
are built only from ``public.public_figures``, which holds suppressed counts and nothing
about any one person.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from convocation.accounts.views import secretariat_only
from convocation.meetings.models import Meeting
from convocation.people.models import Person
from convocation.reports import charts, exports, figures, public
from convocation.reports.figures import GENDERS

GENDER_LABELS = dict(Person.Gender.choices)


def _meeting(slug: str) -> Meeting:
    return get_object_or_404(Meeting.objects.select_related("cycle__treaty"), slug=slug)


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def meeting_charts(numbers: figures.MeetingFigures) -> list:
    """Each chart with its title, which the page gives it as its text alternative."""
    labels = [str(GENDER_LABELS[gender]) for gender in GENDERS]
    rows = [row for row in numbers.by_category if row.registered.total]

    def bars(**chart) -> tuple[str, str] | None:
        # No group, no chart: before anyone is confirmed there is no category to draw.
        return (chart["title"], charts.bars(**chart)) if chart["groups"] else None

    drawn = [
        bars(
            title=_("Registered and attended, by gender"),
            groups=[_("Registered"), _("Attended")],
            series={
                label: [numbers.total.registered.values()[n], numbers.total.attended.values()[n]]
                for n, label in enumerate(labels)
            },
        ),
        bars(
            title=_("Registered, by participant category and gender"),
            groups=[row.label for row in rows],
            series={
                label: [row.registered.values()[n] for row in rows]
                for n, label in enumerate(labels)
            },
        ),
        bars(
            title=_("Registered, by role and gender"),
            groups=[row.label for row in numbers.by_role],
            series={
                label: [row.registered.values()[n] for row in numbers.by_role]
                for n, label in enumerate(labels)
            },
        ),
        bars(
            title=_("Turns at the floor, by the speaker's gender"),
            groups=[_("Turns")],
            series={
                **{label: [numbers.speakers.turns.values()[n]] for n, label in enumerate(labels)},
                _("Speaker not noted"): [numbers.speakers.turns_not_noted],
            },
        ),
    ]
    return [chart for chart in drawn if chart is not None]


@never_cache
@secretariat_only
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    meetings = Meeting.objects.exclude(registration=Meeting.Registration.NONE).select_related(
        "cycle__treaty"
    )
    return render(request, "reports/index.html", {"meetings": meetings})


@never_cache
@secretariat_only
@require_GET
def meeting_report(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = _meeting(slug)
    numbers = figures.meeting_figures(meeting)
    return render(
        request,
        "reports/meeting_report.html",
        {
            "meeting": meeting,
            "figures": numbers,
            "total_rows": [numbers.total],
            "gender_labels": [GENDER_LABELS[gender] for gender in GENDERS],
            "charts": meeting_charts(numbers),
        },
    )


@never_cache
@secretariat_only
@require_GET
def meeting_report_csv(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = _meeting(slug)
    table = exports.staff_rows(figures.meeting_figures(meeting))
    return _download(
        exports.as_csv(exports.staff_header(), table),
        "text/csv; charset=utf-8",
        f"{meeting.slug}-figures.csv",
    )


@never_cache
@secretariat_only
@require_GET
def meeting_report_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = _meeting(slug)
    table = exports.staff_rows(figures.meeting_figures(meeting))
    return _download(
        exports.as_xlsx(exports.staff_header(), table, title=_("Figures")),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"{meeting.slug}-figures.xlsx",
    )


@never_cache
@secretariat_only
@require_GET
def trends(request: HttpRequest) -> HttpResponse:
    by = request.GET.get("by", "meeting")
    if by not in figures.TREND_KEYS:
        by = "meeting"
    points = figures.trend(by=by)
    chart = (
        charts.lines(
            title=_("Share of women"),
            labels=[
                point.label if by == "cycle" else f"{point.cycle} · {point.start_date:%Y-%m}"
                for point in points
            ],
            series={
                _("Heads of delegation"): [point.share_women_heads for point in points],
                _("Registered"): [point.share_women_registered for point in points],
                _("Attended"): [point.share_women_attended for point in points],
                _("Turns at the floor"): [point.share_women_turns for point in points],
            },
        )
        if points
        else ""
    )
    return render(request, "reports/trends.html", {"points": points, "by": by, "chart": chart})


def _public(slug: str) -> tuple[Meeting, public.PublicFigures]:
    meeting = _meeting(slug)
    return meeting, public.public_figures(figures.meeting_figures(meeting))


@require_GET
def public_page(request: HttpRequest, slug: str) -> HttpResponse:
    """Aggregates only, for anyone; every count under 5 reads "<5"."""
    meeting, numbers = _public(slug)
    return render(
        request,
        "reports/public_figures.html",
        {"meeting": meeting, "figures": numbers, "threshold": 5},
    )


@require_GET
def public_csv(request: HttpRequest, slug: str) -> HttpResponse:
    meeting, numbers = _public(slug)
    return _download(
        exports.as_csv(exports.public_header(), exports.public_rows(numbers)),
        "text/csv; charset=utf-8",
        f"{meeting.slug}-public-figures.csv",
    )
