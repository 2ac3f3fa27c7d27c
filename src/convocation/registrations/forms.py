"""The registration form, shaped by the meeting's policy and the delegation chosen."""

from collections.abc import Sequence

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from convocation.meetings.models import Meeting
from convocation.people.forms import PersonNameForm
from convocation.people.models import Person
from convocation.prepared import Prepared
from convocation.registrations import rules, services
from convocation.registrations.files import validate_credential
from convocation.registrations.models import Registration, RegistrationPolicy
from convocation.registrations.services import RegistrationData
from convocation.treaties.models import Organisation, State
from convocation.treaties.status import ActionFact
from convocation.web.keys import id_in_address


def delegation_choices(
    states: list[State], organisations: list[Organisation]
) -> list[tuple[str, object]]:
    """One select, States first then organisations by category: a native control on a phone."""
    choices: list[tuple[str, object]] = [("", "—")]
    if states:
        choices.append((_("States"), [(f"state:{s.code}", s.name) for s in states]))
    by_category: dict[str, list[tuple[str, str]]] = {}
    for organisation in organisations:
        label = organisation.get_category_display()
        by_category.setdefault(label, []).append((f"org:{organisation.pk}", organisation.name))
    choices.extend(by_category.items())
    return choices


# Read on every submit of the registration form (convocation.prepared).
_STATE = Prepared(lambda code: State.objects.filter(code=code).order_by()[:1], str)
_ORGANISATION = Prepared(lambda pk: Organisation.objects.filter(pk=pk).order_by()[:1], int)


def delegation_from(value: str) -> State | Organisation | None:
    kind, _sep, key = value.partition(":")
    if kind == "state":
        return _STATE.first(key)
    organisation_id = id_in_address(key) if kind == "org" else None
    if organisation_id is not None:
        return _ORGANISATION.first(organisation_id)
    return None


def delegation_with_actions(
    value: str, meeting: Meeting
) -> tuple[State | Organisation | None, list[ActionFact] | None]:
    """The delegation a form names and, for a State, its actions under the meeting's treaty.

    Both come from one query: the registration form names its delegation on every submit.
    """
    kind, _sep, key = value.partition(":")
    if kind == "state":
        found = services.state_with_actions(meeting, key)
        return found if found is not None else (None, None)
    return delegation_from(value), None


def delegation_value(delegation: State | Organisation | None) -> str:
    if isinstance(delegation, State):
        return f"state:{delegation.code}"
    if isinstance(delegation, Organisation):
        return f"org:{delegation.pk}"
    return ""


class DelegationChoiceForm(forms.Form):
    """The first step: which delegation, so that only its sessions are offered."""

    delegation = forms.ChoiceField(label=_("Delegation"))

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delegation"].choices = choices


class SessionsField(forms.TypedMultipleChoiceField):
    """The sessions offered, which knows why the others of the meeting are not.

    A session the delegation may not attend is never offered; a request that names one
    anyway (crafted, or a page opened before the State's status changed) is answered with
    the rule's reason next to the field, not with a bare "not a valid choice".
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.refused: dict[str, rules.SessionAccess] = {}

    def validate(self, value):
        # The reasons are worded only for a request that names a refused session.
        reasons = [
            rules.refusal_reason(self.refused[str(pk)]) for pk in value if str(pk) in self.refused
        ]
        if reasons:
            raise forms.ValidationError(" ".join(reasons), code="closed_session")
        super().validate(value)


class RegistrationForm(PersonNameForm):
    email = forms.EmailField(label=_("Email"), max_length=254)
    position = forms.CharField(
        label=_("Position"), max_length=200, help_text=_("For example First Secretary.")
    )
    role = forms.ChoiceField(
        label=_("Role in the delegation"),
        choices=Registration.Role.choices,
        widget=forms.RadioSelect,
    )
    mode = forms.ChoiceField(label=_("Attendance"), widget=forms.RadioSelect)
    sessions = SessionsField(
        label=_("Sessions you will attend"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    gender = forms.ChoiceField(
        label=_("Gender"),
        choices=Person.Gender.choices,
        widget=forms.RadioSelect,
        # As help text, the statement is tied to the choice it explains (aria-describedby).
        help_text=_(
            "Why we ask: the Secretariat collects gender-disaggregated attendance data, as the "
            "Conference of States Parties asked, to foster gender balance in delegations. Who "
            "sees it: Secretariat staff, you, and your delegation's focal point. Only totals "
            "are published, and no count under 5."
        ),
    )
    gender_description = forms.CharField(
        label=_("Gender, in your own words"),
        max_length=100,
        required=False,
        help_text=_("Only if you chose another gender; optional."),
    )
    credential = forms.FileField(required=False)
    consent = forms.BooleanField(
        label=_(
            "I agree that the Secretariat keeps these data to organise the meeting and to "
            "report attendance figures in which no person can be identified."
        ),
        error_messages={"required": _("Registration needs your consent to the use of these data.")},
    )

    def __init__(
        self,
        *args,
        meeting: Meeting,
        policy: RegistrationPolicy,
        delegation: State | Organisation,
        sessions: list[rules.SessionAccess],
        fixed_email: str | None,
        existing: Registration | None = None,
        refused_sessions: Sequence[rules.SessionAccess] = (),
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.meeting, self.delegation = meeting, delegation
        self.fields["mode"].choices = modes_for(meeting)
        if fixed_email is not None:
            # A delegate registers themself with the address they signed in with.
            self.fields["email"].disabled = True
            self.fields["email"].initial = fixed_email
        if asks_sessions(meeting, policy, sessions):
            self.fields["sessions"].choices = [
                (fact.session_id, session_label(fact, meeting)) for fact in sessions
            ]
            self.fields["sessions"].refused = {
                str(fact.session_id): fact for fact in refused_sessions
            }
            if meeting.registration == Meeting.Registration.SOME_SESSIONS:
                self.fields["sessions"].required = True
        else:
            del self.fields["sessions"]
        if policy.credential == RegistrationPolicy.Credential.REQUIRED:
            self.fields["credential"].required = existing is None or not existing.credential
            self.fields["credential"].label = (
                _("Note verbale from the Permanent Mission")
                if isinstance(delegation, State)
                else _("Nomination letter of the organisation")
            )
            self.fields["credential"].help_text = _("PDF, Word or OpenDocument, up to 10 MB.")
            self.fields["credential"].widget.attrs["accept"] = ".pdf,.docx,.odt"
        else:
            del self.fields["credential"]
        if not meeting.collects_gender_data:
            # Asked only where the Secretariat collects gender-disaggregated data for this
            # meeting: the statement beside the field says that it does.
            del self.fields["gender"], self.fields["gender_description"]
        if existing is not None:
            del self.fields["consent"]

    def clean_credential(self):
        upload = self.cleaned_data.get("credential")
        if upload:
            validate_credential(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("gender") != Person.Gender.SELF_DESCRIBED:
            cleaned["gender_description"] = ""
        return cleaned

    def data_for_services(self, language: str) -> RegistrationData:
        cleaned = self.cleaned_data
        state = self.delegation if isinstance(self.delegation, State) else None
        organisation = self.delegation if isinstance(self.delegation, Organisation) else None
        return RegistrationData(
            honorific=cleaned["honorific"],
            given_name=cleaned["given_name"],
            family_name=cleaned["family_name"],
            email=cleaned["email"],
            position=cleaned["position"],
            role=cleaned["role"],
            mode=cleaned["mode"],
            gender=cleaned.get("gender", ""),
            gender_description=cleaned.get("gender_description", ""),
            state=state,
            organisation=organisation,
            session_ids=list(cleaned.get("sessions") or []),
            consent=cleaned.get("consent", True),
            language=language,
            credential=cleaned.get("credential") or None,
        )


def modes_for(meeting: Meeting) -> list[tuple[str, str]]:
    """Online means following online: offered where the meeting is streamed or held online."""
    in_person = (Registration.Mode.IN_PERSON, Registration.Mode.IN_PERSON.label)
    online = (Registration.Mode.ONLINE, pgettext_lazy("attendance", "Online"))
    if meeting.format == Meeting.Format.VIRTUAL:
        return [online]
    if meeting.format == Meeting.Format.HYBRID or meeting.livestream != Meeting.Livestream.NONE:
        return [in_person, online]
    return [in_person]


def asks_sessions(
    meeting: Meeting, policy: RegistrationPolicy, sessions: list[rules.SessionAccess]
) -> bool:
    if not sessions:
        return False
    return policy.asks_sessions or meeting.registration == Meeting.Registration.SOME_SESSIONS


def session_label(fact: rules.SessionAccess, meeting: Meeting) -> str:
    label = f"{date_format(fact.day, 'l')} {date_format(fact.day, 'DATE_FORMAT')}, {fact.times}: "
    label += fact.label
    if fact.access != "open":
        label += " (" + str(_("States Parties and signatory States only")) + ")"
    return label
