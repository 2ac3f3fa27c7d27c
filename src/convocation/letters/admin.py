from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from convocation.admin_fields import ConstraintsChecked
from convocation.letters import services
from convocation.letters.models import Letter, LetterFile, LetterParagraph


class ParagraphInline(ConstraintsChecked, admin.TabularInline):
    model = LetterParagraph
    extra = 0
    can_delete = False
    fields = ["position", "key", "text", "edited"]
    readonly_fields = ["position", "key", "edited"]
    formfield_overrides = {
        LetterParagraph._meta.get_field("text").__class__: {
            "widget": forms.Textarea(attrs={"rows": 5, "cols": 90})
        }
    }

    @admin.display(description=_("edited by hand"), boolean=True)
    def edited(self, paragraph: LetterParagraph) -> bool:
        return paragraph.is_edited

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is None or not obj.is_issued


class FileInline(ConstraintsChecked, admin.TabularInline):
    model = LetterFile
    extra = 0
    can_delete = False
    fields = ["format", "file", "size", "sha256"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class IssueForm(forms.Form):
    override_reason = forms.CharField(
        label=_("Reason for issuing despite the errors"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
    )


@admin.register(Letter)
class LetterAdmin(admin.ModelAdmin):
    list_display = ["meeting", "kind", "language", "letter_date", "status", "reference"]
    list_filter = ["status", "kind", "language", "meeting"]
    search_fields = ["reference", "meeting__title", "meeting__slug"]
    list_select_related = ["meeting"]
    readonly_fields = ["status", "reference", "issued_at", "issued_by", "override_reason", "checks"]
    inlines = [ParagraphInline, FileInline]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["meeting", "kind", "language", "letter_date"]
        return [
            "meeting",
            "kind",
            "language",
            "letter_date",
            "checks",
            "status",
            "reference",
            "issued_at",
            "issued_by",
            "override_reason",
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_issued:
            return [*self.readonly_fields, "meeting", "kind", "language", "letter_date"]
        if obj is not None:
            return [*self.readonly_fields, "meeting", "kind", "language"]
        return []

    def get_inlines(self, request, obj):
        return [ParagraphInline, FileInline] if obj is not None else []

    def has_change_permission(self, request, obj=None) -> bool:
        # An issued letter is kept as it went out: its page is for reading, with no Save.
        if obj is not None and obj.is_issued:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.is_issued:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        # A new letter is composed from the meeting's facts, paragraph by paragraph.
        letter = services.draft_letter(
            meeting=obj.meeting, language=obj.language, letter_date=obj.letter_date
        )
        obj.pk = letter.pk
        obj.refresh_from_db()

    @admin.display(description=_("checks before issuing"))
    def checks(self, letter: Letter):
        if letter.is_issued:
            return _("Issued: the letter no longer changes.")
        findings = services.findings_for(letter)
        links = format_html(
            '<p><a class="button" href="{}">{}</a> <a class="button" href="{}">{}</a></p>',
            reverse("admin:letters_letter_regenerate", args=[letter.pk]),
            _("Regenerate from the facts"),
            reverse("admin:letters_letter_issue", args=[letter.pk]),
            _("Issue"),
        )
        if not findings:
            return format_html("<p>{}</p>{}", _("No findings."), links)
        return format_html(
            "<ul>{}</ul>{}",
            format_html_join(
                "",
                "<li><strong>{}</strong> — {}: {}</li>",
                ((f.severity.upper(), f.where, f.message) for f in findings),
            ),
            links,
        )

    def get_urls(self):
        own = [
            path(
                "<int:pk>/regenerate/",
                self.admin_site.admin_view(self.regenerate_view),
                name="letters_letter_regenerate",
            ),
            path(
                "<int:pk>/issue/",
                self.admin_site.admin_view(self.issue_view),
                name="letters_letter_issue",
            ),
        ]
        return own + super().get_urls()

    def _letter_or_404(self, request, pk: int) -> Letter:
        letter = get_object_or_404(Letter.objects.select_related("meeting"), pk=pk)
        # Whether this officer may change letters at all; an issued one is answered by the view.
        if not self.has_change_permission(request):
            raise PermissionDenied
        return letter

    def regenerate_view(self, request, pk: int):
        letter = self._letter_or_404(request, pk)
        change_url = reverse("admin:letters_letter_change", args=[letter.pk])
        if letter.is_issued:
            messages.error(request, _("An issued letter cannot change; send a change notice."))
            return redirect(change_url)
        if request.method == "POST":
            keep = request.POST.get("keep_hand_edits") == "on"
            services.regenerate_letter(letter=letter, keep_hand_edits=keep)
            messages.success(request, _("The draft follows the facts again."))
            return redirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": letter,
            "title": _("Regenerate from the facts"),
            "changes": services.regeneration_changes(letter),
        }
        return TemplateResponse(request, "admin/letters/letter/regenerate.html", context)

    def issue_view(self, request, pk: int):
        letter = self._letter_or_404(request, pk)
        change_url = reverse("admin:letters_letter_change", args=[letter.pk])
        if letter.is_issued:
            messages.info(request, _("This letter is already issued."))
            return redirect(change_url)
        form = IssueForm(request.POST or None)
        findings = services.findings_for(letter)
        if request.method == "POST" and form.is_valid():
            try:
                services.issue_letter(
                    letter=letter,
                    by=request.user,
                    override_reason=form.cleaned_data["override_reason"],
                )
            except services.LetterBlocked:
                form.add_error(
                    "override_reason",
                    _("The letter has errors: correct them, or give the reason to issue anyway."),
                )
            else:
                letter.refresh_from_db()
                messages.success(
                    request, _("Issued as %(reference)s.") % {"reference": letter.reference}
                )
                return redirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": letter,
            "title": _("Issue the letter"),
            "findings": findings,
            "errors": [f for f in findings if f.severity == "error"],
            "form": form,
        }
        return TemplateResponse(request, "admin/letters/letter/issue.html", context)
