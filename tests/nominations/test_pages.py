"""Vacancies, nominations by focal points of States Parties, who sees them, the appointment."""

import datetime as dt
import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils.formats import date_format

from convocation.cycles.models import Office
from convocation.letters.composition import compose_letter, letter_facts
from convocation.meetings.queries import meeting_with_schedule
from convocation.nominations import services
from convocation.nominations.models import Nomination, Vacancy
from convocation.people.models import Person
from convocation.treaties.models import State, Treaty, TreatyAction
from tests.nominations.conftest import docx, focal_point, nomination_form, pdf, today


def text(response) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def nominate_url(vacancy: Vacancy) -> str:
    return f"/vacancies/{vacancy.pk}/nominate/"


def test_public_list_shows_the_open_vacancies_with_their_deadlines(client, vacancies):
    page = text(client.get("/vacancies/"))
    deadline = date_format(vacancies["chair"].deadline)
    assert "Chair, Working Group on Effective Treaty Implementation" in page
    assert "Facilitator, WGETI Sub-working Group on current and emerging" in page
    assert f"16 January 2026 {deadline}" in page


def test_nominating_needs_a_signed_in_account(client, chair):
    response = client.get(nominate_url(chair))
    assert response["Location"] == f"/sign-in/?next={nominate_url(chair)}"


def test_an_account_that_is_no_focal_point_is_refused_with_the_reason(
    client, chair, django_user_model
):
    client.force_login(django_user_model.objects.create_user("x", email="x@example.org"))
    response = client.get(nominate_url(chair))
    assert response.status_code == 403
    assert "Your account is not the focal point of a State." in text(response)


def test_focal_point_of_a_state_party_nominates_with_a_cv(client, chair, django_user_model):
    user = focal_point(client, django_user_model, "ROU", "focal@example.org")

    form = client.get(nominate_url(chair))
    response = client.post(nominate_url(chair), {"state": "ROU", **nomination_form()})

    assert form.status_code == 200
    assert (response.status_code, response["Location"]) == (302, "/vacancies/")
    made = Nomination.objects.get()
    assert (made.state_id, made.nominee_name, made.submitted_by, made.cv_name) == (
        "ROU",
        "Ms. Ioana MARIN",
        user,
        "cv.pdf",
    )
    with made.cv.open("rb") as stored:
        assert stored.read().startswith(b"%PDF-")
    again = client.post(nominate_url(chair), {"state": "ROU", **nomination_form()})
    assert again.status_code == 400
    assert "Romania has already nominated a candidate for this office." in text(again)


def test_focal_point_of_a_signatory_state_is_refused(client, chair, django_user_model):
    focal_point(client, django_user_model, "USA", "focal@example.org")
    response = client.post(nominate_url(chair), {"state": "USA", **nomination_form()})
    assert response.status_code == 403
    assert (
        "Only States Parties may nominate, and the State you are focal point for is not a "
        f"State Party on {date_format(today())}."
    ) in text(response)
    assert Nomination.objects.count() == 0


@pytest.mark.parametrize(("becomes_party_in", "allowed"), [(0, True), (1, False), (-1, True)])
def test_eligibility_follows_the_status_on_the_day_of_submission(
    client, chair, django_user_model, becomes_party_in, allowed
):
    # ATT Article 22: a State Party 90 days after its deposit.
    treaty = Treaty.objects.get(code="att")
    deposit = today() + dt.timedelta(days=becomes_party_in - treaty.entry_into_force_delay_days)
    TreatyAction.objects.create(treaty=treaty, state_id="KEN", kind="accession", date=deposit)
    focal_point(client, django_user_model, "KEN", "focal@example.org")

    response = client.post(nominate_url(chair), {"state": "KEN", **nomination_form()})

    assert response.status_code == (302 if allowed else 403)
    assert Nomination.objects.filter(state_id="KEN").exists() is allowed


def test_a_focal_point_cannot_nominate_for_another_state(client, chair, django_user_model):
    focal_point(client, django_user_model, "ROU", "focal@example.org")
    response = client.post(nominate_url(chair), {"state": "GBR", **nomination_form()})
    assert response.status_code == 400
    assert "state" in response.context["form"].errors
    assert Nomination.objects.count() == 0


@pytest.mark.parametrize(("days_left", "allowed"), [(0, True), (-1, False)])
def test_the_deadline_day_still_takes_nominations(
    client, chair, django_user_model, days_left, allowed
):
    chair.deadline = today() + dt.timedelta(days=days_left)
    chair.save()
    focal_point(client, django_user_model, "ROU", "focal@example.org")

    response = client.post(nominate_url(chair), {"state": "ROU", **nomination_form()})

    assert response.status_code == (302 if allowed else 403)
    if not allowed:
        assert f"The deadline for nominations was {date_format(chair.deadline)}" in text(response)


def test_submit_nomination_checks_again_under_the_lock(chair, django_user_model, client):
    user = focal_point(client, django_user_model, "ROU", "focal@example.org")
    chair.status = Vacancy.Status.CLOSED
    chair.save()
    with pytest.raises(services.NominationError, match="no longer takes nominations"):
        services.submit_nomination(
            vacancy=chair,
            state=State.objects.get(code="ROU"),
            nominee=services.NomineeData("", "A", "B", "a@example.org", "x"),
            cv=pdf(),
            by=user,
        )


@pytest.mark.parametrize(
    ("upload", "error"),
    [
        (docx(), None),
        (pdf("cv.PDF"), None),
        (
            pdf("cv.docx"),
            "The file's name ends in .docx but it is a PDF file.",
        ),
        (
            SimpleUploadedFile("cv.pdf", b"just text, named as a PDF"),
            "Attach a PDF, Word (.docx) or OpenDocument (.odt) file.",
        ),
    ],
)
def test_the_cv_is_checked_by_content(client, chair, django_user_model, upload, error):
    focal_point(client, django_user_model, "ROU", "focal@example.org")
    response = client.post(nominate_url(chair), {"state": "ROU", **nomination_form(cv=upload)})
    if error is None:
        assert response.status_code == 302
    else:
        assert response.status_code == 400
        assert response.context["form"].errors == {"cv": [error]}


@pytest.fixture
def nomination(chair, client, django_user_model) -> Nomination:
    user = focal_point(client, django_user_model, "ROU", "focal@example.org")
    client.logout()
    return services.submit_nomination(
        vacancy=chair,
        state=State.objects.get(code="ROU"),
        nominee=services.NomineeData(
            "Ms.", "Ioana", "Marin", "ioana.marin@example.org", "Export control."
        ),
        cv=pdf(),
        by=user,
    )


def _sign_in_as(client, django_user_model, who: str):
    if who == "anonymous":
        return
    if who == "staff":
        client.force_login(
            django_user_model.objects.create_user("officer", email="o@example.org", is_staff=True)
        )
        return
    emails = {
        "delegate": "someone@example.org",
        "focal_point": "focal@example.org",
        "president": "tsheole@example.org",
        "other_president": "rusu@example.org",
    }
    Person.objects.filter(family_name="Tsheole").update(email="tsheole@example.org")
    Person.objects.filter(family_name="Rusu").update(email="rusu@example.org")
    client.force_login(django_user_model.objects.create_user(who, email=emails[who]))


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("delegate", 404),
        ("focal_point", 404),  # the nominating State's focal point does not see the others
        ("other_president", 404),  # President of CSP10, not of this cycle
        ("president", 200),
        ("staff", 200),
    ],
)
def test_who_sees_the_nominations(client, django_user_model, nomination, who, status):
    _sign_in_as(client, django_user_model, who)
    url = f"/vacancies/{nomination.vacancy_id}/nominations/"

    page = client.get(url)
    cv = client.get(f"{url}{nomination.pk}/cv/")

    assert (page.status_code, cv.status_code) == (status, status)
    if status == 200:
        assert "Ms. Ioana MARIN" in text(page)
        assert "Romania" in text(page)
        assert b"".join(cv.streaming_content).startswith(b"%PDF-")
        assert cv["Content-Disposition"] == 'attachment; filename="cv.pdf"'


def test_a_president_whose_term_has_ended_no_longer_sees_them(
    client, django_user_model, nomination
):
    Office.objects.filter(cycle__number=12, title="president").update(
        term_end=today() - dt.timedelta(days=1)
    )
    _sign_in_as(client, django_user_model, "president")
    response = client.get(f"/vacancies/{nomination.vacancy_id}/nominations/")
    assert response.status_code == 404


def test_appointment_in_the_admin_fills_the_office_and_the_public_pages_follow(
    client, nomination, vacancies, django_user_model
):
    staff_client = Client()
    staff_client.force_login(
        django_user_model.objects.create_user("officer", is_staff=True, is_superuser=True)
    )
    other = Nomination.objects.create(
        vacancy=nomination.vacancy,
        state_id="GBR",
        nominee_given_name="Tom",
        nominee_family_name="Reed",
        nominee_email="tom@example.org",
        expertise="x",
        cv=pdf(),
    )
    start = today()

    response = staff_client.post(
        f"/admin/nominations/nomination/{nomination.pk}/appoint/",
        {"term_start": start.isoformat(), "term_end": ""},
    )

    assert response.status_code == 302
    office = Office.objects.select_related("holder").get(pk=nomination.vacancy.office_id)
    assert (office.holder.formal_name, office.holder.state_id, office.term_start) == (
        "Ms. Ioana MARIN",
        "ROU",
        start,
    )
    assert Vacancy.objects.get(pk=nomination.vacancy_id).status == "filled"
    assert dict(Nomination.objects.values_list("pk", "status")) == {
        nomination.pk: "appointed",
        other.pk: "not_appointed",
    }
    offices = text(client.get("/offices/12/"))
    assert (
        "Chair, Working Group on Effective Treaty Implementation (WGETI) Ms. Ioana MARIN "
        f"(Romania) CSP12: from {date_format(start)}"
    ) in offices
    assert "Nominations open until" in offices  # the Facilitator is still vacant
    assert "Chair, Working Group on Effective" not in text(client.get("/vacancies/"))
    body = text(client.get("/bodies/att/wgeti/"))
    assert "CSP12 Chair, WGETI Ms. Ioana MARIN (Romania)" in body
    again = staff_client.post(
        f"/admin/nominations/nomination/{other.pk}/appoint/",
        {"term_start": start.isoformat(), "term_end": ""},
    )
    assert again.context["form"].non_field_errors() == ["This vacancy is already filled."]


def test_the_letter_follows_the_vacancies_on_its_date(nomination):
    appointed_on = dt.date(2026, 2, 1)
    services.appoint(nomination=nomination, term_start=appointed_on)

    def vacancies_in_letter(letter_date):
        facts = letter_facts(meeting_with_schedule("att-csp12-wg"))
        letter = compose_letter(facts, language="en", letter_date=letter_date)
        return next((p.text for p in letter.paragraphs if p.key == "office_holders"), "")

    before = vacancies_in_letter(dt.date(2026, 1, 16))
    on_the_day = vacancies_in_letter(appointed_on)

    assert "Chair of the Working Group on Effective Treaty Implementation" in before
    assert "Facilitator of the WGETI Sub-working Group" in before
    assert "Chair of the Working Group" not in on_the_day
    assert "Facilitator of the WGETI Sub-working Group" in on_the_day
