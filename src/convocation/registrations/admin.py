"""The Secretariat's side of registration: the lists, the approval queue, exports and the audit.

Statuses change only through ``services`` (capacity, waiting list, emails); every look at a
registration's page, every change, decision, export and credential download is written to
the audit trail by ``audit.record``.
"""

from collections import Counter
from pathlib import PurePath

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from convocation.admin_fields import TypedAutocomplete
from convocation.letters.models import Letter
from convocation.meetings.admin import DEFAULT_ZONE, InMeetingTimeZone
from convocation.meetings.models import Meeting, Session
from convocation.people.admin import PersonAdmin
from convocation.people.models import Person
from convocation.registrations import audit, exports, mailings, services
from convocation.registrations.models import (
    AuditEntry,
    Delivery,
    FocalPoint,
    Mailing,
    ParticipantCategory,
    Registration,
    RegistrationPolicy,
)
from convocation.treaties.models import Organisation, State
from convocation.web.keys import ObjectByTypedKey, id_in_address

# Filters


class MeetingFilter(admin.SimpleListFilter):
    """The meetings that take registrations, newest first."""

    title = _("meeting")
    parameter_name = "meeting"

    def lookups(self, request, model_admin):
        meetings = Meeting.objects.filter(
            ~Q(registration=Meeting.Registration.NONE) | Q(registrations__isnull=False)
        ).distinct()
        return [(meeting.pk, meeting.title) for meeting in meetings.order_by("-start_date")]

    def queryset(self, request, queryset):
        meeting_id = id_in_address(self.value())
        if meeting_id is not None:
            return queryset.filter(meeting_id=meeting_id)
        return queryset

    def choices(self, changelist):
        # A session belongs to one meeting: choosing another meeting lets go of the session.
        values = [None, *(lookup for lookup, _title in self.lookup_choices)]
        for choice, value in zip(super().choices(changelist), values, strict=True):
            new = {} if value is None else {self.parameter_name: value}
            remove = [self.parameter_name, SessionFilter.parameter_name]
            yield {**choice, "query_string": changelist.get_query_string(new, remove)}


def chosen_meeting_id(request) -> int | None:
    return id_in_address(request.GET.get(MeetingFilter.parameter_name))


class SessionFilter(admin.SimpleListFilter):
    """Registrations that attend one session, among those of the meeting chosen.

    Without a meeting chosen it offers the sessions of every meeting with registrations,
    each named with its meeting: choosing the meeting first shortens the list.
    """

    title = _("session")
    parameter_name = "session"

    def lookups(self, request, model_admin):
        sessions = Session.objects.select_related("meeting", "body__parent")
        meeting_id = chosen_meeting_id(request)
        if meeting_id is not None:
            return [
                (session.pk, exports.session_label(session, session.meeting))
                for session in sessions.filter(meeting_id=meeting_id).order_by("start", "id")
            ]
        with_registrations = Registration.objects.values("meeting_id")
        return [
            (
                session.pk,
                f"{session.meeting.title} — {exports.session_label(session, session.meeting)}",
            )
            for session in sessions.filter(meeting_id__in=with_registrations).order_by(
                "-meeting__start_date", "start", "id"
            )
        ]

    def queryset(self, request, queryset):
        session_id = id_in_address(self.value())
        if session_id is None:
            return queryset
        session = (
            Session.objects.select_related("meeting__cycle__treaty", "body")
            .filter(pk=session_id)
            .first()
        )
        if session is None:
            return queryset.none()
        # A registration with no sessions chosen attends every session open to its delegation:
        # the list holds those an email to the session reaches, by the mailings' own rule. It
        # reads the meeting's registrations once, and the statuses of their States at once.
        candidates = list(
            queryset.filter(meeting_id=session.meeting_id)
            .select_related("state", "organisation")
            .order_by()
        )
        attending = mailings.registrants_of_session(session, candidates)
        return queryset.filter(pk__in=[registration.pk for registration in attending])


class DelegationFilter(admin.SimpleListFilter):
    """The States and organisations that registered someone (for the meeting chosen)."""

    title = _("delegation")
    parameter_name = "delegation"

    def lookups(self, request, model_admin):
        registrations = Registration.objects.all()
        meeting_id = chosen_meeting_id(request)
        if meeting_id is not None:
            registrations = registrations.filter(meeting_id=meeting_id)
        states = State.objects.filter(code__in=registrations.values("state_id")).order_by("name")
        organisations = Organisation.objects.filter(
            pk__in=registrations.values("organisation_id")
        ).order_by("name")
        return [(f"state:{state.pk}", state.name) for state in states] + [
            (f"organisation:{organisation.pk}", organisation.name) for organisation in organisations
        ]

    def queryset(self, request, queryset):
        kind, _colon, key = (self.value() or "").partition(":")
        if kind == "state":
            return queryset.filter(state_id=key)
        organisation_id = id_in_address(key)
        if kind == "organisation" and organisation_id is not None:
            return queryset.filter(organisation_id=organisation_id)
        return queryset


# Registrations

EXPORT_FORMATS = {
    "csv": (exports.as_csv, "text/csv; charset=utf-8"),
    "xlsx": (
        exports.as_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
}


class RegistrationForm(forms.ModelForm):
    """What an officer may correct by hand; the rest follows from the services' rules."""

    class Meta:
        model = Registration
        fields = [
            "position",
            "role",
            "gender",
            "gender_description",
            "language",
            "secretariat_note",
        ]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    form = RegistrationForm
    list_display = [
        "person_name",
        "delegation_name",
        "meeting",
        "category",
        "role",
        "mode",
        "status",
        "created_at",
    ]
    list_filter = [
        MeetingFilter,
        SessionFilter,
        "status",
        "category",
        DelegationFilter,
        "mode",
        "role",
    ]
    search_fields = [
        "person__given_name",
        "person__family_name",
        "person__email",
        "state__name",
        "organisation__name",
        "organisation__acronym",
    ]
    list_select_related = ["person", "state", "organisation", "meeting"]
    actions = ["approve", "refuse", "export_selected_csv", "export_selected_xlsx"]
    # Status, attendance and sessions decide places and access: only the services change them.
    readonly_fields = [
        "person",
        "person_email",
        "meeting",
        "delegation_name",
        "category",
        "status",
        "created_at",
        "registered_by",
        "credential_file",
        "consent_given_at",
        "mode",
        "session_list",
        "confirmation_sent_at",
        "audit_history",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "person",
                    "person_email",
                    "meeting",
                    "delegation_name",
                    "category",
                    "status",
                    "credential_file",
                    "created_at",
                    "registered_by",
                    "consent_given_at",
                ]
            },
        ),
        (_("Attendance"), {"fields": ["mode", "session_list"]}),
        (
            _("Delegate"),
            {"fields": ["position", "role", "gender", "gender_description", "language"]},
        ),
        (_("Secretariat"), {"fields": ["secretariat_note", "confirmation_sent_at"]}),
        (_("Audit history"), {"fields": ["audit_history"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("person", "state", "organisation", "meeting")
        )

    # New registrations go through the registration form and its rules; withdrawal, not
    # deletion, ends one, so that the waiting list moves up.
    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_export_permission(self, request) -> bool:
        """Exports carry personal data: asked of the view permission itself."""
        return request.user.has_perm("registrations.view_registration")

    # Columns and read-only fields

    @admin.display(description=_("name"), ordering="person__family_name")
    def person_name(self, registration: Registration) -> str:
        return registration.person.formal_name

    @admin.display(description=_("email"))
    def person_email(self, registration: Registration) -> str:
        return registration.person.email

    @admin.display(
        description=_("delegation"), ordering=Coalesce("state__name", "organisation__name")
    )
    def delegation_name(self, registration: Registration) -> str:
        return str(registration.delegation)

    @admin.display(description=_("credential"))
    def credential_file(self, registration: Registration) -> str:
        if not registration.credential:
            return _("None attached")
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:registrations_registration_credential", args=[registration.pk]),
            registration.credential_name or _("Download"),
        )

    @admin.display(description=_("sessions"))
    def session_list(self, registration: Registration) -> str:
        sessions = services.sessions_of(registration)
        if not sessions:
            return _("None chosen")
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{}</li>",
                ((exports.session_label(session, registration.meeting),) for session in sessions),
            ),
        )

    @admin.display(description=_("audit history"))
    def audit_history(self, registration: Registration) -> str:
        entries = registration.audit_entries.select_related("user")[:50]
        if not entries:
            return _("Nothing recorded yet.")
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>"
            "<tbody>{}</tbody></table>",
            _("When"),
            _("Staff member"),
            _("Action"),
            _("What"),
            format_html_join(
                "",
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                (
                    (
                        f"{timezone.localtime(entry.at):%Y-%m-%d %H:%M}",
                        entry.user,
                        entry.get_action_display(),
                        audit.describe(entry),
                    )
                    for entry in entries
                ),
            ),
        )

    # Pages

    def changelist_view(self, request, extra_context=None):
        awaiting = {"status__exact": Registration.Status.PENDING}
        pending = self.get_queryset(request).filter(status=Registration.Status.PENDING)
        meeting_id = chosen_meeting_id(request)
        if meeting_id is not None:
            awaiting[MeetingFilter.parameter_name] = meeting_id
            pending = pending.filter(meeting_id=meeting_id)
        context = {
            "awaiting_approval_url": "?" + urlencode(awaiting),
            "awaiting_approval": pending.count(),
            "may_export": self.has_export_permission(request),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context=context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            registration = self.get_object(request, unquote(object_id))
            if registration is not None and self.has_view_or_change_permission(
                request, registration
            ):
                audit.record(request.user, AuditEntry.Action.VIEWED, registration)
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if not form.changed_data:
            return
        # Only what the officer changed: a decision taken meanwhile keeps its status.
        obj.save(update_fields=[*form.changed_data, "updated_at"])
        audit.record(request.user, AuditEntry.Action.CHANGED, obj, fields=audit.field_changes(form))

    def get_urls(self):
        own = [
            path(
                "<int:pk>/credential/",
                self.admin_site.admin_view(self.credential_view),
                name="registrations_registration_credential",
            ),
            path(
                "export/<str:file_format>/",
                self.admin_site.admin_view(self.export_view),
                name="registrations_registration_export",
            ),
        ]
        return own + super().get_urls()

    def credential_view(self, request, pk: int):
        registration = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_view_or_change_permission(request, registration):
            raise PermissionDenied
        if not registration.credential:
            raise Http404
        name = registration.credential_name or PurePath(registration.credential.name).name
        audit.record(request.user, AuditEntry.Action.CREDENTIAL_OPENED, registration, file=name)
        return FileResponse(registration.credential.open("rb"), as_attachment=True, filename=name)

    def export_view(self, request, file_format: str):
        """The list as filtered on the page, every page of it."""
        if file_format not in EXPORT_FORMATS:
            raise Http404
        if not self.has_export_permission(request):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            return redirect(reverse("admin:registrations_registration_changelist") + "?e=1")
        return self._export(
            request, changelist.queryset, file_format, filter=dict(changelist.params)
        )

    def _export(self, request, queryset, file_format: str, **scope) -> HttpResponse:
        write, content_type = EXPORT_FORMATS[file_format]
        table = exports.rows(queryset)
        audit.record(
            request.user, AuditEntry.Action.EXPORTED, format=file_format, rows=len(table), **scope
        )
        slugs = list(queryset.order_by().values_list("meeting__slug", flat=True).distinct()[:2])
        name = slugs[0] if len(slugs) == 1 else "meetings"
        response = HttpResponse(write(table), content_type=content_type)
        filename = f"registrations-{name}-{timezone.localdate():%Y-%m-%d}.{file_format}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    # Actions

    @admin.action(description=_("Approve the selected registrations"), permissions=["change"])
    def approve(self, request, queryset):
        self._decide(request, queryset, services.approve, AuditEntry.Action.APPROVED)

    @admin.action(description=_("Refuse the selected registrations"), permissions=["change"])
    def refuse(self, request, queryset):
        self._decide(request, queryset, services.refuse, AuditEntry.Action.REFUSED)

    def _decide(self, request, queryset, decision, action: str) -> None:
        # First come, first served: earlier registrations take the in-person places first.
        pending = list(
            queryset.filter(status=Registration.Status.PENDING).order_by("created_at", "id")
        )
        left = queryset.exclude(status=Registration.Status.PENDING).count()
        outcomes = Counter()
        for registration in pending:
            decided = decision(registration, by=request.user)
            audit.record(request.user, action, registration, status=decided.status)
            outcomes[decided.get_status_display()] += 1
        if outcomes:
            summary = ", ".join(f"{label}: {count}" for label, count in sorted(outcomes.items()))
            self.message_user(
                request,
                ngettext(
                    "%(count)d registration decided (%(summary)s).",
                    "%(count)d registrations decided (%(summary)s).",
                    outcomes.total(),
                )
                % {"count": outcomes.total(), "summary": summary},
                messages.SUCCESS,
            )
        if left:
            self.message_user(
                request,
                ngettext(
                    "%(count)d registration was not awaiting approval and stays as it was.",
                    "%(count)d registrations were not awaiting approval and stay as they were.",
                    left,
                )
                % {"count": left},
                messages.WARNING,
            )

    @admin.action(description=_("Export the selected registrations (CSV)"), permissions=["export"])
    def export_selected_csv(self, request, queryset):
        return self._export(request, queryset, "csv", selected=True)

    @admin.action(description=_("Export the selected registrations (XLSX)"), permissions=["export"])
    def export_selected_xlsx(self, request, queryset):
        return self._export(request, queryset, "xlsx", selected=True)


# The audit trail


class StaffMemberFilter(admin.SimpleListFilter):
    """The staff members who appear in the trail, not every account."""

    title = _("staff member")
    parameter_name = "staff_member"

    def lookups(self, request, model_admin):
        users = (
            get_user_model()
            .objects.filter(pk__in=AuditEntry.objects.values("user_id"))
            .order_by("username")
        )
        return [(user.pk, str(user)) for user in users]

    def queryset(self, request, queryset):
        user_id = id_in_address(self.value())
        if user_id is not None:
            return queryset.filter(user_id=user_id)
        return queryset


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read only: an audit trail that staff could edit would prove nothing."""

    list_display = ["at", "user", "action", "registration_label", "what"]
    list_filter = ["action", StaffMemberFilter]
    search_fields = ["registration_label", "user__username"]
    date_hierarchy = "at"
    list_select_related = ["user"]
    fields = ["at", "user", "action", "registration", "registration_label", "what", "details"]
    readonly_fields = fields

    @admin.display(description=_("what"))
    def what(self, entry: AuditEntry) -> str:
        return audit.describe(entry)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# Policies and focal points


class RegistrationPolicyForm(forms.ModelForm):
    categories_needing_approval = forms.MultipleChoiceField(
        label=_("categories the Secretariat approves before confirmation"),
        choices=ParticipantCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = RegistrationPolicy
        fields = [
            "meeting",
            "closes_at",
            "asks_sessions",
            "in_person_capacity",
            "categories_needing_approval",
            "credential",
        ]


@admin.register(RegistrationPolicy)
class RegistrationPolicyAdmin(ObjectByTypedKey, InMeetingTimeZone, admin.ModelAdmin):
    """Closing times are typed and shown in the meeting's time zone, like its sessions."""

    form = RegistrationPolicyForm
    list_display = [
        "meeting",
        "local_closes_at",
        "asks_sessions",
        "in_person_capacity",
        "approval",
        "credential",
    ]
    list_filter = ["credential", "asks_sessions"]
    list_select_related = ["meeting"]

    def get_readonly_fields(self, request, obj=None):
        # The policy is the meeting's: it cannot move to another one.
        return ["meeting"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "in_person_capacity" in form.changed_data:
            # More places, or none limited: those waiting get them now, oldest first.
            services.capacity_changed(obj.meeting)

    def meeting_zone(self, request, object_id):
        meeting_id = id_in_address(request.POST.get("meeting") or object_id)
        if meeting_id is not None:
            meeting = Meeting.objects.filter(pk=meeting_id).first()
            if meeting is not None:
                return meeting.tz
        return DEFAULT_ZONE

    @admin.display(description=_("registration closes (meeting's time)"), ordering="closes_at")
    def local_closes_at(self, policy: RegistrationPolicy) -> str:
        if policy.closes_at is None:
            return _("when the meeting starts")
        return f"{policy.closes_at.astimezone(policy.meeting.tz):%Y-%m-%d %H:%M}"

    @admin.display(description=_("approved by the Secretariat"))
    def approval(self, policy: RegistrationPolicy) -> str:
        labels = dict(ParticipantCategory.choices)
        return ", ".join(
            str(labels.get(value, value)) for value in policy.categories_needing_approval
        )


class DelegationKindFilter(admin.SimpleListFilter):
    title = _("delegation")
    parameter_name = "of"

    def lookups(self, request, model_admin):
        return [("state", _("States")), ("organisation", _("Organisations"))]

    def queryset(self, request, queryset):
        if self.value() == "state":
            return queryset.filter(state__isnull=False)
        if self.value() == "organisation":
            return queryset.filter(organisation__isnull=False)
        return queryset


@admin.register(FocalPoint)
class FocalPointAdmin(TypedAutocomplete, admin.ModelAdmin):
    list_display = ["person", "delegation", "email"]
    list_filter = [DelegationKindFilter]
    search_fields = [
        "person__given_name",
        "person__family_name",
        "person__email",
        "state__name",
        "organisation__name",
    ]
    list_select_related = ["person", "state", "organisation"]
    autocomplete_fields = ["person", "state", "organisation"]

    @admin.display(description=_("delegation"))
    def delegation(self, focal_point: FocalPoint) -> str:
        return str(focal_point.state or focal_point.organisation)

    @admin.display(description=_("email"), ordering="person__email")
    def email(self, focal_point: FocalPoint) -> str:
        return focal_point.person.email


# Emails to registrants


class MailingForm(forms.ModelForm):
    class Meta:
        model = Mailing
        fields = ["meeting", "session", "about", "subject", "body"]

    def clean(self):
        cleaned = super().clean()
        meeting, session = cleaned.get("meeting"), cleaned.get("session")
        if meeting and session and session.meeting_id != meeting.pk:
            self.add_error("session", _("This session is not part of the meeting chosen."))
        return cleaned


class IssuedLetterChoice(forms.ModelChoiceField):
    def label_from_instance(self, letter: Letter) -> str:
        return f"{letter.reference} · {letter.meeting} · {letter.get_language_display()}"


class AnnounceLetterForm(forms.Form):
    letter = IssuedLetterChoice(
        label=_("Issued letter"),
        queryset=Letter.objects.filter(status=Letter.Status.ISSUED)
        .exclude(meeting__registration=Meeting.Registration.NONE)
        .select_related("meeting")
        .order_by("-letter_date", "-id"),
    )


class AnnounceScheduleForm(forms.Form):
    meeting = forms.ModelChoiceField(
        label=_("Meeting"),
        queryset=Meeting.objects.exclude(registration=Meeting.Registration.NONE).order_by(
            "-start_date"
        ),
    )
    note = forms.CharField(
        label=_("What changed"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=4000,
        help_text=_("In plain words; the email adds the links to the meeting page and calendar."),
    )


@admin.register(Mailing)
class MailingAdmin(admin.ModelAdmin):
    """A mailing is queued when it is saved; from then on it is a record of what was sent."""

    form = MailingForm
    list_display = [
        "subject",
        "meeting",
        "session",
        "about",
        "queued_at",
        "pending",
        "sent",
        "failed",
    ]
    list_filter = ["meeting", "about"]
    search_fields = ["subject", "meeting__title"]
    list_select_related = ["meeting", "session__body__parent", "session__meeting"]
    readonly_fields = ["delivery_counts", "created_by", "created_at", "queued_at"]

    def get_queryset(self, request):
        def of(status):
            return Count("deliveries", filter=Q(deliveries__status=status))

        return (
            super()
            .get_queryset(request)
            .annotate(
                pending_count=of(Delivery.Status.PENDING),
                sent_count=of(Delivery.Status.SENT),
                failed_count=of(Delivery.Status.FAILED),
            )
        )

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["meeting", "session", "about", "subject", "body"]
        return [
            "meeting",
            "session",
            "about",
            "subject",
            "body",
            "created_by",
            "created_at",
            "queued_at",
            "delivery_counts",
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        # Recipients may already have it: changing the text now would misstate what was sent.
        return self.get_fields(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        # Saved means queued: the mailing stays as the record of what recipients received.
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        taking_registrations = Meeting.objects.exclude(registration=Meeting.Registration.NONE)
        if db_field.name == "meeting":
            kwargs["queryset"] = taking_registrations
        elif db_field.name == "session":
            kwargs["queryset"] = (
                Session.objects.filter(meeting__in=taking_registrations)
                .select_related("meeting", "body__parent")
                .order_by("-meeting__start_date", "start", "id")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        context = {"show_save": False, "show_save_and_continue": False, **(extra_context or {})}
        return super().change_view(request, object_id, form_url, context)

    def get_urls(self):
        own = [
            path(
                "announce/<str:what>/",
                self.admin_site.admin_view(self.announce_view),
                name="registrations_mailing_announce",
            )
        ]
        return own + super().get_urls()

    def announce_view(self, request, what: str):
        """Announce an issued letter or a schedule change to all registrants of the meeting."""
        from convocation.registrations.mailings import announce_letter, announce_schedule_change

        if not self.has_add_permission(request):
            raise PermissionDenied
        forms_by_kind = {"letter": AnnounceLetterForm, "schedule": AnnounceScheduleForm}
        if what not in forms_by_kind:
            raise Http404("Nothing of that kind is announced.")
        form = forms_by_kind[what](request.POST or None)
        if request.method == "POST" and form.is_valid():
            if what == "letter":
                mailing = announce_letter(form.cleaned_data["letter"], by=request.user)
            else:
                mailing = announce_schedule_change(
                    form.cleaned_data["meeting"], form.cleaned_data["note"], by=request.user
                )
            self.message_user(
                request,
                _("Queued for %(count)d recipients.") % {"count": mailing.deliveries.count()},
                messages.SUCCESS,
            )
            return redirect("admin:registrations_mailing_change", mailing.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Announce an issued letter")
            if what == "letter"
            else _("Announce a schedule change"),
            "form": form,
        }
        return TemplateResponse(
            request,
            "admin/registrations/mailing/announce.html",
            context,
            status=400 if request.method == "POST" else 200,
        )

    def save_model(self, request, obj, form, change):
        if change:
            return
        # Written by another part of the app; imported here so that the admin loads without it.
        from convocation.registrations.mailings import queue_mailing

        obj.created_by = request.user
        super().save_model(request, obj, form, change)
        recipients = queue_mailing(obj)
        self.message_user(
            request,
            ngettext(
                "Queued for %(count)d recipient.", "Queued for %(count)d recipients.", recipients
            )
            % {"count": recipients},
            messages.SUCCESS,
        )

    @admin.display(description=_("pending"), ordering="pending_count")
    def pending(self, mailing: Mailing) -> int:
        return mailing.pending_count

    @admin.display(description=_("sent"), ordering="sent_count")
    def sent(self, mailing: Mailing) -> int:
        return mailing.sent_count

    @admin.display(description=_("failed"), ordering="failed_count")
    def failed(self, mailing: Mailing) -> int:
        return mailing.failed_count

    @admin.display(description=_("deliveries"))
    def delivery_counts(self, mailing: Mailing) -> str:
        failures = mailing.deliveries.filter(status=Delivery.Status.FAILED).order_by("email")
        summary = format_html(
            "<p>{}: {} · {}: {} · {}: {}</p>",
            _("pending"),
            mailing.pending_count,
            _("sent"),
            mailing.sent_count,
            _("failed"),
            mailing.failed_count,
        )
        if not mailing.failed_count:
            return summary
        return format_html(
            "{}<ul>{}</ul>",
            summary,
            format_html_join("", "<li>{}: {}</li>", ((d.email, d.error) for d in failures[:100])),
        )


class RegistrantAdmin(PersonAdmin):
    """People, whose page shows an email and a gender: for someone registered, a staff view
    or change of it is one of their registrations', and the audit trail of each says so."""

    def _registrations(self, person: Person):
        return person.registrations.select_related("person", "meeting").order_by("id")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            person = self.get_object(request, unquote(object_id))
            if person is not None and self.has_view_or_change_permission(request, person):
                for registration in self._registrations(person):
                    audit.record(
                        request.user, AuditEntry.Action.VIEWED, registration, page="person"
                    )
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and form.changed_data:
            fields = audit.field_changes(form)
            for registration in self._registrations(obj):
                audit.record(request.user, AuditEntry.Action.CHANGED, registration, fields=fields)


admin.site.unregister(Person)
admin.site.register(Person, RegistrantAdmin)
