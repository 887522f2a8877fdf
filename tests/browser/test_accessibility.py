"""axe-core on every page, keyboard-only use of the claim page, and narrow screens."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from bench.data import checkworthy_article
from claims import publishing, review
from claims.views import public
from tests.browser.test_journeys import ARTICLE, published_article
from tests.factories import ArticleFactory, UserFactory
from tests.workspace import proposed

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def desk(db):
    return {
        "editor": UserFactory(username="edith", groups=["Editors"]),
        "reviewer": UserFactory(username="rafael", groups=["Reviewers"]),
        "second": UserFactory(username="ruth", groups=["Reviewers"]),
    }


@pytest.fixture
def site(desk):
    """A published article, reopened for a correction so the workspace shows its forms."""
    article, claim = published_article(desk)
    publication = publishing.article_publish(actor=desk["editor"], article=article)
    publishing.article_reopen(actor=desk["editor"], article=article, reason="Recheck")
    review.claim_add_note(actor=desk["reviewer"], claim=claim, body="A note.")
    return article, claim, publication


def serious(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def test_workspace_pages_have_no_serious_axe_violations(open_page, desk, site, problems):
    article, claim, _ = site
    page = open_page()
    page.goto("/accounts/login/")
    assert serious(page) == []
    page = open_page(desk["editor"])
    for url in (
        "/review/",
        article.get_absolute_url(),
        claim.get_absolute_url(),
        "/review/search/?q=claim&status=approved",
        "/review/mine/",
        f"{claim.get_absolute_url()}?as_of=imported#as-of",
        f"/review/articles/{article.slug}/preview",
        "/review/no/such/page/",  # our 404
    ):
        page.goto(url)
        assert serious(page) == [], url
    refused = open_page(desk["reviewer"])
    assert refused.goto(f"/review/articles/{article.slug}/preview").status == 403  # our 403
    assert serious(refused) == []
    # The browser logs the two refusals asked for above, and nothing else.
    assert len(problems.items) == 2
    assert all("status of 404" in p or "status of 403" in p for p in problems.items)
    problems.items.clear()


def test_public_pages_have_no_serious_axe_violations(open_page, site):
    article, claim, _ = site
    page = open_page()
    for url in (
        "/checks/",
        f"/checks/{article.slug}/",
        f"/checks/{article.slug}/v/1/",
        f"/checks/{article.slug}/claims/{claim.ordinal}/",
        "/checks/methodology/",
        "/checks/search/?q=claim",
    ):
        page.goto(url)
        assert serious(page) == [], url


def test_public_pages_fit_a_375_pixel_screen(open_page, site):
    article, claim, _ = site
    page = open_page(width=375)
    for url in (
        "/checks/",
        f"/checks/{article.slug}/",
        f"/checks/{article.slug}/claims/{claim.ordinal}/",
        "/checks/methodology/",
    ):
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, url


def test_the_claim_page_works_from_the_keyboard(open_page, desk):
    from tests.factories import ArticleFactory

    claim = ArticleFactory(text=ARTICLE).claims.check_worthy().order_by("ordinal").first()
    page = open_page(desk["reviewer"])
    page.goto(claim.get_absolute_url())
    for _ in range(40):  # Tab until "Take this claim" has the focus
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Take this claim":
            break
    else:
        pytest.fail("Take this claim is not reachable with Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # focus is visible
    page.keyboard.press("Enter")
    name = desk["reviewer"].get_full_name()
    page.wait_for_selector(f"#panel-assignment strong:has-text('{name}')")


def test_a_mark_leads_to_its_card_on_a_later_page_readable_on_a_narrow_screen(
    open_page, desk, monkeypatch
):
    monkeypatch.setattr(public, "CARDS_PER_PAGE", 2)  # the live server runs in this process
    article = ArticleFactory(title="Bridges", text=checkworthy_article(3))
    for claim in article.claims.check_worthy().order_by("ordinal"):
        claim = proposed(claim, desk["reviewer"])
        review.claim_approve_verdict(actor=desk["second"], claim=claim, version=claim.version)
    publishing.article_publish(actor=desk["editor"], article=article)
    reader = open_page(width=375)
    reader.goto(f"/checks/{article.slug}/")
    assert reader.locator("a.claim-mark").count() == 3
    assert reader.locator("article.verdict-card").count() == 2
    reader.locator("a.claim-mark").nth(2).click()
    reader.wait_for_url(f"**/checks/{article.slug}/?page=2#claim-3")
    assert reader.locator("article.verdict-card").count() == 1
    assert reader.locator("#claim-3").is_visible()
    assert reader.evaluate("document.documentElement.scrollWidth") <= 375
    assert serious(reader) == []
    reader.click("a[rel=prev]")
    reader.wait_for_url(f"**/checks/{article.slug}/?page=1")
    assert reader.locator("a.claim-mark").count() == 3
