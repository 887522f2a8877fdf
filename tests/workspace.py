"""Helpers shared by the workspace tests: a claim in a known state, made by the services."""

from __future__ import annotations

from claims import evidence, publishing, review
from claims.models import Claim, Rating
from tests.factories import ArticleFactory

HTMX = {"HX-Request": "true"}


def fresh(claim: Claim) -> Claim:
    return Claim.objects.select_related("verdict").get(pk=claim.pk)


def a_claim() -> Claim:
    return ArticleFactory().claims.check_worthy().order_by("ordinal").first()


def with_sources(claim: Claim, actor, stances=("refutes", "context"), urls=()) -> Claim:
    """Sources added through the service: at made-up addresses nothing fetches, or at
    `urls` (the local website's), captured at once through the real capture service."""
    for n, stance in enumerate(stances):
        source = review.claim_add_source(
            actor=actor,
            claim=claim,
            url=urls[n] if urls else f"https://evidence.example/{n}",
            title=f"Evidence {n}",
            stance=stance,
        )
        if urls:
            evidence.source_capture(source_id=source.pk)
    return fresh(claim)


def propose(claim: Claim, actor, rating="false"):
    """Propose a verdict on `claim` as it is now (its sources as they stand)."""
    claim = fresh(claim)
    return review.claim_propose_verdict(
        actor=actor,
        claim=claim,
        rating=Rating.objects.get(slug=rating),
        summary="It did not happen.",
        rationale="Two monitors contradict it.",
        version=claim.version,
    )


def proposed(claim: Claim, actor, rating="false", urls=()) -> Claim:
    propose(with_sources(claim, actor, urls=urls), actor, rating)
    return fresh(claim)


def settled_article(
    *, editor, reviewer, approver, rating="false", source_urls=(), **article_fields
):
    """An article ready to publish: its first check-worthy claim approved, the rest dismissed.
    `source_urls`: two addresses the claim's sources are captured from (see with_sources)."""
    article = ArticleFactory(**article_fields)
    claims = list(article.claims.check_worthy().order_by("ordinal"))
    first = proposed(claims[0], reviewer, rating=rating, urls=source_urls)
    review.claim_approve_verdict(actor=approver, claim=first, version=first.version)
    for claim in claims[1:]:
        claim.refresh_from_db()
        review.claim_dismiss(
            actor=editor, claim=claim, reason="Context only", version=claim.version
        )
    return article, fresh(first)


def published_with_captures(*, editor, reviewer, approver, source_urls, **article_fields):
    """settled_article() with its claim's two sources captured from `source_urls`, then
    published: (article, the claim)."""
    article, claim = settled_article(
        editor=editor,
        reviewer=reviewer,
        approver=approver,
        source_urls=source_urls,
        **article_fields,
    )
    publishing.article_publish(actor=editor, article=article)
    return article, claim
