"""The forms of the check-in desk: a walk-in's registration, and the next speaker."""

from django import forms
from django.utils.translation import gettext_lazy as _

from convocation.meetings.models import Meeting
from convocation.people.forms import PersonNameForm
from convocation.people.models import Person
from convocation.registrations.forms import delegation_choices, delegation_from, modes_for
from convocation.registrations.models import Registration
from convocation.registrations.services import RegistrationData
from convocation.treaties.models import Organisation, State
from convocation.web.keys import id_in_address


class WalkInForm(PersonNameForm):
    field_order = ["delegation"]

    delegation = forms.ChoiceField(label=_("Delegation"))
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        help_text=_("The confirmation with the check-in code for the next days goes here."),
    )
    position = forms.CharField(label=_("Position"), max_length=200)
    role = forms.ChoiceField(
        label=_("Role in the delegation"),
        choices=Registration.Role.choices,
        initial=Registration.Role.MEMBER,
        widget=forms.RadioSelect,
    )
    gender = forms.ChoiceField(
        label=_("Gender"), choices=Person.Gender.choices, widget=forms.RadioSelect
    )
    consent = forms.BooleanField(
        label=_(
            "The delegate agrees that the Secretariat keeps these data to organise the meeting "
            "and to report attendance figures in which no person can be identified."
        )
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        if not meeting.collects_gender_data:
            del self.fields["gender"]
        self.fields["delegation"].choices = delegation_choices(
            list(State.objects.order_by("name")),
            list(Organisation.objects.order_by("category", "name")),
        )

    def clean_delegation(self) -> State | Organisation:
        delegation = delegation_from(self.cleaned_data["delegation"])
        if delegation is None:
            raise forms.ValidationError(_("Choose a delegation."))
        return delegation

    def data_for_services(self, language: str) -> RegistrationData:
        cleaned = self.cleaned_data
        delegation = cleaned["delegation"]
        # At the door, the delegate is in the room: in person, whatever the format offers.
        mode = Registration.Mode.IN_PERSON
        if [value for value, _label in modes_for(self.meeting)] == [Registration.Mode.ONLINE]:
            mode = Registration.Mode.ONLINE
        return RegistrationData(
            honorific=cleaned["honorific"],
            given_name=cleaned["given_name"],
            family_name=cleaned["family_name"],
            email=cleaned["email"],
            position=cleaned["position"],
            role=cleaned["role"],
            mode=mode,
            gender=cleaned.get("gender", ""),
            state=delegation if isinstance(delegation, State) else None,
            organisation=delegation if isinstance(delegation, Organisation) else None,
            consent=cleaned["consent"],
            language=language,
        )


def speaker_value(registration: Registration) -> str:
    return f"reg:{registration.pk}"


class InterventionForm(forms.Form):
    """One select: a delegation alone, or a named speaker under their delegation."""

    speaker = forms.ChoiceField(label=_("Next speaker"))

    def __init__(self, *args, registrations: list[Registration], **kwargs):
        super().__init__(*args, **kwargs)
        self.registrations = {registration.pk: registration for registration in registrations}
        groups: dict[str, list[tuple[str, str]]] = {}
        delegations: dict[str, State | Organisation] = {}
        for registration in registrations:
            delegation = registration.delegation
            key = (
                f"state:{delegation.pk}"
                if isinstance(delegation, State)
                else f"org:{delegation.pk}"
            )
            delegations[key] = delegation
            options = groups.setdefault(
                str(delegation),
                [(key, _("%(delegation)s (speaker not noted)") % {"delegation": delegation})],
            )
            options.append(
                (
                    speaker_value(registration),
                    f"{registration.person.formal_name} — {registration.get_role_display()}",
                )
            )
        self.delegations = delegations
        self.fields["speaker"].choices = [("", "—"), *groups.items()]

    def clean_speaker(self) -> tuple[State | Organisation, Registration | None]:
        value = self.cleaned_data["speaker"]
        kind, _sep, key = value.partition(":")
        if kind == "reg" and id_in_address(key) in self.registrations:
            registration = self.registrations[int(key)]
            return registration.delegation, registration
        if value in self.delegations:
            return self.delegations[value], None
        raise forms.ValidationError(_("Choose a delegation or a speaker."))
