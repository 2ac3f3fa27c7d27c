"""What ModelAdmins share: web addresses, autocomplete fields, inline rows checked."""

from django.contrib.admin import widgets
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import BaseInlineFormSet

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


class ConstraintsCheckedFormSet(BaseInlineFormSet):
    """An inline's forms checked against every constraint of their model, their parent's too.

    Django leaves an inline's own foreign key out of each form's constraint checks (the
    parent may not be saved yet), so a rule that names it (one President per cycle, one
    original language per document) was only found by the database: a 500. Each new or
    changed row is checked here against the rows already stored; two new rows in one submit
    that break a rule together are left to the database (``admin_site``: a 409).
    """

    def clean(self):
        super().clean()
        opts = self.model._meta
        for form in self.forms:
            if not form.is_valid() or not form.has_changed() or self._should_delete_form(form):
                continue
            outside_form = {field.name for field in opts.fields if field.name not in form.fields}
            try:
                form.instance.validate_constraints(exclude=outside_form - {self.fk.name})
            except ValidationError as error:
                form.add_error(None, error)


class ConstraintsChecked:
    """An inline whose rows are checked against their model's constraints before saving."""

    formset = ConstraintsCheckedFormSet
