"""Readers in a real browser: suggesting a claim, reporting an error on a verdict card,
and the editor answering both in the workspace; axe and narrow screens on the new pages."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from claims import publishing, transparency
from claims import reader as readers
from claims.models import CorrectionRequest, Funding, Organisation, TeamProfile, Tip
from tests.browser.conftest import screenshot
from tests.browser.test_accessibility import serious
from tests.browser.test_journeys import published_article
from tests.factories import UserFactory
from tests.readers import photo_bytes

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def desk(db):
    return {
        "editor": UserFactory(username="edith", groups=["Editors"]),
        "reviewer": UserFactory(username="rafael", groups=["Reviewers"]),
        "second": UserFactory(username="ruth", groups=["Reviewers"]),
        "admin": UserFactory(username="ada", is_staff=True, is_superuser=True),
    }


@pytest.fixture
def site(desk, settings):
    settings.FACTCHECK_READER_MIN_SECONDS = 1
    admin = desk["admin"]
    rafael = ContentFile(photo_bytes(size=(600, 600)), name="rafael.jpg")
    for user, name, role, biography, photo in [
        ("reviewer", "Rafael Reviewer", "Fact-checker", "Ten years at the Courier.", rafael),
        ("second", "Ruth Approver", "Senior editor", "Checks numbers; a statistician.", None),
    ]:
        transparency.profile_save(
            actor=admin,
            profile=TeamProfile(
                user=desk[user],
                is_public=True,
                public_name=name,
                role=role,
                biography=biography,
                languages="English, Portuguese",
                photo=photo,
            ),
        )
    article, claim = published_article(desk)
    publishing.article_publish(actor=desk["editor"], article=article)
    transparency.organisation_save(
        actor=admin,
        organisation=Organisation(
            name="Riverside Facts",
            legal_form="Non-profit association",
            ownership="Owned by its members.",
            editorial_control="The editor-in-chief decides what is published.",
            independence="Funders have no say over our conclusions.",
            contact_email="desk@riverside.example",
            corrections_policy="We correct every error we find, openly.",
        ),
    )
    transparency.funding_save(
        actor=admin, funding=Funding(year=2025, funder="Press Fund", amount="EUR 20,000")
    )
    return article, claim


def test_a_reader_suggests_a_claim_and_reports_an_error_and_the_editor_answers(
    open_page, desk, site
):
    article, claim = site
    reader = open_page()
    reader.goto("/checks/")
    reader.click("footer a:has-text('Suggest a claim')")
    reader.fill("#id_text", "The mayor said 40,000 people came to the parade.")
    reader.fill("#id_seen_at", "https://news.example/parade")
    honeypot = reader.locator("#id_website").bounding_box()
    assert honeypot is not None
    assert honeypot["x"] + honeypot["width"] < 0
    screenshot(reader, "public-suggest")
    reader.wait_for_timeout(1100)  # a person takes longer than the minimum fill time
    reader.click("button:has-text('Send suggestion')")
    reader.wait_for_url("**/checks/suggest/thanks/")
    assert "reached our editors" in reader.inner_text("main")

    reader.goto(f"/checks/{article.slug}/")
    reader.click(f"#claim-{claim.ordinal} a:has-text('Report an error')")
    reader.wait_for_url(f"**/checks/{article.slug}/claims/{claim.ordinal}/report/")
    reader.fill("#id_problem", "The monitor revised its figure the next day.")
    reader.fill("#id_evidence_url", "javascript:alert(1)")
    reader.wait_for_timeout(1100)
    reader.click("button:has-text('Send report')")
    assert "“javascript:” links are not allowed" in reader.inner_text("main")
    assert not CorrectionRequest.objects.exists()
    reader.fill("#id_evidence_url", "https://monitor.example/revised")
    reader.fill("#id_email", "reader@reader.example")
    reader.check("#id_consent")
    screenshot(reader, "public-report")
    reader.click("button:has-text('Send report')")
    reader.wait_for_url("**/report/thanks/")

    editor = open_page(desk["editor"])
    editor.wait_for_selector("#waiting .badge:has-text('2')")  # htmx asked for the count
    editor.click("#waiting")
    editor.wait_for_url("**/review/intake/")
    assert "The monitor revised its figure" in editor.inner_text(
        f"#request-{CorrectionRequest.objects.get().pk}"
    )
    screenshot(editor, "workspace-intake")
    tip = Tip.objects.get()
    editor.fill(f"#dismiss-{tip.pk}", "Already checked last week")
    editor.click(f"#tip-{tip.pk} button:has-text('Dismiss')")
    editor.wait_for_selector("text=Tip dismissed.")
    request = CorrectionRequest.objects.get()
    editor.click(f"#request-{request.pk} button:has-text('Accept')")
    editor.wait_for_selector("text=Request accepted; the article is open for a correction.")
    assert (Tip.objects.get().status, CorrectionRequest.objects.get().status) == (
        "dismissed",
        "accepted",
    )
    article.refresh_from_db()
    assert article.open_for_review


@pytest.mark.parametrize("width", [1280, 375])
def test_the_new_pages_have_no_serious_axe_violations_and_fit_a_phone(open_page, desk, site, width):
    article, claim = site
    # What readers sent: a tip naming its page, a request with evidence, one answered.
    readers.tip_submit(
        sender="a",
        text="The minister said unemployment halved in two years.",
        seen_at="https://news.example/minister",
        email="reader@reader.example",
    )
    for problem, evidence in [
        ("The council revised the figure to 52 homes the next day.", "Its second statement."),
        ("The photo is from another flood.", ""),
    ]:
        readers.correction_request_submit(
            sender="b",
            claim=claim,
            problem=problem,
            evidence=evidence,
            evidence_url="https://council.example/statement" if evidence else "",
        )
    readers.correction_request_decline(
        actor=desk["editor"],
        request=CorrectionRequest.objects.get(problem__startswith="The photo"),
        reason="The photo is the one the council published with its statement.",
    )
    reader = open_page(width=width)
    for url in (
        "/checks/about/",
        "/checks/team/",
        "/checks/corrections-policy/",
        "/checks/suggest/",
        f"/checks/{article.slug}/claims/{claim.ordinal}/report/",
        "/checks/suggest/thanks/",
    ):
        reader.goto(url)
        assert serious(reader) == [], url
        assert reader.evaluate("document.documentElement.scrollWidth") <= width, url
        name = url.strip("/").replace("/", "-")
        screenshot(reader, f"18-{name}-{width}")
    Tip.objects.create(text="<script>window.__xss='x'</script> A claim.", sender="s")
    editor = open_page(desk["editor"], width=width)
    for url in ("/review/intake/", "/review/readiness/", "/review/notifications/"):
        editor.goto(url)
        assert serious(editor) == [], url
        assert editor.evaluate("document.documentElement.scrollWidth") <= width, url
        screenshot(editor, f"18-{url.strip('/').replace('/', '-')}-{width}")
    assert editor.evaluate("window.__xss") is None


def test_a_reader_follows_a_verdicts_names_to_their_entries_on_the_team_page(open_page, site):
    article, claim = site
    reader = open_page()
    for anchor in ["person-rafael-reviewer", "person-ruth-approver"]:
        reader.goto(f"/checks/{article.slug}/claims/{claim.ordinal}/")
        reader.click(f".byline a[href='/checks/team/#{anchor}']")
        reader.wait_for_url(f"**/checks/team/#{anchor}")
        target = reader.locator(":target")
        assert target.get_attribute("id") == anchor
        assert target.is_visible()
    photo = reader.locator("#person-rafael-reviewer img")
    assert photo.get_attribute("alt") == "Portrait of Rafael Reviewer"
    assert (photo.get_attribute("width"), photo.get_attribute("height")) == ("600", "600")
    # Loaded (from the storage, through our own address: the CSP allows nothing else).
    reader.wait_for_function(
        "img => img.complete && img.naturalWidth === 600", arg=photo.element_handle()
    )


def test_the_headers_count_of_what_waits_is_updated_by_htmx(open_page, desk, site, settings):
    settings.FACTCHECK_WAITING_POLL_SECONDS = 1
    editor = open_page(desk["editor"])
    editor.wait_for_selector("#waiting .badge:has-text('0')")
    readers.tip_submit(sender="s", text="A reader's claim, sent while the editor works.")
    editor.wait_for_selector("#waiting .badge:has-text('1')")  # no reload: htmx asked again
    assert editor.url.endswith("/review/")
