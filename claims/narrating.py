"""The audit trail told in words, for the people who work on a claim: "Rafael assigned
the claim to Ruth", "Status: in review → verdict proposed". Action values stay codes in
the trail (they are hashed); this module is the one place that says them in words."""

from __future__ import annotations

from collections.abc import Callable

from .models import AuditAction, ClaimantKind, ClaimStatus, Stance

type Shown = str | None
type Change = tuple[str, Shown, Shown]

# What a field of an event's before/after is called on the page.
FIELD_LABELS = {
    "status": "Status",
    "assignee": "Assignee",
    "wording": "Wording",
    "dismissed_reason": "Reason for dismissing",
    "rating": "Rating",
    "summary": "Summary",
    "rationale": "Rationale",
    "proposed_by": "Proposed by",
    "approved_by": "Approved by",
    "url": "URL",
    "title": "Title",
    "publisher": "Publisher",
    "published_on": "Published on",
    "accessed_on": "Accessed on",
    "excerpt": "Excerpt",
    "stance": "Stance",
    "body": "Note",
    "score": "Score",
    "scorer_version": "Scored by",
    "language": "Language",
    "claimant": "Claim by",
    "claimant_kind": "Person or organisation",
    "claimant_role": "Their role",
    "appearance_url": "Where it appeared",
    "appeared_on": "When it appeared",
    "requested_url": "Address asked for",
    "final_url": "Address reached",
    "content_type": "Type",
    "sha256": "SHA-256",
    "failure": "Why",
    "archive_url": "Archived copy",
}

# Fields the trail keeps for the record that say nothing to a reader of the timeline: a
# row's id (its event names the source already) and the outcome its sentence states.
UNTOLD_FIELDS = frozenset({"source", "outcome"})

# Values shown by their label rather than their code.
VALUE_LABELS: dict[str, dict[str, str]] = {
    "status": {value: str(label).lower() for value, label in ClaimStatus.choices},
    "stance": {value: str(label).lower() for value, label in Stance.choices},
    "claimant_kind": {value: str(label).lower() for value, label in ClaimantKind.choices},
}


def field_label(field: str) -> str:
    return FIELD_LABELS.get(field, field.replace("_", " ").capitalize())


def value_label(field: str, value: str) -> str:
    return VALUE_LABELS.get(field, {}).get(value, value)


def _new(changes: list[Change], field: str) -> Shown:
    return next((new for f, _, new in changes if f == field), None)


def _old(changes: list[Change], field: str) -> Shown:
    return next((old for f, old, _ in changes if f == field), None)


def _taken(actor: str, changes: list[Change]) -> str:
    before = _old(changes, "assignee")
    return f"{actor} took the claim from {before}" if before else f"{actor} took the claim"


def _assigned(actor: str, changes: list[Change]) -> str:
    to = _new(changes, "assignee")
    return f"{actor} assigned the claim to {to}" if to else f"{actor} unassigned the claim"


def _proposed(actor: str, changes: list[Change]) -> str:
    rating = _new(changes, "rating")
    return f"{actor} proposed the verdict “{rating}”" if rating else f"{actor} proposed a verdict"


def _changed(actor: str, changes: list[Change]) -> str:
    rating = _new(changes, "rating")
    return (
        f"{actor} changed the verdict to “{rating}”" if rating else f"{actor} changed the verdict"
    )


Sentence = Callable[[str, list[Change]], str]
SENTENCES: dict[str, Sentence] = {
    AuditAction.ARTICLE_IMPORTED: lambda a, c: f"{a} imported the article",
    AuditAction.ARTICLE_LANGUAGE_CHANGED: lambda a, c: f"{a} changed the article's language",
    AuditAction.CLAIM_TAKEN: _taken,
    AuditAction.CLAIM_RELEASED: lambda a, c: f"{a} released the claim",
    AuditAction.CLAIM_ASSIGNED: _assigned,
    AuditAction.CLAIM_REWORDED: lambda a, c: f"{a} reworded the claim",
    AuditAction.CLAIM_CLAIMANT_CHANGED: lambda a, c: f"{a} said who made the claim",
    AuditAction.CLAIM_DISMISSED: lambda a, c: f"{a} dismissed the claim",
    AuditAction.CLAIM_RESTORED: lambda a, c: f"{a} restored the claim",
    AuditAction.CLAIM_RESCORED: lambda a, c: f"{a} scored the claim again",
    AuditAction.SOURCE_ADDED: lambda a, c: f"{a} added a source",
    AuditAction.SOURCE_REMOVED: lambda a, c: f"{a} removed a source",
    AuditAction.SOURCE_CAPTURE_REQUESTED: lambda a, c: f"{a} asked for a source to be captured",
    AuditAction.SOURCE_CAPTURED: lambda a, c: "A source was captured",
    AuditAction.SOURCE_CAPTURE_FAILED: lambda a, c: "A source could not be captured",
    AuditAction.SOURCE_CHECKED: lambda a, c: "A source was checked again",
    AuditAction.NOTE_ADDED: lambda a, c: f"{a} wrote a note",
    AuditAction.VERDICT_PROPOSED: _proposed,
    AuditAction.VERDICT_CHANGED: _changed,
    AuditAction.VERDICT_APPROVED: lambda a, c: f"{a} approved the verdict",
    AuditAction.VERDICT_APPROVED_OVERRIDE: lambda a, c: f"{a} approved the verdict as an override",
    AuditAction.VERDICT_SENT_BACK: lambda a, c: f"{a} sent the verdict back",
}


def sentence(action: str, actor: str, changes: list[Change]) -> str:
    """What happened, in words, e.g. "Rafael assigned the claim to Ruth"."""
    if say := SENTENCES.get(action):
        return say(actor, changes)
    try:
        return f"{actor}: {AuditAction(action).label}"
    except ValueError:
        return f"{actor}: {action}"
