"""The audit trail: each look, change, decision, export and download by staff, and its admin."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from convocation.registrations import audit, services
from convocation.registrations.models import AuditEntry
from convocation.treaties.models import State
from tests.registrations.conftest import delegate

CHANGELIST = "/admin/registrations/registration/"
TRAIL = "/admin/registrations/auditentry/"


def state(code: str) -> State:
    return State.objects.get(code=code)


def trail() -> list[tuple]:
    return list(
        AuditEntry.objects.order_by("id").values_list(
            "user__username", "action", "registration_label", "details"
        )
    )


@pytest.fixture
def registration(week):
    week.policy.credential = "required"
    week.policy.save()
    note = SimpleUploadedFile(
        "Note verbale Roumanie n°12.pdf", b"%PDF-1.4 note", content_type="application/pdf"
    )
    return services.register(week.meeting, delegate(state=state("ROU"), credential=note), by=None)


LABEL = "Ms. Ana DELEGATE — Next Working Group meetings"


@pytest.fixture
def officer(staff_client, django_user_model):
    """The superuser signed in on ``staff_client``."""
    return django_user_model.objects.get(username="officer")


def test_record_keeps_who_what_and_whom(registration, django_user_model):
    officer = django_user_model.objects.create_user("officer", is_staff=True)

    entry = audit.record(officer, AuditEntry.Action.APPROVED, registration, status="confirmed")
    export = audit.record(officer, AuditEntry.Action.EXPORTED, format="csv", rows=3)
    registration.delete()

    entry.refresh_from_db()
    # The entry outlives the registration and still says whom it was about.
    assert (entry.registration, entry.registration_label, entry.details) == (
        None,
        LABEL,
        {"status": "confirmed"},
    )
    assert (export.registration_label, audit.describe(export)) == ("", "CSV, 3 rows")


def test_opening_the_change_page_is_recorded_each_time(staff_client, registration):
    staff_client.get(f"{CHANGELIST}{registration.pk}/change/")
    staff_client.get(f"{CHANGELIST}{registration.pk}/change/")
    staff_client.get(CHANGELIST)  # the list alone shows no email or gender

    assert trail() == [("officer", "viewed", LABEL, {})] * 2


def test_a_change_is_recorded_with_each_field_old_and_new(staff_client, registration):
    staff_client.post(
        f"{CHANGELIST}{registration.pk}/change/",
        {
            "position": "Counsellor",
            "role": "head",
            "gender": "female",
            "gender_description": "",
            "language": "fr",
            "secretariat_note": "",
        },
    )
    staff_client.post(  # nothing changed: nothing to record
        f"{CHANGELIST}{registration.pk}/change/",
        {
            "position": "Counsellor",
            "role": "head",
            "gender": "female",
            "gender_description": "",
            "language": "fr",
            "secretariat_note": "",
        },
    )

    registration.refresh_from_db()
    assert (registration.position, registration.role, registration.language) == (
        "Counsellor",
        "head",
        "fr",
    )
    assert trail() == [
        (
            "officer",
            "changed",
            LABEL,
            {
                "fields": [
                    ["position", "First Secretary", "Counsellor"],
                    ["role", "member", "head"],
                    ["language", "en", "fr"],
                ]
            },
        )
    ]
    entry = AuditEntry.objects.get()
    assert audit.describe(entry) == (
        "position: First Secretary → Counsellor; role: member → head; language: en → fr"
    )


def test_approving_and_refusing_are_recorded_with_the_outcome(staff_client, week):
    week.policy.categories_needing_approval = ["civil_society", "industry"]
    week.policy.save()
    ngo = services.register(
        week.meeting, delegate("ngo@example.org", organisation=week.civil_society), by=None
    )
    firm = services.register(
        week.meeting,
        delegate("firm@example.org", given_name="Jo", organisation=week.industry),
        by=None,
    )

    staff_client.post(CHANGELIST, {"action": "approve", "_selected_action": [ngo.pk]})
    staff_client.post(CHANGELIST, {"action": "refuse", "_selected_action": [firm.pk]})

    assert trail() == [
        ("officer", "approved", LABEL, {"status": "confirmed"}),
        (
            "officer",
            "refused",
            "Ms. Jo DELEGATE — Next Working Group meetings",
            {"status": "refused"},
        ),
    ]


def test_an_export_is_recorded_with_its_rows_and_filter(staff_client, week):
    services.register(week.meeting, delegate(state=state("ROU")), by=None)
    services.register(
        week.meeting, delegate("online@example.org", state=state("ROU"), mode="online"), by=None
    )

    staff_client.get(CHANGELIST + "export/xlsx/", {"mode__exact": "online", "q": "online"})

    assert trail() == [
        (
            "officer",
            "exported",
            "",
            {"format": "xlsx", "rows": 1, "filter": {"mode__exact": "online", "q": "online"}},
        )
    ]
    assert audit.describe(AuditEntry.objects.get()) == "XLSX, 1 row, mode__exact=online, q=online"


def test_credential_download_gives_the_file_under_its_own_name_and_is_recorded(
    staff_client, registration
):
    response = staff_client.get(f"{CHANGELIST}{registration.pk}/credential/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 note"
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''Note%20verbale%20Roumanie%20n%C2%B012.pdf"
    )
    assert trail() == [
        ("officer", "credential_opened", LABEL, {"file": "Note verbale Roumanie n°12.pdf"})
    ]
    page = staff_client.get(f"{CHANGELIST}{registration.pk}/change/")
    assert (
        f'<a href="{CHANGELIST}{registration.pk}/credential/">Note verbale Roumanie n°12.pdf</a>'
        in page.text
    )


def test_a_registration_without_credential_has_nothing_to_download(staff_client, week):
    registration = services.register(week.meeting, delegate(state=state("ROU")), by=None)

    response = staff_client.get(f"{CHANGELIST}{registration.pk}/credential/")

    assert response.status_code == 404
    assert trail() == []


def test_a_delegate_cannot_download_a_credential(client, registration, django_user_model):
    client.force_login(django_user_model.objects.create_user("a.delegate@example.org"))

    response = client.get(f"{CHANGELIST}{registration.pk}/credential/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert trail() == []


# The trail in the admin


def test_the_trail_cannot_be_added_to_changed_or_deleted_in_the_admin(
    staff_client, officer, registration
):
    entry = audit.record(officer, AuditEntry.Action.VIEWED, registration)

    add = staff_client.get(TRAIL + "add/")
    page = staff_client.get(f"{TRAIL}{entry.pk}/change/")
    post = staff_client.post(f"{TRAIL}{entry.pk}/change/", {"action": "changed"})
    delete = staff_client.post(f"{TRAIL}{entry.pk}/delete/", {"post": "yes"})

    assert add.status_code == 403
    assert page.status_code == 200
    assert "<h1>View audit entry</h1>" in page.text
    assert page.context["adminform"].form.fields == {}
    assert post.status_code == 403
    assert delete.status_code == 403
    entry.refresh_from_db()
    assert entry.action == "viewed"


def test_the_trail_filters_by_action_and_staff_member(
    staff_client, officer, registration, django_user_model
):
    clerk = django_user_model.objects.create_user("clerk", is_staff=True)
    audit.record(officer, AuditEntry.Action.VIEWED, registration)
    audit.record(clerk, AuditEntry.Action.VIEWED, registration)
    audit.record(clerk, AuditEntry.Action.EXPORTED, format="csv", rows=1)

    def shown(**params):
        response = staff_client.get(TRAIL, params)
        return sorted((e.user.username, e.action) for e in response.context["cl"].result_list)

    assert shown(action__exact="viewed") == [("clerk", "viewed"), ("officer", "viewed")]
    assert shown(staff_member=clerk.pk) == [("clerk", "exported"), ("clerk", "viewed")]
    assert shown(staff_member=clerk.pk, action__exact="exported") == [("clerk", "exported")]


def test_staff_without_permission_cannot_read_the_trail(client, registration, django_user_model):
    client.force_login(django_user_model.objects.create_user("clerk", is_staff=True))

    assert client.get(TRAIL).status_code == 403


def change_form(**overrides) -> dict:
    """The delegate's page posted with a new position."""
    return {
        "honorific": "Ms.",
        "given_name": "Ana",
        "family_name": "Delegate",
        "position": "Counsellor",
        "role": "member",
        "mode": "in_person",
        "gender": "female",
        **overrides,
    }


def test_staff_changing_a_delegate_page_records_each_field_old_and_new(
    staff_client, officer, registration
):
    page = f"/my/registrations/{registration.pk}/"
    posted = change_form(role="head")
    assert staff_client.post(page, posted).status_code == 302
    change = AuditEntry.objects.get(action=AuditEntry.Action.CHANGED)
    assert (change.user, change.registration) == (officer, registration)
    assert change.details == {
        "fields": [["position", "First Secretary", "Counsellor"], ["role", "member", "head"]]
    }
    assert audit.describe(change) == "position: First Secretary → Counsellor; role: member → head"


def test_a_refused_staff_change_is_recorded_as_a_view_not_a_change(staff_client, registration):
    page = f"/my/registrations/{registration.pk}/"
    response = staff_client.post(page, {"given_name": "", "mode": "teleport"})
    assert response.status_code == 400
    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["viewed"]
    registration.refresh_from_db()
    assert registration.position == "First Secretary"


def test_a_delegate_changing_their_own_registration_leaves_no_staff_entry(
    client, registration, django_user_model
):
    user = django_user_model.objects.create_user("ana", email="a.delegate@example.org")
    client.force_login(user)
    page = f"/my/registrations/{registration.pk}/"
    posted = change_form(role="member")
    assert client.post(page, posted).status_code == 302
    assert not AuditEntry.objects.exists()


def test_staff_registering_a_delegate_is_recorded_in_the_same_transaction(
    week, officer, staff_client
):
    made = services.register(week.meeting, delegate(state=state("ROU")), by=officer)
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.user, entry.registration) == ("registered", officer, made)
    assert entry.details == {"status": "confirmed", "at_the_door": False}
    assert audit.describe(entry) == "→ confirmed"
    # A registration refused under the lock leaves neither the registration nor its entry.
    week.policy.in_person_capacity = 1
    week.policy.save()
    with pytest.raises(services.RegistrationError):
        services.register(
            week.meeting,
            delegate("b@example.org", state=state("ROU")),
            by=officer,
            at_the_door=True,
        )
    assert AuditEntry.objects.count() == 1


def test_a_delegate_registering_themself_leaves_no_staff_entry(week, django_user_model):
    user = django_user_model.objects.create_user("ana", email="a.delegate@example.org")
    services.register(week.meeting, delegate(state=state("ROU")), by=user)
    assert not AuditEntry.objects.exists()


def test_a_registrant_s_person_page_viewed_or_changed_by_staff_is_recorded(
    staff_client, officer, registration
):
    page = f"/admin/people/person/{registration.person.pk}/change/"
    assert staff_client.get(page).status_code == 200
    person = registration.person
    response = staff_client.post(
        page,
        {
            "honorific": person.honorific,
            "given_name": person.given_name,
            "family_name": person.family_name,
            "email": "ana.new@example.org",
            "state": "ROU",
            "organisation": "",
            "gender": "not_said",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    entries = AuditEntry.objects.filter(registration=registration).order_by("id")
    assert [(entry.user, entry.action) for entry in entries] == [
        (officer, "viewed"),
        (officer, "changed"),
    ]
    assert entries[1].details == {
        "fields": [
            ["email", "a.delegate@example.org", "ana.new@example.org"],
            ["gender", "female", "not_said"],
        ]
    }


def test_a_staff_change_of_sessions_is_recorded_by_their_names(staff_client, week):
    week.policy.asks_sessions = True
    week.policy.save()
    registration = services.register(
        week.meeting, delegate(state=state("ROU"), session_ids=[week.wgtu.pk]), by=None
    )
    page = f"/my/registrations/{registration.pk}/"
    response = staff_client.post(page, change_form(sessions=[week.wgtu.pk, week.dief.pk]))
    assert response.status_code == 302
    change = AuditEntry.objects.get(action=AuditEntry.Action.CHANGED)
    sessions = [fields for fields in change.details["fields"] if fields[0] == "sessions"]
    assert sessions == [["sessions", [str(week.wgtu)], [str(week.wgtu), str(week.dief)]]]
    assert str(week.dief).startswith("DIEF, ")
