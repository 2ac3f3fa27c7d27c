"""The Secretariat's registration pages in the admin: lists, filters, decisions, policies, mail."""

import csv
import io
import re
import sys
import types

import pytest
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth.models import Permission
from django.utils import formats, timezone

from convocation.meetings.models import Meeting
from convocation.people.models import Person
from convocation.registrations import mailings, services
from convocation.registrations.models import (
    AuditEntry,
    Delivery,
    FocalPoint,
    Mailing,
    Registration,
    RegistrationPolicy,
)
from convocation.treaties.models import State
from tests.meetings.html import tables
from tests.registrations.conftest import delegate

CHANGELIST = "/admin/registrations/registration/"


def state(code: str) -> State:
    return State.objects.get(code=code)


def change_url(registration: Registration) -> str:
    return f"{CHANGELIST}{registration.pk}/change/"


def emails(response) -> list[str]:
    return sorted(registration.person.email for registration in response.context["cl"].result_list)


def result_rows(response) -> list[list[str]]:
    html = response.content.decode()
    start = html.index('<table id="result_list">')
    table = html[start : html.index("</table>", start) + len("</table>")]
    return [row[1:] for row in tables(table)[0][1:]]


def staff_user(django_user_model, username="clerk", *perms: str):
    user = django_user_model.objects.create_user(username, password="x" * 20, is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="registrations", codename__in=perms)
    )
    return user


@pytest.fixture
def people(week):
    """Seven registrations that differ in one way each from the first."""
    week.policy.categories_needing_approval = ["civil_society"]
    week.policy.save()
    made = {
        "rou": delegate("rou@example.org", state=state("ROU"), session_ids=[week.wgtu.pk]),
        "usa": delegate(
            "usa@example.org",
            state=state("USA"),
            role="head",
            session_ids=[week.wgtu.pk, week.dief.pk],
        ),
        "online": delegate("online@example.org", state=state("ROU"), mode="online"),
        "ngo": delegate("ngo@example.org", organisation=week.civil_society),
        "unoda": delegate("unoda@example.org", organisation=week.international, role="adviser"),
    }
    registrations = {
        key: services.register(week.meeting, data, by=None) for key, data in made.items()
    }
    # The CSP12 week is over: registration closed long ago, so its record is written directly.
    csp12 = Meeting.objects.get(slug="att-csp12-wg")
    past = Person.objects.create(given_name="Old", family_name="Timer", email="old@example.org")
    registrations["past"] = Registration.objects.create(
        meeting=csp12,
        person=past,
        state=state("ROU"),
        category="state_party",
        position="Counsellor",
        role="member",
        mode="in_person",
        gender="male",
        status="confirmed",
        consent_given_at=timezone.now(),
    )
    return registrations


# Filters


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        pytest.param(
            {},
            [
                "ngo@example.org",
                "old@example.org",
                "online@example.org",
                "rou@example.org",
                "unoda@example.org",
                "usa@example.org",
            ],
            id="all",
        ),
        pytest.param(
            {"meeting": "week"},
            [
                "ngo@example.org",
                "online@example.org",
                "rou@example.org",
                "unoda@example.org",
                "usa@example.org",
            ],
            id="meeting",
        ),
        # Those who chose no session attend every session open to their delegation.
        pytest.param(
            {"session": "wgtu"},
            [
                "ngo@example.org",
                "online@example.org",
                "rou@example.org",
                "unoda@example.org",
                "usa@example.org",
            ],
            id="session",
        ),
        # The DIEF is for States Parties and signatories: Romania's online delegate chose
        # nothing and comes; the organisations chose nothing and may not.
        pytest.param(
            {"session": "dief"}, ["online@example.org", "usa@example.org"], id="session-dief"
        ),
        pytest.param({"session": "dief", "status__exact": "pending"}, [], id="session-and-status"),
        pytest.param(
            {"session": "wgtu", "status__exact": "pending"},
            ["ngo@example.org"],
            id="session-wgtu-and-status",
        ),
        pytest.param({"status__exact": "pending"}, ["ngo@example.org"], id="status"),
        pytest.param({"category__exact": "international"}, ["unoda@example.org"], id="category"),
        pytest.param({"category__exact": "signatory"}, ["usa@example.org"], id="category-usa"),
        pytest.param(
            {"delegation": "state:ROU"},
            ["old@example.org", "online@example.org", "rou@example.org"],
            id="delegation-state",
        ),
        pytest.param(
            {"delegation": "state:ROU", "meeting": "week"},
            ["online@example.org", "rou@example.org"],
            id="delegation-and-meeting",
        ),
        pytest.param(
            {"delegation": "organisation:ngo"}, ["ngo@example.org"], id="delegation-organisation"
        ),
        pytest.param({"mode__exact": "online"}, ["online@example.org"], id="mode"),
        pytest.param({"role__exact": "head"}, ["usa@example.org"], id="role"),
        pytest.param({"role__exact": "adviser"}, ["unoda@example.org"], id="role-adviser"),
        pytest.param({"q": "unoda"}, ["unoda@example.org"], id="search-acronym"),
        pytest.param(
            {"q": "Romania"},
            ["old@example.org", "online@example.org", "rou@example.org"],
            id="search-state",
        ),
        pytest.param({"q": "timer"}, ["old@example.org"], id="search-name"),
    ],
)
def test_registration_list_each_filter_narrows(staff_client, week, people, params, expected):
    values = {
        "week": str(week.meeting.pk),
        "wgtu": str(week.wgtu.pk),
        "dief": str(week.dief.pk),
        "organisation:ngo": f"organisation:{week.civil_society.pk}",
    }
    query = {name: values.get(value, value) for name, value in params.items()}

    response = staff_client.get(CHANGELIST, query)

    assert response.status_code == 200
    assert emails(response) == expected


def test_registration_list_session_filter_offers_the_sessions_of_the_chosen_meeting(
    staff_client, week, people
):
    def offered(response):
        spec = next(
            s
            for s in response.context["cl"].filter_specs
            if getattr(s, "parameter_name", None) == "session"
        )
        return [label for _value, label in spec.lookup_choices]

    chosen = staff_client.get(CHANGELIST, {"meeting": week.meeting.pk})
    everything = staff_client.get(CHANGELIST)

    day = [week.wgtu, week.dief, week.wgeti]
    labels = [f"{s.body.label} ({s.start.astimezone(week.meeting.tz):%d.%m %H:%M})" for s in day]
    assert offered(chosen) == labels
    # Without a meeting, every meeting with registrations, each session named with it.
    assert offered(everything)[: len(labels)] == [
        f"Next Working Group meetings — {label}" for label in labels
    ]
    assert len(offered(everything)) == 3 + 8  # and the CSP12 week's eight sessions


def test_registration_list_delegation_filter_lists_only_delegations_that_registered(
    staff_client, week, people
):
    response = staff_client.get(CHANGELIST, {"meeting": week.meeting.pk})

    spec = next(
        s
        for s in response.context["cl"].filter_specs
        if getattr(s, "parameter_name", None) == "delegation"
    )
    assert [label for _value, label in spec.lookup_choices] == [
        "Romania",
        "United States",
        "Control Arms",
        "United Nations Office for Disarmament Affairs",
    ]


def test_registration_list_columns(staff_client, week, people):
    response = staff_client.get(CHANGELIST, {"q": "usa@example.org"})

    registered = formats.localize(timezone.template_localtime(people["usa"].created_at))
    assert result_rows(response) == [
        [
            "Ms. Ana DELEGATE",
            "United States",
            "Next Working Group meetings",
            "Signatory State",
            "Head of delegation",
            "In person",
            "Confirmed",
            registered,
        ]
    ]


def test_registration_list_queries_do_not_grow_with_rows(
    staff_client, week, django_assert_max_num_queries
):
    def register(count: int, start: int) -> None:
        for number in range(start, start + count):
            services.register(
                week.meeting,
                delegate(
                    f"d{number}@example.org",
                    state=state("ROU"),
                    session_ids=[week.wgtu.pk],
                ),
                by=None,
            )

    register(5, 0)
    with django_assert_max_num_queries(10) as few:
        assert staff_client.get(CHANGELIST, {"meeting": week.meeting.pk}).status_code == 200
    register(45, 5)
    with django_assert_max_num_queries(10) as many:
        response = staff_client.get(CHANGELIST, {"meeting": week.meeting.pk})

    assert len(response.context["cl"].result_list) == 50
    assert len(many.captured_queries) == len(few.captured_queries)


def test_session_filter_lists_whom_an_email_to_the_session_reaches(staff_client, week):
    def register(email: str, **overrides) -> Registration:
        if "organisation" not in overrides:
            overrides.setdefault("state", state("ROU"))
        return services.register(week.meeting, delegate(email, **overrides), by=None)

    register("wgtu@example.org", session_ids=[week.wgtu.pk])
    register("dief@example.org", state=state("USA"), session_ids=[week.dief.pk])
    register("romania@example.org")
    register("india@example.org", state=state("IND"))
    register("unoda@example.org", organisation=week.international)
    register("kenya@example.org", state=state("KEN"))
    services.withdraw(register("withdrawn@example.org"), by=None)

    def listed(session) -> list[str]:
        return emails(staff_client.get(CHANGELIST, {"session": session.pk}))

    # Open: everyone who chose nothing, whatever their status (the status filter is separate).
    assert listed(week.wgtu) == [
        "india@example.org",
        "kenya@example.org",
        "romania@example.org",
        "unoda@example.org",
        "wgtu@example.org",
        "withdrawn@example.org",
    ]
    # Closed: India (an Observer State) and UNODA chose nothing and may not attend the DIEF;
    # Romania may, and Kenya is a State Party by the DIEF's day.
    assert listed(week.dief) == [
        "dief@example.org",
        "kenya@example.org",
        "romania@example.org",
        "withdrawn@example.org",
    ]
    everyone = list(Registration.objects.filter(meeting=week.meeting))
    for session in (week.wgtu, week.dief, week.wgeti):
        reached = mailings.registrants_of_session(session, everyone)
        assert listed(session) == sorted(r.person.email for r in reached)


def test_session_filter_and_its_export_agree(staff_client, week, people):
    response = staff_client.get(CHANGELIST + "export/csv/", {"session": week.dief.pk})

    read = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert sorted(row[4] for row in read[1:]) == ["online@example.org", "usa@example.org"]


@pytest.mark.parametrize(
    ("value", "listed"),
    [
        # Not a key: no session chosen, everyone listed.
        ("wgtu", 6),
        ("²", 6),  # a digit to str.isdigit, not to int
        ("-1", 6),
        ("9" * 30, 6),  # more than a key column holds
        # A key that names no session: nobody attends it.
        ("0", 0),
        ("999999", 0),
    ],
)
def test_session_filter_with_no_such_session_is_not_an_error(
    staff_client, week, people, value, listed
):
    listing = staff_client.get(CHANGELIST, {"session": value})
    export = staff_client.get(CHANGELIST + "export/csv/", {"session": value})
    with_meeting = staff_client.get(CHANGELIST, {"session": value, "meeting": value})

    assert (listing.status_code, export.status_code, with_meeting.status_code) == (200, 200, 200)
    assert len(emails(listing)) == listed
    assert len(export.content.decode("utf-8-sig").splitlines()) == 1 + listed


def test_session_filter_queries_do_not_grow_with_rows(
    staff_client, week, django_assert_max_num_queries
):
    # Who chose what, in turn: a State's delegate with no choice is listed under the DIEF
    # (Romania a Party, the United States a signatory), an organisation's is not.
    kinds = [
        ({"state": state("ROU")}, []),
        ({"state": state("USA")}, []),
        ({"state": state("ROU")}, [week.wgtu.pk]),
        ({"state": state("USA")}, [week.dief.pk]),
        ({"organisation": week.international}, []),
        ({"organisation": week.international}, [week.wgtu.pk]),
    ]

    def register(count: int, start: int) -> None:
        for number in range(start, start + count):
            delegation, chose = kinds[number % len(kinds)]
            services.register(
                week.meeting,
                delegate(f"d{number}@example.org", session_ids=chose, **delegation),
                by=None,
            )

    register(12, 0)
    with django_assert_max_num_queries(16) as few:
        staff_client.get(CHANGELIST, {"meeting": week.meeting.pk, "session": week.dief.pk})
    register(48, 12)
    with django_assert_max_num_queries(16) as many:
        response = staff_client.get(
            CHANGELIST, {"meeting": week.meeting.pk, "session": week.dief.pk}
        )

    assert response.context["cl"].result_count == 30
    assert len(many.captured_queries) == len(few.captured_queries)
    # Nor with the number of States whose delegates chose nothing: their statuses on the
    # DIEF's day are read together.
    for number, code in enumerate(["KEN", "IND", "CHE", "FRA", "BRA"], start=60):
        services.register(
            week.meeting, delegate(f"d{number}@example.org", state=state(code)), by=None
        )
    with django_assert_max_num_queries(16) as more_states:
        staff_client.get(CHANGELIST, {"meeting": week.meeting.pk, "session": week.dief.pk})
    assert len(more_states.captured_queries) == len(few.captured_queries)


# The approval queue


def select(staff_client, action: str, registrations, **extra):
    return staff_client.post(
        CHANGELIST,
        {
            "action": action,
            "_selected_action": [registration.pk for registration in registrations],
            **extra,
        },
        follow=True,
    )


def test_approving_gives_the_places_left_then_the_waiting_list(staff_client, week):
    week.policy.categories_needing_approval = ["civil_society"]
    week.policy.in_person_capacity = 2
    week.policy.save()
    services.register(week.meeting, delegate("rou@example.org", state=state("ROU")), by=None)
    first, second = (
        services.register(
            week.meeting, delegate(f"ngo{n}@example.org", organisation=week.civil_society), by=None
        )
        for n in (1, 2)
    )

    response = select(staff_client, "approve", [second, first])

    first.refresh_from_db()
    second.refresh_from_db()
    # Registered first, placed first, whatever the order of the ticks.
    assert (first.status, second.status) == ("confirmed", "waitlisted")
    assert [str(m) for m in response.context["messages"]] == [
        "2 registrations decided (Confirmed: 1, Waiting list: 1)."
    ]


def test_refusing_leaves_registrations_not_awaiting_approval_as_they_are(staff_client, week):
    week.policy.categories_needing_approval = ["industry"]
    week.policy.save()
    firm = services.register(
        week.meeting, delegate("firm@example.org", organisation=week.industry), by=None
    )
    party = services.register(
        week.meeting, delegate("rou@example.org", state=state("ROU")), by=None
    )

    response = select(staff_client, "refuse", [firm, party])

    firm.refresh_from_db()
    party.refresh_from_db()
    assert (firm.status, party.status) == ("refused", "confirmed")
    assert [str(m) for m in response.context["messages"]] == [
        "1 registration decided (Refused: 1).",
        "1 registration was not awaiting approval and stays as it was.",
    ]


def test_the_changelist_links_to_the_registrations_awaiting_approval(staff_client, week, people):
    response = staff_client.get(CHANGELIST, {"meeting": week.meeting.pk})

    link = re.search(
        r'<a href="([^"]+)" class="viewlink">Awaiting approval \((\d+)\)</a>', response.text
    )
    assert link.group(2) == "1"
    queue = staff_client.get(CHANGELIST + link.group(1).replace("&amp;", "&"))
    assert emails(queue) == ["ngo@example.org"]


def test_status_cannot_be_edited_in_the_form(staff_client, week, people):
    ngo = people["ngo"]
    page = staff_client.get(change_url(ngo))
    assert "status" not in page.context["adminform"].form.fields
    assert "Awaiting approval" in page.text  # shown, read-only

    response = staff_client.post(
        change_url(ngo),
        {
            "status": "confirmed",
            "mode": "online",
            "position": "Programme Officer",
            "role": "member",
            "gender": "female",
            "gender_description": "",
            "language": "en",
            "secretariat_note": "",
        },
    )

    assert response.status_code == 302
    ngo.refresh_from_db()
    assert (ngo.status, ngo.mode, ngo.position) == ("pending", "in_person", "Programme Officer")


def test_no_registration_is_added_or_deleted_in_the_admin(staff_client, week, people):
    assert staff_client.get(CHANGELIST + "add/").status_code == 403
    assert (
        staff_client.get(change_url(people["rou"]).replace("change", "delete")).status_code == 403
    )
    assert Registration.objects.filter(pk=people["rou"].pk).exists()


def test_the_change_page_shows_credential_sessions_and_history(staff_client, week, people):
    usa = people["usa"]

    response = staff_client.get(change_url(usa))

    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.text))
    assert "None attached" in text
    assert "usa@example.org" in text
    assert f"WGTU ({week.wgtu.start.astimezone(week.meeting.tz):%d.%m %H:%M})" in text
    assert f"DIEF ({week.dief.start.astimezone(week.meeting.tz):%d.%m %H:%M})" in text
    assert "officer Viewed" in text  # this very visit is in the history


# Access


@pytest.mark.parametrize(
    "url",
    [
        CHANGELIST,
        "change",
        "credential",
        CHANGELIST + "export/csv/",
        CHANGELIST + "export/xlsx/",
        "/admin/registrations/auditentry/",
        "/admin/registrations/mailing/",
        "/admin/registrations/registrationpolicy/",
        "/admin/registrations/focalpoint/",
    ],
)
def test_non_staff_are_sent_to_the_login_and_staff_without_permission_refused(
    client, week, django_user_model, url
):
    registration = services.register(week.meeting, delegate(state=state("ROU")), by=None)
    url = {
        "change": change_url(registration),
        "credential": f"{CHANGELIST}{registration.pk}/credential/",
    }.get(url, url)
    client.force_login(django_user_model.objects.create_user("a.delegate@example.org"))

    delegate_response = client.get(url)
    client.force_login(staff_user(django_user_model))
    staff_response = client.get(url)

    assert (delegate_response.status_code, delegate_response["Location"]) == (
        302,
        f"/admin/login/?next={url}",
    )
    assert staff_response.status_code == 403
    assert not AuditEntry.objects.exists()


def test_staff_with_only_the_view_permission_cannot_decide(client, week, django_user_model):
    week.policy.categories_needing_approval = ["civil_society"]
    week.policy.save()
    ngo = services.register(
        week.meeting, delegate("ngo@example.org", organisation=week.civil_society), by=None
    )
    client.force_login(staff_user(django_user_model, "reader", "view_registration"))

    listing = client.get(CHANGELIST)
    select(client, "approve", [ngo])

    actions = [value for value, _label in listing.context["action_form"].fields["action"].choices]
    assert actions == ["", "export_selected_csv", "export_selected_xlsx"]
    ngo.refresh_from_db()
    assert ngo.status == "pending"


# Policies


def test_policy_form_offers_categories_as_checkboxes_and_saves_the_list(staff_client, week):
    url = f"/admin/registrations/registrationpolicy/{week.meeting.pk}/change/"
    page = staff_client.get(url)
    assert page.text.count('type="checkbox" name="categories_needing_approval"') == 7

    response = staff_client.post(
        url,
        {
            "closes_at_0": week.meeting.start_date.isoformat(),
            "closes_at_1": "09:00:00",
            "in_person_capacity": "120",
            "categories_needing_approval": ["civil_society", "industry"],
            "credential": "required",
        },
    )

    assert response.status_code == 302
    policy = RegistrationPolicy.objects.get(meeting=week.meeting)
    assert policy.categories_needing_approval == ["civil_society", "industry"]
    assert (policy.in_person_capacity, policy.credential, policy.asks_sessions) == (
        120,
        "required",
        False,
    )
    # Typed in Geneva time, like the meeting's sessions.
    assert policy.closes_at.astimezone(week.meeting.tz).strftime("%H:%M") == "09:00"
    listing = staff_client.get("/admin/registrations/registrationpolicy/")
    assert result_rows(listing)[0][4] == "Civil society / NGO, Industry"


# Focal points


def test_focal_point_form_uses_autocomplete_and_refuses_two_delegations(staff_client, week):
    person = Person.objects.create(given_name="Ion", family_name="Pop", email="ion@example.org")
    page = staff_client.get("/admin/registrations/focalpoint/add/")
    for name in ("person", "state", "organisation"):
        assert f'name="{name}"' in page.text
        widget = page.context["adminform"].form.fields[name].widget.widget
        assert isinstance(widget, AutocompleteSelect)

    both = staff_client.post(
        "/admin/registrations/focalpoint/add/",
        {"person": person.pk, "state": "ROU", "organisation": week.civil_society.pk},
    )
    one = staff_client.post(
        "/admin/registrations/focalpoint/add/", {"person": person.pk, "state": "ROU"}
    )

    assert both.status_code == 200
    assert both.context["adminform"].form.errors
    assert one.status_code == 302
    assert list(FocalPoint.objects.values_list("person__email", "state_id")) == [
        ("ion@example.org", "ROU")
    ]


# Emails to registrants


@pytest.fixture
def queued(monkeypatch):
    """``mailings.queue_mailing`` as its author promises it: deliveries made, count returned."""
    try:
        from convocation.registrations import mailings
    except ImportError:
        mailings = types.ModuleType("convocation.registrations.mailings")
        monkeypatch.setitem(sys.modules, "convocation.registrations.mailings", mailings)
    calls = []

    def queue_mailing(mailing: Mailing) -> int:
        calls.append(mailing.pk)
        registrations = Registration.objects.filter(meeting=mailing.meeting)
        if mailing.session_id:
            registrations = registrations.filter(sessions=mailing.session_id)
        for registration in registrations.select_related("person"):
            Delivery.objects.create(
                mailing=mailing, registration=registration, email=registration.person.email
            )
        Mailing.objects.filter(pk=mailing.pk).update(queued_at=timezone.now())
        return registrations.count()

    monkeypatch.setattr(mailings, "queue_mailing", queue_mailing, raising=False)
    return calls


def test_a_mailing_is_queued_when_saved_then_read_only_with_its_counts(
    staff_client, week, people, queued
):
    response = staff_client.post(
        "/admin/registrations/mailing/add/",
        {
            "meeting": week.meeting.pk,
            "session": week.wgtu.pk,
            "about": "schedule",
            "subject": "WGTU moves to Room XVIII",
            "body": "The WGTU meets in Room XVIII.",
        },
        follow=True,
    )

    mailing = Mailing.objects.get()
    assert queued == [mailing.pk]
    assert "Queued for 2 recipients." in [str(m) for m in response.context["messages"]]
    assert mailing.created_by.username == "officer"
    mailing.deliveries.filter(email="rou@example.org").update(status="sent")
    mailing.deliveries.filter(email="usa@example.org").update(status="failed", error="550 no")

    listing = staff_client.get("/admin/registrations/mailing/")
    page = staff_client.get(f"/admin/registrations/mailing/{mailing.pk}/change/")

    assert result_rows(listing)[0][-3:] == ["0", "1", "1"]
    assert page.context["adminform"].form.fields == {}
    assert 'name="_save"' not in page.text
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.text))
    assert "pending: 0 · sent: 1 · failed: 1" in text
    assert "usa@example.org: 550 no" in text
    # Saved means queued: the record of what was sent stays.
    assert staff_client.get(f"/admin/registrations/mailing/{mailing.pk}/delete/").status_code == 403


def test_a_mailing_to_a_session_of_another_meeting_is_refused(staff_client, week, queued):
    other = Meeting.objects.get(slug="att-csp12-wg").sessions.first()

    response = staff_client.post(
        "/admin/registrations/mailing/add/",
        {
            "meeting": week.meeting.pk,
            "session": other.pk,
            "about": "message",
            "subject": "Hello",
            "body": "Hello.",
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "session": ["This session is not part of the meeting chosen."]
    }
    assert not Mailing.objects.exists()
    assert queued == []
