"""Retraction on every version, search-engine tags (noindex, canonical, Open Graph),
robots.txt, and the public claim page's headline."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache

from claims import publishing
from tests.test_claimants import name_mayor
from tests.workspace import fresh, settled_article


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def three_versions(editor, reviewer, second_reviewer):
    """Versions 1 and 2 published, version 2 a real correction."""
    article, claim = settled_article(editor=editor, reviewer=reviewer, approver=second_reviewer)
    publishing.article_publish(actor=editor, article=article)
    publishing.article_reopen(actor=editor, article=article, reason="Name the mayor")
    name_mayor(claim, reviewer)
    publishing.article_publish(
        actor=editor, article=article, correction_kind="other", correction_text="Named who said it."
    )
    return article, fresh(claim)


def head(html: str) -> str:
    return html.split("</head>")[0]


def test_the_current_page_is_indexable_with_canonical_and_open_graph_tags(client, three_versions):
    article, _ = three_versions
    html = client.get(f"/checks/{article.slug}/").content.decode()
    tags = head(html)
    canonical = f"http://testserver/checks/{article.slug}/"
    assert f'<link rel="canonical" href="{canonical}">' in tags
    assert f'<meta property="og:url" content="{canonical}">' in tags
    assert f'<meta property="og:title" content="Fact-check: {article.title}">' in tags
    assert '<meta property="og:type" content="article">' in tags
    assert 'name="robots"' not in tags


def test_a_superseded_version_is_noindex_with_a_canonical_link_to_the_current_page(
    client, three_versions
):
    article, _ = three_versions
    tags = head(client.get(f"/checks/{article.slug}/v/1/").content.decode())
    assert '<meta name="robots" content="noindex">' in tags
    assert f'<link rel="canonical" href="http://testserver/checks/{article.slug}/">' in tags
    assert 'name="robots"' not in head(client.get(f"/checks/{article.slug}/v/2/").content.decode())


def test_after_a_retraction_every_version_opens_with_the_notice_and_shows_no_verdict(
    client, three_versions, editor, django_capture_on_commit_callbacks
):
    article, claim = three_versions
    before = client.get(f"/checks/{article.slug}/v/1/").content.decode()
    assert 'class="verdict-card"' in before  # cached now: the retraction must replace it
    with django_capture_on_commit_callbacks(execute=True):  # drops the cached pointer
        publishing.article_retract(actor=editor, article=article, reason="The source was forged.")
    for url in (
        f"/checks/{article.slug}/",
        f"/checks/{article.slug}/v/1/",
        f"/checks/{article.slug}/v/2/",
        f"/checks/{article.slug}/claims/{claim.ordinal}/",
    ):
        html = client.get(url).content.decode()
        body = html.split('<main id="main">')[1]
        assert body.lstrip().startswith('<section class="notice retracted"'), url
        assert "The source was forged." in body, url
        assert 'class="verdict-card"' not in body, url
        assert 'class="claim-mark"' not in body, url
        assert "application/ld+json" not in html, url
        assert '<meta name="robots" content="noindex">' in head(html), url


def test_the_public_claim_page_has_a_headline_and_shows_the_claim_once(client, three_versions):
    article, claim = three_versions
    html = client.get(f"/checks/{article.slug}/claims/{claim.ordinal}/").content.decode()
    main = html.split('<main id="main">')[1]
    (h1,) = re.findall(r"<h1>(.*?)</h1>", main, re.S)
    assert claim.wording in h1
    assert "visually-hidden" not in h1
    assert main.count(claim.wording) == 2  # the headline, and the sentence in its paragraph
    assert "<h2" in main.split("Our verdict")[0]
    assert "Claim by <strong>Jane Doe</strong> (Mayor)" in main
    tags = head(html)
    assert (
        f'rel="canonical" href="http://testserver/checks/{article.slug}/claims/{claim.ordinal}/"'
        in tags
    )
    assert '<meta property="og:description" content="It did not happen.">' in tags


def test_index_and_methodology_carry_canonical_and_open_graph_tags(client, three_versions):
    for url in ("/checks/", "/checks/methodology/"):
        tags = head(client.get(url).content.decode())
        assert f'<link rel="canonical" href="http://testserver{url}">' in tags
        assert '<meta property="og:site_name"' in tags


def test_robots_txt_keeps_crawlers_out_of_the_desk_and_names_the_sitemap(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Disallow: /review/" in lines
    assert "Disallow: /admin/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Disallow: /checks/" not in lines


def test_the_version_page_stays_cached_and_cheap(
    client, three_versions, django_assert_max_num_queries
):
    """The byte cache still answers: a warm version page costs no query."""
    article, _ = three_versions
    client.get(f"/checks/{article.slug}/v/1/")
    with django_assert_max_num_queries(0):
        assert client.get(f"/checks/{article.slug}/v/1/").status_code == 200


def test_the_sitemap_lists_only_pages_that_are_public_and_indexable(
    client, three_versions, editor, reviewer, second_reviewer
):
    """A retracted article's pages are noindex and superseded versions too: none of them
    is in the sitemap; every page it lists answers 200 without noindex."""
    corrected, claim = three_versions
    retracted, _ = settled_article(editor=editor, reviewer=reviewer, approver=second_reviewer)
    publishing.article_publish(actor=editor, article=retracted)
    publishing.article_retract(actor=editor, article=retracted, reason="Forged log.")
    sitemap = client.get("/sitemap.xml").content.decode()
    listed = re.findall(r"<loc>http://testserver(.*?)</loc>", sitemap)
    assert listed == [
        f"/checks/{corrected.slug}/",
        f"/checks/{corrected.slug}/claims/{claim.ordinal}/",
    ]
    for url in listed:
        response = client.get(url)
        assert response.status_code == 200, url
        assert 'name="robots"' not in head(response.content.decode()), url
    retracted_page = head(client.get(f"/checks/{retracted.slug}/").content.decode())
    assert '<meta name="robots" content="noindex">' in retracted_page
