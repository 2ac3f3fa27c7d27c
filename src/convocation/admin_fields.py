"""What ModelAdmins share: the reading of web addresses, autocomplete fields."""

from django.contrib.admin import widgets
from django.db import models

from convocation.admin_site import is_value_of


class AssumeHttps:
    """A link typed without a scheme is read as https, as Django 6 will (no warning now)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.URLField):
            kwargs["assume_scheme"] = "https"
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class KeysOnlyAutocompleteSelect(widgets.AutocompleteSelect):
    """Django's autocomplete, drawing no choice for a value that cannot be a key.

    A form posted back with a field edited by hand is refused by its form field ("Select a
    valid choice"); Django's widget then looked the value up again to draw it, and raised.
    """

    def optgroups(self, name, value, attr=None):
        target = self.field.target_field
        return super().optgroups(name, [v for v in value if is_value_of(target, v)], attr)


class TypedAutocomplete:
    """A ModelAdmin or inline whose autocomplete fields may be posted edited by hand."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = KeysOnlyAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
