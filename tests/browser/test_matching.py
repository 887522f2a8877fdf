""" "Checked before" and search in a real browser: an import is matched by a real worker,
the board marks the claim, the reviewer reuses the earlier check (htmx swaps the verdict
form with the draft and the new source), then searches the desk (htmx swaps the results,
the filters stay in the URL) and a reader searches the public pages on a phone."""

from __future__ import annotations

import pytest
from django_tasks_db.models import DBTaskResult

from claims import publishing
from claims.models import ClaimMatch, Source
from tests.browser.conftest import screenshot
from tests.factories import ArticleFactory
from tests.workers import run_batch
from tests.workspace import settled_article

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

EARLIER = "Unemployment rose to 5.2% in March, the highest level in three years, officials said."
NEW = "The minister said that in March the jobless rate climbed to 5.2 per cent."


def test_a_reviewer_reuses_an_earlier_check_and_searches_the_desk(
    open_page, editor, reviewer, second_reviewer, worker_env
):
    earlier_article, earlier = settled_article(
        editor=editor, reviewer=second_reviewer, approver=reviewer, text=EARLIER
    )
    publishing.article_publish(actor=editor, article=earlier_article)
    article = ArticleFactory(text=NEW, actor=editor)
    # The sources' captures would fetch made-up addresses: only the matching runs here.
    DBTaskResult.objects.filter(task_path="claims.tasks.capture_source").delete()
    run_batch(worker_env)
    claim = article.claims.check_worthy().get()
    assert ClaimMatch.objects.filter(claim=claim, earlier=earlier).exists()

    page = open_page(reviewer)
    page.goto(article.get_absolute_url())
    page.click("text=checked before (1)")
    page.wait_for_selector("#panel-matches")
    panel = page.locator("#panel-matches")
    assert earlier.wording in panel.inner_text()
    assert "Public verdict page" in panel.inner_text()
    panel.locator("select[name=stance]").select_option("refutes")
    panel.get_by_role("button", name="Reuse this check").click()
    page.wait_for_selector("#panel-verdict .notice")
    assert page.input_value("#panel-verdict #id_summary") == "It did not happen."
    page.wait_for_selector("#panel-sources a:has-text('Earlier check: False')")
    assert Source.objects.get(claim=claim).stance == "refutes"
    assert page.url.endswith(f"{claim.get_absolute_url()}#panel-matches")  # htmx: no reload
    screenshot(page, "checked-before-reused")

    page.goto("/review/search/")
    page.fill("input[name=q]", "jobless")
    page.press("input[name=q]", "Enter")
    page.wait_for_selector("#results .result")
    assert "q=jobless" in page.url
    assert page.locator("#results mark").first.inner_text().lower() == "jobless"
    page.select_option("select[name=status]", "approved")
    page.wait_for_url("**status=approved**")
    page.wait_for_selector("#results .empty")
    page.select_option("select[name=status]", "")
    page.fill("input[name=q]", "unemployment")
    page.press("input[name=q]", "Enter")
    page.wait_for_selector("#results .result-claim")
    screenshot(page, "search-desk")

    phone = open_page(width=375)
    phone.goto("/checks/search/?q=unemployment")
    assert "1 published check found" in phone.inner_text("main")
    assert phone.locator("main mark").count() >= 1
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(phone, "search-public-phone")


def test_the_search_form_works_without_javascript(open_page, editor, reviewer):
    ArticleFactory(text="The minister said 12 lighthouses closed in Exampleton in 2024.")
    page = open_page(reviewer, js=False)
    page.goto("/review/search/")
    page.fill("input[name=q]", "lighthouses")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_selector("#results .result")
    assert "q=lighthouses" in page.url
    page.set_viewport_size({"width": 375, "height": 900})
    screenshot(page, "search-desk-phone")
