from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from convocation.admin_fields import AssumeHttps, ConstraintsChecked, TypedAutocomplete
from convocation.treaties.models import Body, Organisation, State, Treaty, TreatyAction
from convocation.treaties.queries import statuses_on
from convocation.treaties.status import StateStatus


@admin.register(Treaty)
class TreatyAdmin(AssumeHttps, admin.ModelAdmin):
    list_display = ["code", "name", "entry_into_force", "entry_into_force_delay_days"]


class TreatyActionInline(ConstraintsChecked, admin.TabularInline):
    model = TreatyAction
    extra = 1


class StatusTodayFilter(admin.SimpleListFilter):
    """Status is derived from treaty actions, so the filter computes it rather than reading it."""

    title = _("status today")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return StateStatus.choices

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        treaty = Treaty.objects.order_by("pk").first()
        if treaty is None:
            return queryset.none()
        statuses = statuses_on(treaty, timezone.localdate())
        return queryset.filter(
            code__in=[code for code, status in statuses.items() if status == self.value()]
        )


@admin.register(State)
class StateAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "alpha_2"]
    search_fields = ["name", "code", "alpha_2"]
    list_filter = [StatusTodayFilter]
    inlines = [TreatyActionInline]

    def get_readonly_fields(self, request, obj=None):
        # The code is the State's key: a changed code would be saved as another State.
        return ["code"] if obj is not None else []


@admin.register(TreatyAction)
class TreatyActionAdmin(TypedAutocomplete, admin.ModelAdmin):
    list_display = ["state", "kind", "date", "treaty"]
    list_filter = ["treaty", "kind"]
    search_fields = ["state__name", "state__code"]
    date_hierarchy = "date"
    autocomplete_fields = ["state"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "acronym", "category"]
    list_filter = ["category"]
    search_fields = ["name", "acronym"]


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ["label", "kind", "parent", "access", "order", "treaty"]
    list_filter = ["treaty", "kind", "access"]
    search_fields = ["acronym", "name", "name_fr", "name_es"]
    list_select_related = ["parent", "treaty"]
    prepopulated_fields = {"slug": ["acronym"]}
