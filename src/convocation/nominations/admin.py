"""The Secretariat's side of nominations: vacancies, the nominations, and the appointment.

Recording an appointment goes through ``services.appoint``: it sets the office's holder and
term and fills the vacancy, so the public body and office pages and the letters follow.
"""

from pathlib import PurePath

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from convocation.admin_fields import ConstraintsChecked, TypedAutocomplete
from convocation.nominations import services
from convocation.nominations.models import Nomination, Vacancy


class NominationInline(ConstraintsChecked, admin.TabularInline):
    model = Nomination
    extra = 0
    fields = ["nominee_name", "state", "status", "submitted_at"]
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Vacancy)
class VacancyAdmin(TypedAutocomplete, admin.ModelAdmin):
    list_display = ["office", "announced_on", "deadline", "status", "nominations_page"]
    list_filter = ["status"]
    search_fields = ["office__body__acronym", "office__body__name", "note"]
    list_select_related = ["office__cycle__treaty", "office__body__parent"]
    autocomplete_fields = ["office"]
    inlines = [NominationInline]

    @admin.display(description=_("nominations"))
    def nominations_page(self, vacancy: Vacancy) -> str:
        return format_html(
            '<a href="{}">{}</a>', reverse("nominations:nominations", args=[vacancy.pk]), _("See")
        )


class AppointmentForm(forms.Form):
    term_start = forms.DateField(label=_("Term starts"))
    term_end = forms.DateField(label=_("Term ends"), required=False)

    def clean(self):
        data = super().clean()
        start, end = data.get("term_start"), data.get("term_end")
        if start and end and end < start:
            self.add_error("term_end", _("A term cannot end before it starts."))
        return data


@admin.register(Nomination)
class NominationAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "vacancy",
        "state",
        "submitted_at",
        "status",
        "appoint_link",
    ]
    list_filter = ["status"]
    search_fields = ["nominee_family_name", "nominee_given_name", "nominee_email", "state__name"]
    list_select_related = ["vacancy__office__cycle", "vacancy__office__body__parent", "state"]
    readonly_fields = [
        "vacancy",
        "state",
        "cv_file",
        "submitted_by",
        "submitted_at",
        "status",
        "appointed_person",
    ]
    fields = [
        "vacancy",
        "state",
        "nominee_honorific",
        "nominee_given_name",
        "nominee_family_name",
        "nominee_email",
        "expertise",
        "cv_file",
        "submitted_by",
        "submitted_at",
        "status",
        "appointed_person",
    ]

    def has_add_permission(self, request) -> bool:
        # Nominations come from the focal points of States Parties, through the rules.
        return False

    @admin.display(description=_("CV"))
    def cv_file(self, nomination: Nomination) -> str:
        if not nomination.cv:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:nominations_nomination_cv", args=[nomination.pk]),
            nomination.cv_name or _("Download"),
        )

    @admin.display(description=_("appointment"))
    def appoint_link(self, nomination: Nomination) -> str:
        if nomination.status != Nomination.Status.SUBMITTED:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:nominations_nomination_appoint", args=[nomination.pk]),
            _("Appoint"),
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/cv/",
                self.admin_site.admin_view(self.cv_view),
                name="nominations_nomination_cv",
            ),
            path(
                "<int:pk>/appoint/",
                self.admin_site.admin_view(self.appoint_view),
                name="nominations_nomination_appoint",
            ),
            *super().get_urls(),
        ]

    def cv_view(self, request, pk: int):
        nomination = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_view_or_change_permission(request, nomination):
            raise PermissionDenied
        if not nomination.cv:
            raise Http404
        name = nomination.cv_name or PurePath(nomination.cv.name).name
        return FileResponse(nomination.cv.open("rb"), as_attachment=True, filename=name)

    def appoint_view(self, request, pk: int):
        nomination = get_object_or_404(
            self.get_queryset(request).select_related("vacancy__office__cycle", "state"), pk=pk
        )
        if not self.has_change_permission(request, nomination):
            raise PermissionDenied
        form = AppointmentForm(request.POST or None, initial={"term_start": services.today()})
        if request.method == "POST" and form.is_valid():
            try:
                services.appoint(
                    nomination=nomination,
                    term_start=form.cleaned_data["term_start"],
                    term_end=form.cleaned_data["term_end"],
                )
            except services.NominationError as error:
                form.add_error(None, error.messages)
            else:
                self.message_user(
                    request,
                    _("%(nominee)s is recorded as %(office)s.")
                    % {
                        "nominee": nomination.nominee_name,
                        "office": nomination.vacancy.office.name,
                    },
                    messages.SUCCESS,
                )
                return redirect("admin:nominations_nomination_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": nomination,
            "title": _("Record the appointment"),
            "form": form,
        }
        return TemplateResponse(request, "admin/nominations/nomination/appoint.html", context)
