"""A large import in a real browser: queued from the form, followed on the queue while
a real worker runs it, and the operations page when one fails."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from claims.models import Article
from tests.browser.conftest import screenshot
from tests.factories import UserFactory
from tests.workers import run_batch, start_worker

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PARAGRAPH = (
    "The regional council said on Monday that 40 homes in Riverside were flooded overnight. "
    "Officials vowed to reopen the main bridge by Friday.\n\n"
)


@pytest.fixture
def editor(db, settings):
    settings.FACTCHECK_BACKGROUND_IMPORT_BYTES = 4_000
    return UserFactory(username="edith", groups=["Editors"])


def serious(page) -> list[str]:
    violations = Axe().run(page).response["violations"]
    return [v["id"] for v in violations if v["impact"] in {"serious", "critical"}]


def import_by_paste(page, title: str) -> None:
    page.goto("/review/")
    page.fill("#id_text", PARAGRAPH * 60)
    page.fill("#id_title", title)
    page.click("button:has-text('Import and split into claims')")
    page.wait_for_url("**/review/#imports")


def test_the_queue_follows_a_large_import_until_the_worker_has_done_it(
    open_page, editor, worker_env
):
    page = open_page(editor)
    import_by_paste(page, "Valley floods")
    panel = page.locator("#imports")
    assert "Import of “Valley floods” (8 KB)" in panel.inner_text()
    assert "Waiting for a worker…" in panel.inner_text()
    assert serious(page) == []

    worker = start_worker(worker_env)
    try:
        # No reload: the panel asks again every 2 s until the job is done.
        panel.get_by_role("link", name="Valley floods").wait_for(timeout=30_000)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    article = Article.objects.get()
    assert f"{article.claims.count()} claims" in panel.inner_text()
    screenshot(page, "queue-import-done")
    panel.get_by_role("link", name="Valley floods").click()
    page.wait_for_url(f"**{article.get_absolute_url()}")


def test_without_javascript_the_queue_says_to_reload_and_shows_the_result_after(
    open_page, editor, worker_env
):
    page = open_page(editor, js=False)
    import_by_paste(page, "Valley floods")
    assert "Reload the page to see how far they have got." in page.inner_text("#imports")

    run_batch(worker_env)

    page.reload()
    assert page.locator("#imports a", has_text="Valley floods").is_visible()


def test_an_editor_runs_a_failed_import_again_from_the_operations_page(
    open_page, editor, worker_env
):
    page = open_page(editor, width=375)
    import_by_paste(page, "Valley floods")
    # Off the queue, whose polling would be refused while she is no editor.
    page.goto("about:blank")
    editors = Group.objects.get(name="Editors")
    editor.groups.remove(editors)  # her role is taken away before the worker gets to it
    run_batch(worker_env)
    editor.groups.add(editors)

    page.goto("/review/")
    assert "PermissionDenied: Only editors can import articles." in page.inner_text("#imports")
    page.click("text=Run it again from the operations page")
    page.wait_for_url("**/review/operations/#job-*")
    assert serious(page) == []
    screenshot(page, "operations-failed")
    page.click("button:has-text('Run again')")
    expect(page.locator("#flash")).to_contain_text("queued again")

    run_batch(worker_env)

    page.reload()
    row = page.locator("tr", has_text="Valley floods")
    assert "Done" in row.inner_text()
    assert Article.objects.count() == 1
