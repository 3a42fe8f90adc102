"""Headless Chromium (Debian's package) driven by Playwright, against the live test server.

Screenshots of every step go to ``artifacts/e2e/`` so that a failure can be looked at.

``E2E_CPU_THROTTLE=N`` runs the pages of the ``page`` fixture N times slower (Chromium's CPU
throttling), as on a loaded machine: a test that reads the page before its scripts have caught up
fails at once instead of now and then.
"""

import os
import shutil
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "e2e"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CPU_THROTTLE = float(os.environ.get("E2E_CPU_THROTTLE", "1"))
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(autouse=True)
def _allow_queries_beside_the_event_loop(monkeypatch):
    """Playwright's sync API runs an event loop in this thread; Django's async-safety check would
    otherwise refuse the test's own database queries. Set for these tests only, never process-wide
    (``check --deploy`` rightly refuses the variable)."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def browser(transactional_db):
    """One Chromium per test, started after the test database is ready.

    While Playwright's loop runs, Django hands this thread a different connection object (asgiref's
    context-local storage), so the database must be set up and restored before the browser starts:
    a session-wide browser made ``serialized_rollback`` restore nothing and the pages vanish.
    """
    from playwright.sync_api import sync_playwright

    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: `make test` installs Debian's chromium package")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    if CPU_THROTTLE > 1:
        context.new_cdp_session(tab).send("Emulation.setCPUThrottlingRate", {"rate": CPU_THROTTLE})
    yield tab
    context.close()


@pytest.fixture
def shoot(request):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    counter = iter(range(1, 100))

    def take(tab, name, *, full_page=True):
        path = ARTIFACTS / f"{request.node.name}-{next(counter):02d}-{name}.png"
        tab.screenshot(path=str(path), full_page=full_page)
        return path

    return take
