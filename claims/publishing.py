"""Publishing: immutable snapshots of everything public about an article.

`article_publish()` writes version 1, or version n+1 with a structured correction;
`article_retract()` marks the latest version retracted with a public reason. The public
pages render from snapshots only, so later edits in the workspace stay invisible until
the next publication. Each change invalidates the public cache after it commits.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
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
from .differences import Difference, differences, missing_claimreview
from .models import (
    Article,
    AuditAction,
    ClaimStatus,
    CorrectionKind,
    CorrectionRequest,
    Publication,
    Rating,
    ReaderStatus,
    SnapshotKind,
    Source,
    SourceSnapshot,
)
from .search.indexing import article_details_reindex, published_reindex
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


def _public_slug(user) -> str:
    """The member's anchor on the team page, if they show a profile there."""
    profile = getattr(user, "team_profile", None)
    if profile is None or not profile.is_public or not user.is_active:
        return ""
    return profile.slug


def build_snapshot(article: Article, previous: Publication | None, now: dt.datetime) -> Snapshot:
    """Everything public about `article` now. Internal notes are never part of it."""
    first_seen = {}
    if previous is not None:
        first_seen = {c.ordinal: c.first_published_at for c in load(previous.snapshot).claims}
    claims = (
        article.claims.filter(status=ClaimStatus.APPROVED)
        .select_related(
            "verdict__rating",
            "verdict__proposed_by__team_profile",
            "verdict__approved_by__team_profile",
        )
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
                proposed_by_slug=_public_slug(verdict.proposed_by),
                approved_by_slug=_public_slug(verdict.approved_by),
                proposed_at=verdict.proposed_at,
                approved_at=verdict.approved_at,
                first_published_at=first_seen.get(claim.ordinal) or now,
                claimant=claim.claimant,
                claimant_kind=claim.claimant_kind,
                claimant_role=claim.claimant_role,
                appearance_url=claim.appearance_url or article.url,
                appeared_on=claim.appeared_on or article.published_on,
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


@dataclass(frozen=True)
class Draft:
    """The publication an editor would publish now, not saved: for the preview, and what
    `article_publish` saves. `problem`: why it can't be published (claims still open);
    `differences`: what it changes against `previous`; `missing`: the ClaimReview
    details it lacks."""

    publication: Publication | None
    previous: Publication | None
    problem: str = ""
    differences: tuple[Difference, ...] = ()
    missing: tuple[str, ...] = ()
    snapshot: Snapshot | None = None  # the publication's, as built

    @property
    def is_correction(self) -> bool:
        return self.previous is not None

    @property
    def changes_nothing(self) -> bool:
        return self.is_correction and not self.differences


def _draft(actor, article: Article, now: dt.datetime) -> Draft:
    """Build the next publication of `article` (locked by the caller), without saving."""
    previous = article.publications.order_by("-version").first()
    if blockers := blocking_claims(article):
        listed = ", ".join(f"#{c.ordinal} ({c.get_status_display().lower()})" for c in blockers)
        problem = (
            f"Not ready to publish: every check-worthy claim must be approved or dismissed. "
            f"Still open: {listed}."
        )
        return Draft(None, previous, problem)
    if not article.claims.filter(status=ClaimStatus.APPROVED).exists():
        return Draft(None, previous, "Not ready to publish: no claim has an approved verdict yet.")
    snapshot = build_snapshot(article, previous, now)
    publication = Publication(
        article=article,
        version=previous.version + 1 if previous else 1,
        snapshot=dump(snapshot),
        summary=dump_summary(summarise(snapshot)),
        published_by=actor,
        published_at=now,
        audit_head=audit.chain_head(),
    )
    found = differences(load(previous.snapshot), snapshot) if previous is not None else []
    missing = tuple(missing_claimreview(snapshot))
    return Draft(publication, previous, "", tuple(found), missing, snapshot)


def publication_preview(*, actor, article: Article) -> Draft:
    """What publishing (or correcting) would publish now, for the editor to look at first.
    Nothing is written."""
    ArticleAbilities(actor, article, None).publish.require()
    return _draft(actor, Article.objects.get(pk=article.pk), timezone.now())


def article_publish(
    *,
    actor,
    article: Article,
    correction_kind: str = "",
    correction_text: str = "",
    accept_missing: bool = True,
) -> Publication:
    """Publish version 1, or a corrected version n+1 (which needs a kind and an explanation,
    and must change something readers see).

    `accept_missing`: publish even though ClaimReview details are missing (who made a
    claim, where and when it appeared). The board asks the editor first (False until they
    confirm); commands and scripts publish what there is.
    """
    ArticleAbilities(actor, article, None).publish.require()
    correction_text = limits.bounded(
        correction_text,
        field="correction_text",
        limit=limits.CORRECTION,
        what="the correction note",
    )
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        draft = _draft(actor, article, timezone.now())
        if draft.problem:
            raise ValidationError(draft.problem)
        publication, previous, snapshot = draft.publication, draft.previous, draft.snapshot
        assert publication is not None  # no problem: it was built
        assert snapshot is not None
        if previous is not None:
            if draft.changes_nothing:
                raise ValidationError(
                    f"Nothing readers see would change: this is what version "
                    f"{previous.version} shows already. A correction must change the "
                    "published fact-check (a verdict, a source, a claim, the article's details)."
                )
            if correction_kind not in CorrectionKind.values:
                raise ValidationError({"correction_kind": "Say what kind of correction this is."})
            if not correction_text:
                raise ValidationError(
                    {"correction_text": "Explain the correction to readers; it is published."}
                )
        else:
            correction_kind, correction_text = "", ""
        if draft.missing and not accept_missing:
            raise ValidationError(
                {
                    "accept_missing": "The ClaimReview data would lack: "
                    + " ".join(draft.missing)
                    + " Fill them in, or confirm publishing without them."
                }
            )
        publication.correction_kind, publication.correction_text = correction_kind, correction_text
        publication.full_clean()
        publication.save()
        # A correction made after readers' requests names them (the public log says so).
        requests = CorrectionRequest.objects.filter(
            article=article, status=ReaderStatus.ACCEPTED, publication=None
        )
        from_readers = sorted(requests.values_list("pk", flat=True)) if previous else []
        if from_readers:
            requests.update(publication=publication)
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
            }
            | ({"reader_requests": from_readers} if from_readers else {}),
            reason=correction_text,
        )
        published_reindex(article)
        transaction.on_commit(lambda: forget_public_pages(article.slug))
    return publication


ARTICLE_DETAILS = ["title", "publisher", "author", "url", "published_on"]


def details_seen(article: Article) -> str:
    """A short digest of the article's details, sent with the form that edits them: if it
    differs when the form comes back, another editor changed them meanwhile."""
    values = audit.canonical_json(audit.values(article, ARTICLE_DETAILS))
    return hashlib.sha256(values.encode()).hexdigest()[:16]


def article_edit(*, actor: User, article: Article, seen: str = "", **details) -> Article:
    """Correct an article's details (title, publisher, author, original URL, publication
    date), for editors; one `article.edited` event with the fields that changed. The slug
    stays: public addresses never move. The public pages show the new details from the
    next publication. `seen`: details_seen() of the form's article ("" checks nothing)."""
    with transaction.atomic():
        article = Article.objects.select_for_update().defer("body").get(pk=article.pk)
        ArticleAbilities(actor, article, None).edit.require()
        if seen and seen != details_seen(article):
            raise ValidationError(
                "Another editor changed these details while you were editing them; nothing "
                "was saved. The form shows them as they are now: make your change again.",
                code="changed_meanwhile",
            )
        unknown = set(details) - set(ARTICLE_DETAILS)
        if unknown:
            raise TypeError(f"Not an article detail: {', '.join(sorted(unknown))}")
        for name in ("title", "publisher", "author", "url"):
            if name in details:
                details[name] = (details[name] or "").strip()
        if "title" in details and not details["title"]:
            raise ValidationError({"title": "An article needs a title."})
        if (day := details.get("published_on")) and day > timezone.localdate():
            raise ValidationError({"published_on": "This date is in the future."})
        before = audit.values(article, ARTICLE_DETAILS)
        for name, value in details.items():
            setattr(article, name, value)
        article.clean_fields(
            exclude=[f.name for f in Article._meta.fields if f.name not in details]
        )
        after = audit.values(article, ARTICLE_DETAILS)
        changed = [name for name in ARTICLE_DETAILS if before[name] != after[name]]
        if not changed:
            raise ValidationError("Nothing changed: the article's details are as you sent them.")
        article.save(update_fields=changed)
        audit.record(
            actor=actor,
            action=AuditAction.ARTICLE_EDITED,
            article=article,
            obj=article,
            before={name: before[name] for name in changed},
            after={name: after[name] for name in changed},
        )
        article_details_reindex(article)
    return article


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
