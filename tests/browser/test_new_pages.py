"""The documents, side events, figures, revisions, vacancies, check-in and reports pages.

axe-core (WCAG 2.1 A/AA) and the Nu HTML Checker on each page in every language, the public
ones signed out and the Secretariat's signed in as staff; and no horizontal scroll on a
360 px wide screen for the public pages and the check-in desk, which is used on tablets and
phones at the door. Every demo is loaded, in the order of the `load_demo_*` commands.
"""

import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.test import Client

from convocation.attendance.demo import load_attendance_demo
from convocation.attendance.models import Intervention
from convocation.documents.demo import load_demo_documents
from convocation.documents.models import Document
from convocation.meetings.demo import load_demo
from convocation.nominations.demo import load_nomination_demo
from convocation.registrations.demo import load_registration_demo
from convocation.registrations.models import Registration
from convocation.side_events.demo import load_side_event_demo
from tests.browser.test_registration_journeys import (
    assert_no_horizontal_scroll,
    axe_violations,
    signed_in,
    staff_account,
)
from tests.browser.tools import LANGUAGES, VNU_JAR, require_file, require_java

pytestmark = pytest.mark.browser

MEETING = "att-csp12-wg"
PHONE = {"width": 360, "height": 740}


@dataclass(frozen=True)
class NewPages:
    public: tuple[str, ...]
    staff: tuple[str, ...]
    # Those that must fit a phone without scrolling sideways: subsets of the two above.
    public_on_a_phone: tuple[str, ...]
    staff_on_a_phone: tuple[str, ...]


def load_all_demos() -> NewPages:
    """Every demo, in the order the commands are run; the new pages' addresses in it."""
    load_demo()
    open_week = load_registration_demo().open_meeting
    load_nomination_demo()
    side_events = load_side_event_demo()
    assert side_events is not None and side_events.meeting == open_week
    load_demo_documents()
    load_attendance_demo()

    # The revised WGETI draft agenda: a document with an earlier version.
    document = Document.objects.filter(meeting__slug=MEETING, revision_of__isnull=False).first()
    registration = (
        Registration.objects.filter(meeting__slug=MEETING, status=Registration.Status.CONFIRMED)
        .select_related("person")
        .order_by("pk")
        .first()
    )
    session = Intervention.objects.filter(session__meeting__slug=MEETING).first().session
    assert document is not None and registration is not None
    desk = f"/check-in/?meeting={MEETING}&day=2026-03-16"
    public = (
        "/documents/",
        "/documents/?q=agenda",
        f"/meetings/{MEETING}/documents/",
        f"/documents/{document.pk}/",
        f"/meetings/{MEETING}/side-events/",
        f"/meetings/{open_week}/side-events/",
        f"/meetings/{MEETING}/figures/",
        f"/meetings/{MEETING}/revisions/1/",
        f"/meetings/{MEETING}/now/",
        "/vacancies/",
        "/offices/12/",
    )
    staff = (
        desk,
        f"{desk}&q={registration.person.family_name}",
        f"/check-in/{registration.check_in_code}/",
        f"/meetings/{MEETING}/sessions/{session.pk}/interventions/",
        "/reports/",
        f"/reports/meetings/{MEETING}/",
        "/reports/trends/",
    )
    return NewPages(
        public=public,
        staff=staff,
        public_on_a_phone=public,
        staff_on_a_phone=staff[:3],
    )


@pytest.fixture
def new_pages(site: str) -> NewPages:
    """The new pages on the live server, with every demo loaded (`site` loads the first)."""
    return load_all_demos()


# --- axe-core, and the width of a phone ---------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_wcag_21_a_or_aa_violations_and_no_sideways_scroll_on_the_new_pages(
    new_pages, open_context, site, language
):
    found: list[str] = []
    staff_user = staff_account()

    def visit(page, path: str) -> None:
        response = page.goto(path)
        assert response is not None and response.status == 200, (
            path,
            language,
            response and response.status,
        )
        assert page.evaluate("document.documentElement.lang") == language, (path, language)

    public = open_context(language).new_page()
    for path in new_pages.public:
        visit(public, path)
        found.extend(axe_violations(public, f"{path} ({language})"))
    staff = signed_in(open_context(language), site, staff_user).new_page()
    for path in new_pages.staff:
        visit(staff, path)
        found.extend(axe_violations(staff, f"{path} ({language}, staff)"))

    too_wide: list[str] = []
    phones = [
        (open_context(language, **PHONE).new_page(), new_pages.public_on_a_phone),
        (
            signed_in(open_context(language, **PHONE), site, staff_user).new_page(),
            new_pages.staff_on_a_phone,
        ),
    ]
    for phone, paths in phones:
        for path in paths:
            visit(phone, path)
            try:
                assert_no_horizontal_scroll(phone)
            except AssertionError as error:
                too_wide.append(f"- ({language}) {error}")

    report = []
    if found:
        report += ["axe-core found violations:", *found]
    if too_wide:
        report += [f"Pages scroll sideways at {PHONE['width']} px:", *too_wide]
    assert not report, "\n".join(report)


# --- the Nu HTML Checker -------------------------------------------------------------------

# The report pages' charts: SVG that matplotlib writes for a file of its own, put inline.
REPORT_PAGES = "/reports/"
CHARTS = re.compile(r"<svg\b.*?</svg>", re.S)
CANARY = "canary-missing-alt.html"


def fetch(new_pages: NewPages, keep=lambda path: True) -> dict[str, tuple[str, str]]:
    """The pages in every language, by the file name they are sent to vnu under: (what, HTML)."""
    anonymous, staff = Client(), Client()
    staff.force_login(staff_account())
    pages = {}
    for language in LANGUAGES:
        for client, paths, who in [
            (anonymous, new_pages.public, "public"),
            (staff, new_pages.staff, "staff"),
        ]:
            client.cookies["django_language"] = language
            for number, path in enumerate(paths):
                if not keep(path):
                    continue
                response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
                assert response.status_code == 200, (path, language, response.status_code)
                assert f'<html lang="{language}"' in response.text, (path, language)
                what = f"{path} ({language}{', staff' if who == 'staff' else ''})"
                pages[f"{language}-{who}-{number:02d}.html"] = (what, response.text)
    return pages


def vnu_errors(pages: dict[str, tuple[str, str]], folder: Path) -> list[str]:
    """The Nu HTML Checker's errors on the pages, one JVM for all, each line naming its page."""
    jar = require_file(VNU_JAR, "The Nu HTML Checker (npm package vnu-jar)")
    java = require_java()
    for name, (_what, html) in pages.items():
        (folder / name).write_text(html, encoding="utf-8")
    # A page with a known error rides along, so that a checker that reports nothing fails.
    (folder / CANARY).write_text(
        '<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><img src="x.png">',
        encoding="utf-8",
    )
    # vnu writes its report to stderr and exits 1 on an error.
    checked = subprocess.run(
        [java, "-jar", str(jar), "--format", "json", "--errors-only", CANARY, *sorted(pages)],
        cwd=folder,
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
    caught = [m for m in errors if m.get("url", "").endswith(f"/{CANARY}")]
    assert any("alt" in m.get("message", "") for m in caught), f"vnu missed the canary: {report}"
    return [
        f"- {pages.get(name, (name,))[0]} line {m.get('lastLine')}: {m.get('message')}"
        f"  [{(m.get('extract') or '').strip()[:120]}]"
        for m in errors
        if (name := m.get("url", "").rsplit("/", 1)[-1]) != CANARY
    ]


def test_the_new_pages_are_valid_html(db, tmp_path):
    pages = fetch(load_all_demos())
    # Without the report pages' charts, which the next test checks.
    for name, (what, html) in pages.items():
        if what.startswith(REPORT_PAGES):
            pages[name] = (what, CHARTS.sub("", html))
    errors = vnu_errors(pages, tmp_path)
    assert not errors, f"The Nu HTML Checker found {len(errors)} errors:\n" + "\n".join(errors)


def test_the_report_charts_are_valid_html(db, tmp_path):
    pages = fetch(load_all_demos(), keep=lambda path: path.startswith(REPORT_PAGES))
    assert any(CHARTS.search(html) for _what, html in pages.values()), "no chart to check"
    errors = vnu_errors(pages, tmp_path)
    assert not errors, f"The Nu HTML Checker found {len(errors)} errors:\n" + "\n".join(errors)
