"""Issued letters of a meeting, as a page and as the files kept when they were issued."""

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from convocation.letters.models import Letter, LetterFile
from convocation.meetings.models import Meeting

CONTENT_TYPES = {
    "txt": "text/plain; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def letters_of_meeting(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.select_related("cycle__treaty"), slug=slug)
    letters = (
        Letter.objects.filter(meeting=meeting, status=Letter.Status.ISSUED)
        .prefetch_related("files")
        .order_by("-letter_date", "language")
    )
    return render(request, "letters/letter_list.html", {"meeting": meeting, "letters": letters})


def issued_file(request: HttpRequest, slug: str, pk: int, fmt: str) -> FileResponse:
    record = (
        LetterFile.objects.filter(
            letter__pk=pk,
            letter__meeting__slug=slug,
            letter__status=Letter.Status.ISSUED,
            format=fmt,
        )
        .select_related("letter")
        .first()
    )
    if record is None or fmt not in CONTENT_TYPES:
        raise Http404("No such letter.")
    name = f"{record.letter.reference.replace('/', '-')}.{fmt}"
    response = FileResponse(
        record.file.open("rb"),
        content_type=CONTENT_TYPES[fmt],
        as_attachment=fmt in ("pdf", "docx"),
        filename=name,
    )
    return response
