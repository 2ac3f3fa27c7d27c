import zoneinfo

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from convocation.meetings.models import Meeting, Session, SideEvent


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0
    fields = ["body", "start", "end", "room", "access"]
    autocomplete_fields = ["body"]
    verbose_name_plural = _("sessions (times in the meeting's time zone)")


class SideEventInline(admin.TabularInline):
    model = SideEvent
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
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
            {"fields": ["start_date", "end_date", "time_zone", "venue", "city", "country"]},
        ),
        (
            _("Policies"),
            {
                "fields": [
                    "format",
                    "registration",
                    "livestream",
                    "documents_target_date",
                    "schedule_is_draft",
                ]
            },
        ),
    ]

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # Secretariat officers think in Geneva time, not UTC: session times are shown and
        # read in the meeting's own time zone.
        zone_name = request.POST.get("time_zone")
        if not zone_name and object_id:
            zone_name = (
                Meeting.objects.filter(pk=object_id).values_list("time_zone", flat=True).first()
            )
        try:
            zone = zoneinfo.ZoneInfo(zone_name or "Europe/Zurich")
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            zone = zoneinfo.ZoneInfo("Europe/Zurich")
        with timezone.override(zone):
            response = super().changeform_view(request, object_id, form_url, extra_context)
            # A TemplateResponse renders after the view returns: render it inside the zone.
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            return response


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["body", "meeting", "start", "end", "room", "access"]
    list_filter = ["meeting", "body"]
    search_fields = ["body__acronym", "body__name", "meeting__title"]
    list_select_related = ["body__parent", "meeting"]
    autocomplete_fields = ["body"]
