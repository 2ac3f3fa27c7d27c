"""The Secretariat's side of side events: the policy per meeting, and deciding proposals.

Decisions go through ``services`` (room allocation under a lock, the schedule, the email):
the "Decide" page of a proposal accepts it in a room of the officer's choice or declines it
with a message; the list's action accepts the selected proposals in the first free room.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from convocation.admin_fields import AssumeHttps, TypedAutocomplete
from convocation.side_events import rules, services
from convocation.side_events.models import SideEventPolicy, SideEventProposal

Status = SideEventProposal.Status


class SideEventPolicyForm(forms.ModelForm):
    class Meta:
        model = SideEventPolicy
        fields = [
            "meeting",
            "proposals_close_at",
            "rooms_per_day",
            "room_names",
            "slots",
            "allows_virtual",
            "allows_hybrid",
        ]

    def clean_slots(self) -> str:
        text = self.cleaned_data["slots"]
        try:
            rules.parse_slots(text)
        except ValueError as error:
            raise forms.ValidationError(
                _("“%(line)s” is not a time range such as 13:15–14:45.") % {"line": error.args[0]}
            ) from error
        return text


@admin.register(SideEventPolicy)
class SideEventPolicyAdmin(TypedAutocomplete, admin.ModelAdmin):
    form = SideEventPolicyForm
    list_display = [
        "meeting",
        "proposals_close_at",
        "rooms_per_day",
        "allows_virtual",
        "allows_hybrid",
    ]
    list_filter = ["allows_hybrid"]
    list_select_related = ["meeting"]
    search_fields = ["meeting__title", "meeting__slug"]
    autocomplete_fields = ["meeting"]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
    )
    room = forms.ChoiceField(label=_("Room"), required=False)
    starts_at = forms.TimeField(label=_("Starts"), required=False)
    ends_at = forms.TimeField(label=_("Ends"), required=False)
    message = forms.CharField(
        label=_("Message to the contact"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args, rooms: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].choices = [("", _("The first free room")), *rooms]

    def clean(self):
        data = super().clean()
        if data.get("decision") == "decline" and not data.get("message", "").strip():
            self.add_error("message", _("Say why: the message is sent to the contact."))
        return data


@admin.register(SideEventProposal)
class SideEventProposalAdmin(AssumeHttps, admin.ModelAdmin):
    list_display = [
        "title",
        "meeting",
        "date",
        "preferred_time",
        "format",
        "status",
        "room",
        "decide_link",
    ]
    list_filter = ["status", "format", "meeting"]
    search_fields = ["title", "organisers", "co_sponsors", "contact_name", "contact_email"]
    list_select_related = ["meeting"]
    date_hierarchy = "date"
    actions = ["accept_in_first_free_room"]
    readonly_fields = [
        "status",
        "room",
        "allocated_starts_at",
        "allocated_ends_at",
        "side_event",
        "submitted_by",
        "decided_by",
        "decided_at",
        "created_at",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "meeting",
                    "title",
                    "organisers",
                    "co_sponsors",
                    "description",
                    "expected_audience",
                ]
            },
        ),
        (
            _("When and how"),
            {"fields": ["date", "starts_at", "ends_at", "format", "access_link", "link_shown"]},
        ),
        (_("Contact"), {"fields": ["contact_name", "contact_email", "language"]}),
        (
            _("Decision"),
            {
                "fields": [
                    "status",
                    "room",
                    "allocated_starts_at",
                    "allocated_ends_at",
                    "secretariat_message",
                    "side_event",
                    "submitted_by",
                    "decided_by",
                    "decided_at",
                    "created_at",
                ]
            },
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.status == Status.ACCEPTED:
            # The room is booked for this day and time: they change through "Decide".
            fields += ["meeting", "date", "starts_at", "ends_at", "format"]
        return fields

    @admin.display(description=_("preferred time"))
    def preferred_time(self, proposal: SideEventProposal) -> str:
        return f"{proposal.starts_at:%H:%M}–{proposal.ends_at:%H:%M}"

    @admin.display(description=_("decision"))
    def decide_link(self, proposal: SideEventProposal) -> str:
        if proposal.status == Status.WITHDRAWN:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:side_events_sideeventproposal_decide", args=[proposal.pk]),
            _("Decide"),
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and obj.status == Status.ACCEPTED and obj.side_event_id:
            # Keep the published side event in step with the corrected title, organisers, link.
            services.publish(obj)

    def get_urls(self):
        return [
            path(
                "<int:pk>/decide/",
                self.admin_site.admin_view(self.decide_view),
                name="side_events_sideeventproposal_decide",
            ),
            *super().get_urls(),
        ]

    def decide_view(self, request, pk: int):
        proposal = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_change_permission(request, proposal):
            raise PermissionDenied
        policy = services.policy_of(proposal.meeting)
        rooms = services.rooms_of(policy) if policy else []
        start = proposal.allocated_starts_at or proposal.starts_at
        end = proposal.allocated_ends_at or proposal.ends_at
        free = set(
            rules.free_rooms(
                proposal.date,
                start,
                end,
                services.bookings_of(
                    proposal.meeting, day=proposal.date, except_side_event=proposal.side_event_id
                ),
                rooms,
            )
        )
        choices = [
            (room, room if room in free else _("%(room)s (taken at that time)") % {"room": room})
            for room in rooms
        ]
        initial = {
            "decision": "accept",
            "room": proposal.room,
            "starts_at": start,
            "ends_at": end,
            "message": proposal.secretariat_message,
        }
        form = DecisionForm(request.POST or None, rooms=choices, initial=initial)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                if policy is None:
                    raise services.SideEventError(
                        _("Give the meeting a side-event policy (rooms and times) first.")
                    )
                if data["decision"] == "accept":
                    services.accept_proposal(
                        proposal=proposal,
                        by=request.user,
                        room=data["room"],
                        starts_at=data["starts_at"],
                        ends_at=data["ends_at"],
                        message=data["message"],
                    )
                else:
                    services.decline_proposal(
                        proposal=proposal, by=request.user, message=data["message"]
                    )
            except services.SideEventError as error:
                form.add_error(None, error.messages)
            else:
                proposal.refresh_from_db()
                self.message_user(
                    request,
                    _("“%(title)s”: %(status)s.")
                    % {"title": proposal.title, "status": proposal.get_status_display()},
                    messages.SUCCESS,
                )
                return redirect("admin:side_events_sideeventproposal_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": proposal,
            "title": _("Decide on a side event"),
            "form": form,
            "policy": policy,
        }
        return TemplateResponse(request, "admin/side_events/sideeventproposal/decide.html", context)

    @admin.action(
        description=_("Accept the selected proposals in the first free room"),
        permissions=["change"],
    )
    def accept_in_first_free_room(self, request, queryset):
        accepted = 0
        for proposal in queryset.filter(status=Status.SUBMITTED).order_by("created_at", "id"):
            try:
                services.accept_proposal(proposal=proposal, by=request.user)
            except services.SideEventError as error:
                self.message_user(
                    request, f"“{proposal.title}”: {' '.join(error.messages)}", messages.ERROR
                )
            else:
                accepted += 1
        if accepted:
            self.message_user(
                request,
                ngettext(
                    "%(count)d side event accepted and published.",
                    "%(count)d side events accepted and published.",
                    accepted,
                )
                % {"count": accepted},
                messages.SUCCESS,
            )
