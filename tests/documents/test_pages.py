"""The library, a meeting's documents, a document's page, its files, and the submission page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from convocation.cycles.models import Office
from convocation.documents.demo import minimal_pdf
from convocation.documents.models import Document, DocumentFile
from convocation.people.models import Person
from convocation.registrations.models import Registration
from tests.documents.conftest import docx_bytes, issued, revised, submitted


def signed_in_party_delegate(week, client, django_user_model):
    person = Person.objects.create(given_name="A", family_name="B", email="rou@example.org")
    Registration.objects.create(
        meeting=week.meeting,
        person=person,
        state_id="ROU",
        category="state_party",
        position="Delegate",
        role="member",
        mode="in_person",
        gender="female",
        status=Registration.Status.CONFIRMED,
        consent_given_at=timezone.now(),
    )
    client.force_login(django_user_model.objects.create_user("rou", email="rou@example.org"))
    return client


def many(week, count: int, start: int = 0) -> None:
    for n in range(start, start + count):
        document = issued(
            week.meeting,
            ("wgtu", "dief", "wgeti-current-issues", None)[n % 4],
            title=f"Paper {n}",
            code=f"P{n}",
            languages=("en", "fr") if n % 2 else ("en",),
        )
        if n % 5 == 0:
            revised(document)


def queries_of(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


@pytest.mark.parametrize("who", ["anonymous", "party delegate"])
@pytest.mark.parametrize("url", ["/documents/", "/meetings/next-wg/documents/"])
def test_lists_take_as_many_queries_for_30_documents_as_for_3(
    week, client, django_user_model, who, url
):
    if who != "anonymous":
        client = signed_in_party_delegate(week, client, django_user_model)
    many(week, 3)
    few, _page = queries_of(client, url)
    many(week, 27, start=3)
    more, page = queries_of(client, url)
    assert more == few
    assert "Paper 28" in page


def test_library_queries_are_fixed(week, client, django_user_model, django_assert_num_queries):
    many(week, 30)
    # count, page, files; the form's bodies, cycles and languages.
    with django_assert_num_queries(6):
        client.get("/documents/?kind=draft_agenda&language=fr&q=paper")
    client = signed_in_party_delegate(week, client, django_user_model)
    # + session, user, person, registrations, focal points, treaty actions, treaties, offices.
    with django_assert_num_queries(14):
        client.get("/documents/?kind=draft_agenda&language=fr&q=paper")


def listed(client, query: str) -> list[str]:
    page = client.get("/documents/?" + query)
    assert page.status_code == 200
    return [document.title for document in page.context["page"].object_list]


def test_library_search_filters(week, client):
    treaty = week.meeting.cycle.treaty
    issued(week.meeting, "wgtu", title="Universalization agenda", languages=("en", "fr"))
    issued(week.meeting, "wgeti-current-issues", title="Current issues paper", code="WP.CEI")
    issued(week.meeting, None, title="Concept note", code="ConceptNote", languages=("es",))
    older = week.meeting
    older.pk = None
    older.slug = "older"
    older.cycle = treaty.cycles.get(number=10)
    older.save()
    issued(older, "wgtr", title="Reporting agenda")
    wgeti = treaty.bodies.get(slug="wgeti").pk
    wgtu = treaty.bodies.get(slug="wgtu").pk

    assert listed(client, "q=agenda") == ["Reporting agenda", "Universalization agenda"]
    assert listed(client, "q=WP.CEI") == ["Current issues paper"]
    assert listed(client, "symbol=ATT/CSP10") == ["Reporting agenda"]
    assert listed(client, f"body={wgeti}") == ["Current issues paper"]
    assert listed(client, f"body={wgtu}") == ["Universalization agenda"]
    assert listed(client, f"cycle={older.cycle_id}") == ["Reporting agenda"]
    assert listed(client, "kind=draft_agenda&language=fr") == ["Universalization agenda"]
    assert listed(client, "language=es") == ["Concept note"]
    assert listed(client, "q=nothing-like-it") == []
    assert "4 documents" in client.get("/documents/").content.decode()


def test_library_pages(week, client):
    many(week, 30)
    first = client.get("/documents/?q=Paper").content.decode()
    # 30 papers and 6 revisions, less the 8 papers and 2 revisions of the DIEF.
    assert "26 documents" in first and "Page 1 of 2" in first
    assert 'href="?q=Paper&amp;page=2"' in first
    second = client.get("/documents/?q=Paper&page=2")
    assert len(second.context["page"].object_list) == 1


def test_download_headers(week, client):
    document = issued(week.meeting, "wgtu", title="Agenda", languages=("en", "fr"))
    record = DocumentFile.objects.get(document=document, language="fr")
    response = client.get(f"/documents/{document.pk}/fr/")
    # Read to the end, which closes the file (the test client's way, not response.close()).
    content = b"".join(response.streaming_content)
    assert content == minimal_pdf("Agenda fr")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == str(len(content)) == str(record.size)
    symbol = document.symbol.replace("/", "-").replace(".", "-")
    assert response["Content-Disposition"] == f'attachment; filename="{symbol}-fr.pdf"'
    assert client.get(f"/documents/{document.pk}/ru/").status_code == 404


def test_a_word_file_is_served_as_word(week, client):
    document = submitted(week.meeting)
    record = document.files.get()
    record.file.save("x.docx", SimpleUploadedFile("x.docx", docx_bytes()), save=False)
    record.content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    record.file_format = "docx"
    record.save()
    from convocation.documents import services

    services.issue_document(document=document, code="A", office=None, by=None)
    response = client.get(f"/documents/{document.pk}/en/")
    b"".join(response.streaming_content)
    assert response["Content-Type"] == record.content_type
    assert response["Content-Disposition"].endswith('-en.docx"')


def test_meeting_documents_by_body_without_the_closed_ones_for_the_public(
    week, client, django_user_model
):
    issued(week.meeting, "wgtu", title="WGTU agenda")
    issued(week.meeting, "dief", title="DIEF paper")
    issued(week.meeting, None, title="Concept note")
    submitted(week.meeting, "wgtu", title="Still with the Secretariat")
    page = client.get("/meetings/next-wg/documents/")
    assert [
        (group.body.acronym if group.body else None, [d.title for d in group.documents])
        for group in page.context["groups"]
    ] == [(None, ["Concept note"]), ("WGTU", ["WGTU agenda"])]
    text = page.content.decode()
    assert "Diversion Information Exchange Forum" not in text
    assert "Still with the Secretariat" not in text
    party = signed_in_party_delegate(week, client, django_user_model)
    groups = party.get("/meetings/next-wg/documents/").context["groups"]
    assert [group.body.acronym if group.body else None for group in groups] == [
        None,
        "WGTU",
        "DIEF",
    ]


def test_the_shared_meeting_page_links_to_the_documents_and_lists_none(week, client):
    issued(week.meeting, "dief", title="DIEF paper")
    page = client.get("/meetings/next-wg/").content.decode()
    assert 'href="/meetings/next-wg/documents/"' in page
    assert "DIEF paper" not in page


def test_an_unknown_document_is_a_404(client, db):
    assert client.get("/documents/999/").status_code == 404
    assert client.get("/documents/999/en/").status_code == 404


# Submission


@pytest.fixture
def chair(week, django_user_model):
    person = Person.objects.create(given_name="C", family_name="Chair", email="chair@example.org")
    office = Office.objects.create(
        cycle=week.meeting.cycle,
        title=Office.Title.CHAIR,
        body=week.meeting.cycle.treaty.bodies.get(slug="wgtu"),
        holder=person,
    )
    user = django_user_model.objects.create_user("chair", email="chair@example.org")
    return user, office


def form_data(office, **files) -> dict:
    return {
        "office": office.pk,
        "body": office.body_id,
        "kind": "draft_agenda",
        "title": "WGTU draft agenda",
        "note": "For the morning session.",
        "original": "en",
        **files,
    }


def test_an_office_holder_submits_a_document(week, client, chair):
    user, office = chair
    client.force_login(user)
    page = client.get("/meetings/next-wg/documents/submit/")
    assert page.status_code == 200
    assert page.context["form"].initial["body"] == office.body_id
    assert [f.name for f in page.context["form"].file_fields] == [
        f"file_{code}" for code in ("ar", "en", "es", "fr", "ru", "zh")
    ]
    response = client.post(
        "/meetings/next-wg/documents/submit/",
        form_data(
            office,
            file_en=SimpleUploadedFile("agenda.pdf", minimal_pdf("en")),
            file_fr=SimpleUploadedFile("ordre.docx", docx_bytes()),
        ),
    )
    document = Document.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/documents/{document.pk}/"
    assert (document.status, document.office, document.submitted_by, document.title) == (
        Document.Status.SUBMITTED,
        office,
        user,
        "WGTU draft agenda",
    )
    assert sorted(document.files.values_list("language", "is_original", "file_format")) == [
        ("en", True, "pdf"),
        ("fr", False, "docx"),
    ]
    assert client.get(response["Location"]).status_code == 200


def test_a_bad_file_refuses_the_submission_with_a_clear_message(week, client, chair, settings):
    user, office = chair
    client.force_login(user)
    response = client.post(
        "/meetings/next-wg/documents/submit/",
        form_data(
            office,
            file_en=SimpleUploadedFile("agenda.pdf", minimal_pdf("en")),
            file_fr=SimpleUploadedFile("ordre.pdf", docx_bytes()),
        ),
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "file_fr": ["ordre.pdf ends in .pdf but it is a DOCX file."]
    }
    assert "ordre.pdf ends in .pdf but it is a DOCX file." in response.content.decode()
    assert not Document.objects.exists()
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_someone_without_an_office_cannot_submit(week, client, django_user_model):
    client.force_login(django_user_model.objects.create_user("x", email="x@example.org"))
    assert client.get("/meetings/next-wg/documents/submit/").status_code == 403
    response = client.post(
        "/meetings/next-wg/documents/submit/",
        {"title": "x", "kind": "other", "file_en": SimpleUploadedFile("a.pdf", minimal_pdf("a"))},
    )
    assert response.status_code == 403
    assert not Document.objects.exists()


def test_submitting_needs_signing_in(week, client):
    response = client.get("/meetings/next-wg/documents/submit/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_an_office_holder_of_another_cycle_cannot_submit(week, client, chair):
    user, office = chair
    office.cycle = week.meeting.cycle.treaty.cycles.get(number=10)
    office.save()
    client.force_login(user)
    assert client.get("/meetings/next-wg/documents/submit/").status_code == 403
