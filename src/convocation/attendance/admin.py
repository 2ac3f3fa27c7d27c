"""The back office of attendance: check-ins and turns at the floor, read-mostly.

Check-ins and interventions are made at the desk and in the room (``services``); the admin
lists, filters and, for a mistake, deletes them. The attendance policy is edited here.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from convocation.attendance.models import Attendance, AttendancePolicy, Intervention
from convocation.web.keys import ObjectByTypedKey


@admin.register(AttendancePolicy)
class AttendancePolicyAdmin(ObjectByTypedKey, admin.ModelAdmin):
    list_display = ["meeting", "allows_walk_ins"]
    list_filter = ["allows_walk_ins"]
    search_fields = ["meeting__title"]

    def get_readonly_fields(self, request, obj=None):
        return ["meeting"] if obj else []


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["registration", "delegation", "day", "checked_in_at", "checked_in_by"]
    list_filter = ["registration__meeting", "day", "registration__category"]
    search_fields = [
        "registration__person__family_name",
        "registration__person__given_name",
        "registration__state__name",
        "registration__organisation__name",
    ]
    date_hierarchy = "day"
    list_select_related = [
        "registration__person",
        "registration__state",
        "registration__organisation",
        "checked_in_by",
    ]
    fields = ["registration", "day", "checked_in_at", "checked_in_by"]
    readonly_fields = fields

    @admin.display(description=_("delegation"))
    def delegation(self, obj: Attendance) -> str:
        return str(obj.registration.delegation)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Intervention)
class InterventionAdmin(admin.ModelAdmin):
    list_display = ["session", "order", "delegation", "speaker", "at", "logged_by"]
    list_filter = ["session__meeting", "session__body"]
    search_fields = [
        "state__name",
        "organisation__name",
        "speaker__person__family_name",
        "speaker__person__given_name",
    ]
    list_select_related = [
        "session__meeting",
        "session__body__parent",
        "state",
        "organisation",
        "speaker__person",
        "logged_by",
    ]
    fields = ["session", "order", "state", "organisation", "speaker", "at", "logged_by"]
    readonly_fields = fields

    @admin.display(description=_("delegation"))
    def delegation(self, obj: Intervention) -> str:
        return str(obj.delegation)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
