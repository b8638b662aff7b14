"""Browser tests: Playwright's sync API driving Debian's chromium against pytest-django's live server.

Chromium comes from Debian (`make test` installs it when it is missing and we are root), never from
`playwright install`, which downloads a browser build. Without /usr/bin/chromium these tests skip.
"""
import os
import re
from pathlib import Path

import pytest
from django.conf import settings

# Playwright's sync API runs an event loop in the test thread; Django would then refuse the ORM
# calls that fixtures make in that thread, though they are as synchronous as ever.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("FAIMS_CHROMIUM", "/usr/bin/chromium"))
# The background-networking switches keep chromium from calling home: on a closed network its
# update, sync and field-trial requests would only time out and slow every page down.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]
SCREENSHOTS = settings.VAR_DIR / "screenshots"
TIMEOUT_MS = 15_000


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    # Keeps each phase's report on the test so that the page fixture knows whether to take a screenshot.
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (make test does so as root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server, request):
    """new_page() — a page in a fresh browser context (own cookies) whose relative URLs go to the live server.

    On a failed test every page it opened is saved to var/screenshots/<test>-<n>.png.
    """
    contexts = []

    def open_page():
        context = browser.new_context(base_url=live_server.url, locale="zh-CN", timezone_id="Asia/Shanghai")
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.name)
        saved = []
        for n, page in enumerate((p for c in contexts for p in c.pages), start=1):
            path = SCREENSHOTS / f"{name}-{n}.png"
            page.screenshot(path=str(path), full_page=True)
            saved.append(str(path))
        request.node.add_report_section("teardown", "screenshots", "\n".join(saved))
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


def log_in(page, username, password):
    """Signs in through the login form, as a person would, and waits for the page that follows."""
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("form button[type=submit]")
    assert "/accounts/login/" not in page.url, f"{username} could not sign in: {page.url}"


@pytest.fixture(autouse=True)
def escalation_levels(transactional_db):
    """The live server's tests flush the database after each test, rows of data migrations included: put the
    escalation ladder (problems migration 0002) back before each test."""
    from importlib import import_module

    from faims.problems.models import EscalationLevel

    for order, name, wait_days in import_module("faims.problems.migrations.0002_escalation_levels").LEVELS:
        EscalationLevel.objects.get_or_create(order=order, defaults={"name": name, "wait_days": wait_days})
