"""Real-browser tests: Debian's Chromium driven by Playwright, axe-core and the Nu HTML Checker.

No tool downloads a browser of its own: Playwright is pointed at /usr/bin/chromium. A missing
tool FAILS these tests, it never skips them (tools.py); `make test` installs them all.

The app is served by pytest-django's live server thread bound to 127.0.0.1 on a free port;
the ATT demo is loaded in a transactional test so that the server thread sees it.
"""

import re
from collections.abc import Callable, Iterator

import pytest

from tests.browser.tools import CHROMIUM, CHROMIUM_ARGS, HOST, INSTALL_HINT, require_file


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "browser: drives Debian's Chromium (Playwright, axe-core) or runs the Nu HTML Checker",
    )


@pytest.fixture(scope="session")
def live_server(django_db_setup: None) -> Iterator[object]:
    """pytest-django's live server, always on 127.0.0.1 and a free port.

    Overrides pytest-django's fixture of the same name (so its helpers still enable the
    server's settings and make each test that uses it transactional) only to pin the host,
    which the plugin would otherwise take from --liveserver or default to "localhost".
    Requesting django_db_setup first makes an in-memory SQLite test database shared with
    the server thread.
    """
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer(f"{HOST}:0")
    yield server
    server.stop()


@pytest.fixture
def site(live_server: object, transactional_db: None) -> str:
    """The address of the app on 127.0.0.1 with the ATT demo loaded (CSP10 and CSP12 weeks)."""
    from convocation.meetings.demo import load_demo

    load_demo()
    url = str(live_server)
    assert url.startswith(f"http://{HOST}:"), url
    return url


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    """Debian's Chromium, headless, launched by Playwright's Python API (never its own build).

    Playwright's sync API keeps an asyncio loop marked running in this thread while it is
    started, so Django's async-safety check would refuse the ORM calls of the test's own
    fixtures (loading the demo, flushing the tables): they are plain synchronous calls in the
    main thread, so DJANGO_ALLOW_ASYNC_UNSAFE is set, but only while the browser is up. The
    fixture is module-scoped so that Playwright stops, and the check is whole again, before
    the rest of the suite runs.
    """
    require_file(CHROMIUM, "Debian's Chromium (apt package chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        pytest.fail(f"Playwright's Python API is missing ({error}). {INSTALL_HINT}.", pytrace=False)
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def open_context(chromium, site: str) -> Iterator[Callable[..., object]]:
    """Opens browser contexts on the live app: `open_context(language, width=1280)`.

    The language is set as Django reads it: the `django_language` cookie, and Accept-Language
    too. Requests anywhere but the app on 127.0.0.1 are aborted and recorded; a test that made
    any fails, since every page must be whole from the app alone.
    """
    contexts = []
    outside: list[str] = []
    own = re.compile(rf"^{re.escape(site)}/")

    def block_outside(route) -> None:
        outside.append(route.request.url)
        route.abort()

    def open_(language: str = "en", width: int = 1280, height: int = 900):
        context = chromium.new_context(
            base_url=site,
            viewport={"width": width, "height": height},
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
