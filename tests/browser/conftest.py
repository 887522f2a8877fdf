"""Real-browser tests: Playwright driving Debian's Chromium against an in-process server.

Chromium is Debian's package (`/usr/bin/chromium`, or FACTCHECK_CHROMIUM); Playwright
never downloads a browser. With CI=true a missing browser fails the run; elsewhere
these tests are skipped with a message that says how to install it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import PASSWORD

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = os.environ.get("FACTCHECK_SCREENSHOTS")  # a folder: `make screenshots`


def pytest_collection_modifyitems(items):
    """Every test here drives the browser: `make test-fast` leaves them out."""
    for item in items:
        if "/browser/" in str(item.path):
            item.add_marker(pytest.mark.browser)


def chromium_path() -> str | None:
    return os.environ.get("FACTCHECK_CHROMIUM") or shutil.which("chromium")


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        message = "Chromium is missing: apt-get install chromium (or set FACTCHECK_CHROMIUM)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; Django's ORM calls from
    # the tests themselves are still synchronous, so its async guard must stand aside.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture(autouse=True)
def _reference_data(reference_data):
    """Every browser test needs the migrations' groups and rating scale."""


class Problems:
    """Console errors, page errors and dialogs seen by a page: any of them fails a test."""

    def __init__(self):
        self.items: list[str] = []

    def watch(self, page):
        page.on("console", lambda m: m.type == "error" and self._console(m))
        page.on("pageerror", lambda e: self.items.append(f"page error: {e}"))

        def dialog(d):
            self.items.append(f"dialog: {d.message}")
            d.dismiss()

        page.on("dialog", dialog)
        return page

    def _console(self, message):
        # htmx logs the 409/422 answers it swaps on purpose as failed loads; those are
        # the conflict and form-error panels, not problems.
        if "status of 409" in message.text or "status of 422" in message.text:
            return
        self.items.append(f"console: {message.text} ({message.location.get('url')})")


@pytest.fixture
def problems():
    found = Problems()
    yield found
    assert found.items == []


@pytest.fixture
def open_page(browser, server, problems):
    """open_page(user=None, js=True, width=1280) -> a page in a fresh context, logged in."""
    contexts = []

    def make(user=None, *, js: bool = True, width: int = 1280):
        context = browser.new_context(
            base_url=server, java_script_enabled=js, viewport={"width": width, "height": 900}
        )
        contexts.append(context)
        page = problems.watch(context.new_page())
        if user is not None:
            page.goto("/accounts/login/")
            page.fill("#id_username", user.username)
            page.fill("#id_password", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url("**/review/")
        return page

    yield make
    for context in contexts:
        context.close()


def direction_of(page, selector: str) -> str:
    """The direction the first element matching `selector` runs in, as the browser lays it out."""
    return page.locator(selector).first.evaluate("e => getComputedStyle(e).direction")


def screenshot(page, name: str) -> None:
    """Save a PNG for the README when `make screenshots` asks for them."""
    if SCREENSHOTS:
        folder = Path(settings.BASE_DIR) / SCREENSHOTS
        folder.mkdir(parents=True, exist_ok=True)
        # caret="initial": hiding the caret leaves style="" on inputs, which htmx's settle
        # copies after a swap, and the CSP (no inline styles) reports each as an error.
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True, caret="initial")


def add_source(page, url, title, stance):
    """Add a source through the claim page's form and wait for it in the panel."""
    page.click("#panel-sources summary")
    page.fill("#panel-sources #id_url", url)
    page.fill("#panel-sources #id_title", title)
    page.check(f"#panel-sources input[value={stance}]")
    page.click("#panel-sources button:has-text('Add source')")
    page.wait_for_selector(f"#panel-sources a:has-text('{title}')")


def publish_from_preview(page, article, *, kind: str = "", note: str = "") -> None:
    """From the board, open the preview and publish (a correction, with `kind` and `note`),
    confirming any missing ClaimReview details; wait for the board to say it is done."""
    page.goto(article.get_absolute_url())
    page.click("a:has-text('Preview')")
    page.wait_for_url(f"**/review/articles/{article.slug}/preview")
    if page.locator("#id_accept_missing").count():
        page.check("#id_accept_missing")
    if kind:
        page.select_option("#id_correction_kind", kind)
        page.fill("#id_correction_text", note)
    page.click(".preview-bar button[type=submit]")
    page.wait_for_selector("text=Published. The public page shows this version now.")
