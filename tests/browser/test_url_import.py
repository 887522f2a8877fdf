"""Import by URL in a real browser: an editor pastes a page's address, a real worker
fetches it from a local website on 127.0.0.1, and the queue shows the import finish
without a reload."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from claims.models import Article
from tests.factories import UserFactory
from tests.workers import start_worker

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def editor(db):
    return UserFactory(username="edith", groups=["Editors"])


def test_an_editor_pastes_a_url_and_sees_the_import_finish_without_reloading(
    open_page, editor, website, worker_env
):
    page = open_page(editor)
    url = website.url("/pages/dw.com.uncork.html")
    page.fill("#id_page_url", url)
    page.click("button:has-text('Import and split into claims')")
    page.wait_for_url("**/review/#imports")
    panel = page.locator("#imports")
    assert f"Import of {url}" in panel.inner_text()
    assert "Waiting for a worker…" in panel.inner_text()

    worker = start_worker(worker_env | website.environment())
    try:
        # No reload: the panel asks again every 2 s until the job is done.
        link = panel.get_by_role("link", name="Uncork the mystery", exact=False)
        link.wait_for(timeout=30_000)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    article = Article.objects.get()
    assert f"{article.claims.count()} claims" in panel.inner_text()
    link.click()
    page.wait_for_url(f"**{article.get_absolute_url()}")


def test_a_page_the_worker_cannot_fetch_shows_why_and_runs_again(
    open_page, editor, website, worker_env
):
    page = open_page(editor)
    url = website.url("/missing")
    page.fill("#id_page_url", url)
    page.click("button:has-text('Import and split into claims')")
    page.wait_for_url("**/review/#imports")

    worker = start_worker(worker_env | website.environment())
    try:
        page.locator("#imports .error").wait_for(timeout=30_000)
        assert f"refused: {url} answered 404 Not Found." in page.inner_text("#imports")
        page.click("#imports button:has-text('Run again')")
        page.wait_for_url("**/review/#imports")
        expect(page.locator("#flash")).to_contain_text("queued again")
    finally:
        worker.terminate()
        worker.wait(timeout=30)
