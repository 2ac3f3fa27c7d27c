"""The check-in desk, the QR code's address, walk-ins and the speakers' list: staff only.

Who may use them is decided here on the server (``secretariat_only``): anyone signed out is
sent to the Secretariat sign-in, a delegate is refused, and neither sees a name. State changes
only on POST; every page works without JavaScript, on a tablet at the door.
"""

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from convocation.accounts.views import secretariat_only
from convocation.attendance import queries, services
from convocation.attendance.forms import InterventionForm, WalkInForm
from convocation.attendance.models import Intervention
from convocation.meetings.models import Meeting, Session
from convocation.registrations.models import Registration


def _day(meeting: Meeting, value: str | None) -> dt.date:
    """The day asked for when it is one of the meeting's, else today (in the meeting's zone)."""
    days = services.meeting_days(meeting)
    try:
        day = parse_date(value) if value else None
    except ValueError:  # well formed but no such day, such as 2026-02-30
        day = None
    if day in days:
        return day
    today = services.today_at(meeting)
    if today in days:
        return today
    return days[0] if today < days[0] else days[-1]


def desk_url(meeting: Meeting, day: dt.date, text: str = "") -> str:
    params = {"meeting": meeting.slug, "day": day.isoformat()}
    if text:
        params["q"] = text
    return f"{reverse('attendance:desk')}?{urlencode(params)}"


@never_cache
@secretariat_only
@require_http_methods(["GET"])
def desk(request: HttpRequest) -> HttpResponse:
    """Pick the meeting and the day, search by name or delegation, check in with one tap."""
    slug = request.GET.get("meeting")
    meeting = (
        get_object_or_404(queries.meetings_at_the_door(), slug=slug)
        if slug
        else queries.default_meeting()
    )
    if meeting is None:
        return render(request, "attendance/no_meeting.html")
    day = _day(meeting, request.GET.get("day"))
    text = request.GET.get("q", "").strip()[:100]
    return render(
        request,
        "attendance/desk.html",
        {
            "meeting": meeting,
            "meetings": queries.meetings_at_the_door(),
            "days": services.meeting_days(meeting),
            "day": day,
            "is_today": day == services.today_at(meeting),
            "text": text,
            "results": queries.search(meeting, day, text) if text else [],
            "limit": queries.SEARCH_LIMIT,
            "counts": queries.door_counts(meeting, day),
            "recent": queries.recent_check_ins(meeting, day),
            "walk_ins": services.policy_of(meeting).allows_walk_ins,
        },
    )


def _registration_or_404(code: str) -> Registration:
    registration = queries.registration_by_code(code)
    if registration is None:
        raise Http404("No such check-in code.")
    return registration


@never_cache
@secretariat_only
@require_http_methods(["GET", "POST"])
def check_in(request: HttpRequest, code: str) -> HttpResponse:
    """The address in the delegate's QR code: GET shows who it is, POST checks them in."""
    registration = _registration_or_404(code)
    meeting = registration.meeting
    day = _day(meeting, request.POST.get("day") or request.GET.get("day"))
    back_to_desk = request.POST.get("from") == "desk"
    if request.method == "POST":
        try:
            _attendance, created = services.check_in(
                registration=registration, day=day, by=request.user
            )
        except services.AttendanceError as refusal:
            messages.error(request, str(refusal))
        else:
            name = registration.person.formal_name
            if created:
                messages.success(request, _("%(name)s is checked in.") % {"name": name})
            else:
                messages.info(request, _("%(name)s was already checked in.") % {"name": name})
        if back_to_desk:
            return redirect(desk_url(meeting, day))
        return redirect(f"{reverse('attendance:check_in', args=[code])}?day={day.isoformat()}")
    attendance = registration.attendances.filter(day=day).first()
    return render(
        request,
        "attendance/check_in.html",
        {
            "registration": registration,
            "meeting": meeting,
            "day": day,
            "is_today": day == services.today_at(meeting),
            "attendance": attendance,
            "refusal": services.check_in_refusal(registration, day),
            "desk_url": desk_url(meeting, day),
        },
    )


@never_cache
@secretariat_only
@require_POST
def undo_check_in(request: HttpRequest, code: str) -> HttpResponse:
    registration = _registration_or_404(code)
    meeting = registration.meeting
    day = _day(meeting, request.POST.get("day"))
    if services.undo_check_in(registration=registration, day=day, by=request.user):
        messages.info(
            request,
            _("The check-in of %(name)s is undone.") % {"name": registration.person.formal_name},
        )
    return redirect(desk_url(meeting, day))


@never_cache
@secretariat_only
@require_http_methods(["GET", "POST"])
def walk_in(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.select_related("cycle__treaty"), slug=slug)
    day = _day(meeting, request.POST.get("day") or request.GET.get("day"))
    context = {"meeting": meeting, "day": day, "desk_url": desk_url(meeting, day)}
    if not services.policy_of(meeting).allows_walk_ins:
        return render(request, "attendance/no_walk_ins.html", context, status=409)
    form = WalkInForm(request.POST or None, meeting=meeting)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                registration = services.register_walk_in(
                    meeting=meeting,
                    data=form.data_for_services(get_language()),
                    by=request.user,
                    day=day,
                )
            except services.AlreadyRegistered as repeat:
                messages.info(request, _("This person is already registered: check them in here."))
                code = repeat.registration.check_in_code
                return redirect(
                    f"{reverse('attendance:check_in', args=[code])}?day={day.isoformat()}"
                )
            except services.AttendanceError as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(
                    request,
                    _("%(name)s is registered and checked in.")
                    % {"name": registration.person.formal_name},
                )
                return redirect(desk_url(meeting, day))
    return render(request, "attendance/walk_in.html", {**context, "form": form}, status=status)


def _session_or_404(slug: str, pk: int) -> Session:
    return get_object_or_404(
        Session.objects.select_related("meeting", "body__parent"), pk=pk, meeting__slug=slug
    )


@never_cache
@secretariat_only
@require_http_methods(["GET", "POST"])
def interventions(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The speakers so far, and the next one added with one choice and one tap."""
    session = _session_or_404(slug, pk)
    form = InterventionForm(
        request.POST or None, registrations=queries.possible_speakers(session.meeting)
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            delegation, speaker = form.cleaned_data["speaker"]
            try:
                services.log_intervention(
                    session=session, delegation=delegation, speaker=speaker, by=request.user
                )
            except services.AttendanceError as refusal:
                form.add_error(None, str(refusal))
            else:
                return redirect("attendance:interventions", slug=slug, pk=pk)
    return render(
        request,
        "attendance/interventions.html",
        {
            "session": session,
            "meeting": session.meeting,
            "sessions": session.meeting.sessions.select_related("body__parent").order_by(
                "start", "id"
            ),
            "interventions": queries.interventions_of(session),
            "form": form,
        },
        status=status,
    )


@never_cache
@secretariat_only
@require_POST
def remove_intervention(request: HttpRequest, slug: str, pk: int, turn: int) -> HttpResponse:
    session = _session_or_404(slug, pk)
    intervention = get_object_or_404(Intervention, session=session, pk=turn)
    services.remove_intervention(intervention=intervention, by=request.user)
    messages.info(request, _("The turn is removed."))
    return redirect("attendance:interventions", slug=slug, pk=pk)
