"""What a delegate does in a real browser: list, meeting, body and back, languages, a form."""

import re

import pytest

from tests.browser.tools import LANGUAGES, SCREENSHOTS, expect

pytestmark = pytest.mark.browser

CSP12 = "/meetings/att-csp12-wg/"
# The switcher: links in the page header, inside a labelled <nav>, one per language.
SWITCHER = "header nav[aria-label] a[hreflang='{language}']"


def html_lang(page) -> str:
    return page.evaluate("document.documentElement.lang")


def test_from_the_meeting_list_to_a_meeting_a_body_and_back(open_context):
    page = open_context("en").new_page()
    page.goto("/meetings/")
    expect(page.locator("h1")).to_have_text("Meetings")

    page.locator(f"main a[href='{CSP12}']").click()
    page.wait_for_url(f"**{CSP12}")
    expect(page.locator("h1")).to_contain_text("CSP12")

    schedule = page.locator("table.schedule")
    expect(schedule).to_be_visible()
    days = schedule.get_by_role("columnheader")
    expect(days.first).to_be_visible()
    expect(days.filter(has_text="Monday")).to_have_count(1)
    expect(schedule.get_by_role("rowheader", name=re.compile("SIDE EVENTS"))).to_be_visible()

    # A WGETI sub-working group meeting that week, then WGETI itself, and back twice.
    page.get_by_role("link", name=re.compile("WGETI Sub-working Group on exchange")).click()
    page.wait_for_url("**/bodies/att/wgeti-national-practices/")
    expect(page.locator("h1")).to_contain_text("national implementation practices")
    page.locator("main a[href='/bodies/att/wgeti/']").click()
    page.wait_for_url("**/bodies/att/wgeti/")
    expect(page.locator("h1")).to_have_text(
        "Working Group on Effective Treaty Implementation (WGETI)"
    )

    page.go_back()
    page.wait_for_url("**/bodies/att/wgeti-national-practices/")
    page.go_back()
    page.wait_for_url(f"**{CSP12}")
    expect(page.locator("table.schedule")).to_be_visible()


def test_the_language_switcher_changes_the_language_and_it_sticks(open_context):
    page = open_context("en").new_page()
    page.goto(CSP12)
    assert html_lang(page) == "en"

    for language in ("fr", "es", "en"):
        switch = page.locator(SWITCHER.format(language=language))
        expect(
            switch, f"no link with hreflang={language!r} in a labelled <nav> of the page header"
        ).to_have_count(1, timeout=2_000)
        switch.click()
        page.wait_for_url(f"**{CSP12}")  # back on the page it was chosen on
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.locator("table.schedule")).to_be_visible()

        # The choice sticks: the next page, reached through the header, is in it too.
        page.locator("header a[href='/bodies/']").first.click()
        page.wait_for_url("**/bodies/")
        expect(page.locator("html")).to_have_attribute("lang", language)
        page.goto(CSP12)
        expect(page.locator("html")).to_have_attribute("lang", language)


def test_a_form_with_an_error_shows_the_message(open_context, django_user_model):
    django_user_model.objects.create_user(
        "secretariat", password="the-right-password", is_staff=True
    )
    page = open_context("en").new_page()
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("secretariat")
    page.get_by_label("Password").fill("not-the-password")
    page.locator("form#login-form [type=submit]").click()

    error = page.locator(".errornote")
    expect(error).to_be_visible()
    expect(error).to_contain_text(
        "Please enter the correct username and password for a staff account."
    )
    assert page.url.endswith("/admin/login/")
    expect(page.get_by_label("Username")).to_have_value("secretariat")


def test_the_meeting_page_has_no_horizontal_scroll_on_a_phone(open_context):
    page = open_context("en", width=360, height=740).new_page()
    page.goto(CSP12)
    width = page.evaluate("document.documentElement.scrollWidth")
    overflowing = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter((e) => e.getBoundingClientRect().right > 360.5)
            .map((e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                 + (e.className && typeof e.className === 'string'
                    ? '.' + e.className.trim().split(/\\s+/).join('.') : '')
                 + ' right=' + Math.round(e.getBoundingClientRect().right))
            .slice(0, 15)"""
    )
    assert width <= 360, f"scrollWidth {width} > 360; elements past the edge: {overflowing}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_screenshots_of_the_csp12_page(open_context, language):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width in (360, 1280):
        page = open_context(language, width=width, height=900).new_page()
        page.goto(CSP12)
        assert html_lang(page) == language
        path = SCREENSHOTS / f"att-csp12-wg-{language}-{width}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 1000


def test_on_a_phone_the_schedule_is_a_day_by_day_list(open_context):
    page = open_context("en", width=360, height=740).new_page()
    page.goto(CSP12)
    expect(page.locator("table.schedule")).to_be_hidden()
    days = page.locator(".schedule-days h3")
    expect(days).to_have_text(
        [
            "Monday 16 March 2026",
            "Tuesday 17 March 2026",
            "Wednesday 18 March 2026",
            "Thursday 19 March 2026",
        ]
    )
    expect(page.locator(".schedule-days ul").nth(2)).to_contain_text("15:00 – 18:00 WGTU")


def test_printing_the_meeting_page_shows_the_grid_without_navigation(open_context):
    page = open_context("en", width=360, height=740).new_page()
    page.goto(CSP12)
    page.emulate_media(media="print")
    expect(page.locator("table.schedule")).to_be_visible()
    expect(page.locator(".schedule-days")).to_be_hidden()
    expect(page.locator("header nav").first).to_be_hidden()
    expect(page.locator(".exports")).to_be_hidden()


def test_the_meeting_page_works_with_the_keyboard_alone(open_context):
    page = open_context("en").new_page()
    page.goto(CSP12)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to content"
    # Focus is visible: the skip link comes on screen and carries an outline.
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    # The jump to the fragment happens after the key press returns: wait for it.
    expect(page).to_have_url(re.compile(r"#main$"))

    # From the top, tabbing reaches the language links and, with Enter, switches the language.
    page.goto(CSP12)
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('hreflang')") == "fr":
            break
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{CSP12}")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
