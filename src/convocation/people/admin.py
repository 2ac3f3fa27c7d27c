from django.contrib import admin

from convocation.admin_fields import TypedAutocomplete
from convocation.people.models import Person


@admin.register(Person)
class PersonAdmin(TypedAutocomplete, admin.ModelAdmin):
    list_display = ["formal_name", "state", "organisation", "email"]
    search_fields = ["given_name", "family_name", "email", "state__name", "organisation__name"]
    list_select_related = ["state", "organisation"]
    autocomplete_fields = ["state", "organisation"]
