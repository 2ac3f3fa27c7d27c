"""The report pages and exports: who may open them, what they show, what never leaves."""

import csv
import io
import re
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from openpyxl import load_workbook

from convocation.registrations.models import Registration
from convocation.reports.figures import meeting_figures
from convocation.reports.public import public_figures
from tests.reports.conftest import NAMES, ROWS

STAFF_URLS = [
    "/reports/",
    "/reports/meetings/next-wg/",
    "/reports/meetings/next-wg/figures.csv",
    "/reports/meetings/next-wg/figures.xlsx",
    "/reports/trends/",
    "/reports/trends/?by=cycle",
]
PUBLIC_URLS = ["/meetings/next-wg/figures/", "/meetings/next-wg/figures.csv"]


@pytest.fixture
def delegate_client(client, sample):
    user = get_user_model().objects.create_user(
        "delegate", email=sample.registrations[0].person.email, password="a-long-password"
    )
    client.force_login(user)
    return client


def text_of(response) -> str:
    content = re.sub(r"<svg.*?</svg>", " ", response.content.decode("utf-8-sig"), flags=re.S)
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", content)))


def personal_values(sample) -> list[str]:
    """Every name and email of the data set, and the words of each gender as a person's."""
    values = []
    for registration in sample.registrations:
        person = registration.person
        values += [person.email, person.given_name, person.family_name, person.formal_name]
    return values


@pytest.mark.parametrize("url", STAFF_URLS)
def test_staff_report_pages_send_the_signed_out_to_the_sign_in(client, sample, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=")


@pytest.mark.parametrize("url", STAFF_URLS)
def test_staff_report_pages_refuse_a_delegate(delegate_client, sample, url):
    response = delegate_client.get(url)

    assert response.status_code == 403
    assert "Secretariat staff only" in text_of(response)
    for value in personal_values(sample):
        assert value not in response.content.decode()


def test_meeting_report_shows_the_hand_counted_figures_and_charts(staff_client, sample):
    response = staff_client.get("/reports/meetings/next-wg/")

    assert response.status_code == 200
    text = text_of(response)
    # All participants: registered 6 women, 2 men, 1 self-described, 1 not said, 10, 60 %.
    assert "All participants Registered 6 2 1 1 10 60 %" in text
    assert "Attended 4 2 1 0 7 57 %" in text
    assert "State Party Registered 3 2 0 0 5 60 % Attended 1 2 0 0 3 33 %" in text
    assert "Head of delegation Registered 3 1 0 1 5 60 % Attended 3 1 0 0 4 75 %" in text
    assert "Headed by a woman 3 (60 %)" in text
    assert "Of women only (all registered members) 1 (20 %)" in text
    assert "Turns 3 1 0 1 1 6" in text
    assert "Speakers 2 1 0 1 4" in text
    html = response.content.decode()
    assert html.count("<svg") == 4
    assert "<?xml" not in html
    # Text stays text in the charts (svg.fonttype none): the labels are searchable.
    assert "Registered, by participant category and gender" in html
    assert "did not ask delegates their gender" not in text


def test_meeting_report_says_where_the_meeting_did_not_ask_the_gender(staff_client, sample):
    sample.meeting.collects_gender_data = False
    sample.meeting.save()
    text = text_of(staff_client.get("/reports/meetings/next-wg/"))
    assert (
        "This meeting's registration did not ask delegates their gender: they are counted "
        "under “Prefer not to say”."
    ) in text


def test_meeting_report_charts_are_the_same_bytes_each_time(staff_client, sample):
    from django.core.cache import cache

    first = staff_client.get("/reports/meetings/next-wg/").content
    cache.clear()
    second = staff_client.get("/reports/meetings/next-wg/").content

    svgs = re.findall(rb"<svg.*?</svg>", first, re.S)
    assert svgs == re.findall(rb"<svg.*?</svg>", second, re.S)


def test_meeting_report_csv_holds_the_figures(staff_client, sample):
    response = staff_client.get("/reports/meetings/next-wg/figures.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="next-wg-figures.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Table", "Group", "Measure"]
    assert ["All participants", "All participants", "Registered", "6", "2", "1", "1", "10"] in rows
    assert ["Role", "Head of delegation", "Attended", "3", "1", "0", "0", "4"] in rows
    assert ["Delegations", "Headed by a woman", "Registered", "", "", "", "", "3"] in rows
    assert ["Speakers", "Turns at the floor", "Speaker not noted", "", "", "", "", "1"] in rows


def test_meeting_report_xlsx_holds_the_same_figures(staff_client, sample):
    response = staff_client.get("/reports/meetings/next-wg/figures.xlsx")

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "Table"
    assert ["Participant category", "Signatory State", "Registered", 2, 0, 0, 0, 2] in rows
    assert ["Attendance", "Online", "Attended", 0, 0, 1, 0, 1] in rows
    assert sheet.freeze_panes == "A2"


def test_trends_page_lists_each_meeting_with_its_shares(staff_client, sample):
    response = staff_client.get("/reports/trends/")

    text = text_of(response)
    assert "Next Working Group meetings (CSP12) 10 60 % 7 57 % 5 60 % 5 60 %" in text
    assert response.content.decode().count("<svg") == 1


def test_trends_page_per_cycle(staff_client, sample):
    text = text_of(staff_client.get("/reports/trends/?by=cycle"))

    assert "ATT CSP12 10 60 %" in text


def test_public_figures_need_no_sign_in_and_suppress_small_counts(client, sample):
    response = client.get("/meetings/next-wg/figures/")

    assert response.status_code == 200
    text = text_of(response)
    # 10 registered: women 6, men 2 and others 2. Men and others are under 5 and two of
    # them are hidden in the row of totals: 10 - 6 tells only that they make 4 together.
    assert "Registered, by participant category" in text
    assert "Total 6 <5 <5 10" in text
    assert "State Party <5 <5 <5 5" in text
    assert "Women among registered participants 60 %" in text
    assert "Women among heads of delegation <5" in text


def test_public_figures_of_the_sample_match_the_rule(sample):
    figures = public_figures(meeting_figures(sample.meeting))
    registered = figures.tables[0]

    assert registered.header == ["Women", "Men", "Another gender or not said", "Total"]
    assert [str(cell) for cell in registered.table.column_totals] == ["6", "<5", "<5", "10"]
    # Every count of this small meeting but the total is under 5, or could be worked out.
    for public in figures.tables:
        for _label, cells in public.rows:
            for cell in cells:
                assert cell.hidden or cell.value >= 5


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_public_figures_hold_no_personal_data(client, sample, url):
    response = client.get(url)

    assert response.status_code == 200
    content = response.content.decode("utf-8-sig")
    for value in personal_values(sample):
        assert value not in content
    # Nobody's gender: the words of the gender choices appear only as column headings.
    for word in ("Female", "Male", "self-described", "Prefer not to say", "@"):
        assert word not in content


def test_public_csv_lists_each_shown_cell(client, sample):
    response = client.get("/meetings/next-wg/figures.csv")

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Table", "Row", "Column", "Count"]
    assert ["Registered, by role", "Total", "Total", "10"] in rows
    assert ["Registered, by role", "Heads of delegation", "Women", "<5"] in rows
    assert {row[3] for row in rows[1:]} <= {"<5", "—", "10", "5", "7", "6"}


def test_public_figures_of_an_unknown_meeting_are_404(client, db):
    assert client.get("/meetings/nowhere/figures/").status_code == 404


def test_public_page_shows_counts_of_five_and_more(client, sample):
    from convocation.treaties.models import State
    from tests.reports.conftest import add_registration

    france = State.objects.get(code="FRA")
    for number in range(300, 320):
        add_registration(
            sample.meeting,
            france,
            number,
            category="state_party",
            role="member",
            mode="in_person",
            gender="female" if number % 2 else "male",
            status="confirmed",
        )

    text = text_of(client.get("/meetings/next-wg/figures/"))

    # 30 registered: women 16, men 12, others 2 (<5) → the men's 12 goes with it.
    assert "Total 16 — <5 30" in text
    assert "Women among registered participants 53 %" in text


def test_names_list_is_the_one_of_the_sample():
    assert len(NAMES) == len(ROWS)


def test_meeting_report_before_anyone_is_confirmed_draws_what_there_is(staff_client, sample):
    Registration.objects.filter(meeting=sample.meeting).update(status="pending")
    response = staff_client.get("/reports/meetings/next-wg/")
    assert response.status_code == 200
    assert "All participants Registered 0 0 0 0 0" in text_of(response)
    # No category has anyone yet: that chart is left out, the others show zeros.
    html = response.content.decode()
    assert html.count("<svg") == 3
    assert "Registered, by participant category and gender" not in html
