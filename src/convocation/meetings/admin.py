import zoneinfo

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from convocation.admin_fields import AssumeHttps
from convocation.meetings.models import Meeting, Session, SideEvent

DEFAULT_ZONE = zoneinfo.ZoneInfo("Europe/Zurich")


def _zone(name: str | None) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name) if name else DEFAULT_ZONE
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return DEFAULT_ZONE


class InMeetingTimeZone:
    """Show and read session times in the meeting's own time zone, not in UTC.

    Secretariat officers think in Geneva time: a session at 10:00 is typed as 10:00.
    """

    def meeting_zone(self, request, object_id) -> zoneinfo.ZoneInfo:
        raise NotImplementedError

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with timezone.override(self.meeting_zone(request, object_id)):
            response = super().changeform_view(request, object_id, form_url, extra_context)
            # A TemplateResponse renders after the view returns: render it inside the zone.
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            return response


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0
    fields = ["body", "start", "end", "room", "access"]
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

    def meeting_zone(self, request, object_id):
        name = request.POST.get("time_zone")
        if not name and object_id and str(object_id).isdigit():
            name = Meeting.objects.filter(pk=object_id).values_list("time_zone", flat=True).first()
        return _zone(name)


@admin.register(Session)
class SessionAdmin(InMeetingTimeZone, admin.ModelAdmin):
    list_display = ["body", "meeting", "local_start", "local_end", "room", "access"]
    list_filter = ["meeting", "body"]
    search_fields = ["body__acronym", "body__name", "meeting__title"]
    list_select_related = ["body__parent", "meeting"]
    autocomplete_fields = ["body"]
    ordering = ["start"]

    @admin.display(description=_("starts (meeting's time)"), ordering="start")
    def local_start(self, session: Session) -> str:
        return f"{session.start.astimezone(session.meeting.tz):%Y-%m-%d %H:%M}"

    @admin.display(description=_("ends (meeting's time)"), ordering="end")
    def local_end(self, session: Session) -> str:
        return f"{session.end.astimezone(session.meeting.tz):%Y-%m-%d %H:%M}"

    def meeting_zone(self, request, object_id):
        meeting_id = request.POST.get("meeting") or request.GET.get("meeting")
        meetings = Meeting.objects.all()
        if meeting_id and meeting_id.isdigit():
            name = meetings.filter(pk=meeting_id).values_list("time_zone", flat=True).first()
        elif object_id and str(object_id).isdigit():
            name = meetings.filter(sessions=object_id).values_list("time_zone", flat=True).first()
        else:
            name = None
        return _zone(name)
