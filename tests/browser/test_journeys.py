"""The whole review, from import to correction, in a real browser."""

from __future__ import annotations

import json
import re

import pytest

from claims import publishing, review
from claims.models import Article, AuditEvent, ClaimStatus, Publication, Rating
from tests.browser.conftest import screenshot
from tests.factories import ArticleFactory, UserFactory
from tests.workspace import fresh, settled_article

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ARTICLE = (
    "Floods in the valley\n\n"
    "The regional council said on Monday that 40 homes in Riverside were flooded overnight. "
    "Officials vowed to reopen the main bridge by Friday.\n\n"
    "Critics say the council ought to have acted sooner."
)


@pytest.fixture
def desk(db):
    return {
        "editor": UserFactory(
            username="edith", first_name="Edith", last_name="Editor", groups=["Editors"]
        ),
        "reviewer": UserFactory(
            username="rafael", first_name="Rafael", last_name="Reviewer", groups=["Reviewers"]
        ),
        "second": UserFactory(
            username="ruth", first_name="Ruth", last_name="Second", groups=["Reviewers"]
        ),
    }


def no_navigation(page):
    """Mark the document; if the mark survives, nothing reloaded the page."""
    page.evaluate("window.__same_document = true")
    return lambda: page.evaluate("window.__same_document === true")


def add_source(page, url, title, stance):
    page.click("#panel-sources summary")
    page.fill("#panel-sources #id_url", url)
    page.fill("#panel-sources #id_title", title)
    page.check(f"#panel-sources input[value={stance}]")
    page.click("#panel-sources button:has-text('Add source')")
    page.wait_for_selector(f"#panel-sources a:has-text('{title}')")


def test_1_an_editor_imports_filters_and_assigns(open_page, desk):
    ArticleFactory(title="Council budget row")  # so the queue has something to show
    page = open_page(desk["editor"])
    page.reload()
    screenshot(page, "queue")
    page.fill("#id_text", ARTICLE)
    page.fill("#id_title", "Valley floods")
    page.click("button:has-text('Import and split into claims')")
    page.wait_for_url("**/review/articles/valley-floods/")
    article = Article.objects.get(slug="valley-floods")
    worthy = article.claims.check_worthy().count()
    assert 0 < worthy < article.claims.count()
    assert page.locator("table.claims tbody tr").count() == worthy  # dismissed ones hidden
    page.click("table.claims tbody tr:first-child td.score summary")
    assert "number: " in page.inner_text("table.claims tbody tr:first-child .reasons")
    same = no_navigation(page)
    page.select_option("#id_status", "new")
    page.wait_for_url("**status=new**")
    assert same()
    screenshot(page, "board")
    page.click("table.claims tbody tr:first-child a")
    page.select_option("#id_assignee", label="rafael")
    page.click("#panel-assignment button:has-text('Assign')")
    page.wait_for_selector("#panel-assignment strong:has-text('Rafael Reviewer')")
    claim = article.claims.check_worthy().order_by("ordinal").first()
    assert claim.assignee == desk["reviewer"]


def test_2_and_3_a_reviewer_works_in_place_and_a_second_one_signs_off(open_page, desk):
    claim = ArticleFactory(text=ARTICLE).claims.check_worthy().order_by("ordinal").first()
    page = open_page(desk["reviewer"])
    page.goto(claim.get_absolute_url())
    same = no_navigation(page)
    add_source(page, "https://records.example/flood", "Council flood log", "refutes")
    add_source(page, "https://news.example/valley", "Valley News report", "context")
    page.fill("#panel-notes #id_body", "Asked the council for the full list.")
    page.click("#panel-notes button:has-text('Add note')")
    page.wait_for_selector("#panel-notes li:has-text('Asked the council')")
    page.select_option("#id_rating", label="Mostly false")
    page.fill("#id_summary", "The log shows 12 flooded homes, not 40.")
    page.fill("#id_rationale", "The council's own flood log lists 12 addresses.")
    page.click("button:has-text('Propose verdict')")
    page.wait_for_selector("#panel-signoff:has-text('You proposed this verdict')")
    page.wait_for_selector("#panel-timeline:has-text('verdict.proposed')")
    assert same()
    timeline = page.inner_text("#panel-timeline")
    for action in ("source.added", "note.added", "verdict.proposed"):
        assert action in timeline
    screenshot(page, "claim")

    # 3: no approve button for the proposer, and a forged post is refused.
    assert page.locator("button:has-text('Approve verdict')").count() == 0
    token = page.locator("#panel-notes input[name=csrfmiddlewaretoken]").input_value()
    forged = page.request.post(
        f"{claim.get_absolute_url()}approve",
        form={"version": str(fresh(claim).version), "csrfmiddlewaretoken": token},
        headers={"X-CSRFToken": token, "Referer": page.url},
    )
    assert forged.status == 403
    other = open_page(desk["second"])
    other.goto(claim.get_absolute_url())
    other.click("button:has-text('Approve verdict')")
    other.wait_for_selector("#panel-signoff:has-text('Approved by ruth')")
    assert fresh(claim).status == ClaimStatus.APPROVED


def published_article(desk) -> tuple[Article, object]:
    return settled_article(
        editor=desk["editor"],
        reviewer=desk["reviewer"],
        approver=desk["second"],
        text=ARTICLE,
        title="Valley floods",
    )


def test_4_the_editor_publishes_and_a_reader_follows_a_claim(open_page, desk):
    article, claim = published_article(desk)
    page = open_page(desk["editor"])
    page.goto(article.get_absolute_url())
    page.click("button:has-text('Publish')")
    page.wait_for_selector("text=Published. The public page shows this version now.")

    reader = open_page()
    reader.goto(f"/checks/{article.slug}/")
    mark = reader.locator("a.claim-mark").first
    assert claim.text[:30] in mark.inner_text()
    screenshot(reader, "public-article")
    mark.click()
    assert reader.url.endswith(f"#claim-{claim.ordinal}")
    reader.click(f"#claim-{claim.ordinal} a:has-text('Permalink')")
    reader.wait_for_url(f"**/checks/{article.slug}/claims/{claim.ordinal}/")
    screenshot(reader, "public-claim")
    blocks = reader.locator('script[type="application/ld+json"]')
    assert blocks.count() == 1
    data = json.loads(blocks.first.text_content())
    assert data["@type"] == "ClaimReview"
    assert data["reviewRating"]["alternateName"] == "False"


def test_5_two_reviewers_saving_at_once_one_wins_nothing_is_lost(open_page, desk):
    claim = ArticleFactory(text=ARTICLE).claims.check_worthy().order_by("ordinal").first()
    first, second = open_page(desk["reviewer"]), open_page(desk["second"])
    for page in (first, second):
        page.goto(claim.get_absolute_url())
    first.fill("#id_wording", "Forty homes were flooded, the council said.")
    first.click("#panel-wording button:has-text('Save wording')")
    first.wait_for_selector("#flash:has-text('Wording saved.')")
    second.fill("#id_wording", "The council said 40 homes flooded on Monday night.")
    second.click("#panel-wording button:has-text('Save wording')")
    conflict = second.wait_for_selector(".conflict")
    assert "Forty homes were flooded, the council said." in conflict.inner_text()
    assert second.input_value("#id_wording") == "The council said 40 homes flooded on Monday night."
    assert fresh(claim).wording == "Forty homes were flooded, the council said."
    second.click("#panel-wording button:has-text('Save wording')")  # re-apply, knowingly
    second.wait_for_selector("#flash:has-text('Wording saved.')")
    assert fresh(claim).wording == "The council said 40 homes flooded on Monday night."


def test_6_a_correction_becomes_version_two_and_version_one_stays(open_page, desk):
    article, claim = published_article(desk)
    publishing.article_publish(actor=desk["editor"], article=article)
    publishing.article_reopen(actor=desk["editor"], article=article, reason="Reader complaint")
    review.claim_propose_verdict(
        actor=desk["reviewer"],
        claim=claim,
        rating=Rating.objects.get(slug="mostly-false"),
        summary="Twelve homes, not forty.",
        rationale="Updated log.",
        version=claim.version,
    )
    claim = fresh(claim)
    review.claim_approve_verdict(actor=desk["second"], claim=claim, version=claim.version)
    page = open_page(desk["editor"])
    page.goto(article.get_absolute_url())
    page.select_option("#id_correction_kind", "verdict_changed")
    page.fill("#id_correction_text", "The council corrected its flood log.")
    page.click("button:has-text('Publish correction')")
    page.wait_for_selector("text=Published.")
    reader = open_page()
    reader.goto(f"/checks/{article.slug}/")
    assert "This is version 2" in reader.inner_text(".history")
    assert "The council corrected its flood log." in reader.inner_text(".history")
    reader.goto(f"/checks/{article.slug}/v/1/")
    assert "has been superseded" in reader.inner_text("main")
    assert Publication.objects.filter(article=article).count() == 2


def test_7_without_javascript_the_review_works_through_plain_posts(open_page, desk):
    claim = ArticleFactory(text=ARTICLE).claims.check_worthy().order_by("ordinal").first()
    page = open_page(desk["reviewer"], js=False)
    page.goto(claim.get_absolute_url())
    for url, title, stance in (
        ("https://a.example/1", "Log", "refutes"),
        ("https://b.example/2", "Report", "context"),
    ):
        page.click("#panel-sources summary")
        page.fill("#panel-sources #id_url", url)
        page.fill("#panel-sources #id_title", title)
        page.check(f"#panel-sources input[value={stance}]")
        page.click("#panel-sources button:has-text('Add source')")
        page.wait_for_selector("#flash:has-text('Source added.')")
    page.fill("#panel-notes #id_body", "No JavaScript here.")
    page.click("#panel-notes button:has-text('Add note')")
    page.wait_for_selector("#flash:has-text('Note added.')")
    page.select_option("#id_rating", label="False")
    page.fill("#id_summary", "No.")
    page.fill("#id_rationale", "Because.")
    page.click("button:has-text('Propose verdict')")
    page.wait_for_selector("#flash:has-text('Verdict proposed.')")
    assert page.locator("button:has-text('Approve verdict')").count() == 0
    other = open_page(desk["second"], js=False)
    other.goto(claim.get_absolute_url())
    other.click("button:has-text('Approve verdict')")
    other.wait_for_selector("#flash:has-text('Verdict approved.')")
    assert fresh(claim).status == ClaimStatus.APPROVED
    assert AuditEvent.objects.filter(claim=claim).count() == 5


XSS = [
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg onload=alert(1)>",
    "javascript:alert(1)",
    "{{ 7*7 }} {% debug %}",
    "\u202egnp.exe",
    "</textarea><script>alert(2)</script>",
]


def test_8_hostile_text_is_shown_as_text_everywhere(open_page, desk):
    payload = " ".join(XSS)
    article = ArticleFactory(
        text=f"The mayor said 3 things: {payload}.\n\nOfficials said 5 roads closed on Monday.",
        title=f"Title {XSS[0]}",
    )
    claim = article.claims.check_worthy().order_by("ordinal").first()
    review.claim_reword(actor=desk["reviewer"], claim=claim, wording=payload, version=claim.version)
    for n, stance in enumerate(("refutes", "context")):
        review.claim_add_source(
            actor=desk["reviewer"],
            claim=claim,
            url=f"https://x.example/{n}?q=<script>",
            title=XSS[1],
            publisher=XSS[2],
            excerpt=payload,
            stance=stance,
        )
    review.claim_add_note(actor=desk["reviewer"], claim=claim, body=payload)
    claim = fresh(claim)
    review.claim_propose_verdict(
        actor=desk["reviewer"],
        claim=claim,
        rating=Rating.objects.get(slug="false"),
        summary=XSS[0],
        rationale=payload,
        version=claim.version,
    )
    claim = fresh(claim)
    review.claim_approve_verdict(actor=desk["second"], claim=claim, version=claim.version)
    for other in article.claims.check_worthy().exclude(pk=claim.pk):
        review.claim_dismiss(actor=desk["editor"], claim=other, reason=XSS[3], version=1)
    publishing.article_publish(actor=desk["editor"], article=article)

    page = open_page(desk["editor"])
    for url in ("/review/", article.get_absolute_url(), claim.get_absolute_url()):
        page.goto(url)
        assert (
            "<script>alert('x')</script>"
            in page.content().replace("&lt;", "<").replace("&gt;", ">")
            or url == "/review/"
        )
    reader = open_page()
    for url in (
        f"/checks/{article.slug}/",
        f"/checks/{article.slug}/claims/{claim.ordinal}/",
        "/checks/",
        "/checks/feed/",
    ):
        assert reader.goto(url).status == 200
    assert re.search(r"alert", reader.content())  # the text is there, inert
