"""Helpers shared by the workspace tests: a claim in a known state, made by the services."""

from __future__ import annotations

from claims import review
from claims.models import Claim, Rating
from tests.factories import ArticleFactory

HTMX = {"HX-Request": "true"}


def fresh(claim: Claim) -> Claim:
    return Claim.objects.select_related("verdict").get(pk=claim.pk)


def a_claim() -> Claim:
    return ArticleFactory().claims.check_worthy().order_by("ordinal").first()


def with_sources(claim: Claim, actor, stances=("refutes", "context")) -> Claim:
    for n, stance in enumerate(stances):
        review.claim_add_source(
            actor=actor,
            claim=claim,
            url=f"https://evidence.example/{n}",
            title=f"Evidence {n}",
            stance=stance,
        )
    return fresh(claim)


def proposed(claim: Claim, actor, rating="false") -> Claim:
    claim = with_sources(claim, actor)
    review.claim_propose_verdict(
        actor=actor,
        claim=claim,
        rating=Rating.objects.get(slug=rating),
        summary="It did not happen.",
        rationale="Two monitors contradict it.",
        version=claim.version,
    )
    return fresh(claim)


def settled_article(*, editor, reviewer, approver, rating="false", **article_fields):
    """An article ready to publish: its first check-worthy claim approved, the rest dismissed."""
    article = ArticleFactory(**article_fields)
    claims = list(article.claims.check_worthy().order_by("ordinal"))
    first = proposed(claims[0], reviewer, rating=rating)
    review.claim_approve_verdict(actor=approver, claim=first, version=first.version)
    for claim in claims[1:]:
        claim.refresh_from_db()
        review.claim_dismiss(
            actor=editor, claim=claim, reason="Context only", version=claim.version
        )
    return article, fresh(first)
