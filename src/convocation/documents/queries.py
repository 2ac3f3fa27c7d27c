"""Reads of documents: the library, a meeting's list, a document's versions, the progress.

Every list is filtered by the reader in the database (``access.readable``) and loads what
its page shows with ``select_related`` and one prefetch of the files, so that the number of
queries does not depend on the number of documents.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from convocation.documents.access import Reader, readable
from convocation.documents.models import Document, DocumentFile
from convocation.documents.timeliness import Timeliness, timeliness
from convocation.meetings.models import Meeting
from convocation.treaties.models import Body


@dataclass(frozen=True)
class LibraryFilters:
    text: str = ""
    symbol: str = ""
    body_id: int | None = None
    cycle_id: int | None = None
    kind: str = ""
    language: str = ""


def with_what_a_list_shows(documents: QuerySet[Document]) -> QuerySet[Document]:
    return documents.select_related(
        "meeting__cycle__treaty", "body__parent", "office", "superseded_by"
    ).prefetch_related(
        Prefetch(
            "files",
            queryset=DocumentFile.objects.only(
                "pk", "document_id", "language", "is_original", "file_format", "size"
            ).order_by("language"),
        )
    )


def issued_for(reader: Reader) -> QuerySet[Document]:
    return Document.objects.filter(status=Document.Status.ISSUED).filter(readable(reader))


def library(reader: Reader, filters: LibraryFilters) -> QuerySet[Document]:
    documents = issued_for(reader)
    if filters.text:
        documents = documents.filter(
            Q(title__icontains=filters.text) | Q(symbol__icontains=filters.text)
        )
    if filters.symbol:
        documents = documents.filter(symbol__istartswith=filters.symbol)
    if filters.body_id:
        body = filters.body_id
        documents = documents.filter(Q(body_id=body) | Q(body__parent_id=body))
    if filters.cycle_id:
        documents = documents.filter(meeting__cycle_id=filters.cycle_id)
    if filters.kind:
        documents = documents.filter(kind=filters.kind)
    if filters.language:
        documents = documents.filter(
            Exists(DocumentFile.objects.filter(document=OuterRef("pk"), language=filters.language))
        )
    return with_what_a_list_shows(documents).order_by("-issued_at", "-id")


@dataclass
class BodyDocuments:
    body: Body | None
    documents: list[Document]


def documents_by_body(meeting: Meeting, reader: Reader) -> list[BodyDocuments]:
    """The meeting's issued documents the reader may see, by body in the schedule's order."""
    documents = with_what_a_list_shows(issued_for(reader).filter(meeting=meeting)).order_by(
        "body__order", "body_id", "number", "revision_number", "corrigendum_number", "id"
    )
    groups: dict[int | None, BodyDocuments] = {}
    for document in documents:
        group = groups.setdefault(document.body_id, BodyDocuments(document.body, []))
        group.documents.append(document)
    # The Conference's own documents (no body) first, then the bodies.
    return sorted(groups.values(), key=lambda group: group.body is not None)


def versions_of(document: Document, reader: Reader) -> list[Document]:
    """Every issued version of the document the reader may see, the first one first."""
    if not document.base_symbol:
        return [document]
    return list(
        with_what_a_list_shows(
            issued_for(reader).filter(base_symbol=document.base_symbol)
        ).order_by("revision_number", "corrigendum_number", "id")
    )


@dataclass
class Progress:
    document: Document
    timeliness: Timeliness


def progress_of(meeting: Meeting, today: dt.date) -> list[Progress]:
    """Each document of the meeting, submitted or issued, against the target date."""
    documents = with_what_a_list_shows(
        Document.objects.filter(meeting=meeting).exclude(status=Document.Status.WITHDRAWN)
    ).order_by("status", "body__order", "number", "revision_number", "corrigendum_number", "id")
    return [
        Progress(
            document,
            timeliness(
                status=document.status,
                issued_on=document.issued_on,
                target=meeting.documents_target_date,
                today=today,
            ),
        )
        for document in documents
    ]
