"""Public pages of meetings and bodies, and the schedule as iCalendar and JSON."""

import json

from django.contrib import messages
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseForbidden,
    HttpResponseNotModified,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from convocation.meetings import now as live
from convocation.meetings import policies, queries
from convocation.meetings.cache import Rendered, rendered
from convocation.meetings.calendar import schedule_calendar
from convocation.meetings.exports import schedule_document
from convocation.meetings.models import Meeting, ScheduleRevision, Session
from convocation.meetings.revisions import grid_of
from convocation.treaties.models import Body
from convocation.web.keys import id_in_address


def meeting_list(request: HttpRequest) -> HttpResponse:
    return render(request, "meetings/meeting_list.html", {"meetings": queries.meetings_for_list()})


def _meeting_page(request: HttpRequest, meeting: Meeting) -> Rendered:
    grid = queries.grid_for(meeting)
    current_revision, earlier_revisions = queries.revisions_for_page(meeting)
    context = {
        "meeting": meeting,
        "grid": grid,
        "current_revision": current_revision,
        "earlier_revisions": earlier_revisions,
        "bodies": queries.bodies_used(meeting),
        "format_in_words": policies.format_in_words(meeting),
        "registration_in_words": policies.registration_in_words(meeting, grid),
        "livestream_in_words": policies.livestream_in_words(meeting),
        "documents_in_words": policies.documents_in_words(meeting),
        "footnote": policies.footnote(meeting, grid),
    }
    # The page is shared by every visitor of this language: nothing in it may depend on who
    # asks (no user, no CSRF token); the request gives only its path and language.
    html = render_to_string("meetings/meeting_detail.html", context, request=request)
    return Rendered(html.encode(), "text/html; charset=utf-8")


def _calendar(request: HttpRequest, meeting: Meeting) -> Rendered:
    # Loaded with its cancelled sessions: the feed keeps them (STATUS:CANCELLED), so that
    # calendars remove them.
    return Rendered(schedule_calendar(meeting), "text/calendar; charset=utf-8")


def _json(request: HttpRequest, meeting: Meeting) -> Rendered:
    # Scripts read the JSON: it keeps one language, whatever the visitor chose.
    with translation.override("en"):
        document = json.dumps(schedule_document(meeting), ensure_ascii=False, indent=2)
    return Rendered(document.encode(), "application/json")


RENDERERS = {"page": _meeting_page, "ics": _calendar, "json": _json}


def _cached_meeting_response(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    fingerprint = queries.meeting_fingerprint(slug)
    if fingerprint is None:
        raise Http404("No such meeting.")
    language = "en" if kind == "json" else get_language()
    etag = f'"{fingerprint}-{kind}-{language}"'
    if request.headers.get("If-None-Match") == etag:
        return HttpResponseNotModified(headers={"ETag": etag})

    def render_now() -> Rendered:
        return RENDERERS[kind](
            request, queries.meeting_with_schedule(slug, with_cancelled=kind == "ics")
        )

    result = rendered(f"meeting:{slug}:{kind}:{language}:{fingerprint}", render_now)
    response = HttpResponse(result.content, content_type=result.content_type)
    response["ETag"] = etag
    response["Cache-Control"] = "no-cache"
    if kind == "ics":
        response["Content-Disposition"] = f'inline; filename="{slug}.ics"'
    return response


def meeting_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return _cached_meeting_response(request, slug, "page")


def schedule_ics(request: HttpRequest, slug: str) -> HttpResponse:
    return _cached_meeting_response(request, slug, "ics")


def schedule_json(request: HttpRequest, slug: str) -> HttpResponse:
    return _cached_meeting_response(request, slug, "json")


def revision_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """An earlier (or the current) revision of the schedule, read from what it published."""
    try:
        view, revisions = queries.revision_of(slug, number)
    except ScheduleRevision.DoesNotExist as error:
        raise Http404("No such revision.") from error
    meeting = view.revision.meeting
    return render(
        request,
        "meetings/revision_detail.html",
        {
            "meeting": meeting,
            "view": view,
            "grid": grid_of(view.revision),
            "revisions": revisions,
            "latest_number": revisions[0].number if revisions else number,
        },
    )


@never_cache
def now_in_session(request: HttpRequest, slug: str) -> HttpResponse:
    """What is in session now and what comes next; staff mark sessions started or finished.

    Depends on the clock and on the Secretariat's marks, so it is rendered on every request.
    """
    meeting = get_object_or_404(Meeting.objects.select_related("cycle__treaty"), slug=slug)
    if request.method == "POST":
        if not (request.user.is_authenticated and request.user.is_staff):
            return HttpResponseForbidden(_("Only the Secretariat may mark sessions."))
        session = get_object_or_404(
            Session,
            pk=id_in_address(request.POST.get("session")) or 0,
            meeting=meeting,
            cancelled=False,
        )
        action = request.POST.get("action")
        if action == "start":
            live.mark_started(session)
            messages.success(request, _("%(session)s marked started.") % {"session": session})
        elif action == "finish":
            live.mark_finished(session)
            messages.success(request, _("%(session)s marked finished.") % {"session": session})
        elif action == "clear":
            live.clear_marks(session)
        else:
            return HttpResponse(_("Unknown action."), status=400)
        return redirect("meetings:now", slug=slug)
    at = timezone.now()
    now, upcoming = live.now_and_next(live.live_sessions(meeting), at)
    zone = meeting.tz
    response = render(
        request,
        "meetings/now.html",
        {
            "meeting": meeting,
            "at": at.astimezone(zone),
            "now": [_shown(session, zone) for session in now],
            "next": [_shown(session, zone) for session in upcoming],
            "is_staff": request.user.is_authenticated and request.user.is_staff,
            "in_week": meeting.start_date <= at.astimezone(zone).date() <= meeting.end_date,
        },
    )
    # Read on a phone in the meeting room: the browser asks again every minute.
    response["Refresh"] = "60"
    return response


def _shown(session: live.LiveSession, zone) -> dict:
    return {
        "id": session.session_id,
        "label": session.label,
        "start": session.start.astimezone(zone),
        "end": session.end.astimezone(zone),
        "room": session.room,
        "closed": session.closed,
        "rolling": bool(session.parent_acronym),
        "started_at": session.started_at.astimezone(zone) if session.started_at else None,
        "ended_at": session.ended_at.astimezone(zone) if session.ended_at else None,
    }


def body_detail(request: HttpRequest, treaty: str, slug: str) -> HttpResponse:
    try:
        body, meetings, offices = queries.body_with_meetings(treaty, slug)
    except Body.DoesNotExist as error:
        raise Http404("No such body.") from error
    return render(
        request,
        "meetings/body_detail.html",
        {"body": body, "meetings": meetings, "offices": offices},
    )


def body_list(request: HttpRequest) -> HttpResponse:
    bodies = Body.objects.select_related("treaty", "parent").order_by("treaty", "order", "name")
    return render(request, "meetings/body_list.html", {"bodies": bodies})
