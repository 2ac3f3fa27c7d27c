"""The Secretariat's review of documents: issue with a symbol, revise, follow the target date."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from convocation.admin_fields import ConstraintsChecked
from convocation.cycles.models import Office
from convocation.documents import digest, queries, services
from convocation.documents.languages import language_name
from convocation.documents.models import Document, DocumentCounter, DocumentFile
from convocation.documents.timeliness import Timeliness, timeliness
from convocation.meetings.models import Meeting
from convocation.web.keys import ObjectByTypedKey


class LanguageFilter(admin.SimpleListFilter):
    title = _("language")
    parameter_name = "language"

    def lookups(self, request, model_admin):
        codes = DocumentFile.objects.order_by("language").values_list("language", flat=True)
        return [(code, language_name(code)) for code in sorted(set(codes))]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(files__language=self.value()).distinct()
        return queryset


class FileInline(ConstraintsChecked, admin.TabularInline):
    model = DocumentFile
    extra = 0
    can_delete = False
    fields = ["language", "is_original", "download", "file_format", "size", "sha256"]
    readonly_fields = fields

    @admin.display(description=_("file"))
    def download(self, record: DocumentFile) -> str:
        if record.pk is None or not record.language:
            # A form posted back with a file row that is not stored: nothing to link.
            return record.original_name or "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("documents:download", args=[record.document_id, record.language]),
            record.original_name,
        )

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class OfficeChoice(forms.ModelChoiceField):
    def label_from_instance(self, office: Office) -> str:
        return office.name


class IssueForm(forms.Form):
    code = forms.CharField(
        label=_("Short code"),
        max_length=40,
        help_text=_("The end of the symbol, for example DrAgenda or WG.WP.IAC."),
    )
    office = OfficeChoice(
        label=_("Issuing office"),
        queryset=Office.objects.none(),
        required=False,
        empty_label=_("The Secretariat (SECR)"),
    )

    def __init__(self, *args, document: Document, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = Office.objects.filter(
            cycle_id=document.meeting.cycle_id
        ).select_related("cycle", "body__parent")
        self.initial.setdefault("office", document.office_id)


class NewVersionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of version"),
        widget=forms.RadioSelect,
        choices=[("revision", _("Revision (.Rev)")), ("corrigendum", _("Corrigendum (.Corr)"))],
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea({"rows": 2}))
    original = forms.ChoiceField(label=_("Original language"), widget=forms.RadioSelect)

    def __init__(self, *args, languages: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.languages = languages
        self.fields["original"].choices = [(code, language_name(code)) for code in languages]
        for code in languages:
            self.fields[f"file_{code}"] = forms.FileField(label=language_name(code), required=False)

    def files_by_language(self) -> dict:
        return {
            code: self.cleaned_data[f"file_{code}"]
            for code in self.languages
            if self.cleaned_data.get(f"file_{code}")
        }


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = [
        "symbol_or_status",
        "title",
        "meeting",
        "body",
        "kind",
        "status",
        "languages",
        "issued_on",
        "against_target",
    ]
    list_filter = ["status", "kind", "meeting", "body", LanguageFilter]
    search_fields = ["title", "symbol"]
    list_select_related = ["meeting", "body__parent", "superseded_by"]
    actions = ["withdraw_selected"]
    inlines = [FileInline]
    fields = [
        "next_steps",
        "meeting",
        "body",
        "kind",
        "title",
        "note",
        "office",
        "status",
        "symbol",
        "issued_on",
        "issued_by",
        "submitted_by",
        "submitted_at",
        "revision_of",
        "superseded_by",
        "digest_sent_at",
    ]
    readonly_fields = [
        "next_steps",
        "meeting",
        "status",
        "symbol",
        "issued_on",
        "issued_by",
        "submitted_by",
        "submitted_at",
        "revision_of",
        "superseded_by",
        "digest_sent_at",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("files")

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status != Document.Status.SUBMITTED:
            return [*self.readonly_fields, "body", "kind", "title", "note", "office"]
        return self.readonly_fields

    def has_add_permission(self, request) -> bool:
        # Documents come with their files through the submission page of the meeting.
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        # An issued document stays on record; a submission is withdrawn instead.
        return False

    @admin.display(description=_("symbol"), ordering="symbol")
    def symbol_or_status(self, document: Document) -> str:
        if document.symbol:
            if document.is_superseded:
                return format_html("{} <em>({})</em>", document.symbol, _("superseded"))
            return document.symbol
        return format_html("<em>{}</em>", document.get_status_display())

    @admin.display(description=_("languages"))
    def languages(self, document: Document) -> str:
        return ", ".join(
            file.language.upper() + ("*" if file.is_original else "")
            for file in document.files.all()
        )

    @admin.display(description=_("against the target date"))
    def against_target(self, document: Document) -> str:
        return timeliness(
            status=document.status,
            issued_on=document.issued_on,
            target=document.meeting.documents_target_date,
            today=timezone.localdate(),
        ).label

    @admin.display(description=_("next steps"))
    def next_steps(self, document: Document) -> str:
        progress = format_html(
            '<a class="button" href="{}">{}</a>',
            reverse("admin:documents_document_progress", args=[document.meeting_id]),
            _("Documents of this meeting"),
        )
        if document.status == Document.Status.SUBMITTED:
            return format_html(
                '<a class="button" href="{}">{}</a> {}',
                reverse("admin:documents_document_issue", args=[document.pk]),
                _("Issue"),
                progress,
            )
        if document.is_issued and not document.is_superseded:
            return format_html(
                '<a class="button" href="{}">{}</a> {}',
                reverse("admin:documents_document_new_version", args=[document.pk]),
                _("Issue a revision or corrigendum"),
                progress,
            )
        return progress

    @admin.action(description=_("Withdraw the selected submissions"), permissions=["change"])
    def withdraw_selected(self, request, queryset):
        submitted = list(queryset.filter(status=Document.Status.SUBMITTED))
        for document in submitted:
            services.withdraw_document(document=document)
        self.message_user(
            request,
            ngettext(
                "%(count)d submission withdrawn; issued documents are revised instead.",
                "%(count)d submissions withdrawn; issued documents are revised instead.",
                len(submitted),
            )
            % {"count": len(submitted)},
            messages.SUCCESS,
        )

    # Own pages

    def get_urls(self):
        view = self.admin_site.admin_view
        own = [
            path("<int:pk>/issue/", view(self.issue_view), name="documents_document_issue"),
            path(
                "<int:pk>/new-version/",
                view(self.new_version_view),
                name="documents_document_new_version",
            ),
            path("progress/", view(self.overview_view), name="documents_document_overview"),
            path(
                "progress/<int:meeting_id>/",
                view(self.progress_view),
                name="documents_document_progress",
            ),
            path(
                "progress/<int:meeting_id>/digest/",
                view(require_POST(self.digest_view)),
                name="documents_document_digest",
            ),
        ]
        return own + super().get_urls()

    def _context(self, request, title, **extra) -> dict:
        return {**self.admin_site.each_context(request), "opts": self.opts, "title": title, **extra}

    def _document_or_403(self, request, pk: int) -> Document:
        document = get_object_or_404(
            Document.objects.select_related("meeting__cycle__treaty", "body__parent"), pk=pk
        )
        if not self.has_change_permission(request, document):
            raise PermissionDenied
        return document

    def issue_view(self, request, pk: int):
        document = self._document_or_403(request, pk)
        change_url = reverse("admin:documents_document_change", args=[document.pk])
        if document.status != Document.Status.SUBMITTED:
            messages.info(request, _("Only a submitted document is issued."))
            return redirect(change_url)
        form = IssueForm(request.POST or None, document=document)
        if request.method == "POST" and form.is_valid():
            try:
                issued = services.issue_document(
                    document=document,
                    code=form.cleaned_data["code"].strip(),
                    office=form.cleaned_data["office"],
                    by=request.user,
                )
            except services.DocumentError as error:
                for field, message in error.errors.items():
                    form.add_error(field if field in form.fields else None, message)
            else:
                messages.success(request, _("Issued as %(symbol)s.") % {"symbol": issued.symbol})
                return redirect(change_url)
        context = self._context(
            request,
            _("Issue the document"),
            original=document,
            form=form,
            pattern=document.meeting.cycle.treaty.document_symbol_pattern,
        )
        return TemplateResponse(request, "admin/documents/document/issue.html", context)

    def new_version_view(self, request, pk: int):
        previous = self._document_or_403(request, pk)
        change_url = reverse("admin:documents_document_change", args=[previous.pk])
        if not previous.is_issued or previous.is_superseded:
            messages.info(request, _("Only the latest issued version is revised."))
            return redirect(change_url)
        languages = services.official_languages(previous.meeting.cycle.treaty)
        form = NewVersionForm(
            request.POST or None,
            request.FILES or None,
            languages=languages,
            initial={"title": previous.title, "kind": "revision", "original": "en"},
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                document = services.issue_new_version(
                    previous=previous,
                    kind=data["kind"],
                    submission=services.Submission(
                        title=data["title"],
                        kind=previous.kind,
                        files=form.files_by_language(),
                        original=data["original"],
                        note=data["note"],
                    ),
                    by=request.user,
                )
            except services.DocumentError as error:
                for field, message in error.errors.items():
                    form.add_error(field if field in form.fields else None, message)
            else:
                messages.success(request, _("Issued as %(symbol)s.") % {"symbol": document.symbol})
                return redirect("admin:documents_document_change", document.pk)
        context = self._context(
            request, _("Issue a revision or corrigendum"), original=previous, form=form
        )
        return TemplateResponse(request, "admin/documents/document/new_version.html", context)

    def overview_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        today = timezone.localdate()
        late = Q(documents__status=Document.Status.SUBMITTED) & Q(documents_target_date__lt=today)
        meetings = Meeting.objects.select_related("cycle").annotate(
            issued=Count("documents", filter=Q(documents__status=Document.Status.ISSUED)),
            issued_late=Count(
                "documents",
                filter=Q(documents__status=Document.Status.ISSUED)
                & Q(documents__issued_on__gt=F("documents_target_date")),
            ),
            pending=Count("documents", filter=Q(documents__status=Document.Status.SUBMITTED)),
            late=Count("documents", filter=late),
            undigested=Count(
                "documents",
                filter=Q(documents__status=Document.Status.ISSUED)
                & Q(documents__digest_sent_at__isnull=True),
            ),
        )
        context = self._context(request, _("Documents by meeting"), meetings=meetings)
        return TemplateResponse(request, "admin/documents/document/overview.html", context)

    def progress_view(self, request, meeting_id: int):
        if not self.has_view_permission(request):
            raise PermissionDenied
        meeting = get_object_or_404(Meeting, pk=meeting_id)
        rows = queries.progress_of(meeting, timezone.localdate())
        counts = {state: 0 for state in Timeliness}
        for row in rows:
            counts[row.timeliness] += 1
        context = self._context(
            request,
            _("Documents of %(meeting)s") % {"meeting": meeting},
            meeting=meeting,
            rows=rows,
            counts=[(state.label, counts[state]) for state in Timeliness if counts[state]],
            undigested=digest.pending_count(meeting),
        )
        return TemplateResponse(request, "admin/documents/document/progress.html", context)

    def digest_view(self, request, meeting_id: int):
        if not self.has_change_permission(request):
            raise PermissionDenied
        meeting = get_object_or_404(Meeting, pk=meeting_id)
        sent = digest.send_digest(meeting, by=request.user)
        messages.success(request, digest.describe(sent))
        return redirect("admin:documents_document_progress", meeting.pk)


@admin.register(DocumentCounter)
class DocumentCounterAdmin(ObjectByTypedKey, admin.ModelAdmin):
    """Set once, to the number the treaty's documents have reached, then left to issuing."""

    list_display = ["treaty", "last_number"]

    def get_readonly_fields(self, request, obj=None):
        # The treaty is the counter's key: another treaty would be saved as another counter.
        return ["treaty"] if obj is not None else []

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
