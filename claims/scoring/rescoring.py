"""Re-scoring existing claims with the current scorer: `manage.py rescore_claims`.

A service like those of `claims/review.py`: it checks who may, changes claims in one
transaction per article and writes one audit event per claim it changes
(`claim.rescored`, before and after: score, scorer version, status, dismissed
reason), so each claim's timeline shows its re-scoring and replay follows it.

What it never touches: a claim a person has dismissed or restored (the audit trail
says so), whatever its status now. What it changes:
- score, reasons and scorer version of every other claim not already scored by the
  current scorer;
- the status only where the score alone decided it at import: a claim the importer
  dismissed as not check-worthy comes back as new when it now reaches the threshold,
  and a new claim nobody has taken, sourced or noted is dismissed as not check-worthy
  when it now falls below. Headings, boilerplate and claims in work keep their status.

The same rule re-scores an article's claims when an editor changes its language
(`claims_rescore_for_language`), in bulk, audited by that change's one event.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef, QuerySet
from django.utils import timezone

from .. import audit, checkworthiness
from ..access import require_unless_system
from ..models import (
    NOT_CHECK_WORTHY,
    Article,
    AuditAction,
    AuditEvent,
    Claim,
    ClaimStatus,
    Note,
    Source,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

PERSON_DECISIONS = (AuditAction.CLAIM_DISMISSED, AuditAction.CLAIM_RESTORED)


@dataclass
class RescoreResult:
    rescored: int = 0
    restored: int = 0  # back from "not check-worthy" to new
    dismissed: int = 0  # new, now below the threshold
    kept_by_person: int = 0  # dismissed or restored by a person: untouched
    current: int = 0  # already scored by this scorer
    articles: list[str] = field(default_factory=list)


def claims_rescore(
    *, actor: User | None = None, articles: Iterable[Article] | None = None
) -> RescoreResult:
    """Re-score the claims of `articles` (all articles by default) with today's scorer."""
    require_unless_system(actor, "claims.dismiss_claim", "Only editors can re-score claims.")
    version = checkworthiness.scorer_version()
    result = RescoreResult()
    for article in articles if articles is not None else Article.objects.order_by("pk"):
        with transaction.atomic():
            _rescore_article(actor, article, version, result)
    return result


def _rescore_article(
    actor: User | None, article: Article, version: str, result: RescoreResult
) -> None:
    decided = decided_by_person(article)
    changed_any = False
    for claim in rescorable(article):
        if claim.pk in decided:
            result.kept_by_person += 1
            continue
        if claim.scorer_version == version:
            result.current += 1
            continue
        before = _rescored_fields(claim)
        changes = rescore(claim, language=article.language, version=version)
        result.restored += changes.get("status") == ClaimStatus.NEW
        result.dismissed += changes.get("status") == ClaimStatus.DISMISSED
        Claim.objects.filter(pk=claim.pk).update(
            version=F("version") + 1, updated_at=timezone.now(), **changes
        )
        after = before | {k: v for k, v in changes.items() if k != "reasons"}
        audit.record(
            actor=actor,
            action=AuditAction.CLAIM_RESCORED,
            article=article,
            claim=claim,
            obj=claim,
            before=before,
            after=after,
        )
        result.rescored += 1
        changed_any = True
    if changed_any:
        result.articles.append(article.slug)


def claims_rescore_for_language(*, article: Article) -> list[dict]:
    """Re-score the claims of `article` for its (new) language, whatever scored them, by
    the rule above, in bulk: one UPDATE a batch, no audit event. For the change of an
    article's language (importing.article_change_language), whose one event lists what
    this returns: each claim it changed, with the fields that changed (not the reasons).
    Run inside the caller's transaction; the claims are locked for it."""
    version = checkworthiness.scorer_version()
    decided = decided_by_person(article)
    changed, listed, now = [], [], timezone.now()
    for claim in rescorable(article):
        if claim.pk in decided:
            continue
        changes = rescore(claim, language=article.language, version=version)
        for name, value in changes.items():
            setattr(claim, name, value)
        claim.version, claim.updated_at = claim.version + 1, now
        changed.append(claim)
        listed.append({"id": claim.pk} | _rescored_fields(claim))
    fields = [*RESCORED_FIELDS, "reasons", "version", "updated_at"]
    Claim.objects.bulk_update(changed, fields, batch_size=500)
    return listed


def decided_by_person(article: Article) -> set[int]:
    """The claims of `article` a person has dismissed or restored: never re-scored."""
    return set(
        AuditEvent.objects.filter(
            article=article, action__in=PERSON_DECISIONS, claim__isnull=False
        ).values_list("claim_id", flat=True)
    )


# What a re-scoring may change and its audit event shows (the reasons are not shown).
RESCORED_FIELDS = ["score", "scorer_version", "status", "dismissed_reason"]


def rescorable(article: Article) -> QuerySet[Claim]:
    """The claims of `article`, locked, with what `rescore` reads of them."""
    return (
        Claim.objects.select_for_update()
        .filter(article=article)
        .order_by("ordinal")
        .only("text", "is_heading", "assignee", "version", *RESCORED_FIELDS)
        .annotate(
            has_sources=Exists(Source.objects.filter(claim=OuterRef("pk"))),
            has_notes=Exists(Note.objects.filter(claim=OuterRef("pk"))),
        )
    )


def rescore(claim: Claim, *, language: str, version: str) -> dict:
    """What re-scoring changes of `claim` (see the module's docstring): score, reasons
    and scorer version, and the status where the score alone decided it."""
    threshold = settings.FACTCHECK_CHECKWORTHY_THRESHOLD
    score, reasons = checkworthiness.assess(
        claim.text, is_heading=claim.is_heading, language=language
    )
    changes: dict = {"score": score, "reasons": reasons, "scorer_version": version}
    worthy = score >= threshold and not claim.is_heading
    if claim.status == ClaimStatus.DISMISSED and claim.dismissed_reason == NOT_CHECK_WORTHY:
        if worthy:
            changes |= {"status": ClaimStatus.NEW, "dismissed_reason": ""}
    elif claim.status == ClaimStatus.NEW and not worthy and _untouched(claim):
        changes |= {"status": ClaimStatus.DISMISSED, "dismissed_reason": NOT_CHECK_WORTHY}
    return changes


def _rescored_fields(claim: Claim) -> dict:
    return audit.values(claim, RESCORED_FIELDS)


def _untouched(claim: Claim) -> bool:
    """Nobody has taken, sourced or noted this claim: only its score put it on the list.
    (`has_sources` and `has_notes` are annotated by `rescorable`: no query a claim.)"""
    return claim.assignee_id is None and not claim.has_sources and not claim.has_notes  # type: ignore[attr-defined]
