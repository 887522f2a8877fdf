"""Publishing, corrections, retraction and the public pages built from snapshots."""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.data import checkworthy_article
from claims import publishing, review, snapshot
from claims.exporting import article_export
from claims.models import AppendOnlyError, Article, AuditEvent, ClaimStatus, Publication, Rating
from claims.views import public
from tests.factories import ArticleFactory
from tests.test_snapshot import FORMAT_1, FORMAT_1_SUMMARY
from tests.workspace import fresh, proposed, settled_article

NOTE = "INTERNAL-NOTE-do-not-publish"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def ready_article(editor, reviewer, second_reviewer, rating="false"):
    """An article ready to publish, whose approved claim also has an internal note."""
    article, claim = settled_article(
        editor=editor,
        reviewer=reviewer,
        approver=second_reviewer,
        rating=rating,
        author="Jane Writer",
        published_on="2025-03-01",
    )
    review.claim_add_note(actor=reviewer, claim=claim, body=NOTE)
    return article, claim


@pytest.fixture
def published(editor, reviewer, second_reviewer):
    article, claim = ready_article(editor, reviewer, second_reviewer)
    publication = publishing.article_publish(actor=editor, article=article)
    return article, claim, publication


def test_publishing_is_refused_until_every_claim_is_settled(db, editor, reviewer):
    article = ArticleFactory()
    open_claims = list(article.claims.check_worthy().order_by("ordinal"))
    with pytest.raises(ValidationError) as error:
        publishing.article_publish(actor=editor, article=article)
    message = error.value.messages[0]
    assert "Not ready to publish" in message
    for claim in open_claims:
        assert f"#{claim.ordinal} (new)" in message
    assert not Publication.objects.exists()


def test_reviewers_cannot_publish(db, reviewer):
    with pytest.raises(PermissionDenied):
        publishing.article_publish(actor=reviewer, article=ArticleFactory())


def test_publishing_writes_a_snapshot_without_notes(published, editor):
    article, claim, publication = published
    assert publication.version == 1
    snap = snapshot.load(Publication.objects.get(pk=publication.pk).snapshot)
    assert [c.ordinal for c in snap.claims] == [claim.ordinal]
    (card,) = snap.claims
    assert card.rating.label == "False"
    assert card.rating.definition == Rating.objects.get(slug="false").definition
    assert len(card.sources) == 2
    assert card.sources[0].accessed_on == claim.sources.first().accessed_on
    assert card.first_published_at == publication.published_at
    assert snap.article.published_on == article.published_on
    assert NOTE not in json.dumps(publication.snapshot)
    assert not any("@" in name for name in snap.fact_checkers)
    event = AuditEvent.objects.get(action="article.published")
    assert event.actor == editor
    assert publication.audit_head == event.prev_hash  # the head just before publishing


def test_a_publication_never_changes(published):
    publication = published[2]
    publication.snapshot = {"claims": []}
    with pytest.raises(AppendOnlyError):
        publication.save()
    with pytest.raises(AppendOnlyError):
        publication.delete()


def test_workspace_edits_stay_invisible_until_republished(client, published, editor, reviewer):
    article, claim, _ = published
    page = client.get(f"/checks/{article.slug}/").content.decode()
    assert "It did not happen." in page
    publishing.article_reopen(actor=editor, article=article, reason="New footage.")
    review.claim_propose_verdict(
        actor=reviewer,
        claim=claim,
        rating=Rating.objects.get(slug="true"),
        summary="It happened after all.",
        rationale="New footage.",
        version=claim.version,
    )
    cache.clear()
    page = client.get(f"/checks/{article.slug}/").content.decode()
    assert "It did not happen." in page
    assert "It happened after all." not in page


def test_a_correction_needs_a_kind_and_a_note_and_becomes_version_two(
    client, published, editor, reviewer, second_reviewer
):
    article, claim, _ = published
    publishing.article_reopen(actor=editor, article=article, reason="Reader complaint.")
    review.claim_propose_verdict(
        actor=reviewer,
        claim=claim,
        rating=Rating.objects.get(slug="mostly-false"),
        summary="Mostly not.",
        rationale="R",
        version=claim.version,
    )
    claim = fresh(claim)
    review.claim_approve_verdict(actor=second_reviewer, claim=claim, version=claim.version)
    with pytest.raises(ValidationError, match="kind of correction"):
        publishing.article_publish(actor=editor, article=article)
    with pytest.raises(ValidationError, match="Explain the correction"):
        publishing.article_publish(actor=editor, article=article, correction_kind="verdict_changed")
    v2 = publishing.article_publish(
        actor=editor,
        article=article,
        correction_kind="verdict_changed",
        correction_text="A second monitor revised the toll.",
    )
    assert v2.version == 2
    latest = client.get(f"/checks/{article.slug}/").content.decode()
    assert "Mostly not." in latest
    assert "A second monitor revised the toll." in latest
    assert "This is version 2" in latest
    (data,) = jsonld(client.get(f"/checks/{article.slug}/claims/{claim.ordinal}/").content.decode())
    v1 = Publication.objects.get(article=article, version=1)
    assert data["datePublished"] == v1.snapshot_time
    assert data["dateModified"] == v2.snapshot_time
    old = client.get(f"/checks/{article.slug}/v/1/").content.decode()
    assert "It did not happen." in old
    assert "has been superseded" in old
    assert client.get(f"/checks/{article.slug}/v/3/").status_code == 404


def test_retraction_shows_a_notice_instead_of_verdicts(client, published, editor):
    article = published[0]
    with pytest.raises(ValidationError):
        publishing.article_retract(actor=editor, article=article, reason=" ")
    publishing.article_retract(actor=editor, article=article, reason="The source was forged.")
    response = client.get(f"/checks/{article.slug}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "This fact-check has been retracted" in page
    assert "The source was forged." in page
    assert "It did not happen." not in page
    claim_page = client.get(f"/checks/{article.slug}/claims/{published[1].ordinal}/")
    assert claim_page.status_code == 200
    assert "This fact-check has been retracted" in claim_page.content.decode()
    assert jsonld(claim_page.content.decode()) == []
    assert "Retracted: " in client.get("/checks/feed/").content.decode()
    feed = client.get("/checks/corrections/feed/").content.decode()
    assert "Retracted: " in feed
    assert "The source was forged." in feed


def test_drafts_are_404_to_the_public(client, db):
    article = ArticleFactory()
    assert client.get(f"/checks/{article.slug}/").status_code == 404
    assert client.get(f"/checks/{article.slug}/claims/1/").status_code == 404
    assert article.title not in client.get("/checks/").content.decode()


def test_an_unpublished_claim_of_a_published_article_is_404(client, published):
    article, claim, _ = published
    other = article.claims.exclude(pk=claim.pk).first()
    assert client.get(f"/checks/{article.slug}/claims/{claim.ordinal}/").status_code == 200
    assert client.get(f"/checks/{article.slug}/claims/{other.ordinal}/").status_code == 404


def jsonld(html: str) -> list[dict]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in blocks]


def test_the_claim_page_carries_exactly_one_claimreview(client, published):
    article, claim, publication = published
    html = client.get(f"/checks/{article.slug}/claims/{claim.ordinal}/").content.decode()
    (data,) = jsonld(html)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "ClaimReview"
    assert data["url"] == f"http://testserver/checks/{article.slug}/claims/{claim.ordinal}/"
    assert data["claimReviewed"] == claim.wording
    assert data["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "False",
        "ratingValue": 1,
        "bestRating": 5,
        "worstRating": 1,
        "ratingExplanation": "It did not happen.",
    }
    assert data["author"]["@type"] == "Organization"
    assert data["datePublished"].startswith(publication.published_at.date().isoformat())
    assert "dateModified" not in data
    # Nobody said who made the claim: no author (the byline is not the claimant).
    assert data["itemReviewed"] == {
        "@type": "Claim",
        "datePublished": "2025-03-01",
        "appearance": {"@type": "CreativeWork", "headline": article.title, "url": article.url},
    }
    assert data["inLanguage"] == "en"


def test_an_off_scale_rating_has_no_rating_value(db, client, editor, reviewer, second_reviewer):
    article, claim = ready_article(editor, reviewer, second_reviewer, rating="unproven")
    publishing.article_publish(actor=editor, article=article)
    html = client.get(f"/checks/{article.slug}/claims/{claim.ordinal}/").content.decode()
    (data,) = jsonld(html)
    assert data["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "Unproven",
        "ratingExplanation": "It did not happen.",
    }


def test_json_ld_cannot_be_broken_out_of(db, client, editor, reviewer, second_reviewer):
    article, claim = ready_article(editor, reviewer, second_reviewer)
    review.claim_reword(
        actor=reviewer,
        claim=claim,
        wording="</script><script>alert(1)</script>",
        version=claim.version,
    )
    claim = fresh(claim)
    review.claim_propose_verdict(
        actor=reviewer,
        claim=claim,
        rating=Rating.objects.get(slug="false"),
        summary="S",
        rationale="R",
        version=claim.version,
    )
    claim = fresh(claim)
    review.claim_approve_verdict(actor=second_reviewer, claim=claim, version=claim.version)
    publishing.article_publish(actor=editor, article=article)
    html = client.get(f"/checks/{article.slug}/claims/{claim.ordinal}/").content.decode()
    assert "<script>alert(1)" not in html
    (data,) = jsonld(html)
    assert data["claimReviewed"] == "</script><script>alert(1)</script>"


def test_no_public_page_or_feed_shows_notes_or_drafts(client, published, db):
    draft = ArticleFactory(title="Secret draft")
    article, claim, _ = published
    urls = [
        "/checks/",
        f"/checks/{article.slug}/",
        f"/checks/{article.slug}/v/1/",
        f"/checks/{article.slug}/claims/{claim.ordinal}/",
        "/checks/feed/",
        "/checks/corrections/feed/",
        "/checks/claimreview.json",
        "/sitemap.xml",
        "/checks/methodology/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert NOTE not in body, url
        assert draft.title not in body, url
        assert draft.slug not in body, url
        assert "@newsroom.example" not in body, url


def test_feeds_parse_as_atom_and_the_sitemap_lists_published_pages(client, published, db):
    draft = ArticleFactory()
    article, claim, _ = published
    atom, xml_lang = "{http://www.w3.org/2005/Atom}", "{http://www.w3.org/XML/1998/namespace}lang"
    Article.objects.filter(pk=article.pk).update(language="pt-BR")
    feed = ET.fromstring(client.get("/checks/feed/").content)
    assert feed.tag == f"{atom}feed"
    entries = feed.findall(f"{atom}entry")
    assert [e.find(f"{atom}title").text for e in entries] == [article.title]
    # Each entry in its article's language, whatever the feed's own.
    assert [e.get(xml_lang) for e in entries] == ["pt-BR"]
    ET.fromstring(client.get("/checks/corrections/feed/").content)
    sitemap = client.get("/sitemap.xml").content.decode()
    assert f"/checks/{article.slug}/</loc>" in sitemap
    assert f"/checks/{article.slug}/claims/{claim.ordinal}/</loc>" in sitemap
    assert draft.slug not in sitemap


def test_claimreview_json_lists_current_reviews(client, published):
    _article, claim, _ = published
    data = client.get("/checks/claimreview.json").json()
    assert [d["claimReviewed"] for d in data] == [claim.wording]


def test_conditional_get_answers_304(client, published):
    article = published[0]
    first = client.get(f"/checks/{article.slug}/")
    assert first.status_code == 200
    # Browsers keep it a minute (FACTCHECK_PUBLIC_MAX_AGE), a CDN five; cold and warm alike.
    assert first["Cache-Control"] == "public, max-age=60, s-maxage=300"
    warm = client.get(f"/checks/{article.slug}/")
    assert warm.content == first.content
    assert (warm["Cache-Control"], warm["ETag"]) == (first["Cache-Control"], first["ETag"])
    again = client.get(f"/checks/{article.slug}/", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert again["Cache-Control"] == first["Cache-Control"]


def test_a_warm_public_page_costs_no_query_and_publishing_refreshes_it(
    client, published, editor, django_assert_num_queries, django_capture_on_commit_callbacks
):
    article, _claim, _ = published
    client.get(f"/checks/{article.slug}/")
    with django_assert_num_queries(0):
        assert client.get(f"/checks/{article.slug}/").status_code == 200
    # The cache is told after the retraction commits.
    with django_capture_on_commit_callbacks(execute=True):
        publishing.article_retract(actor=editor, article=article, reason="Withdrawn.")
    assert "Withdrawn." in client.get(f"/checks/{article.slug}/").content.decode()


def test_cold_pages_take_a_constant_number_of_queries(
    db, client, editor, reviewer, second_reviewer
):
    article, claim = ready_article(editor, reviewer, second_reviewer)
    for n in range(30):
        review.claim_add_source(
            actor=reviewer,
            claim=claim,
            url=f"https://more.example/{n}",
            title=f"More {n}",
            stance="context",
        )
    claim = fresh(claim)  # approved, now with 32 sources
    publishing.article_publish(actor=editor, article=article)
    for url in (f"/checks/{article.slug}/", f"/checks/{article.slug}/claims/{claim.ordinal}/"):
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        assert len(captured) <= 3, url


def test_editors_publish_from_the_board(client, editor, reviewer, second_reviewer, db):
    article, claim = ready_article(editor, reviewer, second_reviewer)
    client.force_login(editor)
    url = f"/review/articles/{article.slug}/publish"
    response = client.post(url, {"accept_missing": "on"}, follow=True)
    assert "Published." in response.content.decode()
    assert Publication.objects.filter(article=article, version=1).exists()
    again = client.post(url, {"accept_missing": "on"}, follow=True)
    assert "Nothing readers see would change" in again.content.decode()
    assert claim.status == ClaimStatus.APPROVED


def test_if_modified_since_answers_304_until_the_page_changes(client, published):
    article = published[0]
    first = client.get(f"/checks/{article.slug}/")
    since = first["Last-Modified"]
    assert (
        client.get(f"/checks/{article.slug}/", headers={"If-Modified-Since": since}).status_code
        == 304
    )
    older = "Mon, 01 Jan 2001 00:00:00 GMT"
    assert (
        client.get(f"/checks/{article.slug}/", headers={"If-Modified-Since": older}).status_code
        == 200
    )


# --- snapshots stored by earlier releases ------------------------------------------------


def test_a_snapshot_stored_by_the_first_format_still_loads_and_renders(client, db, editor):
    """A publication made before claims/snapshot.py, its columns exactly as stored then."""
    article = ArticleFactory(title="Bridges report")
    stored = json.loads(FORMAT_1)
    Publication.objects.create(
        article=article,
        version=1,
        snapshot=stored,
        summary=FORMAT_1_SUMMARY,
        published_by=editor,
        published_at=dt.datetime(2026, 11, 28, 12, 44, 12, 281047, tzinfo=dt.UTC),
        audit_head="0" * 64,
    )
    page = client.get("/checks/bridges-report/").content.decode()
    assert "Three bridges in Exampleton will close in 1990." in page
    assert "Council minutes</a>, Exampleton Council, 10 Jan 2025" in page
    assert "(accessed 27 Nov 2026)" in page
    assert page.count('class="claim-mark"') == 2
    assert "2 claims checked" in page
    html = client.get("/checks/bridges-report/claims/1/").content.decode()
    (data,) = jsonld(html)
    assert data["datePublished"] == "2026-11-28T12:44:12.281047+00:00"
    assert data["itemReviewed"]["datePublished"] == "2025-02-27"
    assert "dateModified" not in data
    reviews = client.get("/checks/claimreview.json").json()
    assert [r["reviewRating"]["alternateName"] for r in reviews] == ["True", "Unproven"]
    assert "2 claims checked. True: 1, Unproven: 1" in client.get("/checks/feed/").content.decode()
    assert "/checks/bridges-report/claims/2/</loc>" in client.get("/sitemap.xml").content.decode()
    (exported,) = article_export(article)["publications"]
    assert exported["snapshot"] == stored


# --- conditional GETs --------------------------------------------------------------------


def test_a_warm_conditional_get_costs_no_query(client, published, django_assert_num_queries):
    article, claim, _ = published
    for url in (
        f"/checks/{article.slug}/",
        f"/checks/{article.slug}/v/1/",
        f"/checks/{article.slug}/claims/{claim.ordinal}/",
    ):
        first = client.get(url)
        with django_assert_num_queries(0):
            by_etag = client.get(url, headers={"If-None-Match": first["ETag"]})
            by_date = client.get(url, headers={"If-Modified-Since": first["Last-Modified"]})
        assert (by_etag.status_code, by_date.status_code) == (304, 304), url
        assert by_etag.content == by_date.content == b""
        assert by_etag["ETag"] == first["ETag"]
        assert by_date["Cache-Control"] == "public, max-age=60, s-maxage=300"


def test_each_page_has_its_own_etag_and_a_change_makes_new_ones(
    client, published, editor, django_capture_on_commit_callbacks
):
    article, claim, _ = published
    urls = [
        f"/checks/{article.slug}/",
        f"/checks/{article.slug}/claims/{claim.ordinal}/",
    ]
    etags = [client.get(url)["ETag"] for url in urls]
    assert len(set(etags)) == len(etags)
    # The latest version's page and /v/1/ are the same page: one copy, one ETag.
    assert client.get(f"/checks/{article.slug}/v/1/")["ETag"] == etags[0]
    with django_capture_on_commit_callbacks(execute=True):
        publishing.article_retract(actor=editor, article=article, reason="Withdrawn.")
    for url, etag in zip(urls, etags, strict=True):
        again = client.get(url, headers={"If-None-Match": etag})
        assert again.status_code == 200, url
        assert "Withdrawn." in again.content.decode()
        assert again["ETag"] != etag


def test_a_conditional_get_of_a_missing_page_is_still_404(client, published):
    article, _claim, _ = published
    etag = client.get(f"/checks/{article.slug}/")["ETag"]
    for url in (f"/checks/{article.slug}/v/2/", "/checks/never-published/"):
        assert client.get(url, headers={"If-None-Match": etag}).status_code == 404, url


# --- long fact-checks ---------------------------------------------------------------------


def published_article(claims: int, *, editor, reviewer, approver):
    """A published article of `claims` check-worthy claims, every one approved."""
    article = ArticleFactory(text=checkworthy_article(claims))
    for claim in article.claims.check_worthy().order_by("ordinal"):
        claim = proposed(claim, reviewer)
        review.claim_approve_verdict(actor=approver, claim=claim, version=claim.version)
    publishing.article_publish(actor=editor, article=article)
    return article


@pytest.fixture
def three_cards_a_page(monkeypatch):
    monkeypatch.setattr(public, "CARDS_PER_PAGE", 3)


@pytest.fixture
def seven_claims(db, editor, reviewer, second_reviewer, three_cards_a_page):
    article = published_article(7, editor=editor, reviewer=reviewer, approver=second_reviewer)
    assert article.claims.count() == 7
    return article


def card_ids(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<article class="verdict-card" id="claim-(\d+)"', html)]


def test_a_long_fact_check_marks_every_claim_on_its_first_page(client, seven_claims):
    html = client.get(f"/checks/{seven_claims.slug}/").content.decode()
    marks = re.findall(r'<a class="claim-mark" href="([^"]+)"', html)
    assert marks == [
        "#claim-1",
        "#claim-2",
        "#claim-3",
        "?page=2#claim-4",
        "?page=2#claim-5",
        "?page=2#claim-6",
        "?page=3#claim-7",
    ]
    assert card_ids(html) == [1, 2, 3]
    assert "7 claims checked" in html
    assert "Verdicts 1–3 of 7" in html
    assert '<a href="?page=2" rel="next">' in html


def test_the_later_pages_hold_the_rest_of_the_verdict_cards(client, seven_claims):
    base = f"/checks/{seven_claims.slug}"
    second = client.get(f"{base}/?page=2").content.decode()
    assert card_ids(second) == [4, 5, 6]
    assert 'class="claim-mark"' not in second
    assert 'is on <a href="?page=1">the first page</a>' in second
    assert '<a href="?page=1" rel="prev">' in second
    assert '<a href="?page=3" rel="next">' in second
    assert card_ids(client.get(f"{base}/?page=3").content.decode()) == [7]
    assert card_ids(client.get(f"{base}/v/1/?page=3").content.decode()) == [7]
    for page in ("4", "0", "-1", "two"):
        assert client.get(f"{base}/?page={page}").status_code == 404, page
    claim = client.get(f"{base}/claims/5/").content.decode()
    assert f'<p class="back"><a href="{base}/?page=2#claim-5">' in claim


def test_cold_pages_of_a_long_fact_check_take_as_many_queries_as_a_short_one(
    client, seven_claims, editor, reviewer, second_reviewer
):
    short = published_article(1, editor=editor, reviewer=reviewer, approver=second_reviewer)

    def cold_queries(url: str) -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200, url
        return len(captured)

    for page in ("/", "/?page=1", "/v/1/", "/claims/1/"):
        assert cold_queries(f"/checks/{seven_claims.slug}{page}") == cold_queries(
            f"/checks/{short.slug}{page}"
        ), page
    assert cold_queries(f"/checks/{seven_claims.slug}/?page=3") <= 3
