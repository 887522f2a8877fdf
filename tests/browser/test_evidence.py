"""Source snapshots in a real browser: a reviewer adds sources, a real worker captures
them from a local website on 127.0.0.1, and the sources panel shows each capture (and a
failure, with its retry); the public snapshot page shows hostile captured text as inert
text under its strict CSP."""

from __future__ import annotations

import html

import pytest

from claims.models import SourceSnapshot
from tests.browser.conftest import add_source, screenshot
from tests.hostile import XSS
from tests.website import answer
from tests.workers import run_batch
from tests.workspace import a_claim, published_with_captures

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

HOSTILE = (
    "<html><head><title>Flood log</title></head><body><article><h1>Flood log</h1>"
    + "".join(f"<p>Entry {n}: {html.escape(payload)}</p>" for n, payload in enumerate(XSS))
    + "</article></body></html>"
).encode()


def test_the_sources_panel_shows_each_capture_and_retries_a_failed_one(
    open_page, reviewer, website, worker_env
):
    claim = a_claim()
    page = open_page(reviewer)
    page.goto(claim.get_absolute_url())
    add_source(page, website.url("/pages/dw.com.uncork.html"), "Wine report", "refutes")
    add_source(page, website.url("/not-yet"), "Council log", "context")
    assert page.locator("#panel-sources .capture").first.inner_text().startswith("Not captured yet")

    run_batch(worker_env | website.environment())
    page.reload()

    captured = SourceSnapshot.objects.get(source__title="Wine report")
    good = page.locator(".source", has_text="Wine report")
    assert "Captured" in good.inner_text()
    assert captured.sha256[:12] in good.inner_text()
    failed = page.locator(".source", has_text="Council log")
    assert "Capture failed" in failed.inner_text()
    assert "answered 404 Not Found" in failed.inner_text()
    screenshot(page, "sources-captured")

    website.routes["/not-yet"] = answer(body=HOSTILE)
    failed.get_by_role("button", name="Retry capture").click()
    page.wait_for_selector("text=Capture queued")
    run_batch(worker_env | website.environment())
    page.reload()
    council = page.locator(".source", has_text="Council log")
    assert "Captured" in council.inner_text()

    council.get_by_role("link", name="captured text").click()
    page.wait_for_load_state()
    assert XSS[0] in page.inner_text("body")  # shown as text
    assert page.evaluate("window.__xss") is None


def test_the_public_snapshot_page_shows_hostile_text_inert(
    open_page, editor, reviewer, second_reviewer, website
):
    website.routes["/hostile"] = answer(body=HOSTILE)
    article, _ = published_with_captures(
        editor=editor,
        reviewer=reviewer,
        approver=second_reviewer,
        source_urls=[website.url("/hostile"), website.url("/pages/dw.com.uncork.html")],
    )
    page = open_page()
    page.goto(f"/checks/{article.slug}/")
    page.locator(".sources li", has_text="Evidence 0").get_by_role(
        "link", name="our snapshot"
    ).click()
    page.wait_for_url("**/checks/sources/*/snapshot/")
    response = page.reload()
    assert response.headers["content-security-policy"].startswith("default-src 'none'")
    text = page.inner_text("pre.snapshot-text")
    for payload in XSS[:12]:
        assert payload.strip() in text
    page.wait_for_timeout(300)
    assert page.evaluate("window.__xss") is None
    assert page.locator("pre.snapshot-text script, pre.snapshot-text img").count() == 0
    screenshot(page, "public-snapshot")
