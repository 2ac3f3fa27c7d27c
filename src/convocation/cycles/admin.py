from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from convocation.admin_fields import ConstraintsChecked, TypedAutocomplete
from convocation.cycles.models import ConferenceCycle, Office


class OfficeInline(ConstraintsChecked, TypedAutocomplete, admin.TabularInline):
    model = Office
    # An office also names the last cycle of a term that spans cycles.
    fk_name = "cycle"
    extra = 1
    fields = ["title", "body", "seat", "holder", "term_start", "term_end", "until_cycle"]
    autocomplete_fields = ["holder", "body"]


@admin.register(ConferenceCycle)
class ConferenceCycleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "conference_start", "conference_end"]
    list_filter = ["treaty"]
    inlines = [OfficeInline]


class VacancyFilter(admin.SimpleListFilter):
    title = _("holder")
    parameter_name = "vacant"

    def lookups(self, request, model_admin):
        return [("yes", _("Vacant")), ("no", pgettext_lazy("office", "Held"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(holder__isnull=True)
        if self.value() == "no":
            return queryset.filter(holder__isnull=False)
        return queryset


@admin.register(Office)
class OfficeAdmin(TypedAutocomplete, admin.ModelAdmin):
    list_display = [
        "cycle",
        "title",
        "body",
        "seat",
        "holder",
        "term_start",
        "term_end",
        "until_cycle",
    ]
    list_filter = ["cycle", "title", VacancyFilter]
    search_fields = ["holder__family_name", "body__acronym", "body__name"]
    list_select_related = ["cycle__treaty", "body__parent", "holder", "until_cycle__treaty"]
    autocomplete_fields = ["holder", "body"]
