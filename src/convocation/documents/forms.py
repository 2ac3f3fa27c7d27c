"""The library's search form and the office holders' submission form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from convocation.cycles.models import ConferenceCycle, Office
from convocation.documents.languages import language_name
from convocation.documents.models import Document
from convocation.documents.queries import LibraryFilters
from convocation.treaties.models import Body, Treaty


class BodyChoice(forms.ModelChoiceField):
    def label_from_instance(self, body: Body) -> str:
        return body.full_name


class CycleChoice(forms.ModelChoiceField):
    def label_from_instance(self, cycle: ConferenceCycle) -> str:
        return cycle.code


def library_languages() -> list[str]:
    codes: list[str] = []
    for languages in Treaty.objects.values_list("official_languages", flat=True):
        for code in languages.split(","):
            if code.strip() and code.strip() not in codes:
                codes.append(code.strip())
    return codes


class LibraryForm(forms.Form):
    q = forms.CharField(label=_("Words of the title or symbol"), required=False, max_length=200)
    symbol = forms.CharField(label=_("Symbol starts with"), required=False, max_length=200)
    body = BodyChoice(
        label=_("Body"),
        required=False,
        queryset=Body.objects.select_related("parent").order_by("order", "acronym", "name"),
        empty_label=_("All bodies"),
    )
    cycle = CycleChoice(
        label=_("Cycle"),
        required=False,
        queryset=ConferenceCycle.objects.order_by("-number"),
        empty_label=_("All cycles"),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *Document.Kind.choices]
    )
    language = forms.ChoiceField(label=_("Language"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", _("All languages"))] + [
            (code, language_name(code)) for code in library_languages()
        ]

    def filters(self) -> LibraryFilters:
        if not self.is_bound or not self.is_valid():
            return LibraryFilters()
        data = self.cleaned_data
        return LibraryFilters(
            text=data["q"].strip(),
            symbol=data["symbol"].strip(),
            body_id=data["body"].pk if data["body"] else None,
            cycle_id=data["cycle"].pk if data["cycle"] else None,
            kind=data["kind"],
            language=data["language"],
        )


class OfficeChoice(forms.ModelChoiceField):
    def label_from_instance(self, office: Office) -> str:
        return office.name


class SubmissionForm(forms.Form):
    """The document, its kind and body, and one file input per official language."""

    office = OfficeChoice(label=_("Submitted by the office of"), queryset=Office.objects.none())
    body = BodyChoice(
        label=_("Body"),
        required=False,
        queryset=Body.objects.none(),
        empty_label=_("The Conference as a whole"),
    )
    kind = forms.ChoiceField(label=_("Kind of document"), choices=Document.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    note = forms.CharField(
        label=_("Note to the Secretariat"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    original = forms.ChoiceField(
        label=_("Original language"),
        widget=forms.RadioSelect,
        help_text=_("The language the document was written in; the others are translations."),
    )

    def __init__(self, *args, meeting, offices, languages: list[str], office_required=True, **kw):
        super().__init__(*args, **kw)
        self.languages = languages
        self.fields["office"].queryset = offices
        self.fields["office"].required = office_required
        if not office_required:
            self.fields["office"].empty_label = _("The Secretariat")
        self.fields["body"].queryset = Body.objects.filter(
            treaty_id=meeting.cycle.treaty_id
        ).select_related("parent")
        self.fields["original"].choices = [(code, language_name(code)) for code in languages]
        for code in languages:
            self.fields[f"file_{code}"] = forms.FileField(
                label=language_name(code),
                required=False,
                widget=forms.ClearableFileInput(
                    attrs={
                        "accept": ".pdf,.docx,.odt,application/pdf,"
                        "application/vnd.openxmlformats-officedocument.wordprocessingml.document,"
                        "application/vnd.oasis.opendocument.text"
                    }
                ),
            )
        offices_list = list(offices)
        if len(offices_list) == 1 and not self.is_bound:
            self.initial.setdefault("office", offices_list[0].pk)
            self.initial.setdefault("body", offices_list[0].body_id)
        if "en" in languages:
            self.initial.setdefault("original", "en")

    @property
    def file_fields(self):
        return [self[f"file_{code}"] for code in self.languages]

    def files_by_language(self) -> dict:
        return {
            code: self.cleaned_data.get(f"file_{code}")
            for code in self.languages
            if self.cleaned_data.get(f"file_{code}")
        }
