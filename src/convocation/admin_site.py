"""The Secretariat's back office: Django's admin site, refusing requests edited by hand.

Django's admin trusts some parts of a request its own pages build: the rows an action was
chosen for, a filter in the address, the year of the date drill-down. Edited by hand they
raised inside Django's code (a 500). The site checks them before any admin view runs, for
every model registered, ours and Django's own, and answers with a 400 that says what was
wrong and that nothing was changed. A posted change that the database refuses is undone as
a whole and answered with a 409. See docs/decisions/0006-admin-requests-checked-by-the-site.md.
"""

import datetime as dt
from collections.abc import Callable
from functools import update_wrapper

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import TO_FIELD_VAR, BaseModelAdmin
from django.contrib.admin.views.main import ERROR_FLAG, IGNORED_PARAMS, PAGE_VAR
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import IntegrityError, models, router, transaction
from django.db.models.constants import LOOKUP_SEP
from django.http import HttpRequest, HttpResponse, QueryDict
from django.template.response import TemplateResponse
from django.utils.text import Truncator
from django.utils.translation import gettext as _

# The comparisons the change list's own filters and links build; a pattern, a range or a
# part of a date in the address is refused, and a search within a value is for text only.
FILTER_LOOKUPS = frozenset(
    {"exact", "iexact", "contains", "icontains", "startswith", "istartswith", "endswith"}
    | {"iendswith", "gt", "gte", "lt", "lte", "in", "isnull", "isempty"}
)
TEXT_LOOKUPS = frozenset(
    {"contains", "icontains", "startswith", "istartswith", "endswith", "iendswith"}
)
# Read by Django as yes or no, whatever the text.
FILTER_FLAGS = frozenset({"isnull", "isempty"})
SKIPPED_PARAMS = (*IGNORED_PARAMS, PAGE_VAR, ERROR_FLAG, "_changelist_filters")
DRILL_DOWN = ("year", "month", "day")


def is_value_of(field: models.Field, value: object) -> bool:
    """Whether ``value`` can be stored in ``field``: a key the column could hold."""
    if field.is_relation:
        field = field.target_field
    try:
        field.clean(value, None)
    except ValidationError:
        return False
    return True


def fault_in(
    request: HttpRequest, model_admin: BaseModelAdmin, *, filters: bool = True
) -> str | None:
    """What in a request to one model's admin no page of it builds, or None.

    ``filters``: whether the query string is read as the change list's filters (on the
    add page, it is the form's first values instead).
    """
    model = model_admin.model
    if filters and (fault := filter_fault(request, model_admin)):
        return fault
    selected = request.POST.getlist(ACTION_CHECKBOX_NAME) if request.method == "POST" else []
    if any(not is_value_of(model._meta.pk, key) for key in selected):
        return _("A selected row is not one of this list's; nothing was changed.")
    if request.GET.get(TO_FIELD_VAR, request.POST.get(TO_FIELD_VAR)) == "":
        # Only a popup sends the field that names rows, and never an empty one.
        return _("The field that names the rows is missing; nothing was changed.")
    date_hierarchy = getattr(model_admin, "date_hierarchy", None)
    if date_hierarchy and not drill_down_in_calendar(request.GET, date_hierarchy):
        return _("The dates asked for are outside the calendar; nothing was changed.")
    return None


def filter_fault(request: HttpRequest, model_admin: BaseModelAdmin) -> str | None:
    """A filter in the address that the list's own filters never build, or a value it cannot take.

    Django's change list applies any lookup on the model's fields named in the address; the
    database judges some of their values (a pattern, a number beyond the column) and raised.
    The list's filters build only plain comparisons: those are kept, their values checked
    by the field they compare, and all other lookups refused.
    """
    own = set(SKIPPED_PARAMS)
    for list_filter in model_admin.get_list_filter(request):
        if isinstance(list_filter, type) and issubclass(list_filter, admin.SimpleListFilter):
            own.add(list_filter.parameter_name)
    if date_hierarchy := getattr(model_admin, "date_hierarchy", None):
        own.update(f"{date_hierarchy}__{part}" for part in DRILL_DOWN)
    for name, values in request.GET.lists():
        if name in own:
            continue
        field, lookups = field_and_lookups(model_admin.model, name)
        if field is None:
            continue  # no field of the model: Django ignores it or sends the list back
        lookup = lookups[0] if lookups else "exact"
        is_text = isinstance(field, models.CharField | models.TextField)
        if (
            len(lookups) > 1
            or lookup not in FILTER_LOOKUPS
            or (lookup in TEXT_LOOKUPS and not is_text)
        ):
            return _("The filter “%(name)s” is not available; nothing was changed.") % {
                "name": Truncator(name).chars(60)
            }
        if lookup in FILTER_FLAGS:
            continue
        for value in values:
            for item in value.split(",") if lookup == "in" else [value]:
                if not is_text and not takes(field, item):
                    return _(
                        "The filter “%(name)s” cannot take the value “%(value)s”; nothing "
                        "was changed."
                    ) % {"name": Truncator(name).chars(60), "value": Truncator(item).chars(40)}
    return None


def field_and_lookups(model: type[models.Model], name: str) -> tuple[models.Field | None, list]:
    """The field a filter's name ends on (across relations), and the lookups after it."""
    parts = name.split(LOOKUP_SEP)
    field = None
    for position, part in enumerate(parts):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return field, parts[position:]
        if not field.is_relation or field.related_model is None:
            return field, parts[position + 1 :]
        model = field.related_model
    return field, []


def takes(field: models.Field, value: str) -> bool:
    """Whether a filter on ``field`` (a relation: on its key) can compare with ``value``."""
    if field.is_relation:
        field = getattr(field, "target_field", field)
    if not isinstance(field, models.Field):
        return True
    try:
        field.run_validators(field.to_python(value))
    except ValidationError:
        return False
    return True


def drill_down_in_calendar(query: QueryDict, date_hierarchy: str) -> bool:
    """Whether Django's date drill-down can go from the day, month or year asked to the next.

    Read as Django's change list reads them (``int`` takes "+9999" and "٩٩٩٩"). What Django
    cannot read at all, it answers itself with the whole list; what it reads but cannot step
    past (the year 9999, a day beyond any calendar) raised.
    """
    year, month, day = (query.get(f"{date_hierarchy}__{part}") for part in DRILL_DOWN)
    if year is None:
        return True
    try:
        first = dt.datetime(
            int(year), int(month if month is not None else 1), int(day if day is not None else 1)
        )
    except ValueError:
        return True
    except OverflowError:
        return False
    # Django then takes the start of the next day, month or year as the upper bound.
    try:
        if day or month:
            next_bound = first + dt.timedelta(days=1 if day else 32)
        else:
            next_bound = first.replace(year=first.year + 1)
    except (OverflowError, ValueError):
        return False
    return next_bound > first


class SecretariatAdminSite(admin.AdminSite):
    site_header = "convocation — Secretariat"
    site_title = "convocation"
    index_title = "Meeting cycle records"
    # Staff who turned on two-factor sign-in give a code from their app with their password.
    login_template = "accounts/admin_login.html"

    @property
    def login_form(self):
        # Read when a form is drawn: this module is imported with the settings, before models.
        from convocation.accounts.forms import SecretariatAuthenticationForm

        return SecretariatAuthenticationForm

    def admin_view(self, view: Callable[..., HttpResponse], cacheable: bool = False):
        model_admin = getattr(view, "__self__", None)
        if isinstance(model_admin, BaseModelAdmin):
            view = self._refusing_faults(view, model_admin)
        return super().admin_view(view, cacheable)

    def _refusing_faults(self, view, model_admin: BaseModelAdmin):
        def refused(request: HttpRequest, fault: str, status: int) -> HttpResponse:
            context = {
                **self.each_context(request),
                "title": _("This change was not saved")
                if status == 409
                else _("This request was not understood"),
                "fault": fault,
                "opts": model_admin.model._meta,
            }
            return TemplateResponse(request, "admin/request_refused.html", context, status=status)

        def checked(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            fault = fault_in(request, model_admin, filters=view.__name__ != "add_view")
            if fault:
                return refused(request, fault, 400)
            if request.method != "POST":
                return view(request, *args, **kwargs)
            # Forms check every rule they can see; what they cannot (two new rows of one
            # submit that break a rule together, a colleague's save a moment before) the
            # database refuses, and the whole change is undone.
            try:
                with transaction.atomic(using=router.db_for_write(model_admin.model)):
                    return view(request, *args, **kwargs)
            except IntegrityError:
                fault = _(
                    "The change breaks a rule of the records, such as two rows that must "
                    "differ; nothing was saved. Go back, correct it and save again."
                )
                return refused(request, fault, 409)

        return update_wrapper(checked, view)


class SecretariatAdminConfig(AdminConfig):
    """Django's admin app, with the Secretariat's site as ``admin.site``."""

    default_site = "convocation.admin_site.SecretariatAdminSite"
