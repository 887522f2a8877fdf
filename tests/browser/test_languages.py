"""An article in a right-to-left language, from the import form to the public page: its
text runs right to left wherever it is shown, and the workspace around it does not."""

from __future__ import annotations

import pytest

from claims import review
from claims.models import Article
from tests.browser.conftest import direction_of, publish_from_preview, screenshot
from tests.factories import UserFactory
from tests.workspace import fresh, proposed

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

HEADING = "فيضانات في الوادي"
FIRST = "قالت وزارة الصحة يوم الاثنين إن 45 شخصا أصيبوا في الفيضانات في عام 2024."
ARABIC = (
    f"{HEADING}\n\n"
    f"{FIRST} وأضاف المسؤولون أن 12 مدرسة ستغلق حتى شهر مارس 2025 بحسب البيان الرسمي.\n\n"
    "هل هذا صحيح؟"
)


@pytest.fixture
def desk(db):
    return {
        "editor": UserFactory(username="edith", groups=["Editors"]),
        "reviewer": UserFactory(username="rafael", groups=["Reviewers"]),
        "second": UserFactory(username="ruth", groups=["Reviewers"]),
    }


def test_an_arabic_article_runs_right_to_left_from_import_to_public_page(open_page, desk):
    page = open_page(desk["editor"])
    page.fill("#id_text", ARABIC)
    page.click("button:has-text('Import and split into claims')")
    page.wait_for_selector("table.claims")

    # The board: the title and every claim right to left; the workspace left to right.
    article = Article.objects.get()
    assert (article.language, article.direction) == ("ar", "rtl")
    assert page.locator("html").get_attribute("lang") == "en-gb"
    assert direction_of(page, "html") == "ltr"
    title = page.locator('h1[lang="ar"][dir="rtl"]')
    assert title.inner_text() == HEADING
    first = page.locator('table.claims .claim-text[lang="ar"][dir="rtl"]', has_text=FIRST)
    assert first.count() == 1
    assert direction_of(page, "table.claims .claim-text") == "rtl"
    screenshot(page, "rtl-board")

    # The claim page: the paragraph, the claim marked in it.
    claim = article.claims.check_worthy().order_by("ordinal").first()
    assert claim.text == FIRST
    page.goto(claim.get_absolute_url())
    paragraph = page.locator('.context p.paragraph[lang="ar"][dir="rtl"]')
    assert FIRST in paragraph.inner_text()
    assert page.locator(".context mark.this-claim").inner_text() == FIRST
    assert direction_of(page, ".context p.paragraph") == "rtl"
    assert page.locator("#id_wording").get_attribute("dir") == "auto"
    screenshot(page, "rtl-claim")

    # Reviewed and signed off (through the services: the journeys test the panels).
    approved = proposed(claim, desk["reviewer"])
    review.claim_approve_verdict(actor=desk["second"], claim=approved, version=approved.version)
    for other in article.claims.check_worthy().exclude(pk=claim.pk):
        review.claim_dismiss(
            actor=desk["editor"], claim=other, reason="Context only", version=fresh(other).version
        )

    publish_from_preview(page, article)

    reader = open_page()
    reader.goto(f"/checks/{article.slug}/")
    assert reader.locator('h1[lang="ar"][dir="rtl"]').inner_text() == HEADING
    body = reader.locator('.article-body[lang="ar"][dir="rtl"]')
    assert FIRST in body.inner_text()
    assert direction_of(reader, ".article-body") == "rtl"
    assert FIRST in reader.locator('.verdict-card h3 [lang="ar"][dir="rtl"]').first.inner_text()
    screenshot(reader, "rtl-public-article")

    reader.goto(f"/checks/{article.slug}/claims/{claim.ordinal}/")
    context = reader.locator('.claim-context p[lang="ar"][dir="rtl"]')
    assert FIRST in context.inner_text()
    assert direction_of(reader, ".claim-context p") == "rtl"
    screenshot(reader, "rtl-public-claim")
