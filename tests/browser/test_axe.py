"""axe-core, run inside Debian's Chromium, on every public page in every language: WCAG 2.1 A/AA."""

import pytest

from tests.browser.tools import AXE_JS, LANGUAGES, PUBLIC_PAGES, require_file

pytestmark = pytest.mark.browser

WCAG_21_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact')}): {violation['help']}"
            f" <{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"    at {node['target']}: {node['html'][:160]}  [{summary[:240]}]")
    return "\n".join(lines)


def run_axe(page) -> dict:
    page.add_script_tag(path=str(require_file(AXE_JS, "axe-core (npm package axe-core)")))
    return page.evaluate(
        """async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})""",
        WCAG_21_A_AA,
    )


def test_the_harness_reports_a_violation(open_context):
    """A page with a nameless button and no language: axe must say so, or the harness is blind."""
    page = open_context("en").new_page()
    page.set_content("<!DOCTYPE html><html><head><title>t</title></head><body><button></button>")
    found = {violation["id"] for violation in run_axe(page)["violations"]}
    assert {"button-name", "html-has-lang"} <= found, found


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_no_wcag_21_a_or_aa_violations(open_context, path, language):
    page = open_context(language).new_page()
    response = page.goto(path)
    assert response is not None and response.status == 200, (path, response and response.status)
    assert page.evaluate("document.documentElement.lang") == language

    results = run_axe(page)
    assert results["passes"], f"axe-core checked nothing on {path} in {language}"
    violations = results["violations"]
    assert not violations, f"axe-core on {path} in {language}:\n{describe(violations)}"
