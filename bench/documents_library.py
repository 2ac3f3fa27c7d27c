"""The document library with 10,000 documents: queries and time per request.

Seeds ``bench-documents``, a copy of att-csp12-wg, with issued documents spread over the
demo's bodies (a quarter of them of the DIEF, closed to the public; one in five in two
languages; one in ten revised), first 100 of them, then up to 10,000, and measures at both
sizes, in-process with Django's test Client: the number of SQL queries of each library page
(the same at both sizes if the page is in constant queries) and the median time of a request.
Prints a table and writes JSON to the file given as the first argument (or stdout with "-").

Run after ``convocation migrate`` and ``convocation load-demo``, with the server's environment:

    DATABASE_URL=... .venv/bin/python bench/documents_library.py var/bench/documents.json

Idempotent: documents already seeded are kept, and only the missing ones are added.
"""

import hashlib
import json
import os
import re
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "convocation.settings")
hosts = os.environ.get("CONVOCATION_ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ["CONVOCATION_ALLOWED_HOSTS"] = hosts + ",testserver"

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402
from django.core.files.storage import default_storage  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from convocation.documents.demo import minimal_pdf  # noqa: E402
from convocation.documents.models import Document, DocumentCounter, DocumentFile  # noqa: E402
from convocation.meetings.models import Meeting  # noqa: E402
from convocation.treaties.models import Body  # noqa: E402

SOURCE = "att-csp12-wg"
SLUG = "bench-documents"
SIZES = (100, 10_000)
RUNS = 15
BATCH = 1000
URLS = [
    ("first page", "/documents/"),
    ("text search", "/documents/?q=paper+7"),
    ("filters", "/documents/?kind=working_paper&language=fr"),
    ("page 200", "/documents/?page=200"),
]
LISTED = re.compile(r"(\d+) documents?</p>")
KINDS = [kind for kind, _label in Document.Kind.choices]


def bench_meeting() -> Meeting:
    existing = Meeting.objects.filter(slug=SLUG).first()
    if existing is not None:
        return existing
    meeting = Meeting.objects.get(slug=SOURCE)
    meeting.pk = None
    meeting.id = None
    meeting._state.adding = True
    meeting.slug = SLUG
    meeting.title = f"{meeting.title} (benchmark of documents)"
    meeting.save()
    return meeting


@transaction.atomic
def seed(meeting: Meeting, total: int) -> None:
    """Issued documents up to ``total`` in the meeting, written in batches."""
    have = Document.objects.filter(meeting=meeting).count()
    if have >= total:
        return
    treaty = meeting.cycle.treaty
    bodies = list(Body.objects.filter(treaty=treaty).order_by("order"))
    content = minimal_pdf("Benchmark document")
    stored = default_storage.save(f"documents/{meeting.pk}/bench.pdf", ContentFile(content))
    digest = hashlib.sha256(content).hexdigest()
    counter, _created = DocumentCounter.objects.select_for_update().get_or_create(treaty=treaty)
    now = timezone.now()
    for start in range(have, total, BATCH):
        documents = []
        for n in range(start, min(total, start + BATCH)):
            counter.last_number += 1
            body = bodies[n % len(bodies)]
            symbol = f"ATT/{meeting.cycle.code}.{body.acronym or 'WGETI'}/2026/CHAIR/"
            symbol += f"{counter.last_number}/B{n}"
            documents.append(
                Document(
                    meeting=meeting,
                    body=body,
                    kind=KINDS[n % len(KINDS)],
                    title=f"Benchmark paper {n}",
                    status=Document.Status.ISSUED,
                    number=counter.last_number,
                    code=f"B{n}",
                    base_symbol=symbol,
                    symbol=symbol,
                    issued_at=now,
                    issued_on=now.date(),
                    digest_sent_at=now,
                )
            )
        Document.objects.bulk_create(documents)
        # The primary keys, found again for backends that do not return them from a bulk insert.
        created = list(
            Document.objects.filter(meeting=meeting, code__in=[d.code for d in documents])
        )
        files = []
        for document in created:
            n = int(document.code[1:])
            for language in ("en", "fr") if n % 5 == 0 else ("en",):
                files.append(
                    DocumentFile(
                        document=document,
                        language=language,
                        is_original=language == "en",
                        file=stored,
                        file_format="pdf",
                        content_type="application/pdf",
                        size=len(content),
                        sha256=digest,
                        original_name="bench.pdf",
                    )
                )
        DocumentFile.objects.bulk_create(files)
    counter.save(update_fields=["last_number"])
    if connection.vendor == "postgresql":
        # What autovacuum does some time after a bulk load; measured without, the planner
        # works from the statistics of an empty table.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE documents_document, documents_documentfile")


def measure(client: Client, who: str, size: int) -> list[dict]:
    rows = []
    for label, url in URLS:
        timings = []
        counts = set()
        for _ in range(RUNS):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                timings.append(time.perf_counter() - started)
            if response.status_code != 200:
                sys.exit(f"bench/documents_library.py: GET {url} answered {response.status_code}")
            counts.add(len(captured.captured_queries))
        rows.append(
            {
                "who": who,
                "documents": size,
                "label": label,
                "url": url,
                "queries": max(counts),
                "median_ms": round(statistics.median(timings) * 1000, 1),
                "listed": int(LISTED.search(response.content.decode()).group(1)),
            }
        )
    return rows


def main() -> None:
    out = sys.argv[1] if len(sys.argv) > 1 else "-"
    meeting = bench_meeting()
    staff, _created = get_user_model().objects.get_or_create(
        username="bench-documents-officer", defaults={"is_staff": True}
    )
    rows = []
    for size in SIZES:
        # Documents of other meetings count too: the library lists them all.
        others = Document.objects.exclude(meeting=meeting).count()
        seed(meeting, size - others)
        total = Document.objects.filter(status=Document.Status.ISSUED).count()
        anonymous, officer = Client(), Client()
        officer.force_login(staff)
        rows += measure(anonymous, "anonymous", total)
        rows += measure(officer, "staff", total)
    print(f"{'who':<10} {'documents':>9} {'page':<12} {'listed':>7} {'queries':>7} {'ms':>7}")
    for row in rows:
        print(
            f"{row['who']:<10} {row['documents']:>9} {row['label']:<12} {row['listed']:>7} "
            f"{row['queries']:>7} {row['median_ms']:>7}"
        )
    by_page: dict[tuple[str, str], set[int]] = {}
    for row in rows:
        by_page.setdefault((row["who"], row["label"]), set()).add(row["queries"])
    grows = sorted(f"{who} {label}" for (who, label), counts in by_page.items() if len(counts) > 1)
    print(
        "queries grow with the number of documents for: " + ", ".join(grows)
        if grows
        else "queries per request do not depend on the number of documents"
    )
    document = {"vendor": connection.vendor, "rows": rows, "constant": not grows}
    if out == "-":
        json.dump(document, sys.stdout, indent=2)
    else:
        with open(out, "w") as handle:
            json.dump(document, handle, indent=2)


if __name__ == "__main__":
    main()
