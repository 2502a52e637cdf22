"""
Shared Playwright fixtures for every browser test, driving Debian's Chromium.

Every test under tests/browser/ is marked `browser` automatically. The `page`
fixture records console messages, page errors, dialogs (dismissed) and CSP
violations so tests can assert that nothing ran or was refused.
"""

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.akismet_server import AkismetServer

# Playwright's sync API runs an event loop in the test thread, which makes
# Django refuse database access there unless told it is safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-dev-shm-usage",
]
BROWSER_TESTS = Path(__file__).resolve().parent
REPO_ROOT = BROWSER_TESTS.parents[1]
ARTIFACTS = REPO_ROOT / "artifacts"

# Runs before any page script: collects CSP violations the page reports.
_CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(
    e.violatedDirective + " blocked " + (e.blockedURI || "inline")
  );
});
"""


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.path.is_relative_to(BROWSER_TESTS):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def playwright_browser():
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests need Debian's chromium. "
            "Run `make test` (it installs it) or `apt-get install -y chromium`.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(playwright_browser) -> Iterator:
    """
    A fresh browser context and page. Extra attributes:
    page.console_messages (list of (type, text)), page.page_errors (list of
    str), page.dialogs (list of (type, message); each dialog is dismissed),
    page.csp_violations() (violations the current document reported) and
    page.console_csp_violations() (CSP refusals Chromium logged).
    """
    context = playwright_browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(_CSP_LISTENER)
    page = context.new_page()
    page.console_messages = []
    page.page_errors = []
    page.dialogs = []

    def on_dialog(dialog):
        page.dialogs.append((dialog.type, dialog.message))
        dialog.dismiss()

    page.on("console", lambda msg: page.console_messages.append((msg.type, msg.text)))
    page.on("pageerror", lambda error: page.page_errors.append(str(error)))
    page.on("dialog", on_dialog)
    page.csp_violations = lambda: page.evaluate("window.__cspViolations || []")
    page.console_csp_violations = lambda: [
        text
        for _type, text in page.console_messages
        if "Content Security Policy" in text
    ]
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def screenshot(page) -> Callable[[str], Path]:
    """screenshot("article") saves the page as artifacts/article.png."""

    def take(name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture(scope="module")
def _akismet_process():
    server = AkismetServer().start()
    yield server
    server.stop()


@pytest.fixture
def akismet(settings, _akismet_process):
    """A local Akismet answering ham until a test sets `.mode`."""
    _akismet_process.reset("ham")
    settings.AKISMET_API_KEY = "browser-test-key"
    settings.AKISMET_API_URL = _akismet_process.url
    settings.AKISMET_TIMEOUT = 2.0
    # One reader posts several comments in a row in the comment tests.
    settings.COMMENTS_FLOOD_SECONDS = 0
    return _akismet_process
