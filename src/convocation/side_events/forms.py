"""The side-event proposal form, shaped by the meeting's side-event policy."""

import datetime as dt

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from convocation.meetings.models import Meeting
from convocation.side_events import rules, services
from convocation.side_events.models import SideEventPolicy, SideEventProposal
from convocation.side_events.services import ProposalData


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    organisers = forms.CharField(label=_("Organisers"), max_length=300)
    co_sponsors = forms.CharField(label=_("Co-sponsors"), max_length=300, required=False)
    description = forms.CharField(
        label=_("Short description"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    date = forms.TypedChoiceField(
        label=_("Day"),
        coerce=dt.date.fromisoformat,
        error_messages={"invalid_choice": _("Choose a day of the meeting.")},
    )
    starts_at = forms.TimeField(
        label=_("Preferred start"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    ends_at = forms.TimeField(
        label=_("Preferred end"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    format = forms.ChoiceField(label=_("Format"), widget=forms.RadioSelect)
    expected_audience = forms.CharField(
        label=_("Expected audience"),
        max_length=300,
        help_text=_("Who you expect, and about how many people."),
    )
    contact_name = forms.CharField(label=_("Contact name"), max_length=200)
    contact_email = forms.EmailField(label=_("Contact email"), max_length=254)
    access_link = forms.URLField(
        label=_("Access link"),
        required=False,
        assume_scheme="https",
        help_text=_("For a side event online: the link by which participants join."),
    )
    link_shown = forms.ChoiceField(
        label=_("Show the access link"),
        choices=SideEventProposal._meta.get_field("link_shown").choices,
        initial="public",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, meeting: Meeting, policy: SideEventPolicy, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.policy = policy
        days = [
            meeting.start_date + dt.timedelta(days=n)
            for n in range((meeting.end_date - meeting.start_date).days + 1)
        ]
        self.fields["date"].choices = [("", "—")] + [
            (day.isoformat(), f"{date_format(day, 'l')} {date_format(day)}") for day in days
        ]
        allowed = rules.formats_allowed(
            allows_virtual=policy.allows_virtual, allows_hybrid=policy.allows_hybrid
        )
        self.fields["format"].choices = [
            (value, label) for value, label in SideEventProposal.Format.choices if value in allowed
        ]
        slots = services.slots_of(policy)
        if slots:
            self.fields["starts_at"].help_text = _("Side events take place at %(slots)s.") % {
                "slots": ", ".join(slot.label for slot in slots)
            }
            self.fields["starts_at"].initial = slots[0].start
            self.fields["ends_at"].initial = slots[0].end

    def clean(self):
        data = super().clean()
        errors = services.proposal_errors(
            meeting=self.meeting,
            policy=self.policy,
            day=data.get("date"),
            starts_at=data.get("starts_at"),
            ends_at=data.get("ends_at"),
            format=data.get("format"),
            access_link=data.get("access_link", ""),
        )
        for field, message in errors.items():
            self.add_error(field, message)
        return data

    def proposal_data(self, language: str) -> ProposalData:
        data = self.cleaned_data
        return ProposalData(
            title=data["title"],
            organisers=data["organisers"],
            co_sponsors=data["co_sponsors"],
            description=data["description"],
            date=data["date"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            format=data["format"],
            expected_audience=data["expected_audience"],
            contact_name=data["contact_name"],
            contact_email=data["contact_email"],
            access_link=data["access_link"],
            link_shown=data["link_shown"],
            language=language,
        )
