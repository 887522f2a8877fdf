"""An editor corrects an article's language on its board: with htmx the board is swapped
in place, without JavaScript it comes back after a redirect; either way its title and
claims carry the new language and run in its direction."""

from __future__ import annotations

import pytest

from claims.models import Article
from tests.browser.conftest import direction_of, screenshot
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TEXT = (
    "Flooding in the valley\n\n"
    "The health ministry said on Monday that 45 people were injured in the floods in 2024. "
    "Officials added that 12 schools would close until March 2025, the statement said."
)


def test_an_editor_changes_an_articles_language_and_the_board_follows(open_page):
    editor = UserFactory(username="edith", groups=["Editors"])
    article = ArticleFactory(text=TEXT, language="ar")  # the editor picked the wrong one
    page = open_page(editor)
    page.goto(article.get_absolute_url())
    assert direction_of(page, "h1") == "rtl"
    assert page.locator('h1[lang="ar"][dir="rtl"]').count() == 1

    # With htmx: the board swapped in place, in English now.
    page.select_option("#id_language", "en")
    page.click(".language-form button:has-text('Change')")
    page.wait_for_selector('h1[lang="en"][dir="ltr"]')
    assert "Language set to English; 3 claims re-split and re-scored." in page.inner_text("#flash")
    assert direction_of(page, "h1") == "ltr"
    assert direction_of(page, "table.claims .claim-text") == "ltr"
    assert page.locator('table.claims .claim-text[lang="en"][dir="ltr"]').count() >= 2
    assert page.locator("#id_language").input_value() == "en"
    screenshot(page, "language-changed")

    # Without JavaScript: a post, a redirect, the board again with the message.
    plain = open_page(editor, js=False)
    plain.goto(article.get_absolute_url())
    plain.select_option("#id_language", "ar")
    plain.click(".language-form button:has-text('Change')")
    plain.wait_for_selector('h1[lang="ar"][dir="rtl"]')
    assert "Language set to العربيّة" in plain.inner_text("#flash")
    assert direction_of(plain, "table.claims .claim-text") == "rtl"
    assert Article.objects.get(pk=article.pk).language == "ar"
