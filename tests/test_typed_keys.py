"""Keys typed by hand in an address or a posted field: a row that cannot exist, never a 500."""

import pytest
from django.test import Client

from convocation.registrations.models import Registration
from convocation.web.keys import id_in_address
from tests.registrations.conftest import build_week, posted_form

# "²" is a digit to str.isdigit() but not to int(); "٣" is a decimal digit to both, and not
# ASCII; 19 nines fit no key column.
NOT_KEYS = ["²", "٣", "9" * 19, "1" * 5000, "", " 1", "1.5", "-1", "abc"]


@pytest.mark.parametrize("value", [*NOT_KEYS, None])
def test_what_cannot_be_a_key_is_none(value):
    assert id_in_address(value) is None


@pytest.mark.parametrize(("value", "key"), [("12", 12), (12, 12), ("0", 0), ("9" * 18, 10**18 - 1)])
def test_a_key_is_read_as_a_number(value, key):
    assert id_in_address(value) == key


@pytest.fixture
def week(db):
    return build_week()


@pytest.mark.parametrize("key", NOT_KEYS)
def test_a_delegate_naming_an_organisation_by_no_key_is_asked_to_choose(
    week, django_user_model, key
):
    client = Client(raise_request_exception=False)
    client.force_login(django_user_model.objects.create_user("ana", email="ana@example.org"))
    page = client.get(f"/meetings/{week.meeting.slug}/register/", {"delegation": f"org:{key}"})
    assert page.status_code == 400
    assert 'class="errorlist"' in page.content.decode()
    assert 'name="delegation"' in page.content.decode()
    posted = client.post(
        f"/meetings/{week.meeting.slug}/register/", posted_form(delegation=f"org:{key}")
    )
    assert posted.status_code == 400
    assert not Registration.objects.exists()


@pytest.mark.parametrize("key", ["²", "9" * 19, "abc"])
def test_the_back_office_answers_a_key_that_is_none_without_an_error(week, back_office, key):
    meeting = week.meeting
    for url, query in [
        ("/admin/registrations/registration/", {"delegation": f"organisation:{key}"}),
        ("/admin/registrations/registration/", {"meeting": key, "session": key}),
        ("/admin/registrations/auditentry/", {"staff_member": key}),
        ("/admin/meetings/session/add/", {"meeting": key}),
        (f"/admin/meetings/meeting/{key}/change/", {}),
        (f"/admin/meetings/session/{key}/change/", {}),
        (f"/admin/registrations/registrationpolicy/{key}/change/", {}),
        (f"/admin/attendance/attendancepolicy/{key}/change/", {}),
        (f"/admin/documents/documentcounter/{key}/change/", {}),
    ]:
        response = back_office.get(url, query)
        assert response.status_code in (200, 302), (url, query, response.status_code)
    now = back_office.post(f"/meetings/{meeting.slug}/now/", {"session": key, "action": "start"})
    assert now.status_code == 404


def test_a_time_zone_name_too_long_for_a_file_is_a_form_error(week, back_office):
    response = back_office.post(
        "/admin/meetings/meeting/add/",
        {"title": "A meeting", "time_zone": "x" * 10_000, "status": "planned"},
    )
    assert response.status_code == 200
    assert "errornote" in response.content.decode()


def test_a_meeting_form_with_an_unknown_time_zone_still_shows_its_sessions(week):
    # The admin's form puts the refused value on the meeting before it says it is wrong;
    # its sessions are then checked and drawn with that meeting.
    session = week.wgtu
    session.meeting.time_zone = "Not/AZone"
    session.clean()
    assert str(session).startswith(f"{session.body.label}, ")


def test_a_document_form_posted_back_with_a_file_row_not_stored_draws_no_link():
    from django.contrib import admin as django_admin

    from convocation.documents.admin import FileInline
    from convocation.documents.models import DocumentFile

    inline = FileInline(DocumentFile, django_admin.site)
    assert inline.download(DocumentFile(original_name="note.pdf")) == "note.pdf"
    assert inline.download(DocumentFile()) == "—"
