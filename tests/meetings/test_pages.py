import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from convocation.meetings.models import Meeting, Session, SideEvent
from convocation.treaties.models import Body
from tests.meetings.annex import letter_annex
from tests.meetings.html import tables, text


def schedule_table_as_annex(html: str) -> dict[str, list[str]]:
    header, *rows = tables(html)[0]
    annex = {"header": [cell.split(" ")[0] for cell in header[1:]]}
    for row in rows:
        annex[row[0]] = row[1:]
    return annex


@pytest.mark.parametrize("slug", ["att-csp10-wg", "att-csp12-wg"])
def test_meeting_page_schedule_matches_the_letter_annex(client, demo, slug):
    response = client.get(f"/meetings/{slug}/")
    assert response.status_code == 200
    assert schedule_table_as_annex(response.content.decode()) == letter_annex(slug)


def test_meeting_page_csp10_shows_facts_and_policies(client, demo):
    page = text(client.get("/meetings/att-csp10-wg/").content.decode())
    for expected in [
        "ATT CSP10 Working Group meetings",
        "Tuesday 20 February 2024 – Friday 23 February 2024",
        "Centre International de Conférences Genève (CICG), Geneva, Switzerland",
        "Europe/Zurich (all times are Geneva time)",
        "In person, with livestream",
        "Pre-registration is not required, except for the closed sessions: "
        "DIEF on 22 February 2024.",
        "the link is published for everyone",
        "Meeting documents are issued alongside the invitation.",
        "* The draft schedule is subject to change, as appropriate.",
        "* The meetings of the WGETI sub-working groups will be held on a rolling basis.",
    ]:
        assert expected in page


def test_meeting_page_csp12_shows_its_policies(client, demo):
    page = text(client.get("/meetings/att-csp12-wg/").content.decode())
    assert "Pre-registration is required for all sessions of this meeting." in page
    assert "the link is sent to registered delegates only" in page
    assert "Meeting documents are to be issued by 17 February 2026." in page
    assert "Monday 16 March 2026 – Thursday 19 March 2026" in page


def test_meeting_list_links_both_weeks_newest_first(client, demo):
    html = client.get("/meetings/").content.decode()
    csp12 = html.index('href="/meetings/att-csp12-wg/"')
    csp10 = html.index('href="/meetings/att-csp10-wg/"')
    assert csp12 < csp10
    assert "16 March 2026 – 19 March 2026" in text(html)


def test_unknown_meeting_is_404(client, demo):
    assert client.get("/meetings/att-csp99-wg/").status_code == 404
    assert client.get("/meetings/att-csp99-wg/schedule.ics").status_code == 404
    assert client.get("/meetings/att-csp99-wg/schedule.json").status_code == 404


def test_body_page_wgeti_shows_sub_working_groups_vacancy_and_meetings(client, demo):
    html = client.get("/bodies/att/wgeti/").content.decode()
    page = text(html)
    assert "Working Group on Effective Treaty Implementation (WGETI)" in page
    for name in [
        "Sub-working Group on Articles 6&7",
        "Sub-working Group on exchange of national implementation practices",
        "Sub-working Group on current and emerging implementation issues",
    ]:
        assert name in page
    offices = tables(html)[0]
    assert offices[1:] == [
        ["CSP12", "Chair, WGETI", "Vacant"],
        [
            "CSP12",
            "Facilitator, WGETI Sub-working Group on current and emerging implementation issues",
            "Vacant",
        ],
    ]
    assert 'href="/meetings/att-csp12-wg/"' in html
    assert 'href="/meetings/att-csp10-wg/"' in html


def test_body_page_shows_a_holder_by_name_and_state(client, demo):
    from convocation.cycles.models import ConferenceCycle, Office
    from convocation.people.models import Person

    chair = Person.objects.create(
        honorific="Ambassador", given_name="Ana", family_name="Pérez", state_id="CHE"
    )
    Office.objects.create(
        cycle=ConferenceCycle.objects.get(number=12),
        title=Office.Title.CHAIR,
        body=Body.objects.get(slug="wgtr"),
        holder=chair,
    )
    offices = tables(client.get("/bodies/att/wgtr/").content.decode())[0]
    assert offices[1:] == [["CSP12", "Chair, WGTR", "Ambassador Ana PÉREZ (Switzerland)"]]


@pytest.mark.parametrize(
    ("slug", "expected"),
    [
        ("wgtu", ["att-csp12-wg", "att-csp10-wg"]),
        ("dief", ["att-csp10-wg"]),
        ("wgeti-articles-6-7", ["att-csp10-wg"]),
    ],
)
def test_body_page_lists_the_meetings_where_it_meets(client, demo, slug, expected):
    html = client.get(f"/bodies/att/{slug}/").content.decode()
    found = [s for s in ["att-csp12-wg", "att-csp10-wg"] if f'href="/meetings/{s}/"' in html]
    assert found == expected


def test_dief_body_page_says_it_is_closed(client, demo):
    page = text(client.get("/bodies/att/dief/").content.decode())
    assert "States Parties and signatory States only" in page


def test_body_list_names_every_body(client, demo):
    page = text(client.get("/bodies/").content.decode())
    for acronym in ["WGETI", "WGTU", "WGTR", "DIEF"]:
        assert acronym in page
    assert client.get("/bodies/att/nope/").status_code == 404


def test_meeting_page_shows_the_next_change_of_every_kind(client, demo):
    """Pages are cached; each edit must show on the very next request."""
    url = "/meetings/att-csp12-wg/"
    meeting = Meeting.objects.get(slug="att-csp12-wg")
    client.get(url)

    meeting.title = "ATT CSP12 Working Group meetings (resumed)"
    meeting.save()
    assert "(resumed)" in client.get(url).content.decode()

    wgtu = Body.objects.get(slug="wgtu")
    wgtu.acronym = "WGTU*"
    wgtu.save()
    assert "WGTU*" in client.get(url).content.decode()

    session = Session.objects.filter(meeting=meeting, body=wgtu).get()
    session.body = Body.objects.get(slug="dief")
    session.save()
    assert "DIEF" in text(client.get(url).content.decode())

    session.delete()
    assert "DIEF" not in text(client.get(url).content.decode())

    side_event = SideEvent.objects.filter(meeting=meeting).first()
    side_event.title = "Universalization in the Pacific"
    side_event.save()
    assert "Universalization in the Pacific" in client.get(url).content.decode()

    meeting.registration = Meeting.Registration.NONE
    meeting.save()
    assert "Pre-registration is not required." in text(client.get(url).content.decode())


def test_meeting_page_answers_not_modified_to_its_etag(client, demo):
    first = client.get("/meetings/att-csp12-wg/")
    again = client.get("/meetings/att-csp12-wg/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    Meeting.objects.filter(slug="att-csp12-wg").get().save()
    changed = client.get("/meetings/att-csp12-wg/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]


def add_sessions(meeting: Meeting, count: int) -> None:
    bodies = list(Body.objects.all())
    start = dt.datetime(2026, 3, 16, 9, tzinfo=dt.UTC)
    Session.objects.bulk_create(
        Session(
            meeting=meeting,
            body=bodies[n % len(bodies)],
            start=start + dt.timedelta(days=n % 4, minutes=n),
            end=start + dt.timedelta(days=n % 4, minutes=n + 60),
        )
        for n in range(count)
    )


@pytest.mark.parametrize("url", ["/", "schedule.ics", "schedule.json"])
def test_meeting_queries_do_not_grow_with_sessions(client, demo, django_assert_num_queries, url):
    meeting = Meeting.objects.get(slug="att-csp12-wg")
    path = f"/meetings/att-csp12-wg/{url.lstrip('/')}"
    with CaptureQueriesContext(connection) as few:
        client.get(path)
    add_sessions(meeting, 300)
    with CaptureQueriesContext(connection) as many:
        response = client.get(path)
    assert response.status_code == 200
    assert len(many) == len(few)
    # A cached answer needs the fingerprint only.
    with django_assert_num_queries(1):
        client.get(path)
