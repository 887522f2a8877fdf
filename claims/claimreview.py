"""schema.org ClaimReview data for a published claim, from its publication snapshot."""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import urljoin

from django.conf import settings
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from .snapshot import Snapshot, SnapshotClaim, SnapshotSource, isotime


def organisation() -> dict:
    org = {"@type": "Organization", "name": settings.FACTCHECK_ORGANISATION}
    if settings.FACTCHECK_ORGANISATION_URL:
        org["url"] = settings.FACTCHECK_ORGANISATION_URL
    return org


def claim_review(
    *, snapshot: Snapshot, claim: SnapshotClaim, url: str, version: int, published_at: dt.datetime
) -> dict:
    """One ClaimReview. `published_at` is this version's publication time."""
    article, rating = snapshot.article, claim.rating
    review_rating: dict = {
        "@type": "Rating",
        "alternateName": rating.label,
        "ratingExplanation": claim.summary,
    }
    if rating.rating_value is not None:
        review_rating |= {
            "ratingValue": rating.rating_value,
            "bestRating": rating.best,
            "worstRating": rating.worst,
        }
    data = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": url,
        "claimReviewed": claim.wording,
        "reviewRating": review_rating,
        "author": organisation(),
        "datePublished": isotime(claim.first_published_at),
        "itemReviewed": item_reviewed(snapshot, claim),
        "inLanguage": article.language,
    }
    if claim.sources:
        data["citation"] = [citation(source, base=url) for source in claim.sources]
    if version > 1 and published_at != claim.first_published_at:
        data["dateModified"] = isotime(published_at)
    return data


def item_reviewed(snapshot: Snapshot, claim: SnapshotClaim) -> dict:
    """The claim as ClaimReview reviews it: who made it (`author`, only when a reviewer
    named them: the article's byline is not the claimant of the quotes it reports), where
    (`appearance`) and when it appeared. Publications from before claimants read back
    with none, and the article's address and date."""
    article = snapshot.article
    item: dict = {"@type": "Claim"}
    if claim.claimant:
        author = {"@type": claim.claimant_kind or "Person", "name": claim.claimant}
        if claim.claimant_role:
            author["description"] = claim.claimant_role
        item["author"] = author
    appeared_on = claim.appeared_on or article.published_on
    if appeared_on:
        item["datePublished"] = appeared_on.isoformat()
    url = claim.appearance_url or article.url
    appearance: dict = {"@type": "CreativeWork"}
    if url:
        appearance["url"] = url
    if url == article.url:
        appearance["headline"] = article.title
    item["appearance"] = appearance
    return item


def citation(source: SnapshotSource, *, base: str) -> dict:
    """A cited source, with its archived copies (`archivedAt`): our snapshot page, made
    absolute against `base`, and the Internet Archive's copy."""
    cited: dict = {"@type": "CreativeWork", "url": source.url, "name": source.title}
    archived = [source.archive_url] if source.archive_url else []
    if source.snapshot_id:
        page = reverse("public:source-snapshot", args=[source.source_id])
        archived.insert(0, urljoin(base, page))
    if archived:
        cited["archivedAt"] = archived
    return cited


def as_json(data) -> str:
    """JSON with `<`, `>` and `&` escaped (as `\\u003c` …): the same data to a JSON
    parser, but no text in it can close a script element or open a tag, wherever the
    JSON ends up (a `<script>`, a page that embeds the endpoint's answer)."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def as_script(data) -> SafeString:
    """JSON for a `<script type="application/ld+json">`."""
    return mark_safe(as_json(data))
