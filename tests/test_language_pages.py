"""Every page that shows article text says its language and direction on the element that
holds it; the page itself follows the interface language."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache

from claims import publishing
from claims.models import Article

from .workspace import settled_article

ARABIC = (
    "قالت وزارة الصحة يوم الاثنين إن 45 شخصا أصيبوا في الفيضانات في عام 2024.\n\n"
    "وأضاف المسؤولون أن 12 مدرسة ستغلق حتى شهر مارس 2025 بحسب البيان الرسمي.\n\n"
    "هل هذا صحيح؟"
)
HEBREW = (
    "משרד הבריאות אמר ביום שני כי 45 אנשים נפצעו בשיטפונות בשנת 2024.\n\n"
    "הפקידים הוסיפו כי 12 בתי ספר ייסגרו עד מרץ 2025 לפי ההודעה הרשמית."
)
FIRST_ARABIC = ARABIC.split("\n\n")[0]


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def arabic(editor, reviewer, second_reviewer):
    article, claim = settled_article(
        editor=editor, reviewer=reviewer, approver=second_reviewer, text=ARABIC, title="فيضانات"
    )
    return article, claim


def tagged(html: str, text: str, lang: str, direction: str) -> bool:
    """Some element with lang and dir holds `text` (directly or further in)."""
    pattern = (
        rf'<(\w+)[^>]*\blang="{lang}" dir="{direction}"[^>]*>(?:(?!</\1>).)*?{re.escape(text)}'
    )
    return re.search(pattern, html, re.DOTALL) is not None


def test_an_arabic_article_is_detected_as_right_to_left(arabic):
    article, _ = arabic
    assert (article.language, article.direction) == ("ar", "rtl")


def test_the_board_sets_lang_and_dir_on_the_title_and_every_claim(client, reviewer, arabic):
    article, claim = arabic
    client.force_login(reviewer)
    html = client.get(article.get_absolute_url()).content.decode()
    assert tagged(html, "فيضانات", "ar", "rtl")
    assert tagged(html, claim.wording, "ar", "rtl")
    assert '<html lang="en-gb" dir="ltr">' in html  # the workspace speaks the interface's


def test_the_claim_page_sets_lang_and_dir_on_the_paragraph_and_wording(
    client, reviewer, second_reviewer, arabic
):
    _, claim = arabic
    client.force_login(second_reviewer)
    html = client.get(claim.get_absolute_url()).content.decode()
    assert tagged(html, FIRST_ARABIC, "ar", "rtl")  # the paragraph, the claim marked in it
    assert 'dir="auto"' in html  # the wording's editor, or the source excerpts


def test_the_queue_sets_lang_and_dir_on_titles(client, reviewer, arabic):
    client.force_login(reviewer)
    html = client.get("/review/").content.decode()
    assert tagged(html, "فيضانات", "ar", "rtl")


def test_the_public_pages_set_lang_and_dir_on_the_article_text(client, editor, arabic):
    article, claim = arabic
    publishing.article_publish(actor=editor, article=article)
    page = client.get(f"/checks/{article.slug}/").content.decode()
    assert '<html lang="en-gb" dir="ltr">' in page
    assert tagged(page, "فيضانات", "ar", "rtl")
    assert tagged(page, claim.wording, "ar", "rtl")  # the text and the verdict card
    claim_page = client.get(f"/checks/{article.slug}/claims/{claim.ordinal}/").content.decode()
    assert tagged(claim_page, claim.wording, "ar", "rtl")
    index = client.get("/checks/").content.decode()
    assert tagged(index, "فيضانات", "ar", "rtl")


def test_a_hebrew_article_is_right_to_left_too(client, editor, reviewer, second_reviewer):
    article, claim = settled_article(
        editor=editor, reviewer=reviewer, approver=second_reviewer, text=HEBREW, title="שיטפונות"
    )
    assert article.language == "he"
    publishing.article_publish(actor=editor, article=article)
    page = client.get(f"/checks/{article.slug}/").content.decode()
    assert tagged(page, claim.wording, "he", "rtl")


def test_an_english_article_is_left_to_right(client, reviewer, editor, second_reviewer):
    article, claim = settled_article(editor=editor, reviewer=reviewer, approver=second_reviewer)
    client.force_login(reviewer)
    html = client.get(article.get_absolute_url()).content.decode()
    assert tagged(html, claim.wording, "en", "ltr")


def test_the_import_form_detects_the_language_when_none_is_given(client, editor):
    client.force_login(editor)
    response = client.post("/review/", {"text": ARABIC, "title": "فيضانات", "language": ""})
    assert response.status_code == 302
    article = Article.objects.get()
    assert (article.language, article.direction) == ("ar", "rtl")


def test_the_import_form_keeps_the_editors_language(client, editor):
    client.force_login(editor)
    client.post("/review/", {"text": ARABIC, "title": "فيضانات", "language": "ar-EG"})
    assert Article.objects.get().language == "ar-EG"
