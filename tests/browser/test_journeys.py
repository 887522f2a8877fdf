"""The whole review, from import to correction, in a real browser."""

from __future__ import annotations

import json

import pytest

from claims import publishing, review
from claims.models import Article, AuditEvent, ClaimStatus, Publication, Rating
from tests.browser.conftest import add_source, publish_from_preview, screenshot
from tests.factories import ArticleFactory, UserFactory
from tests.hostile import HOSTILE_HTTP_URL, RIGHT_TO_LEFT, XSS
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
    page.select_option("#id_assignee", label="Rafael Reviewer")
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
    page.wait_for_selector("#panel-timeline:has-text('Rafael Reviewer proposed the verdict')")
    assert same()
    timeline = page.inner_text("#panel-timeline")
    for words in (
        "Rafael Reviewer added a source",
        "Rafael Reviewer wrote a note",
        "Rafael Reviewer proposed the verdict “Mostly false”",
    ):
        assert words in timeline
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
    publish_from_preview(page, article)

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
    publish_from_preview(
        page, article, kind="verdict_changed", note="The council corrected its flood log."
    )
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


# Any element a payload could make, were it ever parsed as markup.
INJECTED = "iframe, object, embed, base, math, [onerror], [onload], [onfocus], [ontoggle]"


def hostile_published_article(desk):
    """Every XSS payload in every field that takes text, published and corrected."""
    everything = " ".join(XSS)
    lines = (f"Officials said on Monday that {n} homes flooded: {p}" for n, p in enumerate(XSS))
    text = "\n\n".join(lines)
    article = ArticleFactory(text=text, title=XSS[0], publisher=XSS[1], author=XSS[2])
    claim = article.claims.check_worthy().order_by("ordinal").first()
    reviewer, second, editor = desk["reviewer"], desk["second"], desk["editor"]
    review.claim_reword(actor=reviewer, claim=claim, wording=everything, version=claim.version)
    for n, payload in enumerate(XSS):
        review.claim_add_source(
            actor=reviewer,
            claim=claim,
            url=HOSTILE_HTTP_URL,
            title=payload,
            publisher=payload,
            excerpt=payload,
            stance="refutes" if n % 2 else "context",
        )
        review.claim_add_note(actor=reviewer, claim=claim, body=payload)
    claim = fresh(claim)
    review.claim_propose_verdict(
        actor=reviewer,
        claim=claim,
        rating=Rating.objects.get(slug="false"),
        summary=XSS[0],
        rationale=everything,
        version=claim.version,
    )
    claim = fresh(claim)
    review.claim_approve_verdict(actor=second, claim=claim, version=claim.version)
    for n, other in enumerate(article.claims.check_worthy().exclude(pk=claim.pk)):
        reason = XSS[n % len(XSS)]
        review.claim_dismiss(actor=editor, claim=other, reason=reason, version=other.version)
    publishing.article_publish(actor=editor, article=article)
    claim = fresh(claim)  # the correction names who made the claim, in hostile words too
    review.claim_set_claimant(
        actor=editor,
        claim=claim,
        version=claim.version,
        claimant=XSS[0][:200],
        claimant_kind="Person",
        claimant_role=XSS[-1][:200],
    )
    publishing.article_publish(
        actor=editor, article=article, correction_kind="other", correction_text=everything
    )
    return article, fresh(claim)


def nothing_ran(page, url: str) -> None:
    """Open `url`, give image errors and focus a moment, and find no trace of a payload."""
    assert page.goto(url).status == 200
    page.wait_for_load_state("load")
    page.wait_for_timeout(150)
    assert page.evaluate("window.__xss") is None, url
    assert page.locator(INJECTED).count() == 0, url


def test_8_hostile_text_is_shown_as_text_everywhere(open_page, desk, problems):
    article, claim = hostile_published_article(desk)
    admin = UserFactory(username="ada", is_staff=True, is_superuser=True)
    page = open_page(desk["editor"])
    for url in ("/review/", article.get_absolute_url(), claim.get_absolute_url()):
        nothing_ran(page, url)
    assert XSS[0] in page.locator("#panel-sources").inner_text()
    assert " ".join(XSS) == page.locator("#panel-wording textarea").input_value()
    # An htmx action swaps the panels in place: the swapped-in text stays text.
    page.click("#panel-assignment button:has-text('Take this claim')")
    page.wait_for_selector("#flash:has-text('You took this claim.')")
    page.wait_for_timeout(300)
    assert page.evaluate("window.__xss") is None

    reader = open_page()
    base = f"/checks/{article.slug}"
    public = ["/checks/", f"{base}/", f"{base}/v/1/", f"{base}/claims/{claim.ordinal}/"]
    for url in [*public, "/checks/methodology/"]:
        nothing_ran(reader, url)
    reader.goto(f"{base}/")
    shown = reader.locator("main").inner_text()
    assert all(payload.replace("\u202e", "") in shown.replace("\u202e", "") for payload in XSS[:3])

    staff = open_page(admin)
    for model in ("claim", "source", "note", "verdict", "publication"):
        nothing_ran(staff, f"/admin/claims/{model}/")
    nothing_ran(staff, f"/admin/claims/claim/{claim.pk}/change/")

    publishing.article_retract(actor=desk["editor"], article=article, reason=" ".join(XSS))
    for url in public[:3]:
        nothing_ran(reader, url)
    assert problems.items == []  # no dialog opened, no script error


def left_of(page, first: str, second: str) -> bool:
    """Whether the element `first` is drawn left of the element `second`."""
    boxes = [page.locator(selector).first.bounding_box() for selector in (first, second)]
    return boxes[0]["x"] < boxes[1]["x"]


def test_9_a_right_to_left_override_stays_inside_the_text_that_carries_it(open_page, desk):
    """An unclosed U+202E in a title reverses that title, not the page around it (the
    breadcrumbs after an article's title, the date after a source's title)."""
    article = ArticleFactory(text=ARTICLE, title=RIGHT_TO_LEFT)
    claim, *others = article.claims.check_worthy().order_by("ordinal")
    for stance in ("refutes", "context"):
        review.claim_add_source(
            actor=desk["reviewer"],
            claim=claim,
            url="https://evidence.example/report",
            title=RIGHT_TO_LEFT,
            publisher="Ministry",
            stance=stance,
        )
    claim = fresh(claim)
    review.claim_propose_verdict(
        actor=desk["reviewer"],
        claim=claim,
        rating=Rating.objects.get(slug="false"),
        summary="It did not happen.",
        rationale="The ministry's report says otherwise.",
        version=claim.version,
    )
    claim = fresh(claim)
    review.claim_approve_verdict(actor=desk["second"], claim=claim, version=claim.version)
    for other in others:
        review.claim_dismiss(actor=desk["editor"], claim=other, reason="Context", version=1)
    publishing.article_publish(actor=desk["editor"], article=article)

    page = open_page(desk["reviewer"])
    page.goto(claim.get_absolute_url())
    assert left_of(page, ".breadcrumbs a[href*='/articles/']", ".breadcrumbs span")
    reader = open_page()
    reader.goto(f"/checks/{article.slug}/")
    assert left_of(reader, ".sources li a", ".sources li .accessed")
