"""The Secretariat's back office: Django's admin site, refusing requests edited by hand.

Django's admin trusts some parts of a request its own pages build: the rows an action was
chosen for, a filter in the address, the year of the date drill-down. Edited by hand they
raised inside Django's code (a 500). The site checks them before any admin view runs, for
every model registered, ours and Django's own, and answers with a 400 that says what was
wrong and that nothing was changed.
"""

import datetime as dt
from collections.abc import Callable
from functools import update_wrapper

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import TO_FIELD_VAR, BaseModelAdmin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.constants import LOOKUP_SEP
from django.http import HttpRequest, HttpResponse, QueryDict
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

# Lookups whose value the database judges (PostgreSQL refuses "(" as a pattern, SQLite's
# Python function raises): no admin page builds them.
DATABASE_PATTERN_LOOKUPS = frozenset({"regex", "iregex"})
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


def fault_in(request: HttpRequest, model_admin: BaseModelAdmin) -> str | None:
    """What in a request to one model's admin no page of it builds, or None."""
    model = model_admin.model
    selected = request.POST.getlist(ACTION_CHECKBOX_NAME) if request.method == "POST" else []
    if any(not is_value_of(model._meta.pk, key) for key in selected):
        return _("A selected row is not one of this list's; nothing was changed.")
    for name in request.GET:
        if name.rsplit(LOOKUP_SEP, 1)[-1] in DATABASE_PATTERN_LOOKUPS:
            return _("A filter by regular expression is not available; nothing was changed.")
    if request.GET.get(TO_FIELD_VAR, request.POST.get(TO_FIELD_VAR)) == "":
        # Only a popup sends the field that names rows, and never an empty one.
        return _("The field that names the rows is missing; nothing was changed.")
    date_hierarchy = getattr(model_admin, "date_hierarchy", None)
    if date_hierarchy and not drill_down_in_calendar(request.GET, date_hierarchy):
        return _("The dates asked for are outside the calendar; nothing was changed.")
    return None


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
        def checked(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if fault := fault_in(request, model_admin):
                return TemplateResponse(
                    request,
                    "admin/request_refused.html",
                    {
                        **self.each_context(request),
                        "title": _("This request was not understood"),
                        "fault": fault,
                        "opts": model_admin.model._meta,
                    },
                    status=400,
                )
            return view(request, *args, **kwargs)

        return update_wrapper(checked, view)


class SecretariatAdminConfig(AdminConfig):
    """Django's admin app, with the Secretariat's site as ``admin.site``."""

    default_site = "convocation.admin_site.SecretariatAdminSite"
