"""Public pages of meetings and bodies, and the schedule as iCalendar and JSON."""

import json

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import get_language

from convocation.meetings import policies, queries
from convocation.meetings.cache import Rendered, rendered
from convocation.meetings.calendar import schedule_calendar
from convocation.meetings.exports import schedule_document
from convocation.meetings.models import Meeting
from convocation.treaties.models import Body


def meeting_list(request: HttpRequest) -> HttpResponse:
    return render(request, "meetings/meeting_list.html", {"meetings": queries.meetings_for_list()})


def _meeting_page(request: HttpRequest, meeting: Meeting) -> Rendered:
    grid = queries.grid_for(meeting)
    context = {
        "meeting": meeting,
        "grid": grid,
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
        return RENDERERS[kind](request, queries.meeting_with_schedule(slug))

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
