"""The publishing side of the desk in a real browser (issue 19): who made a claim reaching
the ClaimReview data, the article's details, the preview, a correction's difference (and
one that changes nothing, refused), a retracted first version, and the downloads."""

from __future__ import annotations

import csv
import io
import json

import pytest

from claims import publishing, review
from claims.models import AuditEvent, Publication
from tests.browser.conftest import screenshot
from tests.browser.test_accessibility import serious
from tests.browser.test_journeys import desk, published_article  # noqa: F401 - the fixture
from tests.workspace import fresh

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_claimant_reaches_the_claimreview_through_details_preview_and_publish(
    open_page,
    desk,  # noqa: F811
):
    article, claim = published_article(desk)  # settled, not published yet
    reviewer = open_page(desk["reviewer"])
    reviewer.goto(claim.get_absolute_url())
    assert serious(reviewer) == []
    reviewer.click("#panel-claimant summary")
    reviewer.fill("#panel-claimant #id_claimant", "Regional council")
    reviewer.select_option("#panel-claimant #id_claimant_kind", "Organization")
    reviewer.fill("#panel-claimant #id_claimant_role", "The valley's local authority")
    reviewer.click("#panel-claimant button:has-text('Save who made it')")
    reviewer.wait_for_selector("#flash:has-text('Saved who made the claim.')")
    assert "Claim by Regional council" in reviewer.inner_text("#panel-claimant")
    assert "said who made the claim" in reviewer.inner_text("#panel-timeline")
    screenshot(reviewer, "claimant-panel")

    editor = open_page(desk["editor"])
    editor.goto(article.get_absolute_url())
    editor.click(".article-details summary")
    editor.fill("#id_publisher", "Valley Times")
    editor.fill("#id_url", "https://valley.example/floods")
    editor.fill("#id_published_on", "2025-03-01")
    assert serious(editor) == []
    screenshot(editor, "board-details")
    editor.click("#article-form button:has-text('Save details')")
    editor.wait_for_selector("text=Details saved.")
    assert AuditEvent.objects.filter(action="article.edited").count() == 1

    editor.click("a:has-text('Preview and publish')")
    editor.wait_for_url(f"**/review/articles/{article.slug}/preview")
    bar = editor.inner_text(".preview-bar")
    assert "not published yet" in bar
    assert "Missing from the ClaimReview data" not in bar
    assert "Valley Times" in editor.inner_text("header.article-head")
    assert editor.locator(".verdict-card").count() == 1
    assert serious(editor) == []
    screenshot(editor, "preview")
    editor.set_viewport_size({"width": 375, "height": 800})
    assert editor.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(editor, "preview-phone")
    editor.set_viewport_size({"width": 1280, "height": 900})
    assert not Publication.objects.exists()
    editor.click(".preview-bar button:has-text('Publish')")
    editor.wait_for_selector("text=Published. The public page shows this version now.")

    reader = open_page()
    reader.goto(f"/checks/{article.slug}/claims/{claim.ordinal}/")
    assert "Claim by Regional council (The valley's local authority), in Valley floods" in (
        reader.inner_text(".claim-head")
    )
    assert reader.locator("h1").inner_text().strip("“”") == claim.wording
    data = json.loads(reader.locator('script[type="application/ld+json"]').text_content())
    assert data["itemReviewed"]["author"] == {
        "@type": "Organization",
        "name": "Regional council",
        "description": "The valley's local authority",
    }
    assert data["itemReviewed"]["appearance"]["url"] == "https://valley.example/floods"
    assert data["itemReviewed"]["datePublished"] == "2025-03-01"
    screenshot(reader, "public-claim-claimant")

    # The downloads, as a browser saves them.
    with editor.expect_download() as download:
        editor.goto(article.get_absolute_url())
        editor.click("a:has-text('claims and verdicts as CSV')")
    rows = list(csv.DictReader(io.StringIO(download.value.path().read_text("utf-8-sig"))))
    assert next(r for r in rows if r["ordinal"] == str(claim.ordinal))["claimant"] == (
        "Regional council"
    )
    with editor.expect_download() as download:
        editor.click("a:has-text('the article as JSON')")
    assert json.loads(download.value.path().read_text())["article"]["publisher"] == "Valley Times"


def test_a_correction_shows_its_difference_one_changing_nothing_is_refused_and_a_retraction_reaches_v1(  # noqa: E501
    open_page,
    desk,  # noqa: F811
):
    article, claim = published_article(desk)
    publishing.article_publish(actor=desk["editor"], article=article)
    publishing.article_reopen(actor=desk["editor"], article=article, reason="Recheck")
    editor = open_page(desk["editor"])

    editor.goto(article.get_absolute_url())
    editor.click("a:has-text('Preview the correction')")
    editor.wait_for_selector("text=there is nothing to publish as a correction")
    assert editor.locator(".preview-bar button").count() == 0
    assert serious(editor) == []
    screenshot(editor, "preview-nothing-changes")
    editor.goto(article.get_absolute_url())

    claim = fresh(claim)
    review.claim_set_claimant(
        actor=desk["reviewer"],
        claim=claim,
        version=claim.version,
        claimant="Mayor Jane Doe",
        claimant_kind="Person",
    )
    editor.click("a:has-text('Preview the correction')")
    editor.wait_for_selector("text=What changes against version 1")
    row = editor.locator(".preview-bar tr:has-text('claim made by')")
    assert "Mayor Jane Doe (person)" in row.inner_text()
    assert serious(editor) == []
    screenshot(editor, "preview-diff")
    assert "When claim" in editor.inner_text(".preview-bar .missing")  # no date anywhere
    editor.check("#id_accept_missing")
    editor.select_option("#id_correction_kind", "other")
    editor.fill("#id_correction_text", "We now name who made the claim.")
    editor.click(".preview-bar button:has-text('Publish this correction')")
    editor.wait_for_selector("text=Published. The public page shows this version now.")
    assert Publication.objects.filter(article=article).count() == 2

    editor.click("#retract summary")
    editor.fill("#retract textarea", "The flood log we relied on was forged.")
    editor.click("#retract button:has-text('Retract the article')")
    editor.wait_for_selector("text=Retracted.")

    reader = open_page()
    reader.goto(f"/checks/{article.slug}/v/1/")
    first = reader.locator("main > *").first
    assert "This fact-check has been retracted" in first.inner_text()
    assert "The flood log we relied on was forged." in first.inner_text()
    assert reader.locator(".verdict-card").count() == 0
    assert reader.locator('meta[name="robots"]').get_attribute("content") == "noindex"
    canonical = reader.locator('link[rel="canonical"]').get_attribute("href")
    assert canonical.endswith(f"/checks/{article.slug}/")
    assert serious(reader) == []
    screenshot(reader, "retracted-v1")
    reader.set_viewport_size({"width": 375, "height": 800})
    assert reader.evaluate("document.documentElement.scrollWidth") <= 375


def focused(page, attribute: str) -> str:
    """An attribute of the element that has the keyboard focus (read from the page's
    utility world, which a page without JavaScript still has)."""
    return page.eval_on_selector("body", f"() => document.activeElement.{attribute}")


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_publishing_leads_and_reopen_and_retract_wait_behind_their_own_disclosures(
    open_page,
    desk,  # noqa: F811
    js,
):
    """The next step (preview and publish) stands out; reopening and retracting are rare,
    so each is closed behind its own <details> with its own labelled reason box, reached
    and opened by keyboard, with or without JavaScript; retracting looks destructive."""
    article, _ = published_article(desk)
    publishing.article_publish(actor=desk["editor"], article=article)
    editor = open_page(desk["editor"], js=js)
    editor.goto(article.get_absolute_url())
    section = editor.locator(".publishing")
    assert section.locator("textarea:visible").count() == 0  # no reason box until asked
    assert section.locator("button:visible").count() == 0
    for disclosure in ("#reopen", "#retract"):
        assert editor.locator(disclosure).get_attribute("open") is None
    retract_colour = editor.eval_on_selector("#retract summary", "e => getComputedStyle(e).color")
    reopen_colour = editor.eval_on_selector("#reopen summary", "e => getComputedStyle(e).color")
    assert retract_colour == "rgb(185, 28, 28)" != reopen_colour  # --danger
    assert not js or serious(editor) == []  # axe runs as the page's script

    # Keyboard only: Tab to "Retract this article…", open it, its reason box is labelled.
    editor.focus("#reopen summary")
    editor.keyboard.press("Tab")
    assert focused(editor, "textContent") == "Retract this article…"
    editor.keyboard.press("Enter")
    assert editor.locator("#retract").get_attribute("open") == ""
    assert editor.locator("#reopen").get_attribute("open") is None
    assert "can't be undone" in editor.inner_text("#retract")
    box = editor.get_by_label("Reason for retracting (published)")
    assert box.is_visible()
    button = editor.locator("#retract button")
    assert button.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(185, 28, 28)"
    editor.keyboard.press("Tab")
    assert focused(editor, "name") == "reason"
    screenshot(editor, f"board-retract-open-{'js' if js else 'nojs'}")
    assert not js or serious(editor) == []

    # Reopening: its own box, its own reason.
    editor.click("#reopen summary")
    editor.get_by_label("What needs correcting (internal)").fill("A reader found a typo.")
    editor.click("#reopen button:has-text('Reopen for correction')")
    editor.wait_for_selector("text=Reopened. Reviewers can work on its claims")
    assert AuditEvent.objects.filter(action="article.reopened", reason="A reader found a typo.")
    assert not AuditEvent.objects.filter(action="article.retracted").exists()
