"""Where the browser tests' tools are, the pages they check, and failing when a tool is missing.

`make test` installs every tool (the Makefile's `.venv/.browser-tools` stamp): Debian's
chromium, axe-core and vnu-jar from the npm registry, Playwright's Python API in .venv.
A missing tool FAILS the test that needs it, it never skips it.
"""

import shutil
from pathlib import Path

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the `chromium` fixture fails first, saying how to install it
    expect = None

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # we run as root, in CI too
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
SCREENSHOTS = ROOT / "var" / "screenshots"

LANGUAGES = ("en", "fr", "es")
PUBLIC_PAGES = (
    "/meetings/",
    "/meetings/att-csp10-wg/",
    "/meetings/att-csp12-wg/",
    "/bodies/",
    "/bodies/att/wgeti/",
    "/bodies/att/dief/",
    "/admin/login/",
    "/sign-in/",
)
INSTALL_HINT = "`make test` installs it (Makefile target .venv/.browser-tools)"


def require_file(path: Path, what: str) -> Path:
    """The tool's file, or a failed test (never a skip) that says how to install it."""
    if not path.is_file():
        pytest.fail(f"{what} is missing: no {path}. {INSTALL_HINT}.", pytrace=False)
    return path


def require_java() -> str:
    found = shutil.which("java")
    if found is None:
        pytest.fail(f"Java is missing: no `java` on PATH. {INSTALL_HINT}.", pytrace=False)
    return found
