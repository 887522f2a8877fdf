"""The desk's workflow in Chromium (issue 19): a send-back comment reaching the
reviewer, bulk assign without JavaScript, focus after an action, the board's filters
in the URL, errors cleared once fixed, and every workspace page on a 375-pixel phone."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from bench.data import checkworthy_article
from claims import publishing, review
from claims.models import AuditEvent
from tests.browser.conftest import add_source, screenshot
from tests.browser.test_journeys import ARTICLE
from tests.factories import ArticleFactory, UserFactory
from tests.workspace import fresh, proposed, settled_article

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def desk(db):
    return {
        "editor": UserFactory(
            username="edith", first_name="Edith", last_name="Ellis", groups=["Editors"]
        ),
        "reviewer": UserFactory(
            username="rafael", first_name="Rafael", last_name="Reyes", groups=["Reviewers"]
        ),
        "second": UserFactory(
            username="ruth", first_name="Ruth", last_name="Ortega", groups=["Reviewers"]
        ),
    }


def serious(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def test_a_send_back_comment_reaches_the_reviewer_and_focus_follows_each_action(open_page, desk):
    claim = ArticleFactory(text=ARTICLE).claims.check_worthy().order_by("ordinal").first()
    claim = proposed(claim, desk["reviewer"])

    second = open_page(desk["second"])
    second.goto(claim.get_absolute_url())
    second.fill("#panel-signoff #id_comment", "The 2019 figure needs a second monitor.")
    second.click("#panel-signoff button:has-text('Send back')")
    second.wait_for_selector("#flash:has-text('Verdict sent back.')")
    # Focus goes to the panel that answered, not the top of the document. htmx moves it
    # once the answer has settled, a moment after the live region was swapped in.
    expect(second.locator("#signoff-heading")).to_be_focused()
    assert second.locator("#flash").get_attribute("aria-live") == "polite"
    assert second.locator("#send-back").inner_text().startswith("Sent back by Ruth Ortega")

    reviewer = open_page(desk["reviewer"])
    reviewer.wait_for_selector("#my-work-count:has-text('1')")  # the header counts it
    reviewer.click("a:has-text('My work')")
    item = reviewer.locator(f"#work-sent-back-{claim.pk}")
    assert "The 2019 figure needs a second monitor." in item.inner_text()
    assert "Sent back by Ruth Ortega" in item.inner_text()
    assert serious(reviewer) == []
    screenshot(reviewer, "my-work")
    item.locator("a").first.click()
    notice = reviewer.locator("#send-back")
    assert "The 2019 figure needs a second monitor." in notice.inner_text()
    assert serious(reviewer) == []
    screenshot(reviewer, "claim-sent-back")

    reviewer.fill("#panel-verdict #id_summary", "Two monitors say otherwise.")
    reviewer.click("#panel-verdict button:has-text('Change verdict')")
    reviewer.wait_for_selector("#flash:has-text('Verdict proposed.')")
    expect(reviewer.locator("#verdict-heading")).to_be_focused()
    assert reviewer.locator("#send-back").inner_text().strip() == ""  # no longer sent back
    reviewer.wait_for_function("() => !document.getElementById('my-work-count')")
    assert serious(reviewer) == []


@pytest.mark.parametrize("js", [False, True], ids=["no-js", "js"])
def test_an_editor_bulk_assigns_claims(open_page, desk, js):
    article = ArticleFactory(text=checkworthy_article(4))
    claims = list(article.claims.check_worthy().order_by("ordinal"))[:3]
    page = open_page(desk["editor"], js=js)
    page.goto(article.get_absolute_url())
    for claim in claims:
        page.check(f"#tick-{claim.pk}")
    page.check("#bulk-form input[value=assign]")
    page.select_option("#id_bulk_assignee", label="Ruth Ortega")
    assert not js or serious(page) == []  # axe runs as the page's script
    screenshot(page, f"board-bulk-{'js' if js else 'nojs'}")
    page.click("#bulk-form button:has-text('Apply to ticked claims')")
    page.wait_for_selector("text=Assigned 3 claims to Ruth Ortega.")
    assert not js or serious(page) == []
    assert len(claims) == 3
    assert {fresh(c).assignee_id for c in claims} == {desk["second"].pk}
    assert AuditEvent.objects.filter(action="claim.assigned", claim__in=claims).count() == 3
    assert page.locator("td:has-text('Ruth Ortega')").count() >= 3


def test_taking_a_colleagues_claim_is_confirmed_and_shown_to_them(open_page, desk):
    """One click no longer takes a colleague's claim: the page asks first, by name, and
    the colleague then sees who took it in their work and on the claim's timeline."""
    claim = ArticleFactory(text=ARTICLE).claims.check_worthy().order_by("ordinal").first()
    review.claim_take(actor=desk["reviewer"], claim=claim, version=claim.version)

    second = open_page(desk["second"])
    second.goto(claim.get_absolute_url())
    assert second.locator("#panel-assignment button:visible").count() == 0  # asks first
    second.click("#panel-assignment summary:has-text('Take this claim from Rafael Reyes')")
    assert "they will see on their timeline" in second.inner_text("#panel-assignment")
    assert serious(second) == []
    second.click("#panel-assignment button:has-text('Yes, take it from Rafael Reyes')")
    second.wait_for_selector("#panel-assignment strong:has-text('Ruth Ortega')")
    assert fresh(claim).assignee_id == desk["second"].pk

    reviewer = open_page(desk["reviewer"])
    reviewer.goto("/review/mine/")
    taken = reviewer.locator("section[aria-labelledby=taken-heading]")
    assert "Ruth Ortega took claim" in taken.inner_text()
    assert serious(reviewer) == []
    taken.locator("a").first.click()
    assert "Ruth Ortega took the claim from Rafael Reyes" in reviewer.inner_text("#panel-timeline")


def settled(page) -> None:
    """htmx is done: no request out, nothing being swapped or settled. The filters come
    back with the table, and a new form that htmx has not taken over yet would be sent by
    the browser itself (every field, empty ones too)."""
    page.wait_for_function(
        "() => !document.querySelector("
        "'.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')"
    )


def test_the_board_keeps_one_value_per_filter_in_its_url(open_page, desk):
    article = ArticleFactory(text=ARTICLE)
    page = open_page(desk["editor"])
    page.goto(article.get_absolute_url())
    page.locator("#id_dismissed").check()
    page.wait_for_url("**/?dismissed=on")
    settled(page)
    assert page.locator("tr.is-dismissed").count() > 0
    page.locator("#id_dismissed").uncheck()  # switched off again
    page.wait_for_url(lambda url: "dismissed" not in url)
    settled(page)
    assert page.locator("tr.is-dismissed").count() == 0
    page.select_option("#id_status", "new")
    page.wait_for_url("**/?status=new")
    settled(page)
    assert page.url.count("status=") == 1

    requests = []
    page.on("request", lambda r: "min_score" in r.url and requests.append(r.url))
    page.fill("#id_min_score", "0.5")
    page.press("#id_min_score", "Enter")
    page.wait_for_url("**/?status=new&min_score=0.5")
    page.wait_for_timeout(300)
    assert len(requests) == 1  # Enter sends one request, not a change and a submit
    assert page.url.count("min_score=") == 1

    page.reload()
    assert page.locator("#id_dismissed").is_checked() is False
    assert page.locator("#id_status").input_value() == "new"
    page.go_back()
    page.wait_for_function("() => !location.search.includes('min_score')")
    assert page.locator("#id_min_score").input_value() == ""


@pytest.mark.parametrize("js", [True, False], ids=["htmx", "no-js"])
def test_an_evidence_error_is_cleared_once_sources_are_added(open_page, desk, js):
    """With htmx, the sources' answer empties the evidence error out of band (the server,
    not a script of the page), keeping what was typed and any other error; without
    JavaScript, the page the source's post leads back to has none."""
    claim = ArticleFactory(text=ARTICLE).claims.check_worthy().order_by("ordinal").first()
    page = open_page(desk["reviewer"], js=js)
    page.goto(claim.get_absolute_url())
    rating = page.locator("#panel-verdict #id_rating")
    assert rating.input_value() == ""  # "Choose a rating" first
    assert page.locator("#panel-sources input[name=stance][value=context]").is_checked()
    page.select_option("#panel-verdict #id_rating", label="False")
    page.fill("#panel-verdict #id_summary", "It did not happen.")
    page.fill("#panel-verdict #id_rationale", "Two monitors.")
    page.click("#panel-verdict button:has-text('Propose verdict')")
    page.wait_for_selector("#evidence-check .error:has-text('this claim has 0')")
    assert page.locator("#panel-verdict #id_rating").get_attribute("aria-invalid") is None
    add_source(page, "https://example.org/a", "Monitor A", "refutes")
    if js:
        # The answer's out-of-band part has emptied it; the rest of the form is as typed.
        page.wait_for_function("() => !document.querySelector('#evidence-check .error')")
        assert page.locator("#panel-verdict #id_summary").input_value() == "It did not happen."
        assert page.locator("#panel-verdict #id_rating").input_value() != ""
    assert page.locator("#evidence-check").count() == 1
    assert page.locator("#panel-verdict .error").count() == 0
    assert "this claim has" not in page.inner_text("main")


def test_every_workspace_page_fits_a_375_pixel_phone(open_page, desk, settings):
    article, claim = settled_article(
        editor=desk["editor"],
        reviewer=desk["reviewer"],
        approver=desk["second"],
        text=ARTICLE,
        title="Valley floods after the longest rain of the decade in Exampleton",
    )
    publishing.article_publish(actor=desk["editor"], article=article)
    publishing.article_reopen(
        actor=desk["editor"], article=article, reason="A reader wrote in about the 2019 figure."
    )
    other = article.claims.dismissed().first()
    review.claim_add_note(actor=desk["reviewer"], claim=claim, body="A note " * 40)
    page = open_page(desk["editor"], width=375)
    for url in (
        "/review/",
        "/review/mine/",
        article.get_absolute_url(),
        article.get_absolute_url() + "?dismissed=on",
        claim.get_absolute_url(),
        other.get_absolute_url(),
        "/review/operations/",
        "/review/sources/flagged/",
    ):
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{url} is {width} px wide"
    page.goto(article.get_absolute_url() + "?dismissed=on")
    screenshot(page, "board-phone")


def test_a_refused_action_says_why_in_its_panel_not_over_the_page(open_page, desk, problems):
    claim = ArticleFactory(text=ARTICLE).claims.check_worthy().order_by("ordinal").first()
    page = open_page(desk["reviewer"])
    page.goto(claim.get_absolute_url())
    desk["reviewer"].groups.clear()  # taken off the desk while the page is open
    page.click("#panel-assignment button:has-text('Take this claim')")
    refusal = page.locator("#panel-assignment .refusal")
    refusal.wait_for()
    assert refusal.inner_text() == "The workspace is for reviewers and editors."
    assert page.locator("#panel-verdict").count() == 1  # the page is still there
    assert "The workspace is for reviewers and editors." in page.inner_text("#flash")
    # The browser logs the refused request; that is what this test is about.
    assert all("403" in item for item in problems.items)
    problems.items.clear()
