"""Registration lists taken away as CSV and Excel: their content, cost and who may have them."""

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone
from openpyxl import load_workbook

from convocation.registrations import exports, services
from convocation.registrations.models import AuditEntry, Registration
from convocation.treaties.models import State
from tests.registrations.conftest import delegate

CHANGELIST = "/admin/registrations/registration/"
HEADER = [
    "Meeting",
    "Honorific",
    "Given name",
    "Family name",
    "Email",
    "Gender",
    "Delegation",
    "Participant category",
    "Role",
    "Position",
    "Attendance",
    "Sessions",
    "Status",
    "Registered at (meeting's time)",
]


def state(code: str) -> State:
    return State.objects.get(code=code)


@pytest.fixture
def two(week):
    """A Romanian diplomat in person at two sessions, and an NGO adviser online."""
    week.policy.categories_needing_approval = ["civil_society"]
    week.policy.save()
    rou = services.register(
        week.meeting,
        delegate(
            "zoe.cote@example.org",
            given_name="Zoë",
            family_name="Côté",
            state=state("ROU"),
            role="head",
            session_ids=[week.dief.pk, week.wgtu.pk],
        ),
        by=None,
    )
    ngo = services.register(
        week.meeting,
        delegate(
            "ngo@example.org",
            honorific="Mr.",
            given_name="Jonas",
            family_name="Berg",
            gender="male",
            organisation=week.civil_society,
            role="adviser",
            position='=HYPERLINK("http://evil.example")',
            mode="online",
        ),
        by=None,
    )
    return rou, ngo


def local(registration: Registration, week) -> str:
    return f"{registration.created_at.astimezone(week.meeting.tz):%Y-%m-%d %H:%M}"


def slot(session, week) -> str:
    return f"{session.start.astimezone(week.meeting.tz):%d.%m %H:%M}"


def expected_rows(week, rou, ngo) -> list[list[str]]:
    return [
        [
            "Next Working Group meetings",
            "Ms.",
            "Zoë",
            "Côté",
            "zoe.cote@example.org",
            "Female",
            "Romania",
            "State Party",
            "Head of delegation",
            "First Secretary",
            "In person",
            f"WGTU ({slot(week.wgtu, week)}); DIEF ({slot(week.dief, week)})",
            "Confirmed",
            local(rou, week),
        ],
        [
            "Next Working Group meetings",
            "Mr.",
            "Jonas",
            "Berg",
            "ngo@example.org",
            "Male",
            "Control Arms",
            "Civil society / NGO",
            "Adviser",
            '\'=HYPERLINK("http://evil.example")',  # a spreadsheet must not run it
            "Online",
            "",
            "Awaiting approval",
            local(ngo, week),
        ],
    ]


def test_rows_hold_one_registration_each_in_the_header_order(week, two):
    rou, _ngo = two

    table = exports.rows(Registration.objects.filter(pk=rou.pk))

    assert exports.header() == HEADER
    registered = rou.created_at.astimezone(week.meeting.tz).replace(tzinfo=None)
    assert table == [[*expected_rows(week, *two)[0][:-1], registered]]


def test_csv_export_of_the_filtered_list_opens_in_excel_with_accents(staff_client, week, two):
    response = staff_client.get(CHANGELIST + "export/csv/", {"meeting": week.meeting.pk, "o": "-1"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="registrations-next-wg-{today}.csv"'
    )
    assert response.content.startswith(b"\xef\xbb\xbf")  # the byte order mark
    read = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    # Ordered as the page was (by name, descending): Zoë Côté, then Jonas Berg.
    assert read == [HEADER, *expected_rows(week, *two)]


def test_csv_export_follows_the_changelist_filters(staff_client, week, two):
    response = staff_client.get(CHANGELIST + "export/csv/", {"status__exact": "pending"})

    read = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row[4] for row in read[1:]] == ["ngo@example.org"]


def test_xlsx_export_cells(staff_client, week, two):
    rou, _ngo = two

    response = staff_client.get(CHANGELIST + "export/xlsx/", {"meeting": week.meeting.pk})

    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0] == HEADER
    assert values[1][:13] == expected_rows(week, *two)[0][:13]
    assert f"{values[1][13]:%Y-%m-%d %H:%M}" == local(rou, week)  # a date, in Geneva time
    assert values[2][9] == '=HYPERLINK("http://evil.example")'
    assert sheet.cell(row=3, column=10).data_type == "s"  # text, not a formula
    assert sheet.cell(row=2, column=14).number_format == "yyyy-mm-dd hh:mm"
    assert len(values) == 3


def test_export_actions_take_the_selected_registrations(staff_client, week, two):
    rou, _ngo = two

    response = staff_client.post(
        CHANGELIST, {"action": "export_selected_csv", "_selected_action": [rou.pk]}
    )

    read = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert read == [HEADER, expected_rows(week, *two)[0]]
    entry = AuditEntry.objects.get(action="exported")
    assert entry.details == {"format": "csv", "rows": 1, "selected": True}


def test_export_queries_do_not_grow_with_rows(week, django_assert_max_num_queries):
    def register(count: int, start: int) -> None:
        for number in range(start, start + count):
            services.register(
                week.meeting,
                delegate(
                    f"d{number}@example.org",
                    state=state("ROU") if number % 2 else None,
                    organisation=None if number % 2 else week.civil_society,
                    session_ids=[week.wgtu.pk, week.wgeti.pk],
                ),
                by=None,
            )

    register(5, 0)
    with django_assert_max_num_queries(2) as few:
        five = exports.rows(Registration.objects.all())
    register(45, 5)
    with django_assert_max_num_queries(2) as many:
        fifty = exports.rows(Registration.objects.all())

    assert (len(five), len(fifty)) == (5, 50)
    assert len(few.captured_queries) == len(many.captured_queries)


def test_export_view_queries_do_not_grow_with_rows(
    staff_client, week, django_assert_max_num_queries
):
    for number in range(5):
        services.register(
            week.meeting, delegate(f"d{number}@example.org", state=state("ROU")), by=None
        )
    with django_assert_max_num_queries(12) as few:
        staff_client.get(CHANGELIST + "export/xlsx/")
    for number in range(5, 50):
        services.register(
            week.meeting, delegate(f"d{number}@example.org", state=state("ROU")), by=None
        )
    with django_assert_max_num_queries(12) as many:
        response = staff_client.get(CHANGELIST + "export/xlsx/")

    assert load_workbook(io.BytesIO(response.content)).active.max_row == 51
    assert len(few.captured_queries) == len(many.captured_queries)


def test_exports_need_the_view_permission(client, week, two, django_user_model):
    user = django_user_model.objects.create_user("clerk", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=["change_registration"]))
    client.force_login(user)

    refused = client.get(CHANGELIST + "export/csv/")
    user.user_permissions.add(Permission.objects.get(codename="view_registration"))
    allowed = client.get(CHANGELIST + "export/csv/")

    assert refused.status_code == 403
    assert allowed.status_code == 200
    assert allowed.content.decode("utf-8-sig").count("\n") == 3
    assert AuditEntry.objects.filter(action="exported", user=user).count() == 1


def test_unknown_export_format_is_not_found(staff_client, week):
    assert staff_client.get(CHANGELIST + "export/pdf/").status_code == 404
    assert not AuditEntry.objects.exists()


def test_the_changelist_offers_exports_of_what_it_shows(staff_client, week, two):
    response = staff_client.get(CHANGELIST, {"meeting": week.meeting.pk, "mode__exact": "online"})

    query = f"?meeting={week.meeting.pk}&amp;mode__exact=online"
    assert f'<a href="{CHANGELIST}export/csv/{query}">Export CSV</a>' in response.text
    assert f'<a href="{CHANGELIST}export/xlsx/{query}">Export XLSX</a>' in response.text
