"""Publishing: immutable snapshots of everything public about an article.

`article_publish()` writes version 1, or version n+1 with a structured correction;
`article_retract()` marks the latest version retracted with a public reason. The public
pages render from snapshots only, so later edits in the workspace stay invisible until
the next publication. Each change invalidates the public cache after it commits.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

if TYPE_CHECKING:
    from django.contrib.auth.models import User

from . import audit, limits
from .access import ArticleAbilities
from .models import (
    Article,
    AuditAction,
    ClaimStatus,
    CorrectionKind,
    Publication,
    Rating,
    SnapshotKind,
    Source,
    SourceSnapshot,
)
from .search.indexing import published_reindex
from .snapshot import (
    Snapshot,
    SnapshotArticle,
    SnapshotClaim,
    SnapshotRating,
    SnapshotSource,
    dump,
    dump_summary,
    load,
    summarise,
)


def display_name(user) -> str:
    """The public name of a desk member: never their email or username if they have a name."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def blocking_claims(article: Article) -> list:
    """Check-worthy claims not yet approved: they keep the article from being published."""
    return list(
        article.claims.check_worthy()
        .exclude(status=ClaimStatus.APPROVED)
        .order_by("ordinal")
        .only("ordinal", "status")
    )


def _good_captures() -> Prefetch:
    """Each source's successful captures, newest first (`good_captures`)."""
    good = SourceSnapshot.objects.ok().filter(kind=SnapshotKind.CAPTURE).newest_first()
    return Prefetch("snapshots", good.defer("text"), to_attr="good_captures")


def _archived(source: Source) -> dict:
    """The archived copies a publication names for a source: its latest good capture (the
    public snapshot page shows it) and that capture's Internet Archive copy."""
    fields: dict = {"source_id": source.pk}
    if source.good_captures:
        capture = source.good_captures[0]
        fields |= {
            "snapshot_id": capture.pk,
            "sha256": capture.sha256,
            "captured_at": capture.fetched_at,
            "archive_url": capture.archive_url,
        }
    return fields


def build_snapshot(article: Article, previous: Publication | None, now: dt.datetime) -> Snapshot:
    """Everything public about `article` now. Internal notes are never part of it."""
    first_seen = {}
    if previous is not None:
        first_seen = {c.ordinal: c.first_published_at for c in load(previous.snapshot).claims}
    claims = (
        article.claims.filter(status=ClaimStatus.APPROVED)
        .select_related("verdict__rating", "verdict__proposed_by", "verdict__approved_by")
        .prefetch_related(Prefetch("sources", Source.objects.prefetch_related(_good_captures())))
        .order_by("ordinal")
    )
    published = []
    for claim in claims:
        verdict, rating = claim.verdict, claim.verdict.rating
        published.append(
            SnapshotClaim(
                ordinal=claim.ordinal,
                start=claim.start,
                end=claim.end,
                text=claim.text,
                wording=claim.wording,
                rating=SnapshotRating(
                    label=rating.label,
                    slug=rating.slug,
                    definition=rating.definition,
                    colour=rating.colour,
                    rating_value=rating.rating_value,
                    best=Rating.BEST if rating.is_scalar else None,
                    worst=Rating.WORST if rating.is_scalar else None,
                ),
                summary=verdict.summary,
                rationale=verdict.rationale,
                proposed_by=display_name(verdict.proposed_by),
                approved_by=display_name(verdict.approved_by),
                proposed_at=verdict.proposed_at,
                approved_at=verdict.approved_at,
                first_published_at=first_seen.get(claim.ordinal) or now,
                sources=tuple(
                    SnapshotSource(
                        url=s.url,
                        title=s.title,
                        publisher=s.publisher,
                        published_on=s.published_on,
                        accessed_on=s.accessed_on,
                        excerpt=s.excerpt,
                        stance=s.stance,
                        **_archived(s),
                    )
                    for s in claim.sources.all()
                ),
            )
        )
    checkers = sorted({c.proposed_by for c in published} | {c.approved_by for c in published})
    return Snapshot(
        organisation=settings.FACTCHECK_ORGANISATION,
        article=SnapshotArticle(
            title=article.title,
            slug=article.slug,
            publisher=article.publisher,
            author=article.author,
            url=article.url,
            published_on=article.published_on,
            language=article.language,
            body=article.body,
        ),
        fact_checkers=tuple(checkers),
        claims=tuple(published),
    )


def article_publish(
    *, actor, article: Article, correction_kind: str = "", correction_text: str = ""
) -> Publication:
    """Publish version 1, or a corrected version n+1 (which needs a kind and an explanation)."""
    ArticleAbilities(actor, article, None).publish.require()
    correction_text = limits.bounded(
        correction_text,
        field="correction_text",
        limit=limits.CORRECTION,
        what="the correction note",
    )
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        if blockers := blocking_claims(article):
            listed = ", ".join(f"#{c.ordinal} ({c.get_status_display().lower()})" for c in blockers)
            raise ValidationError(
                f"Not ready to publish: every check-worthy claim must be approved or dismissed. "
                f"Still open: {listed}."
            )
        if not article.claims.filter(status=ClaimStatus.APPROVED).exists():
            raise ValidationError("Not ready to publish: no claim has an approved verdict yet.")
        previous = article.publications.order_by("-version").first()
        if previous is not None:
            if correction_kind not in CorrectionKind.values:
                raise ValidationError({"correction_kind": "Say what kind of correction this is."})
            if not correction_text:
                raise ValidationError(
                    {"correction_text": "Explain the correction to readers; it is published."}
                )
        else:
            correction_kind, correction_text = "", ""
        now = timezone.now()
        snapshot = build_snapshot(article, previous, now)
        publication = Publication(
            article=article,
            version=previous.version + 1 if previous else 1,
            snapshot=dump(snapshot),
            summary=dump_summary(summarise(snapshot)),
            published_by=actor,
            published_at=now,
            audit_head=audit.chain_head(),
            correction_kind=correction_kind,
            correction_text=correction_text,
        )
        publication.full_clean()
        publication.save()
        audit.record(
            actor=actor,
            action=AuditAction.ARTICLE_PUBLISHED
            if previous is None
            else AuditAction.ARTICLE_CORRECTED,
            article=article,
            obj=publication,
            after={
                "version": publication.version,
                "claims": [c.ordinal for c in snapshot.claims],
                "audit_head": publication.audit_head,
                "correction_kind": correction_kind,
            },
            reason=correction_text,
        )
        published_reindex(article)
        transaction.on_commit(lambda: forget_public_pages(article.slug))
    return publication


def article_retract(*, actor: User, article: Article, reason: str) -> Publication:
    """Retract the published article: its pages then say so, with the reason, instead."""
    with transaction.atomic():
        latest = (
            Publication.objects.select_for_update()
            .filter(article=article)
            .order_by("-version")
            .first()
        )
        ArticleAbilities(actor, article, latest).retract.require()
        assert latest is not None  # retract.require() refused otherwise
        reason = limits.bounded(
            reason,
            field="reason",
            limit=limits.RETRACTION,
            what="the reason",
            required="Give readers the reason for the retraction.",
        )
        latest.retracted_at, latest.retracted_by, latest.retraction_reason = (
            timezone.now(),
            actor,
            reason,
        )
        latest.save(update_fields=["retracted_at", "retracted_by", "retraction_reason"])
        audit.record(
            actor=actor,
            action=AuditAction.ARTICLE_RETRACTED,
            article=article,
            obj=latest,
            after={"version": latest.version},
            reason=reason,
        )
        published_reindex(article)
        transaction.on_commit(lambda: forget_public_pages(article.slug))
    return latest


def article_reopen(*, actor: User, article: Article, reason: str) -> Article:
    """Let reviewers work on a published article again, for a correction.

    It closes again when the corrected version is published. The reason stays internal.
    """
    with transaction.atomic():
        article = Article.objects.select_for_update().defer("body").get(pk=article.pk)
        latest = article.latest_publication
        ArticleAbilities(actor, article, latest).reopen.require()
        assert latest is not None  # reopen.require() refused otherwise
        reason = limits.bounded(
            reason,
            field="reason",
            limit=limits.REOPEN_REASON,
            what="the reason",
            required="Say what needs correcting.",
        )
        article.reopened_at = timezone.now()
        article.save(update_fields=["reopened_at"])
        audit.record(
            actor=actor,
            action=AuditAction.ARTICLE_REOPENED,
            article=article,
            obj=article,
            after={"reopened_at": article.reopened_at, "version": latest.version},
            reason=reason,
        )
    return article


def pointer_key(slug: str) -> str:
    return f"public:{slug}:latest"


def forget_public_pages(slug: str) -> None:
    """Drop the cached pointer to the latest version; pages keyed by it are never reused."""
    cache.delete(pointer_key(slug))
    cache.delete("public:index-generation")
    cache.delete("public:claimreview.json")
