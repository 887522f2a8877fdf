"""An article with its claims, verdicts, sources and publications as plain JSON-ready data."""

from __future__ import annotations

from django.db.models import Prefetch

from . import snapshot
from .models import Article, Claim, Note, Publication, Source, SourceSnapshot


def _source(source: Source) -> dict:
    return {
        "url": source.url,
        "title": source.title,
        "publisher": source.publisher,
        "published_on": source.published_on,
        "accessed_on": source.accessed_on,
        "excerpt": source.excerpt,
        "stance": source.stance,
        "added_by": source.added_by.get_username(),
        "added_at": source.added_at,
        # Every capture and link check, oldest first: the archived copies and what became
        # of the page.
        "snapshots": [_snapshot(s) for s in source.snapshots.all()],
    }


SNAPSHOT_FIELDS = [
    "kind",
    "outcome",
    "fetched_at",
    "requested_url",
    "final_url",
    "status",
    "content_type",
    "size",
    "sha256",
    "archive_url",
    "failure",
    "flag",
]


def _snapshot(snapshot: SourceSnapshot) -> dict:
    """A capture or link check, without its text (the storage's file is named)."""
    return {name: getattr(snapshot, name) for name in SNAPSHOT_FIELDS} | {
        "file": snapshot.file.name
    }


def _verdict(claim: Claim) -> dict | None:
    verdict = getattr(claim, "verdict", None)
    if verdict is None:
        return None
    return {
        "rating": verdict.rating.label,
        "rating_value": verdict.rating.rating_value,
        "summary": verdict.summary,
        "rationale": verdict.rationale,
        "proposed_by": verdict.proposed_by.get_username(),
        "proposed_at": verdict.proposed_at,
        "approved_by": verdict.approved_by.get_username() if verdict.approved_by else None,
        "approved_at": verdict.approved_at,
    }


def _publication(publication: Publication) -> dict:
    return {
        "version": publication.version,
        "published_at": publication.published_at,
        "published_by": publication.published_by.get_username(),
        "audit_head": publication.audit_head,
        "correction_kind": publication.correction_kind,
        "correction_text": publication.correction_text,
        "retracted_at": publication.retracted_at,
        "retracted_by": (
            publication.retracted_by.get_username() if publication.retracted_by else None
        ),
        "retraction_reason": publication.retraction_reason,
        # What readers were shown, read and written again by claims/snapshot.py: an
        # export has the current snapshot format whatever the release that published it.
        "snapshot": snapshot.dump(snapshot.load(publication.snapshot)),
    }


def article_export(article: Article, *, include_notes: bool = False) -> dict:
    """Notes are internal: they are left out unless `include_notes`. Dates stay dates."""
    claims = (
        article.claims.order_by("ordinal")
        .select_related(
            "assignee", "verdict__rating", "verdict__proposed_by", "verdict__approved_by"
        )
        .prefetch_related(
            Prefetch(
                "sources",
                Source.objects.select_related("added_by").prefetch_related(
                    Prefetch(
                        "snapshots",
                        SourceSnapshot.objects.order_by("fetched_at", "id").defer("text"),
                    )
                ),
            )
        )
    )
    if include_notes:
        claims = claims.prefetch_related(Prefetch("notes", Note.objects.select_related("author")))
    exported = []
    for claim in claims:
        item = {
            "ordinal": claim.ordinal,
            "start": claim.start,
            "end": claim.end,
            "text": claim.text,
            "wording": claim.wording,
            "is_heading": claim.is_heading,
            "score": claim.score,
            "reasons": claim.explained_reasons,
            "status": claim.status,
            "dismissed_reason": claim.dismissed_reason,
            "assignee": claim.assignee.get_username() if claim.assignee else None,
            "claimant": claim.claimant,
            "claimant_kind": claim.claimant_kind,
            "claimant_role": claim.claimant_role,
            "appearance_url": claim.appearance_url,
            "appeared_on": claim.appeared_on,
            "quote": claim.quote,
            "verdict": _verdict(claim),
            "sources": [_source(s) for s in claim.sources.all()],
        }
        if include_notes:
            item["notes"] = [
                {"author": n.author.get_username(), "body": n.body, "created_at": n.created_at}
                for n in claim.notes.all()
            ]
        exported.append(item)
    return {
        "article": {
            "slug": article.slug,
            "title": article.title,
            "publisher": article.publisher,
            "author": article.author,
            "url": article.url,
            "published_on": article.published_on,
            "language": article.language,
            "sha256": article.sha256,
            "status": article.status.value,
            "imported_at": article.imported_at,
            "body": article.body,
        },
        "claims": exported,
        "publications": [
            _publication(p)
            for p in article.publications.select_related("published_by", "retracted_by").order_by(
                "version"
            )
        ],
    }


CSV_COLUMNS = [
    "ordinal",
    "status",
    "sentence",
    "claim_as_reviewed",
    "score",
    "claimant",
    "claimant_kind",
    "claimant_role",
    "appeared_at",
    "appeared_on",
    "assignee",
    "rating",
    "rating_value",
    "summary",
    "rationale",
    "proposed_by",
    "approved_by",
    "approved_at",
    "sources",
    "source_urls",
    "dismissed_reason",
]


def spreadsheet_safe(value) -> str:
    """A cell a spreadsheet shows as text: one starting with =, +, -, @ (or a tab or
    carriage return) would be run as a formula, and article text is anyone's text."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def claims_table(article: Article) -> list[list[str]]:
    """The article's claims and verdicts as rows under CSV_COLUMNS, in article order."""
    claims = (
        article.claims.order_by("ordinal")
        .select_related(
            "article", "assignee", "verdict__rating", "verdict__proposed_by", "verdict__approved_by"
        )
        .defer("article__body")
        .prefetch_related(Prefetch("sources", Source.objects.only("claim_id", "url")))
    )
    rows = []
    for claim in claims:
        verdict = _verdict(claim) or {}
        urls = [source.url for source in claim.sources.all()]
        row = [
            claim.ordinal,
            claim.status,
            claim.text,
            claim.wording,
            f"{claim.score:.2f}",
            claim.claimant,
            claim.claimant_kind,
            claim.claimant_role,
            claim.appearance,
            claim.appearance_date,
            claim.assignee.get_username() if claim.assignee else "",
            verdict.get("rating"),
            verdict.get("rating_value"),
            verdict.get("summary"),
            verdict.get("rationale"),
            verdict.get("proposed_by"),
            verdict.get("approved_by"),
            approved_at.isoformat() if (approved_at := verdict.get("approved_at")) else "",
            len(urls),
            " ".join(urls),
            claim.dismissed_reason,
        ]
        rows.append([spreadsheet_safe(cell) for cell in row])
    return rows
