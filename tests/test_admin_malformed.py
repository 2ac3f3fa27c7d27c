"""The back office given a form or an address edited by hand: a clear 400 or a form error.

Each case below was a 500 inside Django's admin code (a sweep of every route found them as
superuser): an action's selected rows, a regular-expression filter, the date drill-down at
its last year, and an autocomplete field given what cannot be a key.
"""

import datetime as dt
import zoneinfo

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

from convocation.cycles.models import Office
from convocation.meetings.models import Meeting
from convocation.treaties.models import TreatyAction
from tests.registrations.conftest import build_week

NOT_KEYS = ["abc", "²", "9" * 19, "1.5"]


@pytest.fixture
def week(db):
    return build_week()


@pytest.mark.parametrize("key", NOT_KEYS)
@pytest.mark.parametrize(
    "changelist",
    ["/admin/meetings/meeting/", "/admin/auth/user/", "/admin/treaties/treatyaction/"],
)
def test_an_action_on_rows_that_cannot_exist_changes_nothing(week, back_office, changelist, key):
    meetings, actions = Meeting.objects.count(), TreatyAction.objects.count()
    first = str(Meeting.objects.values_list("pk", flat=True).first())
    response = back_office.post(
        changelist,
        {"action": "delete_selected", "index": "0", ACTION_CHECKBOX_NAME: [first, key]},
    )
    assert response.status_code == 400
    assert "nothing was changed" in response.content.decode()
    assert (Meeting.objects.count(), TreatyAction.objects.count()) == (meetings, actions)


def test_an_action_on_rows_that_exist_still_runs(week, back_office):
    first = Meeting.objects.order_by("pk").first()
    response = back_office.post(
        "/admin/meetings/meeting/",
        {"action": "delete_selected", "index": "0", ACTION_CHECKBOX_NAME: [str(first.pk)]},
    )
    # The confirmation page of the deletion, naming the meeting.
    assert response.status_code == 200
    assert first.title in response.content.decode()


@pytest.mark.parametrize("lookup", ["id__regex", "title__iregex", "meeting__title__regex"])
def test_a_regular_expression_filter_in_the_address_is_refused(week, back_office, lookup):
    url = "/admin/meetings/session/" if lookup.startswith("meeting__") else None
    response = back_office.get(url or "/admin/meetings/meeting/", {lookup: "("})
    assert response.status_code == 400
    assert "is not available" in response.content.decode()


def test_other_filters_in_the_address_still_work(week, back_office):
    response = back_office.get("/admin/meetings/meeting/", {"title__icontains": "next"})
    assert response.status_code == 200
    assert week.meeting.title in response.content.decode()


@pytest.mark.parametrize("month", [None, "12"])
def test_the_date_drill_down_at_the_last_year_is_refused(week, back_office, month):
    query = {"start_date__year": "9999"} | ({"start_date__month": month} if month else {})
    response = back_office.get("/admin/meetings/meeting/", query)
    assert response.status_code == 400
    assert "outside the calendar" in response.content.decode()


def test_the_date_drill_down_of_a_real_year_still_works(week, back_office):
    year = str(week.meeting.start_date.year)
    response = back_office.get(
        "/admin/meetings/meeting/", {"start_date__year": year, "start_date__month": "12"}
    )
    assert response.status_code == 200
    # Django's own answer to a year it cannot read is unchanged: back to the whole list.
    assert back_office.get("/admin/meetings/meeting/", {"start_date__year": "x"}).status_code == 302


@pytest.mark.parametrize("key", NOT_KEYS)
def test_an_autocomplete_field_given_no_key_is_a_form_error(week, back_office, key):
    offices = Office.objects.count()
    prefilled = back_office.get("/admin/cycles/office/add/", {"holder": key, "body": key})
    assert prefilled.status_code == 200
    posted = back_office.post(
        "/admin/cycles/office/add/", {"title": "Chair", "holder": key, "body": key}
    )
    assert posted.status_code == 200
    assert "errornote" in posted.content.decode()
    assert Office.objects.count() == offices


@pytest.mark.parametrize("key", NOT_KEYS)
def test_an_autocomplete_field_of_an_inline_given_no_key_is_a_form_error(week, back_office, key):
    meeting = week.meeting
    sessions = meeting.sessions.count()
    day = meeting.start_date + dt.timedelta(days=1)
    form = back_office.get(f"/admin/meetings/meeting/{meeting.pk}/change/")
    assert form.status_code == 200
    data = {
        field.name: field.value()
        for field in form.context["adminform"].form
        if field.value() is not None
    }
    data["start_date"], data["end_date"] = meeting.start_date, meeting.end_date
    management = form.context["inline_admin_formsets"][0].formset.management_form
    prefix = management.prefix
    data |= {
        f"{prefix}-TOTAL_FORMS": str(sessions + 1),
        f"{prefix}-INITIAL_FORMS": str(sessions),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for number, session in enumerate(meeting.sessions.order_by("start")):
        for name in ("id", "body", "start", "end"):
            value = getattr(session, "body_id" if name == "body" else name)
            data[f"{prefix}-{number}-{name}"] = value
    data |= {f"{prefix}-{sessions}-body": key, f"{prefix}-{sessions}-start": f"{day} 10:00"}
    response = back_office.post(f"/admin/meetings/meeting/{meeting.pk}/change/", data)
    assert response.status_code == 200
    assert "errornote" in response.content.decode()
    assert meeting.sessions.count() == sessions


def test_every_admin_with_autocomplete_fields_draws_only_keys():
    from django.contrib import admin

    from convocation.admin_fields import TypedAutocomplete

    admins = list(admin.site._registry.values())
    for model_admin in list(admins):
        admins += [inline(model_admin.model, admin.site) for inline in model_admin.inlines]
    with_autocomplete = [a for a in admins if a.autocomplete_fields]
    assert len(with_autocomplete) >= 9
    for model_admin in with_autocomplete:
        assert isinstance(model_admin, TypedAutocomplete), type(model_admin).__name__


@pytest.mark.parametrize(
    "query",
    [
        {"date__year": "+9999"},
        {"date__year": "٩٩٩٩", "date__month": "12"},
        {"date__year": "9999", "date__month": "12", "date__day": "31"},
        {"date__year": "2026", "date__month": "3", "date__day": "1" * 19},
        {"date__year": "2026", "date__month": "9" * 19},
    ],
)
def test_a_drill_down_outside_the_calendar_is_refused(week, back_office, query):
    response = back_office.get("/admin/treaties/treatyaction/", query)
    assert response.status_code == 400
    assert "outside the calendar" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [{"date__year": "1" * 5000}, {"date__year": "0"}, {"date__year": "2026", "date__month": "13"}],
)
def test_a_drill_down_django_cannot_read_goes_back_to_the_list(week, back_office, query):
    assert back_office.get("/admin/treaties/treatyaction/", query).status_code == 302


@pytest.mark.parametrize("page", ["meetings/meeting/{pk}/change/", "meetings/meeting/add/"])
def test_an_empty_field_to_name_rows_by_is_refused(week, back_office, page):
    url = "/admin/" + page.format(pk=week.meeting.pk)
    response = back_office.get(url, {"_to_field": ""})
    assert response.status_code == 400
    assert "names the rows" in response.content.decode()
    assert back_office.get(url, {"_to_field": "id", "_popup": "1"}).status_code == 200


def test_no_one_sees_an_authenticator_secret_in_the_back_office(back_office, django_user_model):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    colleague = django_user_model.objects.create_user("colleague", is_staff=True)
    device = TOTPDevice.objects.create(user=colleague, name="Phone", confirmed=True)
    base = "/admin/otp_totp/totpdevice/"
    for url in (f"{base}{device.pk}/config/", f"{base}{device.pk}/qrcode/", f"{base}99999/config/"):
        assert back_office.get(url).status_code == 403, url
    change = back_office.get(f"{base}{device.pk}/change/")
    assert change.status_code == 200
    assert device.key not in change.content.decode()


def test_every_inline_checks_the_rules_that_name_its_parent():
    from django.contrib import admin
    from django.forms.models import _get_foreign_key

    from convocation.admin_fields import ConstraintsChecked

    checked = []
    for parent in admin.site._registry.values():
        for inline_class in parent.inlines:
            inline = inline_class(parent.model, admin.site)
            fk = _get_foreign_key(parent.model, inline.model, fk_name=inline.fk_name)
            named = [
                constraint
                for constraint in inline.model._meta.constraints
                if fk.name in getattr(constraint, "fields", ())
            ]
            if named:
                assert isinstance(inline, ConstraintsChecked), inline_class.__qualname__
                checked.append(inline_class)
    assert len(checked) >= 6


NOT_AVAILABLE, CANNOT_TAKE = "is not available", "cannot take the value"


@pytest.mark.parametrize(
    ("changelist", "query", "said"),
    [
        # Lookups no list builds.
        ("/admin/auth/group/", {"id__range": "9" * 19}, NOT_AVAILABLE),
        ("/admin/auth/group/", {"id__range": "٣"}, NOT_AVAILABLE),
        ("/admin/auth/user/", {"last_login__year": "9" * 19}, NOT_AVAILABLE),
        ("/admin/treaties/treaty/", {"entry_into_force__year": "-1"}, NOT_AVAILABLE),
        ("/admin/registrations/auditentry/", {"details__contains": "x"}, NOT_AVAILABLE),
        ("/admin/meetings/meeting/", {"start_date__month__gt": "1"}, NOT_AVAILABLE),
        # Plain comparisons with a value their field cannot take.
        ("/admin/treaties/treaty/", {"entry_into_force_delay_days__in": "9" * 19}, CANNOT_TAKE),
        ("/admin/treaties/treaty/", {"entry_into_force_delay_days__gte": "9" * 19}, CANNOT_TAKE),
        ("/admin/meetings/schedulerevision/", {"number__in": "1," + "9" * 19}, CANNOT_TAKE),
        ("/admin/meetings/meeting/", {"cycle__id__exact": "abc"}, CANNOT_TAKE),
        ("/admin/meetings/meeting/", {"cycle": "²"}, CANNOT_TAKE),
        ("/admin/meetings/meeting/", {"start_date__gte": "2026-02-30"}, CANNOT_TAKE),
    ],
)
def test_a_filter_the_lists_do_not_build_is_refused(week, back_office, changelist, query, said):
    response = back_office.get(changelist, query)
    assert response.status_code == 400
    assert said in response.content.decode()


def test_the_filters_the_lists_build_still_work(week, back_office):
    meeting = week.meeting
    for changelist, query in [
        ("/admin/meetings/meeting/", {"cycle__id__exact": str(meeting.cycle_id)}),
        ("/admin/meetings/meeting/", {"status__exact": "planned", "kind__exact": "x"}),
        ("/admin/meetings/session/", {"meeting__id__exact": str(meeting.pk)}),
        (
            "/admin/meetings/meeting/",
            {"start_date__gte": "2026-01-01", "start_date__lt": "2099-1-1"},
        ),
        ("/admin/auth/user/", {"is_staff__exact": "1", "groups__id__exact": "1"}),
        ("/admin/registrations/registration/", {"meeting": str(meeting.pk), "status__exact": "x"}),
        ("/admin/registrations/auditentry/", {"at__gte": "2026-12-06 00:00:00+00:00"}),
        ("/admin/meetings/meeting/", {"title__icontains": "(", "cycle__isnull": "maybe"}),
        ("/admin/meetings/meeting/", {"q": "(", "o": "2", "p": "1", "nothing": "at all"}),
    ]:
        response = back_office.get(changelist, query)
        assert response.status_code in (200, 302), (changelist, query)
    add = back_office.get(
        "/admin/meetings/session/add/", {"meeting": str(meeting.pk), "x__in": "("}
    )
    assert add.status_code == 200


def test_the_export_of_a_list_reads_its_filters_as_the_list_does(week, back_office):
    export = "/admin/registrations/registration/export/csv/"
    assert back_office.get(export, {"created_at__year": "9" * 19}).status_code == 400
    assert back_office.get(export, {"meeting__id__exact": "abc"}).status_code == 400
    listed = back_office.get(export, {"meeting__id__exact": str(week.meeting.pk)})
    assert listed.status_code == 200
    assert listed["Content-Type"].startswith("text/csv")


def test_no_change_page_edits_the_key_of_its_row(rf, django_user_model):
    # Django saves a row whose key was changed as a second row; the first stays.
    from django.contrib import admin

    request = rf.get("/admin/")
    request.user = django_user_model(is_staff=True, is_superuser=True)
    keyed = []
    for model, model_admin in admin.site._registry.items():
        key = model._meta.pk
        if key.editable and not key.auto_created and key.get_internal_type() != "AutoField":
            readonly = model_admin.get_readonly_fields(request, model())
            assert key.name in readonly, type(model_admin).__name__
            keyed.append(model)
    assert len(keyed) >= 4


def test_a_state_code_is_not_changed_on_its_page(week, back_office):
    page = back_office.get("/admin/treaties/state/CHE/change/")
    assert page.status_code == 200
    assert 'name="code"' not in page.content.decode()


@pytest.mark.parametrize("name", ["start", "end"])
def test_a_session_time_outside_the_calendar_is_a_form_error(week, name):
    from django.core.exceptions import ValidationError

    session = week.wgtu
    pago_pago = dt.datetime(9999, 12, 31, 23, 59, tzinfo=zoneinfo.ZoneInfo("Pacific/Pago_Pago"))
    setattr(session, name, pago_pago)
    with pytest.raises(ValidationError) as refused:
        session.clean()
    assert refused.value.message_dict == {name: ["This time is outside the calendar."]}


def test_a_session_ending_past_the_calendar_is_not_saved_by_the_admin(week, back_office):
    session = week.wgtu
    meeting = session.meeting
    Meeting.objects.filter(pk=meeting.pk).update(time_zone="Pacific/Pago_Pago")
    response = back_office.post(
        f"/admin/meetings/session/{session.pk}/change/",
        {
            "meeting": meeting.pk,
            "body": session.body_id,
            "start_0": meeting.start_date.isoformat(),
            "start_1": "10:00:00",
            "end_0": "9999-12-31",
            "end_1": "23:59:59",
        },
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["end"]
    assert "This time is outside the calendar." in errors["end"]
    session.refresh_from_db()
    assert session.end.year < 9999


@pytest.mark.parametrize(("day", "time"), [("0001-01-01", "00:00"), ("9999-12-31", "23:59")])
def test_a_closing_time_outside_the_calendar_is_a_form_error(week, back_office, day, time):
    from convocation.registrations.models import RegistrationPolicy

    policy = RegistrationPolicy.objects.get(meeting=week.meeting)
    # West of UTC the last evening of 9999 is past the calendar; east of it, the first night.
    zone = "Europe/Zurich" if day.startswith("0001") else "America/New_York"
    Meeting.objects.filter(pk=week.meeting.pk).update(time_zone=zone)
    url = f"/admin/registrations/registrationpolicy/{policy.pk}/change/"
    response = back_office.post(
        url,
        {"credential": "none", "closes_at_0": day, "closes_at_1": time, "_save": "Save"},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["closes_at"] == [
        "This time is outside the calendar."
    ]
    assert back_office.get(url).status_code == 200


def test_staff_without_the_delete_permission_cannot_delete_a_draft_letter(
    client, django_user_model, demo
):
    from django.contrib.auth.models import Permission

    from convocation.letters import services

    meeting = Meeting.objects.get(slug="att-csp12-wg")
    draft = services.draft_letter(meeting=meeting, language="en", letter_date=dt.date(2026, 3, 20))
    editor = django_user_model.objects.create_user("editor", is_staff=True)
    editor.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_letter", "change_letter"])
    )
    client.force_login(editor)
    assert client.get(f"/admin/letters/letter/{draft.pk}/delete/").status_code == 403
    client.post(
        "/admin/letters/letter/",
        {"action": "delete_selected", ACTION_CHECKBOX_NAME: [draft.pk], "post": "yes"},
    )
    assert meeting.letters.filter(pk=draft.pk).exists()
