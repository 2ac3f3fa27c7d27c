"""The Secretariat's back office: every registered model renders and shows its records.

The generic tests walk ``admin.site._registry``, so a model registered tomorrow is rendered
here without a line of test code; the tests after them check what an officer reads.
"""

import datetime as dt
import re
from functools import reduce
from html import escape, unescape
from html.parser import HTMLParser
from operator import or_

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import models
from django.db.models import Q
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from convocation.attendance.models import Attendance, AttendancePolicy, Intervention
from convocation.cycles.models import ConferenceCycle, Office
from convocation.documents.demo import load_demo_documents
from convocation.letters.services import draft_letter
from convocation.meetings.models import Meeting, Session
from convocation.nominations.demo import load_nomination_demo
from convocation.nominations.models import Nomination
from convocation.people.models import Person
from convocation.registrations import audit
from convocation.registrations.models import (
    AuditEntry,
    Delivery,
    FocalPoint,
    Mailing,
    Registration,
    RegistrationPolicy,
)
from convocation.registrations.tasks import send_registration_email
from convocation.side_events.models import SideEventPolicy, SideEventProposal
from convocation.treaties.models import Body, Organisation, State, Treaty, TreatyAction
from tests.meetings.html import tables

MODEL_ADMINS = sorted(admin.site._registry.values(), key=lambda model_admin: model_admin.opts.label)
SEARCHABLE = [model_admin for model_admin in MODEL_ADMINS if model_admin.search_fields]
FILTERED = [model_admin for model_admin in MODEL_ADMINS if model_admin.list_filter]
UTC = dt.UTC


def label(model_admin):
    return model_admin.opts.label_lower


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def records(demo, staff_client):
    """The demo, and a record of each registered model the demo leaves empty.

    A second treaty makes the "by treaty" filters appear: with one choice, Django hides them.
    """
    Treaty.objects.create(
        code="cwc",
        name="Chemical Weapons Convention",
        secretariat_address="Johan de Wittlaan 32\n2517 JR The Hague",
        official_languages="ar,en,es,fr,ru,zh",
        entry_into_force=dt.date(1997, 4, 29),
        entry_into_force_delay_days=30,
    )
    Organisation.objects.create(
        name="Stockholm International Peace Research Institute",
        acronym="SIPRI",
        category=Organisation.Category.ACADEMIA,
    )
    Group.objects.create(name="Secretariat officers")
    draft_letter(
        meeting=Meeting.objects.get(slug="att-csp12-wg"),
        language="en",
        letter_date=dt.date(2026, 1, 16),
    )
    _registration_records(Meeting.objects.get(slug="att-csp12-wg"))
    _side_event_and_nomination_records(Meeting.objects.get(slug="att-csp12-wg"))
    load_demo_documents()
    return demo


def _side_event_and_nomination_records(meeting):
    SideEventPolicy.objects.create(
        meeting=meeting,
        proposals_close_at=dt.datetime(2026, 3, 1, 23, 59, tzinfo=UTC),
        room_names="Room 3\nRoom 4",
    )
    SideEventProposal.objects.create(
        meeting=meeting,
        title="Ammunition stockpiles",
        organisers="Control Arms",
        date=meeting.start_date,
        starts_at=dt.time(13, 15),
        ends_at=dt.time(14, 45),
        format="in_person",
        expected_audience="Delegates, about 40",
        contact_name="Ada Contact",
        contact_email="ada@example.org",
    )
    Nomination.objects.create(
        vacancy=load_nomination_demo()[0],
        state=State.objects.get(code="ROU"),
        nominee_given_name="Ioana",
        nominee_family_name="Marin",
        nominee_email="ioana.marin@example.org",
        expertise="Export control licensing.",
        cv="nominations/1/cv.pdf",
        cv_name="cv.pdf",
    )


def _registration_records(meeting):
    """A registration with what hangs from it, a sign-in device and a queued task."""
    officer = get_user_model().objects.get(username="officer")
    person = Person.objects.create(given_name="Ana", family_name="Ionescu", email="ana@example.org")
    registration = Registration.objects.create(
        meeting=meeting,
        person=person,
        state=State.objects.get(code="ROU"),
        category="state_party",
        position="First Secretary",
        role="head",
        mode="in_person",
        gender="female",
        status="confirmed",
        consent_given_at=timezone.now(),
    )
    registration.sessions.set(meeting.sessions.all()[:2])
    RegistrationPolicy.objects.create(meeting=meeting, in_person_capacity=100)
    FocalPoint.objects.create(person=person, state=registration.state)
    mailing = Mailing.objects.create(
        meeting=meeting, subject="Room change", body="Room XX", created_by=officer
    )
    Delivery.objects.create(mailing=mailing, registration=registration, email=person.email)
    audit.record(officer, AuditEntry.Action.VIEWED, registration)
    AttendancePolicy.objects.create(meeting=meeting, allows_walk_ins=True)
    Attendance.objects.create(
        registration=registration, day=meeting.start_date, checked_in_by=officer
    )
    Intervention.objects.create(
        session=meeting.sessions.order_by("start").first(),
        order=1,
        state=registration.state,
        speaker=registration,
        logged_by=officer,
    )
    TOTPDevice.objects.create(user=officer, name="Phone", confirmed=True)
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        send_registration_email.enqueue(registration.pk, "registered")


# Reading pages


class _FormFields(HTMLParser):
    """The fields of one form, as a browser would submit them, and the text of chosen options."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id = form_id
        self.data: dict[str, list[str]] = {}
        self.chosen: dict[str, list[str]] = {}
        self._inside = False
        self._select: tuple[str, bool, list[tuple[str, str, bool]]] | None = None
        self._option: list | None = None
        self._textarea: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._inside = attrs.get("id") == self.form_id
        if not self._inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            default = "on" if kind in ("checkbox", "radio") else ""
            self.data.setdefault(name, []).append(attrs.get("value", default))
        elif tag == "select" and name:
            self._select = (name, "multiple" in attrs, [])
        elif tag == "option" and self._select is not None:
            self._option = [attrs.get("value"), [], "selected" in attrs]
        elif tag == "textarea" and name:
            self._textarea = (name, [])

    def handle_data(self, data):
        if self._option is not None:
            self._option[1].append(data)
        if self._textarea is not None:
            self._textarea[1].append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._inside = False
        elif tag == "option" and self._option is not None:
            value, text, selected = self._option
            text = "".join(text).strip()
            self._select[2].append((text if value is None else value, text, selected))
            self._option = None
        elif tag == "select" and self._select is not None:
            name, multiple, options = self._select
            chosen = [option for option in options if option[2]]
            if not chosen and not multiple:
                chosen = options[:1]  # what a browser sends when no option is marked
            self.data[name] = [value for value, _, _ in chosen]
            self.chosen[name] = [text for _, text, _ in chosen]
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            self.data[name] = ["".join(text).removeprefix("\n")]
            self._textarea = None


def form_fields(response, model):
    parser = _FormFields(f"{model._meta.model_name}_form")
    parser.feed(response.content.decode())
    return parser


def values(fields, prefix, count, suffix):
    return [fields.data[f"{prefix}-{number}-{suffix}"][0] for number in range(count)]


def page_text(response):
    content = response.content.decode().split('<div id="content"', 1)[1]
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", content))).strip()


def paginator(response):
    """How many records the foot of a changelist counts, such as "5 States"."""
    found = re.search(r'<p class="paginator">(.*?)</p>', response.content.decode(), re.S)
    text = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", found.group(1)))).strip()
    # Past one page, the page numbers come before the count and "Show all" after it.
    return re.search(r"\d+ \D+?(?= Show all|$)", text).group()


def result_rows(response):
    """The changelist's rows as a person reads them, without the selection checkbox."""
    html = response.content.decode()
    start = html.find('<table id="result_list">')
    if start == -1:
        return []
    table = html[start : html.index("</table>", start) + len("</table>")]
    return [row[1:] for row in tables(table)[0][1:]]


def first_column(response):
    return [row[0] for row in result_rows(response)]


def follow_lookup(record, path):
    """The value reached from a record by a lookup such as ``holder__family_name``."""
    value = record
    for part in path.split("__"):
        value = getattr(value, part, None) if value is not None else None
    return value


# Every registered model


def test_admin_index_links_every_registered_model(staff_client, records):
    response = staff_client.get("/admin/")

    assert response.status_code == 200
    linked = sorted(
        model["admin_url"] for app in response.context["app_list"] for model in app["models"]
    )
    assert linked == sorted(
        admin_url(model_admin.model, "changelist") for model_admin in MODEL_ADMINS
    )
    assert "<h1>Meeting cycle records</h1>" in response.content.decode()
    for model_admin in MODEL_ADMINS:
        href = admin_url(model_admin.model, "changelist")
        name = str(model_admin.opts.verbose_name_plural)
        assert f'<a href="{href}">{escape(name[0].upper() + name[1:])}</a>' in (
            response.content.decode()
        )


@pytest.mark.parametrize("model_admin", MODEL_ADMINS, ids=label)
def test_admin_changelist_shows_every_record(staff_client, records, model_admin):
    model = model_admin.model
    count = model._default_manager.count()

    response = staff_client.get(admin_url(model, "changelist"))

    assert response.status_code == 200
    assert count > 0, f"give the demo or the records fixture a {model._meta.verbose_name}"
    name = model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural
    assert paginator(response) == f"{count} {name}"
    assert len(result_rows(response)) == min(count, model_admin.list_per_page)


@pytest.mark.parametrize("model_admin", SEARCHABLE, ids=label)
def test_admin_changelist_search_finds_the_matching_records(staff_client, records, model_admin):
    model = model_admin.model
    record = model._default_manager.order_by("pk").first()
    fields = [field.lstrip("^=@") for field in model_admin.search_fields]
    term = next(
        str(value).split()[0]
        for value in (follow_lookup(record, field) for field in fields)
        if value not in (None, "")
    )
    expected = set(
        model._default_manager.filter(
            reduce(or_, [Q(**{f"{field}__icontains": term}) for field in fields])
        ).values_list("pk", flat=True)
    )

    response = staff_client.get(admin_url(model, "changelist"), {"q": term})

    assert response.status_code == 200
    shown = {obj.pk for obj in response.context["cl"].result_list}
    assert shown == expected
    assert record.pk in shown
    total = model._default_manager.count()
    if len(expected) < total:
        results = f"{len(expected)} result" + ("" if len(expected) == 1 else "s")
        assert f'{results} (<a href="?">{total} total</a>)' in response.content.decode()
    assert len(result_rows(response)) == len(expected)


@pytest.mark.parametrize("model_admin", FILTERED, ids=label)
def test_admin_changelist_each_filter_applies(staff_client, records, model_admin):
    url = admin_url(model_admin.model, "changelist")
    changelist = staff_client.get(url).context["cl"]
    # A filter without choices is dropped from the page: every one must have something to show.
    assert len(changelist.filter_specs) == len(model_admin.list_filter)

    for position, spec in enumerate(changelist.filter_specs):
        choice = next(choice for choice in spec.choices(changelist) if not choice["selected"])

        response = staff_client.get(url + choice["query_string"])

        assert response.status_code == 200, f"{spec.title}: {choice['display']}"
        applied = response.context["cl"]
        selected = [
            other["display"]
            for other in applied.filter_specs[position].choices(applied)
            if other["selected"]
        ]
        assert selected == [choice["display"]]
        rows = len(result_rows(response))
        assert rows == min(applied.result_count, model_admin.list_per_page)
        assert applied.result_count <= applied.full_result_count


@pytest.mark.parametrize("model_admin", MODEL_ADMINS, ids=label)
def test_admin_add_page_renders_an_empty_form(staff_client, model_admin):
    model = model_admin.model

    response = staff_client.get(admin_url(model, "add"))

    if not model_admin.has_add_permission(response.wsgi_request):
        # Records made only by the rules (registrations, the audit trail, queued tasks).
        assert response.status_code == 403
        return
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>Add {escape(str(model._meta.verbose_name))}</h1>" in html
    assert response.context["adminform"].form.is_bound is False
    assert [
        (inline.formset.prefix, inline.formset.initial_form_count())
        for inline in response.context["inline_admin_formsets"]
    ] == [
        (inline_fk(inline, model).remote_field.get_accessor_name(model=False), 0)
        for inline in model_admin.get_inline_instances(response.wsgi_request)
    ]


def inline_fk(inline, parent_model):
    """The foreign key by which an inline's rows belong to the parent."""
    if inline.fk_name:
        return inline.model._meta.get_field(inline.fk_name)
    return next(
        field
        for field in inline.model._meta.get_fields()
        if isinstance(field, models.ForeignKey) and field.related_model is parent_model
    )


@pytest.mark.parametrize("model_admin", MODEL_ADMINS, ids=label)
def test_admin_change_page_shows_the_record(staff_client, records, model_admin):
    model = model_admin.model
    record = model._default_manager.order_by("pk").first()

    response = staff_client.get(admin_url(model, "change", record.pk))

    assert response.status_code == 200
    html = response.content.decode()
    verb = "Change" if model_admin.has_change_permission(response.wsgi_request, record) else "View"
    assert f"<h1>{verb} {escape(str(model._meta.verbose_name))}</h1>" in html
    assert f"<h2>{escape(str(record))}</h2>" in html
    form = response.context["adminform"].form
    fields = form_fields(response, model)
    text_fields = [
        name
        for name, field in form.fields.items()
        if getattr(field.widget, "input_type", None) in {"text", "email", "url"}
        and isinstance(model._meta.get_field(name), models.CharField)
        and not model._meta.get_field(name).choices
    ]
    assert {name: fields.data[name] for name in text_fields} == {
        name: [str(getattr(record, name))] for name in text_fields
    }
    for inline in response.context["inline_admin_formsets"]:
        fk = inline_fk(inline.opts, model)
        rows = inline.opts.model._default_manager.filter(**{fk.name: record}).count()
        prefix = inline.formset.prefix
        assert fields.data[f"{prefix}-INITIAL_FORMS"] == [str(rows)]
        assert fields.data[f"{prefix}-TOTAL_FORMS"] == [str(rows + inline.opts.extra)]


# Access


def test_admin_anonymous_is_sent_to_the_login_page(client, demo):
    response = client.get("/admin/meetings/meeting/")

    assert (response.status_code, response["Location"]) == (
        302,
        "/admin/login/?next=/admin/meetings/meeting/",
    )


def test_admin_non_staff_user_is_sent_to_the_login_page(client, demo, django_user_model):
    client.force_login(django_user_model.objects.create_user("delegate", password="x" * 20))

    response = client.get("/admin/meetings/meeting/")

    assert (response.status_code, response["Location"]) == (
        302,
        "/admin/login/?next=/admin/meetings/meeting/",
    )


# Meetings and their sessions, in Geneva time

CSP12_STARTS = ["10:00:00", "15:00:00"] * 4
CSP12_ENDS = ["13:00:00", "18:00:00"] * 4
CSP12_DAYS = [
    day
    for day in ["2026-03-16", "2026-03-17", "2026-03-18", "2026-03-19"]
    for _slot in ("morning", "afternoon")
]


def sessions_of(meeting):
    return list(meeting.sessions.order_by("pk").values_list("pk", "body_id", "start", "end"))


def test_admin_meeting_change_page_lists_sessions_in_geneva_time(staff_client, records):
    meeting = Meeting.objects.get(slug="att-csp12-wg")
    first = meeting.sessions.order_by("start").first()
    # Stored in UTC: 10:00 in Geneva in March, before summer time, is 09:00 UTC.
    assert first.start == dt.datetime(2026, 3, 16, 9, 0, tzinfo=UTC)

    response = staff_client.get(admin_url(Meeting, "change", meeting.pk))

    assert response.status_code == 200
    fields = form_fields(response, Meeting)
    assert fields.data["sessions-TOTAL_FORMS"] == ["8"]
    assert fields.data["sessions-INITIAL_FORMS"] == ["8"]
    assert values(fields, "sessions", 8, "start_0") == CSP12_DAYS
    assert values(fields, "sessions", 8, "start_1") == CSP12_STARTS
    assert values(fields, "sessions", 8, "end_1") == CSP12_ENDS
    assert [fields.chosen[f"sessions-{number}-body"][0] for number in range(8)] == [
        "WGETI Sub-working Group on exchange of national implementation practices",
        "WGETI Sub-working Group on exchange of national implementation practices",
        "WGETI Sub-working Group on current and emerging implementation issues",
        "WGETI Sub-working Group on current and emerging implementation issues",
        "WGETI Sub-working Group on current and emerging implementation issues",
        "WGTU",
        "WGTR",
        "WGTR",
    ]
    assert "Sessions (times in the meeting&#x27;s time zone)" in response.content.decode()
    assert fields.data["time_zone"] == ["Europe/Zurich"]


def test_admin_meeting_change_page_csp10_in_geneva_time(staff_client, records):
    meeting = Meeting.objects.get(slug="att-csp10-wg")

    fields = form_fields(staff_client.get(admin_url(Meeting, "change", meeting.pk)), Meeting)

    assert values(fields, "sessions", 8, "start_1") == ["10:00:00", "15:00:00"] * 4
    assert values(fields, "sessions", 8, "start_0")[:2] == ["2024-02-20", "2024-02-20"]


@pytest.mark.parametrize(
    ("time_zone", "day", "utc_hour", "shown"),
    [
        pytest.param("Europe/Zurich", dt.date(2025, 8, 25), 8, "10:00:00", id="geneva-summer"),
        pytest.param("America/New_York", dt.date(2025, 8, 25), 14, "10:00:00", id="new-york"),
        pytest.param("America/New_York", dt.date(2026, 1, 12), 15, "10:00:00", id="ny-winter"),
    ],
)
def test_admin_meeting_change_page_uses_the_meeting_time_zone(
    staff_client, records, time_zone, day, utc_hour, shown
):
    meeting = Meeting.objects.create(
        cycle=ConferenceCycle.objects.get(number=11),
        slug="att-csp11-informal",
        kind=Meeting.Kind.OTHER,
        title="ATT CSP11 informal meeting",
        venue="Conference room",
        city="Geneva" if time_zone == "Europe/Zurich" else "New York",
        country="Switzerland" if time_zone == "Europe/Zurich" else "United States",
        time_zone=time_zone,
        start_date=day,
        end_date=day,
    )
    start = dt.datetime.combine(day, dt.time(utc_hour), tzinfo=UTC)
    meeting.sessions.create(
        body=Body.objects.get(slug="wgtu"), start=start, end=start + dt.timedelta(hours=3)
    )

    fields = form_fields(staff_client.get(admin_url(Meeting, "change", meeting.pk)), Meeting)

    assert (fields.data["sessions-0-start_0"], fields.data["sessions-0-start_1"]) == (
        [day.isoformat()],
        [shown],
    )


def test_admin_meeting_form_reads_session_times_in_geneva_time(staff_client, records):
    meeting = Meeting.objects.get(slug="att-csp12-wg")
    url = admin_url(Meeting, "change", meeting.pk)
    fields = form_fields(staff_client.get(url), Meeting)
    fields.data["sessions-0-start_1"] = ["10:30:00"]

    response = staff_client.post(url, fields.data)

    assert (response.status_code, response["Location"]) == (302, admin_url(Meeting, "changelist"))
    first = meeting.sessions.order_by("start").first()
    assert (first.start, first.end) == (
        dt.datetime(2026, 3, 16, 9, 30, tzinfo=UTC),
        dt.datetime(2026, 3, 16, 12, 0, tzinfo=UTC),
    )
    assert meeting.sessions.count() == 8


def test_admin_meeting_form_session_ending_before_it_starts_is_refused(staff_client, records):
    meeting = Meeting.objects.get(slug="att-csp12-wg")
    url = admin_url(Meeting, "change", meeting.pk)
    fields = form_fields(staff_client.get(url), Meeting)
    fields.data["sessions-0-end_1"] = ["09:30:00"]  # the session starts at 10:00
    fields.data["title"] = ["A title that must not be saved"]
    before = (sessions_of(meeting), Meeting.objects.get(pk=meeting.pk).updated_at)

    response = staff_client.post(url, fields.data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {}
    sessions = response.context["inline_admin_formsets"][0].formset
    assert sessions.errors == [{"end": ["A session must end after it starts."]}] + [{}] * 7
    assert "Please correct the error below." in page_text(response)
    assert "A session must end after it starts." in page_text(response)
    # The form comes back with what the officer typed, in Geneva time.
    again = form_fields(response, Meeting)
    assert again.data["sessions-0-end_1"] == ["09:30:00"]
    assert again.data["title"] == ["A title that must not be saved"]
    after = Meeting.objects.get(pk=meeting.pk)
    assert (sessions_of(meeting), after.updated_at) == before
    assert after.title == "ATT CSP12 Working Group meetings"


def test_admin_session_change_page_shows_geneva_time_like_the_meeting(staff_client, records):
    # The same session, opened from the sessions list rather than from its meeting, must show
    # the same time: an officer who types 10:00 here means 10:00 in Geneva.
    session = Meeting.objects.get(slug="att-csp12-wg").sessions.order_by("start").first()

    fields = form_fields(staff_client.get(admin_url(Session, "change", session.pk)), Session)

    assert (fields.data["start_1"], fields.data["end_1"]) == (["10:00:00"], ["13:00:00"])


# Cycles and their offices


def test_admin_cycle_change_page_shows_its_offices(staff_client, records):
    cycle = ConferenceCycle.objects.get(number=12)

    response = staff_client.get(admin_url(ConferenceCycle, "change", cycle.pk))

    assert response.status_code == 200
    fields = form_fields(response, ConferenceCycle)
    assert fields.data["offices-INITIAL_FORMS"] == ["3"]
    assert fields.data["offices-TOTAL_FORMS"] == ["4"]  # and one empty row to add an office
    assert [fields.chosen[f"offices-{number}-title"] for number in range(3)] == [
        ["Chair"],
        ["Facilitator"],
        ["President"],
    ]
    assert [fields.chosen[f"offices-{number}-body"] for number in range(3)] == [
        ["WGETI"],
        ["WGETI Sub-working Group on current and emerging implementation issues"],
        [""],
    ]
    assert [fields.chosen[f"offices-{number}-holder"] for number in range(3)] == [
        [""],
        [""],
        ["Ms. Tsholofelo TSHEOLE"],
    ]
    assert "<h2>ATT CSP12</h2>" in response.content.decode()


# Filters, with what each one lists


def pk_of(model, **lookup):
    return str(model._default_manager.get(**lookup).pk)


FILTER_CASES = [
    pytest.param(
        ConferenceCycle,
        lambda: {"treaty__id__exact": pk_of(Treaty, code="att")},
        ["ATT CSP12", "ATT CSP11", "ATT CSP10", "ATT CSP9"],
        id="cycle-treaty",
    ),
    pytest.param(
        Office,
        lambda: {"vacant": "yes"},
        ["ATT CSP12", "ATT CSP12"],
        id="office-vacant",
    ),
    pytest.param(
        Office,
        lambda: {"title__exact": "president"},
        ["ATT CSP12", "ATT CSP10"],
        id="office-title",
    ),
    pytest.param(
        Meeting,
        lambda: {"cycle__id__exact": pk_of(ConferenceCycle, number=10)},
        ["ATT CSP10 Working Group meetings"],
        id="meeting-cycle",
    ),
    pytest.param(
        Meeting,
        lambda: {"registration__exact": "required"},
        ["ATT CSP12 Working Group meetings"],
        id="meeting-registration",
    ),
    pytest.param(
        Meeting,
        lambda: {"livestream__exact": "public"},
        ["ATT CSP10 Working Group meetings"],
        id="meeting-livestream",
    ),
    pytest.param(
        Meeting,
        lambda: {"status__exact": "held", "kind__exact": "working_groups"},
        ["ATT CSP12 Working Group meetings", "ATT CSP10 Working Group meetings"],
        id="meeting-status-and-kind",
    ),
    pytest.param(Meeting, lambda: {"status__exact": "cancelled"}, [], id="meeting-none"),
    pytest.param(
        Session,
        lambda: {"body__id__exact": pk_of(Body, slug="wgtr")},
        ["WGTR"] * 4,
        id="session-body",
    ),
    pytest.param(
        Session,
        lambda: {"meeting__id__exact": pk_of(Meeting, slug="att-csp10-wg")},
        [
            "WGETI Sub-working Group on Articles 6&7",
            "WGETI Sub-working Group on exchange of national implementation practices",
            "WGETI Sub-working Group on exchange of national implementation practices",
            "WGETI Sub-working Group on current and emerging implementation issues",
            "WGTU",
            "DIEF",
            "WGTR",
            "WGTR",
        ],
        id="session-meeting",
    ),
    pytest.param(
        Body,
        lambda: {"access__exact": "parties_and_signatories"},
        ["DIEF"],
        id="body-access",
    ),
    pytest.param(
        Body,
        lambda: {"kind__exact": "working_group"},
        ["WGETI", "WGTU", "WGTR"],
        id="body-kind",
    ),
    pytest.param(
        Organisation,
        lambda: {"category__exact": "academia"},
        ["Stockholm International Peace Research Institute"],
        id="organisation-category",
    ),
    pytest.param(
        TreatyAction,
        lambda: {"kind__exact": "signature"},
        ["France", "Romania", "Switzerland", "United Kingdom", "United States"],
        id="treaty-action-kind",
    ),
    pytest.param(
        TreatyAction,
        lambda: {"kind__exact": "accession"},
        ["China"],
        id="treaty-action-accession",
    ),
]


@pytest.mark.parametrize(("model", "params", "expected"), FILTER_CASES)
def test_admin_changelist_filter_lists(staff_client, records, model, params, expected):
    response = staff_client.get(admin_url(model, "changelist"), params())

    assert response.status_code == 200
    assert first_column(response) == expected
    name = model._meta.verbose_name if len(expected) == 1 else model._meta.verbose_name_plural
    assert paginator(response) == f"{len(expected)} {name}"


def test_admin_state_changelist_status_today_state_party(staff_client, records):
    response = staff_client.get("/admin/treaties/state/", {"status": "state_party"})

    assert response.status_code == 200
    assert first_column(response) == [
        "China",
        "France",
        "Romania",
        "Switzerland",
        "United Kingdom",
    ]
    assert paginator(response) == "5 States"
    text = page_text(response)
    assert "China" in text
    assert "Russian Federation" not in text


def test_admin_state_changelist_status_today_signatory_and_observer(staff_client, records):
    signatories = staff_client.get("/admin/treaties/state/", {"status": "signatory"})
    observers = staff_client.get("/admin/treaties/state/", {"status": "observer"})

    assert result_rows(signatories) == [["United States", "USA", "US"]]
    assert paginator(observers) == "189 States"
    russia = staff_client.get("/admin/treaties/state/", {"status": "observer", "q": "Russia"})
    assert result_rows(russia) == [["Russian Federation", "RUS", "RU"]]
    china = staff_client.get("/admin/treaties/state/", {"status": "observer", "q": "China"})
    assert (result_rows(china), paginator(china)) == ([], "0 States")


def test_admin_state_changelist_search_by_code(staff_client, records):
    response = staff_client.get("/admin/treaties/state/", {"q": "IRN"})

    assert result_rows(response) == [["Iran (Islamic Republic of)", "IRN", "IR"]]


def test_admin_state_change_page_shows_treaty_actions(staff_client, records):
    response = staff_client.get("/admin/treaties/state/CHE/change/")

    fields = form_fields(response, State)
    assert fields.data["treaty_actions-INITIAL_FORMS"] == ["2"]
    assert values(fields, "treaty_actions", 2, "kind") == ["signature", "ratification"]
    assert values(fields, "treaty_actions", 2, "date") == ["2013-06-03", "2015-01-30"]


def test_admin_cycle_form_refuses_a_second_president_with_a_form_error(staff_client, records):
    cycle = ConferenceCycle.objects.get(number=12)
    url = admin_url(ConferenceCycle, "change", cycle.pk)
    fields = form_fields(staff_client.get(url), ConferenceCycle)
    new = int(fields.data["offices-TOTAL_FORMS"][0]) - 1  # the empty form the page adds
    fields.data[f"offices-{new}-title"] = ["president"]
    fields.data[f"offices-{new}-seat"] = ["1"]
    offices = Office.objects.filter(cycle=cycle).count()

    response = staff_client.post(url, fields.data)

    assert response.status_code == 200
    assert "Please correct the error below." in page_text(response)
    assert Office.objects.filter(cycle=cycle).count() == offices


def test_admin_cycle_form_with_two_new_presidents_saves_nothing(staff_client, records):
    cycle = ConferenceCycle.objects.get(number=10)
    Office.objects.filter(cycle=cycle, title="president").delete()
    url = admin_url(ConferenceCycle, "change", cycle.pk)
    fields = form_fields(staff_client.get(url), ConferenceCycle)
    total = int(fields.data["offices-TOTAL_FORMS"][0])
    fields.data["offices-TOTAL_FORMS"] = [str(total + 1)]
    for number in (total - 1, total):
        fields.data[f"offices-{number}-title"] = ["president"]
        fields.data[f"offices-{number}-seat"] = ["1"]
    fields.data["announcement_date"] = ["2023-11-21"]
    offices = set(Office.objects.filter(cycle=cycle).values_list("pk", flat=True))

    response = staff_client.post(url, fields.data)

    assert response.status_code == 409
    assert "This change was not saved" in response.content.decode()
    assert "nothing was saved" in response.content.decode()
    assert set(Office.objects.filter(cycle=cycle).values_list("pk", flat=True)) == offices
    assert ConferenceCycle.objects.get(pk=cycle.pk).announcement_date != dt.date(2023, 11, 21)
