"""Publishing, corrections, retraction and the public pages built from snapshots."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims import publishing, review
from claims.models import AppendOnlyError, AuditEvent, ClaimStatus, Publication, Rating
from tests.factories import ArticleFactory
from tests.workspace import fresh, settled_article

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
    _article, claim, publication = published
    assert publication.version == 1
    snap = publication.snapshot
    assert [c["ordinal"] for c in snap["claims"]] == [claim.ordinal]
    card = snap["claims"][0]
    assert card["rating"]["label"] == "False"
    assert card["rating"]["definition"] == Rating.objects.get(slug="false").definition
    assert len(card["sources"]) == 2
    assert NOTE not in json.dumps(snap)
    assert "@" not in json.dumps(snap["fact_checkers"])
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
    assert data["itemReviewed"] == {
        "@type": "Claim",
        "author": {"@type": "Person", "name": "Jane Writer"},
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
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.fromstring(client.get("/checks/feed/").content)
    assert feed.tag == f"{atom}feed"
    assert [e.find(f"{atom}title").text for e in feed.findall(f"{atom}entry")] == [article.title]
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
    response = client.post(f"/review/articles/{article.slug}/publish", {}, follow=True)
    assert "Published." in response.content.decode()
    assert Publication.objects.filter(article=article, version=1).exists()
    again = client.post(f"/review/articles/{article.slug}/publish", {}, follow=True)
    assert "Say what kind of correction this is." in again.content.decode()
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
