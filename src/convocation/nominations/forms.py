"""The nomination form: the State (among the focal point's States Parties), the nominee, a CV."""

from django import forms
from django.utils.translation import gettext_lazy as _

from convocation.nominations.services import NomineeData
from convocation.people.forms import PersonNameForm
from convocation.registrations.files import validate_credential
from convocation.treaties.models import State


class NominationForm(PersonNameForm):
    field_order = ["state"]

    state = forms.ModelChoiceField(label=_("Nominating State"), queryset=State.objects.none())
    email = forms.EmailField(label=_("Email of the nominee"), max_length=254)
    expertise = forms.CharField(
        label=_("Relevant expertise"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The delegate's experience relevant to the office."),
    )
    cv = forms.FileField(
        label=_("CV"),
        validators=[validate_credential],
        help_text=_("A PDF, Word (.docx) or OpenDocument (.odt) file of at most 10 MB."),
    )

    def __init__(self, *args, states: list[State], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["state"]
        field.queryset = State.objects.filter(code__in=[state.code for state in states])
        if len(states) == 1:
            field.initial = states[0]
            field.empty_label = None

    def nominee(self) -> NomineeData:
        data = self.cleaned_data
        return NomineeData(
            honorific=data["honorific"],
            given_name=data["given_name"],
            family_name=data["family_name"],
            email=data["email"],
            expertise=data["expertise"],
        )
