import datetime as dt
import zoneinfo

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from convocation.admin_fields import AssumeHttps, TypedAutocomplete
from convocation.meetings import now as live
from convocation.meetings import revisions
from convocation.meetings.models import (
    Meeting,
    ScheduleRevision,
    Session,
    SideEvent,
    in_calendar,
    zone_named,
)
from convocation.web.keys import id_in_address

DEFAULT_ZONE = zoneinfo.ZoneInfo("Europe/Zurich")


def _zone(name: str | None) -> zoneinfo.ZoneInfo:
    return (zone_named(name) if name else None) or DEFAULT_ZONE


def refuse_outside_calendar(moment: dt.datetime) -> None:
    if moment is not None and not in_calendar(moment):
        raise ValidationError(_("This time is outside the calendar."))


class InMeetingTimeZone:
    """Show and read session times in the meeting's own time zone, not in UTC.

    Secretariat officers think in Geneva time: a session at 10:00 is typed as 10:00.
    """

    def meeting_zone(self, request, object_id) -> zoneinfo.ZoneInfo:
        raise NotImplementedError

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(db_field, models.DateTimeField) and formfield is not None:
            # Typed in a zone west or east of UTC, the first or last day of the calendar is
            # stored beyond it, and the row can no longer be read.
            formfield.validators = [*formfield.validators, refuse_outside_calendar]
        return formfield

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with timezone.override(self.meeting_zone(request, object_id)):
            response = super().changeform_view(request, object_id, form_url, extra_context)
            # A TemplateResponse renders after the view returns: render it inside the zone.
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            return response


class SessionInline(TypedAutocomplete, admin.TabularInline):
    model = Session
    extra = 0
    fields = ["body", "start", "end", "room", "access", "cancelled"]
    autocomplete_fields = ["body"]
    verbose_name_plural = _("sessions (times in the meeting's time zone)")


class SideEventInline(AssumeHttps, admin.TabularInline):
    model = SideEvent
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(AssumeHttps, InMeetingTimeZone, admin.ModelAdmin):
    list_display = ["title", "start_date", "end_date", "status", "registration", "livestream"]
    list_filter = ["cycle", "kind", "status", "registration", "livestream"]
    search_fields = ["title", "slug", "venue", "city"]
    date_hierarchy = "start_date"
    list_select_related = ["cycle__treaty"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [SessionInline, SideEventInline]
    fieldsets = [
        (None, {"fields": ["cycle", "kind", "title", "title_fr", "title_es", "slug", "status"]}),
        (
            _("When and where"),
            {
                "fields": [
                    "start_date",
                    "end_date",
                    "time_zone",
                    "venue",
                    "city",
                    "city_fr",
                    "city_es",
                    "country",
                    "country_fr",
                    "country_es",
                ]
            },
        ),
        (
            _("Policies"),
            {
                "fields": [
                    "format",
                    "registration",
                    "collects_gender_data",
                    "livestream",
                    "livestream_url",
                    "documents_target_date",
                    "schedule_is_draft",
                ]
            },
        ),
    ]

    def get_urls(self):
        own = [
            path(
                "<int:object_id>/publish-revision/",
                self.admin_site.admin_view(self.publish_revision_view),
                name="meetings_meeting_publish_revision",
            )
        ]
        return own + super().get_urls()

    def publish_revision_view(self, request, object_id: int):
        """Publish the schedule as it stands as the next revision, with the officer's note."""
        meeting = get_object_or_404(Meeting, pk=object_id)
        if not self.has_change_permission(request, meeting):
            raise PermissionDenied
        form = PublishRevisionForm(request.POST or None)
        latest = meeting.revisions.order_by("-number").first()
        pending = (
            revisions.diff(latest.snapshot, revisions.snapshot(_sessions_of(meeting)))
            if latest
            else []
        )
        if request.method == "POST" and form.is_valid():
            revision = revisions.publish_revision(
                meeting=meeting, note=form.cleaned_data["note"], by=request.user
            )
            self.message_user(
                request,
                gettext("Revision %(number)d of the schedule is published.")
                % {"number": revision.number},
                messages.SUCCESS,
            )
            return redirect("admin:meetings_meeting_change", meeting.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": meeting,
            "title": gettext("Publish a revision of the schedule"),
            "form": form,
            "latest": latest,
            "next_number": (latest.number if latest else 0) + 1,
            "changes": [revisions.describe(change, meeting.tz) for change in pending],
        }
        return TemplateResponse(
            request,
            "admin/meetings/meeting/publish_revision.html",
            context,
            status=400 if request.method == "POST" else 200,
        )

    def meeting_zone(self, request, object_id):
        name = request.POST.get("time_zone")
        meeting_id = id_in_address(object_id)
        if not name and meeting_id is not None:
            name = Meeting.objects.filter(pk=meeting_id).values_list("time_zone", flat=True).first()
        return _zone(name)


class PublishRevisionForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("A short note shown with the revision and in the change notice."),
    )


def _sessions_of(meeting: Meeting) -> list[Session]:
    return list(Session.objects.filter(meeting=meeting).select_related("body__parent"))


@admin.register(ScheduleRevision)
class ScheduleRevisionAdmin(admin.ModelAdmin):
    """Published revisions are a record: read here, published from the meeting's page."""

    list_display = ["meeting", "number", "published_at", "published_by", "note", "public_page"]
    list_filter = ["meeting"]
    list_select_related = ["meeting", "published_by"]
    fields = ["meeting", "number", "published_at", "published_by", "note", "changes"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("changes since the previous revision"))
    def changes(self, revision: ScheduleRevision) -> str:
        words = [
            revisions.describe(change, revision.meeting.tz)
            for change in revisions.changes_of(revision)
        ]
        return "; ".join(words) or "—"

    @admin.display(description=_("public page"))
    def public_page(self, revision: ScheduleRevision) -> str:
        url = reverse(
            "meetings:revision", kwargs={"slug": revision.meeting.slug, "number": revision.number}
        )
        return format_html('<a href="{}">{}</a>', url, url)


@admin.register(Session)
class SessionAdmin(TypedAutocomplete, InMeetingTimeZone, admin.ModelAdmin):
    list_display = [
        "body",
        "meeting",
        "local_start",
        "local_end",
        "room",
        "access",
        "cancelled",
        "sequence",
        "started_at",
        "ended_at",
    ]
    list_filter = ["meeting", "body", "cancelled"]
    actions = ["mark_started", "mark_finished", "clear_marks"]
    search_fields = ["body__acronym", "body__name", "meeting__title"]
    list_select_related = ["body__parent", "meeting"]
    autocomplete_fields = ["body"]
    ordering = ["start"]

    @admin.action(description=_("Mark started now (in session from now)"))
    def mark_started(self, request, queryset):
        for session in queryset:
            live.mark_started(session)
        self._marked(request, queryset.count())

    @admin.action(description=_("Mark finished now (no longer in session)"))
    def mark_finished(self, request, queryset):
        for session in queryset:
            live.mark_finished(session)
        self._marked(request, queryset.count())

    @admin.action(description=_("Clear the marks (back to the schedule's times)"))
    def clear_marks(self, request, queryset):
        for session in queryset:
            live.clear_marks(session)
        self._marked(request, queryset.count())

    def _marked(self, request, count: int) -> None:
        self.message_user(
            request,
            ngettext("%(count)d session marked.", "%(count)d sessions marked.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.display(description=_("starts (meeting's time)"), ordering="start")
    def local_start(self, session: Session) -> str:
        return f"{session.start.astimezone(session.meeting.tz):%Y-%m-%d %H:%M}"

    @admin.display(description=_("ends (meeting's time)"), ordering="end")
    def local_end(self, session: Session) -> str:
        return f"{session.end.astimezone(session.meeting.tz):%Y-%m-%d %H:%M}"

    def meeting_zone(self, request, object_id):
        meeting_id = id_in_address(request.POST.get("meeting") or request.GET.get("meeting"))
        session_id = id_in_address(object_id)
        meetings = Meeting.objects.all()
        if meeting_id is not None:
            name = meetings.filter(pk=meeting_id).values_list("time_zone", flat=True).first()
        elif session_id is not None:
            name = meetings.filter(sessions=session_id).values_list("time_zone", flat=True).first()
        else:
            name = None
        return _zone(name)
