"""What a new publication would change for readers, against the one they read now.

`differences(old, new)` compares two publication snapshots field by field, as the public
pages show them: the article's details, claims added or removed, and for each claim its
wording, rating, summary, rationale, sources, claimant and sign-off. A correction that
changes none of these is refused (publishing.article_publish), and the editor's preview
lists them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .snapshot import Snapshot, SnapshotClaim, SnapshotSource

ARTICLE_FIELDS = {
    "title": "title",
    "publisher": "publisher",
    "author": "author (byline)",
    "url": "original URL",
    "published_on": "publication date",
    "language": "language",
}


@dataclass(frozen=True, slots=True)
class Difference:
    where: str  # "Article", "Claim 3"
    what: str  # "rating", "claim added", …
    before: str
    after: str


def _text(value) -> str:
    return "" if value is None else str(value)


def _claimant(claim: SnapshotClaim) -> str:
    if not claim.claimant:
        return ""
    kind = {"Person": "person", "Organization": "organisation"}.get(claim.claimant_kind, "")
    role = f", {claim.claimant_role}" if claim.claimant_role else ""
    return f"{claim.claimant}{role} ({kind})" if kind else f"{claim.claimant}{role}"


def _appearance(claim: SnapshotClaim) -> str:
    when = claim.appeared_on.isoformat() if claim.appeared_on else ""
    return ", ".join(part for part in (claim.appearance_url, when) if part)


def _source(source: SnapshotSource) -> str:
    return f"{source.title} ({source.url})"


def _public_source(source: SnapshotSource) -> tuple:
    """What a reader sees of a source (an archived copy, not which capture it is)."""
    return (
        source.url,
        source.title,
        source.publisher,
        source.published_on,
        source.accessed_on,
        source.excerpt,
        source.stance,
        bool(source.snapshot_id),
        source.archive_url,
    )


def _claim_fields(claim: SnapshotClaim) -> dict[str, str]:
    return {
        "claim as reviewed": claim.wording,
        "rating": claim.rating.label,
        "rating definition": claim.rating.definition,
        "summary": claim.summary,
        "rationale": claim.rationale,
        "claim made by": _claimant(claim),
        "appeared": _appearance(claim),
        "checked by": claim.proposed_by,
        "signed off by": claim.approved_by,
    }


def _sources(where: str, old: SnapshotClaim, new: SnapshotClaim) -> list[Difference]:
    """Sources removed and added, as readers see them (one changed is both: the old and
    the new). Counted, since a claim may cite one address twice."""
    before = Counter(_public_source(s) for s in old.sources)
    after = Counter(_public_source(s) for s in new.sources)
    named = {_public_source(s): _source(s) for s in (*old.sources, *new.sources)}
    found = [
        Difference(where, "source removed", named[key], "") for key in (before - after).elements()
    ]
    found += [
        Difference(where, "source added", "", named[key]) for key in (after - before).elements()
    ]
    return found


def differences(old: Snapshot, new: Snapshot) -> list[Difference]:
    """Everything readers would see change, article first, then claim by claim."""
    found = [
        Difference("Article", label, _text(getattr(old.article, name)), _text(after))
        for name, label in ARTICLE_FIELDS.items()
        if getattr(old.article, name) != (after := getattr(new.article, name))
    ]
    before = {claim.ordinal: claim for claim in old.claims}
    after_claims = {claim.ordinal: claim for claim in new.claims}
    for ordinal in sorted(before.keys() | after_claims.keys()):
        where = f"Claim {ordinal}"
        old_claim, new_claim = before.get(ordinal), after_claims.get(ordinal)
        if new_claim is None:
            assert old_claim is not None
            found.append(
                Difference(
                    where, "claim removed", f"{old_claim.rating.label}: {old_claim.wording}", ""
                )
            )
        elif old_claim is None:
            found.append(
                Difference(
                    where, "claim added", "", f"{new_claim.rating.label}: {new_claim.wording}"
                )
            )
        else:
            old_fields, new_fields = _claim_fields(old_claim), _claim_fields(new_claim)
            found += [
                Difference(where, name, value, new_fields[name])
                for name, value in old_fields.items()
                if value != new_fields[name]
            ]
            found += _sources(where, old_claim, new_claim)
    return found


def missing_claimreview(snapshot: Snapshot) -> list[str]:
    """The ClaimReview details the snapshot lacks, each as a sentence saying how to give it."""

    def listed(ordinals: list[int]) -> str:
        return ", ".join(f"#{n}" for n in ordinals)

    missing = []
    if nobody := [c.ordinal for c in snapshot.claims if not c.claimant]:
        missing.append(
            f"Who made claim {listed(nobody)} (itemReviewed.author): say so on the claim's page."
        )
    if nowhere := [c.ordinal for c in snapshot.claims if not c.appearance_url]:
        missing.append(
            f"Where claim {listed(nowhere)} appeared (itemReviewed.appearance): give the "
            "article's original URL in its details, or the claim's own."
        )
    if undated := [c.ordinal for c in snapshot.claims if not c.appeared_on]:
        missing.append(
            f"When claim {listed(undated)} appeared (itemReviewed.datePublished): give the "
            "article's publication date in its details, or the claim's own."
        )
    return missing
