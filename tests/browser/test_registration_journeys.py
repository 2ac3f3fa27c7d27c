"""Signing in by emailed code and registering for a meeting, in a real browser.

The week open for registration is the demo's (`load_registration_demo`: ATT CSP13 Working
Group meetings, about ten weeks ahead), loaded in the transactional test so that the live
server thread sees it. The sign-in code is read from `django.core.mail.outbox`: the live
server runs in this process and the test email backend is locmem.
"""

import json
import re
import subprocess
from collections.abc import Callable, Iterator

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from convocation.meetings.models import Meeting
from convocation.registrations import services
from convocation.registrations.demo import load_registration_demo
from convocation.registrations.models import Registration
from convocation.treaties.models import State
from tests.browser.test_axe import describe, run_axe
from tests.browser.tools import LANGUAGES, VNU_JAR, expect, require_file, require_java

pytestmark = pytest.mark.browser

MEETING = "att-csp13-wg"
MEETING_PAGE = f"/meetings/{MEETING}/"
REGISTER = f"/meetings/{MEETING}/register/"
ROMANIA = "state:ROU"
FORM = f"{REGISTER}?delegation={ROMANIA}"
DELEGATE = "new.delegate@example.org"
# The code is the only six-digit number on the email's first line, in every language.
CODE = re.compile(r"\b(\d{6})\b")
PHONE = {"width": 360, "height": 740}


# --- fixtures and helpers ----------------------------------------------------------------


@pytest.fixture
def open_week(site: str) -> Meeting:
    """The demo week open for registration, on top of the ATT demo that `site` loads."""
    load_registration_demo()
    return Meeting.objects.get(slug=MEETING)


@pytest.fixture
def open_phone(chromium, site: str) -> Iterator[Callable[..., object]]:
    """Like conftest's `open_context`, but a phone: 360×740, touch, the viewport meta obeyed."""
    contexts, outside = [], []
    own = re.compile(rf"^{re.escape(site)}/")

    def block_outside(route) -> None:
        outside.append(route.request.url)
        route.abort()

    def open_(language: str = "en"):
        context = chromium.new_context(
            base_url=site,
            viewport=PHONE,
            is_mobile=True,
            has_touch=True,
            locale=language,
            extra_http_headers={"Accept-Language": language},
        )
        context.add_cookies([{"name": "django_language", "value": language, "url": site}])
        context.set_default_timeout(10_000)
        context.route(lambda url: not own.match(url), block_outside)
        contexts.append(context)
        return context

    yield open_
    for context in contexts:
        context.close()
    assert not outside, f"pages asked for addresses outside the app: {outside}"


def delegate_account(email: str = DELEGATE):
    return get_user_model().objects.create_user(username=email, email=email, password=None)


def staff_account():
    return get_user_model().objects.create_user(
        "secretariat", email="officer@example.org", password="a-long-test-password", is_staff=True
    )


def signed_in(context, site: str, user) -> object:
    """The browser context with `user`'s session cookie, as if they had signed in."""
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": site}])
    return context


def register_romanian(meeting: Meeting, user) -> Registration:
    """A confirmed registration of `user` for the week, made by the services, not the pages."""
    data = services.RegistrationData(
        honorific="Ms.",
        given_name="Ana",
        family_name="Delegate",
        email=user.email,
        position="First Secretary",
        role="member",
        mode="in_person",
        gender="female",
        state=State.objects.get(code="ROU"),
        consent=True,
    )
    return services.register(meeting, data, by=user)


def sign_in_email_to(email: str) -> str:
    """The body of the last sign-in email to `email`."""
    sent = [m for m in mail.outbox if m.to == [email] and "/sign-in/link/" in m.body]
    assert sent, f"no sign-in email to {email}: {[(m.to, m.subject) for m in mail.outbox]}"
    return sent[-1].body


def code_sent_to(email: str) -> str:
    """The code in the last sign-in email to `email`, read as the delegate reads it."""
    return CODE.search(sign_in_email_to(email).splitlines()[0]).group(1)


def link_sent_to(email: str) -> str:
    """The path of the sign-in link in the last sign-in email to `email`."""
    return re.search(r"/sign-in/link/[^\s/]+/", sign_in_email_to(email)).group(0)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def assert_no_horizontal_scroll(page) -> None:
    sizes = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    overflowing = page.evaluate(
        """(width) => [...document.querySelectorAll('body *')]
            .filter((e) => e.getBoundingClientRect().right > width + 0.5)
            .map((e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                 + ' right=' + Math.round(e.getBoundingClientRect().right))
            .slice(0, 15)""",
        sizes[1],
    )
    assert sizes[0] <= sizes[1], (
        f"{page.url}: scrollWidth {sizes[0]} > clientWidth {sizes[1]}; past the edge: {overflowing}"
    )


def submit(page, form: str = "main form") -> None:
    with page.expect_navigation():
        page.locator(f"{form} button[type=submit]").click()


def submit_the_empty_form(page) -> None:
    page.goto(FORM)
    submit(page, "form.registration")


def field(page, label: str):
    """The control labelled `label`, whether Django's label suffix (":") follows it or not."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}:?$"))


def active_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def tab_to(page, element_id: str, limit: int = 30) -> None:
    """Press Tab until `element_id` has the focus, failing after `limit` presses."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        seen.append(active_id(page) or page.evaluate("document.activeElement.tagName"))
        if seen[-1] == element_id:
            return
    pytest.fail(f"Tab never reached #{element_id}; the focus went through {seen}")


def tab(page, expected_id: str) -> None:
    """One Tab, which must land on `expected_id`: the focus order of the form."""
    page.keyboard.press("Tab")
    assert active_id(page) == expected_id, f"one Tab went to #{active_id(page)}, not #{expected_id}"


def axe_violations(page, where: str) -> list[str]:
    results = run_axe(page)
    assert results["passes"], f"axe-core checked nothing on {where}"
    if not results["violations"]:
        return []
    return [f"{where}:\n{describe(results['violations'])}"]


# --- 1. the whole journey on a phone -------------------------------------------------------


def test_a_delegate_signs_in_by_code_and_registers_on_a_phone(open_week, open_phone):
    assert settings.EMAIL_BACKEND == "django.core.mail.backends.locmem.EmailBackend"
    page = open_phone().new_page()

    page.goto(MEETING_PAGE)
    assert_no_horizontal_scroll(page)
    page.locator("main").get_by_role("link", name="Register", exact=True).tap()

    # Not signed in: the sign-in page, which will bring the delegate back to the registration.
    page.wait_for_url(re.compile(r"/sign-in/\?next="))
    expect(page.locator("input[name=next]")).to_have_value(REGISTER)
    assert_no_horizontal_scroll(page)
    field(page, "Email address").tap()
    page.keyboard.type(DELEGATE)
    page.get_by_role("button", name="Email me a sign-in code").tap()

    page.wait_for_url(re.compile(r"/sign-in/code/"))
    expect(page.locator("main")).to_contain_text(DELEGATE)
    assert_no_horizontal_scroll(page)
    field(page, "Code").tap()
    page.keyboard.type(code_sent_to(DELEGATE))
    page.get_by_role("button", name="Sign in").tap()

    # Back where the delegate was going: first, which delegation.
    page.wait_for_url(f"**{REGISTER}")
    expect(page.locator("h1")).to_contain_text("Register for")
    assert_no_horizontal_scroll(page)
    field(page, "Delegation").select_option(ROMANIA)
    page.get_by_role("button", name="Continue").tap()

    page.wait_for_url(re.compile(r"/register/\?delegation=state(:|%3A)ROU$"))
    expect(page.locator("main")).to_contain_text("Romania")
    assert_no_horizontal_scroll(page)
    # Too quick: Register before filling anything in. The errors fit the phone too.
    page.get_by_role("button", name="Register", exact=True).tap()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(field(page, "Email")).to_have_value(DELEGATE)
    expect(field(page, "Email")).to_be_disabled()
    assert_no_horizontal_scroll(page)
    for label, text in [
        ("Honorific", "Ms."),
        ("Given name", "Ana"),
        ("Family name", "Moreau"),
        ("Position", "First Secretary"),
    ]:
        field(page, label).tap()
        page.keyboard.type(text)
    page.get_by_label("Member", exact=True).tap()
    page.get_by_label("In person").tap()
    page.get_by_label(re.compile(r": WGTU$")).tap()
    page.locator("#id_sessions_0").tap()
    page.get_by_label("Female").tap()
    page.locator("#id_consent").tap()
    expect(page.locator("#id_consent")).to_be_checked()
    page.get_by_role("button", name="Register", exact=True).tap()

    page.wait_for_url(re.compile(r"/my/registrations/\d+/$"))
    facts = page.locator("dl.facts")
    expect(facts.locator("dt:text-is('Status') + dd")).to_have_text("Confirmed")
    expect(facts).to_contain_text("Ms. Ana MOREAU")
    expect(page.locator(".messages")).to_contain_text("confirmed")
    assert_no_horizontal_scroll(page)

    # Change the registration: online instead of in person.
    page.get_by_label("Online").tap()
    page.get_by_role("button", name="Save the changes").tap()
    expect(page.locator(".messages")).to_contain_text("changed")
    expect(facts.locator("dt:text-is('Attendance') + dd")).to_have_text("Online")
    assert_no_horizontal_scroll(page)

    # All my registrations, and back.
    page.get_by_role("link", name="All my registrations").tap()
    page.wait_for_url("**/my/registrations/")
    row = page.get_by_role("row").filter(has_text="CSP13")
    expect(row).to_contain_text("Confirmed")
    # Its width on a phone: test_my_registrations_fits_a_phone, below.
    row.get_by_role("link").tap()
    page.wait_for_url(re.compile(r"/my/registrations/\d+/$"))

    # Withdraw.
    page.get_by_role("button", name="Withdraw the registration").tap()
    expect(page.locator(".messages")).to_contain_text("withdrawn")
    expect(facts.locator("dt:text-is('Status') + dd")).to_have_text("Withdrawn")
    assert_no_horizontal_scroll(page)
    assert Registration.objects.get(person__email=DELEGATE).status == "withdrawn"


def test_my_registrations_fits_a_phone(open_week, open_phone, site):
    user = delegate_account()
    register_romanian(open_week, user)
    page = signed_in(open_phone(), site, user).new_page()
    page.goto("/my/registrations/")
    expect(page.locator("table.list")).to_be_visible()
    assert_no_horizontal_scroll(page)


# --- 2. errors announced and linked to their fields ---------------------------------------

# The fields the empty form must report, in the order of the page; radio groups by their first.
REQUIRED = ["given_name", "family_name", "position", "role_0", "mode_0", "gender_0", "consent"]
INVALID_FIELDS = """() => [...document.querySelectorAll('[aria-invalid="true"]')].map((input) => {
    // A radio group is described on its fieldset (Django puts aria-describedby there).
    const owner = input.hasAttribute('aria-describedby')
        ? input : input.closest('fieldset[aria-describedby]');
    const ids = owner ? owner.getAttribute('aria-describedby').split(/\\s+/) : [];
    return {
        id: input.id,
        described: ids.map((id) => {
            const element = document.getElementById(id);
            return element ? {id, text: element.textContent.trim(),
                              error: element.classList.contains('errorlist')} : {id, missing: true};
        }),
    };
})"""


def test_errors_are_announced_and_each_links_to_its_field(open_week, open_context, site):
    page = signed_in(open_context("en"), site, delegate_account()).new_page()
    submit_the_empty_form(page)

    summary = page.locator(".error-summary")
    expect(summary).to_have_attribute("role", "alert")
    links = summary.get_by_role("link")
    hrefs = links.evaluate_all("(links) => links.map((a) => a.getAttribute('href'))")
    assert hrefs == [f"#id_{name}" for name in REQUIRED]
    errors = {}
    for number, href in enumerate(hrefs):
        link = links.nth(number)
        errors[href[1:]] = link.inner_text().rsplit(": ", 1)[-1].strip()
        link.click()
        assert active_id(page) == href[1:], f"the summary's link {href} left the focus elsewhere"
        expect(page.locator(href)).to_have_attribute("aria-invalid", "true")
    # And with the keyboard: Enter on a link moves the focus too.
    links.first.focus()
    page.keyboard.press("Enter")
    assert active_id(page) == "id_given_name"

    # Every invalid control is described by its own error message, and only they are invalid.
    invalid = page.evaluate(INVALID_FIELDS)
    expected = [f"id_{name}" for name in REQUIRED if not name.endswith("_0")]
    for group in ("role", "mode", "gender"):
        expected += page.locator(f"input[name={group}]").evaluate_all("(l) => l.map((i) => i.id)")
    assert sorted(control["id"] for control in invalid) == sorted(expected)
    for control in invalid:
        first_of_its_group = re.sub(r"_\d+$", "_0", control["id"])
        error = errors[first_of_its_group if first_of_its_group in errors else control["id"]]
        messages = [d["text"] for d in control["described"] if d.get("error")]
        assert messages == [error], f"#{control['id']} is described by {control['described']}"
    for name in ("honorific", "gender_description"):
        expect(page.locator(f"#id_{name}")).not_to_have_attribute("aria-invalid", "true")

    # As assistive technology computes it.
    expect(page.locator("#id_given_name")).to_have_accessible_description(errors["id_given_name"])
    expect(page.locator("#id_position")).to_have_accessible_description(
        re.compile(re.escape(errors["id_position"]))
    )
    expect(page.locator("#id_consent")).to_have_accessible_description(errors["id_consent"])
    role = page.get_by_role("group", name=re.compile("Role in the delegation"))
    expect(role).to_have_accessible_description(errors["id_role_0"])


@pytest.mark.parametrize("where", ["registration", "sign-in"])
def test_the_error_summary_takes_the_focus_when_the_page_loads(
    open_week, open_context, site, where
):
    """After a full page load, role=alert alone is not reliably read out; the focus is."""
    if where == "registration":
        page = signed_in(open_context("en"), site, delegate_account()).new_page()
        submit_the_empty_form(page)
    else:
        page = open_context("en").new_page()
        page.goto("/sign-in/")
        submit(page)
    expect(page.locator(".error-summary")).to_be_visible()
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    # The browser applies autofocus at its next rendering step after the load, not at once.
    try:
        page.wait_for_function(
            "document.activeElement && document.activeElement.closest('.error-summary') !== null",
            timeout=3000,
        )
    except PlaywrightTimeout:
        tag = page.evaluate("document.activeElement.tagName")
        pytest.fail(f"the focus is on <{tag}>, not on the error summary")


# --- 3. the keyboard alone ---------------------------------------------------------------


def test_the_registration_form_is_completed_with_the_keyboard_alone(open_week, open_context, site):
    page = signed_in(open_context("en"), site, delegate_account()).new_page()
    page.goto(REGISTER)

    # The delegation: a native select, chosen by typing its name, then Continue with Enter.
    tab_to(page, "id_delegation")
    page.keyboard.type("Romania")
    assert page.evaluate("document.activeElement.value") == ROMANIA
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "submit"
    with page.expect_navigation():
        page.keyboard.press("Enter")

    tab_to(page, "id_honorific")
    page.keyboard.type("Dr.")
    tab(page, "id_given_name")
    page.keyboard.type("Jonas")
    tab(page, "id_family_name")
    page.keyboard.type("Lindqvist")
    tab(page, "id_position")  # the email, fixed to the account's, is disabled and skipped
    page.keyboard.type("Adviser to the Permanent Mission")

    # A radio group is one Tab stop: Space picks the focused choice, the arrows move the pick.
    tab(page, "id_role_0")
    page.keyboard.press("Space")
    for _ in range(2):
        page.keyboard.press("ArrowDown")
    expect(page.locator("#id_role_2")).to_be_checked()  # Adviser
    expect(page.locator("#id_role_2")).to_be_focused()

    tab(page, "id_mode_0")
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    expect(page.locator("#id_mode_0")).to_be_checked()  # In person

    # Each session is its own checkbox and Tab stop; Space ticks it.
    sessions = page.locator("input[name=sessions]")
    for number in range(sessions.count()):
        tab(page, f"id_sessions_{number}")
        if number in (0, 2):
            page.keyboard.press("Space")
    expect(page.locator("#id_sessions_0")).to_be_checked()
    expect(page.locator("#id_sessions_1")).not_to_be_checked()
    expect(page.locator("#id_sessions_2")).to_be_checked()

    tab(page, "id_gender_0")
    page.keyboard.press("ArrowDown")  # from none picked, the arrow picks the next one
    expect(page.locator("#id_gender_1")).to_be_checked()  # Male
    tab(page, "id_gender_description")
    tab(page, "id_consent")
    page.keyboard.press("Space")
    expect(page.locator("#id_consent")).to_be_checked()

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "submit"
    with page.expect_navigation():
        page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/my/registrations/\d+/$"))
    facts = page.locator("dl.facts")
    expect(facts.locator("dt:text-is('Status') + dd")).to_have_text("Confirmed")
    expect(facts.locator("dt:text-is('Role') + dd")).to_have_text("Adviser")
    registration = Registration.objects.get(person__email=DELEGATE)
    assert (registration.role, registration.mode, registration.gender) == (
        "adviser",
        "in_person",
        "male",
    )
    assert registration.sessions.count() == 2


# --- 4. axe-core and the Nu HTML Checker, in every language --------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_wcag_21_a_or_aa_violations_on_the_sign_in_and_registration_pages(
    open_week, open_context, site, language
):
    found: list[str] = []
    page = open_context(language).new_page()

    def check(where: str, on=None) -> None:
        on = on or page
        assert on.evaluate("document.documentElement.lang") == language, where
        found.extend(axe_violations(on, f"{where} [{on.url}] ({language})"))

    page.goto(f"/sign-in/?next={REGISTER}")
    check("the sign-in page")
    submit(page)
    check("the sign-in page with an error")
    page.locator("#id_email").fill(DELEGATE)
    submit(page)
    check("the code page")
    code = code_sent_to(DELEGATE)
    page.locator("#id_code").fill(wrong(code))
    submit(page)
    check("the code page with a wrong code")
    page.locator("#id_code").fill(code)
    submit(page)
    assert page.url.endswith(REGISTER), page.url
    check("the delegation chooser")
    page.goto(f"{REGISTER}?delegation=")
    check("the delegation chooser with an error")
    page.goto(FORM)
    check("the registration form")
    submit(page, "form.registration")
    check("the registration form with errors")

    registration = register_romanian(open_week, get_user_model().objects.get(username=DELEGATE))
    page.goto("/my/registrations/")
    check("my registrations")
    page.goto(f"/my/registrations/{registration.pk}/")
    check("a registration")
    page.locator("#id_given_name").fill("")
    submit(page, "form.registration")
    check("a registration, its change refused")
    page.goto("/account/")
    check("the account page")

    staff = signed_in(open_context(language), site, staff_account()).new_page()
    staff.goto("/account/two-factor/")
    check("the two-factor page", on=staff)

    assert not found, "axe-core found violations:\n" + "\n".join(found)


def pages_for_vnu(client, language: str) -> dict[str, str]:
    """Each page to check, by the name it is sent to vnu under: its HTML."""
    client.cookies["django_language"] = language
    pages = {}

    def keep(name: str, response, status: int = 200) -> None:
        assert response.status_code == status, (name, language, response.status_code)
        assert f'<html lang="{language}"' in response.text, (name, language)
        pages[f"{language}-{name}.html"] = response.text

    headers = {"HTTP_ACCEPT_LANGUAGE": language}
    keep("sign-in", client.get(f"/sign-in/?next={REGISTER}", **headers))
    keep("sign-in-error", client.post("/sign-in/", {"email": "nope"}, **headers), 400)
    email = f"{language}.delegate@example.org"
    client.post("/sign-in/", {"email": email, "next": REGISTER}, **headers)
    keep("code", client.get(f"/sign-in/code/?next={REGISTER}", **headers))
    code = code_sent_to(email)
    keep("code-error", client.post("/sign-in/code/", {"code": wrong(code)}, **headers), 400)
    keep("link", client.get(link_sent_to(email), **headers))

    user = delegate_account(email)
    client.force_login(user)
    keep("chooser", client.get(REGISTER, **headers))
    keep("chooser-error", client.get(f"{REGISTER}?delegation=", **headers), 400)
    keep("form", client.get(FORM, **headers))
    keep("form-errors", client.post(REGISTER, {"delegation": ROMANIA}, **headers), 400)
    registration = register_romanian(Meeting.objects.get(slug=MEETING), user)
    keep("mine", client.get("/my/registrations/", **headers))
    detail = f"/my/registrations/{registration.pk}/"
    keep("registration", client.get(detail, **headers))
    keep("registration-errors", client.post(detail, {"given_name": ""}, **headers), 400)
    keep("account", client.get("/account/", **headers))
    client.logout()
    return pages


def test_the_sign_in_and_registration_pages_are_valid_html(client, demo, tmp_path):
    jar = require_file(VNU_JAR, "The Nu HTML Checker (npm package vnu-jar)")
    java = require_java()
    load_registration_demo()
    pages = {}
    for language in LANGUAGES:
        pages.update(pages_for_vnu(client, language))
    client.force_login(staff_account())
    for language in LANGUAGES:
        client.cookies["django_language"] = language
        response = client.get("/account/two-factor/", HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, (language, response.status_code)
        pages[f"{language}-two-factor.html"] = response.text
    # A page with a known error rides along, so that a checker that reports nothing fails.
    canary = "canary-missing-alt.html"
    pages[canary] = (
        '<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><img src="x.png">'
    )
    for name, html in pages.items():
        (tmp_path / name).write_text(html, encoding="utf-8")

    checked = subprocess.run(
        [java, "-jar", str(jar), "--format", "json", "--errors-only", *sorted(pages)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = checked.stderr.strip() or checked.stdout.strip()
    try:
        messages = json.loads(report)["messages"]
    except (ValueError, KeyError) as error:
        pytest.fail(f"vnu gave no JSON report ({error}), exit {checked.returncode}:\n{report}")
    errors = [m for m in messages if m.get("type") in ("error", "non-document-error")]
    caught = [m for m in errors if m.get("url", "").endswith(f"/{canary}")]
    assert any("alt" in m.get("message", "") for m in caught), f"vnu missed the canary: {report}"
    errors = [m for m in errors if m not in caught]
    listed = "\n".join(
        f"- {m.get('url', '').rsplit('/', 1)[-1]} line {m.get('lastLine')}: {m.get('message')}"
        f"  [{(m.get('extract') or '').strip()[:120]}]"
        for m in errors
    )
    assert not errors, f"The Nu HTML Checker found {len(errors)} errors:\n{listed}"
