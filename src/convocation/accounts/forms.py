"""The forms of signing in: the delegate's address and code, and the Secretariat's login."""

import re

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext_lazy as _
from django_otp.forms import OTPAuthenticationFormMixin

from convocation.accounts import two_factor

# The username is the address, and Django's usernames stop at 150 characters.
LONGEST_EMAIL = 150


class EmailForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=LONGEST_EMAIL,
        help_text=_("We will email you a code and a link to sign in. No password is needed."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )


class SixDigitCodeForm(forms.Form):
    """A six-digit code, as typed on a phone: spaces and dashes are forgiven."""

    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "size": 8}
        ),
    )

    def clean_code(self) -> str:
        code = re.sub(r"[\s-]", "", self.cleaned_data["code"])
        if not re.fullmatch(r"\d{6}", code):
            raise forms.ValidationError(_("Enter the 6 digits of the code."), code="format")
        return code


class SignInCodeForm(SixDigitCodeForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = _("The 6 digits in the email we just sent you.")


class AuthenticatorCodeForm(SixDigitCodeForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].label = _("Code from your authenticator app")


class SecretariatAuthenticationForm(OTPAuthenticationFormMixin, AdminAuthenticationForm):
    """The admin login: a password, then a current code once two-factor sign-in is on.

    django-otp's own forms require a code from everyone; here staff who have not enrolled an
    authenticator app sign in with their password alone, and those who have cannot without it.
    """

    otp_token = forms.CharField(
        label=_("Two-factor code"),
        required=False,
        help_text=_("Only if you have turned on two-factor sign-in."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    otp_error_messages = {
        **OTPAuthenticationFormMixin.otp_error_messages,
        "token_required": _(
            "Two-factor sign-in is on for this account: enter the code from your authenticator app."
        ),
        "invalid_token": _(
            "That two-factor code is not right. Enter the code your authenticator app shows now."
        ),
    }

    def clean(self) -> dict:
        cleaned_data = super().clean()
        user = self.get_user()
        device = two_factor.confirmed_device(user) if user is not None else None
        if device is not None:
            # One app per account, so nobody has to choose a device.
            self.cleaned_data["otp_device"] = device.persistent_id
            self.clean_otp(user)
        return cleaned_data

    def _update_form(self, user: AbstractBaseUser) -> None:
        # django-otp would send the typed password back into the page; it is typed again.
        pass
