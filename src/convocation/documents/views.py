"""The document library, a meeting's documents, a document, its files, and the submission page.

Every page here is per user and never shared: a document the reader may not see does not
exist for them (404, absent from lists and counts). The access rule is ``access.may_read``.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

from convocation.cycles.models import Office
from convocation.documents import access, queries, services, symbols
from convocation.documents.forms import LibraryForm, SubmissionForm
from convocation.documents.languages import language_name
from convocation.documents.models import Document, DocumentFile
from convocation.meetings.models import Meeting
from convocation.registrations.access import is_secretariat, person_of

PAGE_SIZE = 25


@cache_control(private=True)
def library(request: HttpRequest) -> HttpResponse:
    reader = access.reader_for(request.user)
    form = LibraryForm(request.GET or None)
    documents = queries.library(reader, form.filters())
    page = Paginator(documents, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "documents/library.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


def _offices_for_submission(request: HttpRequest, meeting: Meeting):
    """The offices of the meeting's cycle the user may submit for: held ones; staff, any."""
    offices = Office.objects.filter(cycle=meeting.cycle).select_related("cycle", "body__parent")
    if is_secretariat(request.user):
        return offices
    person = person_of(request.user)
    if person is None:
        return offices.none()
    return offices.filter(holder=person)


@cache_control(private=True)
def meeting_documents(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.select_related("cycle__treaty"), slug=slug)
    reader = access.reader_for(request.user)
    may_submit = request.user.is_authenticated and (
        is_secretariat(request.user) or _offices_for_submission(request, meeting).exists()
    )
    return render(
        request,
        "documents/meeting_documents.html",
        {
            "meeting": meeting,
            "groups": queries.documents_by_body(meeting, reader),
            "may_submit": may_submit,
        },
    )


def _readable_or_404(request: HttpRequest, document: Document) -> access.Reader:
    reader = access.reader_for(request.user)
    if not access.may_read(reader, access.facts_of(document)):
        raise Http404("No such document.")
    return reader


@cache_control(private=True)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(
        queries.with_what_a_list_shows(
            Document.objects.select_related("revision_of", "superseded_by")
        ),
        pk=pk,
    )
    reader = _readable_or_404(request, document)
    return render(
        request,
        "documents/document_detail.html",
        {
            "document": document,
            "versions": queries.versions_of(document, reader),
            "files": [(file, language_name(file.language)) for file in document.files.all()],
        },
    )


@cache_control(private=True)
def download(request: HttpRequest, pk: int, language: str) -> FileResponse:
    record = (
        DocumentFile.objects.filter(document_id=pk, language=language)
        .select_related("document__meeting__cycle", "document__body")
        .first()
    )
    if record is None:
        raise Http404("No such file.")
    _readable_or_404(request, record.document)
    document = record.document
    name = symbols.file_name(
        document.symbol or f"document-{document.pk}", record.language, record.file_format
    )
    response = FileResponse(
        record.file.open("rb"),
        content_type=record.content_type,
        as_attachment=True,
        filename=name,
    )
    response["Content-Length"] = str(record.size)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def submit(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.select_related("cycle__treaty"), slug=slug)
    staff = is_secretariat(request.user)
    offices = _offices_for_submission(request, meeting)
    if not staff and not offices.exists():
        return render(request, "documents/not_office_holder.html", {"meeting": meeting}, status=403)
    form = SubmissionForm(
        request.POST or None,
        request.FILES or None,
        meeting=meeting,
        offices=offices,
        languages=services.official_languages(meeting.cycle.treaty),
        office_required=not staff,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = services.submit_document(
                meeting=meeting,
                submission=services.Submission(
                    title=data["title"],
                    kind=data["kind"],
                    files=form.files_by_language(),
                    original=data["original"],
                    body=data["body"],
                    office=data["office"],
                    note=data["note"],
                ),
                by=request.user,
            )
        except services.DocumentError as error:
            for field, message in error.errors.items():
                form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(
                request,
                _("The document is submitted. The Secretariat will review and issue it."),
            )
            return redirect("documents:detail", pk=document.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "documents/submit.html",
        {
            "meeting": meeting,
            "form": form,
            "max_megabytes": f"{settings.DOCUMENTS_MAX_UPLOAD_BYTES / 2**20:g}",
        },
        status=status,
    )
