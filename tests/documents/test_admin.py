"""The Secretariat's review: issue, revise, follow the target date, send the digest."""

import datetime as dt

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from convocation.cycles.models import Office
from convocation.documents.demo import minimal_pdf
from convocation.documents.models import Document
from convocation.people.models import Person
from convocation.registrations.models import Registration
from tests.documents.conftest import issued, submitted


def test_the_changelist_filters_by_language_and_status(week, staff_client):
    english = issued(week.meeting, "wgtu", title="English only")
    both = issued(week.meeting, "wgtu", title="Both", code="B", languages=("en", "fr"))
    pending = submitted(week.meeting, "wgtu", title="Pending one")
    page = staff_client.get("/admin/documents/document/?language=fr")
    assert list(page.context["cl"].result_list) == [both]
    page = staff_client.get("/admin/documents/document/?status__exact=submitted")
    assert list(page.context["cl"].result_list) == [pending]
    text = staff_client.get("/admin/documents/document/").content.decode()
    assert english.symbol in text and "EN*, FR" in text


def test_issuing_from_the_admin(week, staff_client):
    document = submitted(week.meeting, "wgtu")
    president = Office.objects.get(cycle=week.meeting.cycle, title="president")
    page = staff_client.get(f"/admin/documents/document/{document.pk}/issue/")
    assert "ATT/{cycle}.{body}/{year}/{office}/{number}/{code}" in page.content.decode()
    response = staff_client.post(
        f"/admin/documents/document/{document.pk}/issue/",
        {"code": "DrAgenda", "office": president.pk},
    )
    assert response.status_code == 302
    document.refresh_from_db()
    year = timezone.now().astimezone(week.meeting.tz).year
    assert document.symbol == f"ATT/CSP12.WGTU/{year}/PRES/1/DrAgenda"
    assert document.issued_by.username == "officer"


def test_issuing_with_a_bad_code_says_why(week, staff_client):
    document = submitted(week.meeting, "wgtu")
    response = staff_client.post(
        f"/admin/documents/document/{document.pk}/issue/", {"code": "Dr Agenda"}
    )
    assert response.status_code == 200
    assert "short code is up to 40 letters" in response.content.decode()
    document.refresh_from_db()
    assert document.status == Document.Status.SUBMITTED


def test_a_corrigendum_from_the_admin(week, staff_client):
    first = issued(week.meeting, "wgtu")
    response = staff_client.post(
        f"/admin/documents/document/{first.pk}/new-version/",
        {
            "kind": "corrigendum",
            "title": first.title,
            "original": "en",
            "file_en": SimpleUploadedFile("corr.pdf", minimal_pdf("corr")),
        },
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.superseded_by.symbol == f"{first.symbol}.Corr1"
    page = staff_client.get(f"/admin/documents/document/{first.pk}/change/").content.decode()
    assert "Issue a revision or corrigendum" not in page


def test_the_progress_page_shows_the_target_date_and_what_is_late(week, staff_client):
    meeting = week.meeting
    meeting.documents_target_date = timezone.localdate() - dt.timedelta(days=1)
    meeting.save()
    on_time = issued(meeting, "wgtu", title="On time", on=meeting.documents_target_date)
    late = issued(meeting, "wgtu", title="Issued late", code="L")
    pending = submitted(meeting, "wgtu", title="Still pending")
    page = staff_client.get(f"/admin/documents/document/progress/{meeting.pk}/")
    rows = {row.document: row.timeliness.value for row in page.context["rows"]}
    assert rows == {on_time: "issued", late: "issued_late", pending: "late"}
    text = page.content.decode()
    assert "Late: not issued by the target date" in text
    overview = staff_client.get("/admin/documents/document/progress/")
    row = next(m for m in overview.context["meetings"] if m.pk == meeting.pk)
    assert (row.issued, row.issued_late, row.pending, row.late, row.undigested) == (2, 1, 1, 1, 2)


def test_the_digest_button(week, staff_client, django_capture_on_commit_callbacks):
    person = Person.objects.create(given_name="A", family_name="B", email="ngo@example.org")
    Registration.objects.create(
        meeting=week.meeting,
        person=person,
        organisation=week.civil_society,
        category="civil_society",
        position="Delegate",
        role="member",
        mode="in_person",
        gender="female",
        status=Registration.Status.CONFIRMED,
        consent_given_at=timezone.now(),
    )
    document = issued(week.meeting, "wgtu")
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            f"/admin/documents/document/progress/{week.meeting.pk}/digest/", follow=True
        )
    assert "The digest is queued for 1 registrant." in response.content.decode()
    assert [message.to for message in mail.outbox] == [["ngo@example.org"]]
    assert document.symbol in mail.outbox[0].body
    assert (
        staff_client.get(
            f"/admin/documents/document/progress/{week.meeting.pk}/digest/"
        ).status_code
        == 405
    )
