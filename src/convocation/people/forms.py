"""A person's name, asked the same way on every form that names someone."""

from django import forms
from django.utils.translation import gettext_lazy as _

from convocation.people.models import Person


def _length(name: str) -> int:
    return Person._meta.get_field(name).max_length


class PersonNameForm(forms.Form):
    """Honorific, given name and family name, as a signature block writes them."""

    honorific = forms.CharField(
        label=_("Honorific"),
        max_length=_length("honorific"),
        required=False,
        help_text=_("For example Ambassador, Ms., Mr., Dr."),
    )
    given_name = forms.CharField(label=_("Given name"), max_length=_length("given_name"))
    family_name = forms.CharField(label=_("Family name"), max_length=_length("family_name"))
