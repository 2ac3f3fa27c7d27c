"""The W3C Nu HTML Checker (vnu.jar from the npm registry, run with the machine's Java)."""

import json
import subprocess

import pytest

from tests.browser.tools import LANGUAGES, PUBLIC_PAGES, VNU_JAR, require_file, require_java

pytestmark = pytest.mark.browser

CANARY = "canary-missing-alt.html"


def test_every_public_page_in_every_language_is_valid_html(client, demo, tmp_path):
    jar = require_file(VNU_JAR, "The Nu HTML Checker (npm package vnu-jar)")
    java = require_java()

    files = {}
    for language in LANGUAGES:
        client.cookies["django_language"] = language
        for path in PUBLIC_PAGES:
            response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
            assert response.status_code == 200, (path, language, response.status_code)
            assert f'<html lang="{language}"' in response.text, (path, language)
            name = f"{language}{path.replace('/', '_')}.html"
            (tmp_path / name).write_bytes(response.content)
            files[name] = f"{path} ({language})"

    # A page with a known error rides along, so that a checker that reports nothing fails.
    (tmp_path / CANARY).write_text(
        '<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><img src="x.png">',
        encoding="utf-8",
    )
    files[CANARY] = "the canary page"

    # One JVM for all the pages. vnu writes its report to stderr and exits 1 on an error.
    checked = subprocess.run(
        [java, "-jar", str(jar), "--format", "json", "--errors-only", *sorted(files)],
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
    canary = [m for m in errors if m.get("url", "").endswith(f"/{CANARY}")]
    assert any("alt" in m.get("message", "") for m in canary), f"vnu missed the canary: {report}"
    errors = [m for m in errors if m not in canary]
    listed = "\n".join(
        f"- {files.get(m.get('url', '').rsplit('/', 1)[-1], m.get('url'))}"
        f" line {m.get('lastLine')}: {m.get('message')}  [{(m.get('extract') or '').strip()[:120]}]"
        for m in errors
    )
    assert not errors, f"The Nu HTML Checker found {len(errors)} errors:\n{listed}"
