"""Rebuilding claims from the audit trail: what a claim was after any of its events."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from ..models import AuditAction, AuditEvent, Claim

# Who made the claim and where and when it appeared: versioned like the wording.
CLAIMANT_FIELDS = ("claimant", "claimant_kind", "claimant_role", "appearance_url", "appeared_on")
CLAIM_FIELDS = ("status", "wording", "assignee", "dismissed_reason", *CLAIMANT_FIELDS)


class ReplayError(Exception):
    """The trail can't be replayed: an action replay() doesn't know, or values that don't fit."""


def _cannot(event: Any, problem: str) -> ReplayError:
    return ReplayError(f"Event #{event.seq} ({event.action}) can't be replayed: {problem}.")


@dataclass
class ClaimState:
    """What the audit trail says a claim was, after event `seq`."""

    status: str
    wording: str
    assignee: int | None = None
    dismissed_reason: str = ""
    claimant: str = ""
    claimant_kind: str = ""
    claimant_role: str = ""
    appearance_url: str = ""
    appeared_on: str | None = None  # ISO date, as the event carries it
    verdict: dict[str, Any] | None = None
    sources: dict[int | None, dict[str, Any]] = field(default_factory=dict)
    notes: dict[int | None, str] = field(default_factory=dict)
    seq: int = 0

    @property
    def approver(self) -> int | None:
        return self.verdict["approved_by"] if self.verdict else None


Claims = dict[int, ClaimState]


def replay(events: Iterable[Any], claims: Claims | None = None) -> Claims:
    """Rebuild claims from their events, in sequence order, starting from nothing.

    `events` are AuditEvents (or anything with the same attributes). Events that don't
    concern a claim's review state (publishing, the rating scale, logins) pass by; an
    action none of the tables below names is a ReplayError, never a silent skip.
    """
    claims = {} if claims is None else claims
    for event in events:
        try:
            _apply(claims, event)
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise _cannot(event, f"its values don't fit ({error!r})") from error
    return claims


def _apply(claims: Claims, event: Any) -> None:
    after = event.after if event.after is not None else {}
    if not isinstance(after, dict):
        raise _cannot(event, f"its values are a {type(after).__name__}, not an object")
    if event.action == AuditAction.ARTICLE_IMPORTED:
        _imported(claims, event, after)
    elif event.action == AuditAction.ARTICLE_LANGUAGE_CHANGED:
        _language_changed(claims, event, after)
    elif event.action in _PASSING_BY:
        pass
    elif (change := _CLAIM_CHANGES.get(event.action)) is None:
        raise _cannot(event, "replay does not know this action")
    elif (state := claims.get(event.claim_id)) is not None:
        change(state, after, int(event.object_id) if event.object_id else None)
        state.seq = event.seq


def _imported(claims: Claims, event: Any, after: dict[str, Any]) -> None:
    listed_claims = after.get("claims", [])
    if not isinstance(listed_claims, list):
        raise _cannot(event, "its claims are not a list")
    for listed in listed_claims:
        if not isinstance(listed, dict):
            raise _cannot(event, "a claim it lists is not an object")
        if missing := [name for name in ("id", "status", "wording") if name not in listed]:
            raise _cannot(event, f"a claim it lists has no {', '.join(missing)}")
        claims[listed["id"]] = ClaimState(
            status=listed["status"],
            wording=listed["wording"],
            dismissed_reason=listed.get("dismissed_reason", ""),
            seq=event.seq,
        )


def _language_changed(claims: Claims, event: Any, after: dict[str, Any]) -> None:
    """A change of the article's language (importing.article_change_language): either its
    claims were replaced (`replaced` ids gone, the new `claims` listed as an import lists
    them) or some were re-scored in place (`rescored`: id and the fields that changed)."""
    for claim_id in after.get("replaced", []):
        claims.pop(claim_id, None)
    _imported(claims, event, after)
    for rescored in after.get("rescored", []):
        if (state := claims.get(rescored["id"])) is not None:
            _claim_changed(state, rescored, None)
            state.seq = event.seq


# What each action does to its claim's state, given the event's `after` and object id.
# A field an event does not carry stays as it was.
Change = Callable[[ClaimState, dict[str, Any], int | None], None]


def _claim_changed(state: ClaimState, after: dict[str, Any], object_id: int | None) -> None:
    for name in CLAIM_FIELDS:
        if name in after:
            setattr(state, name, after[name])


def _source_added(state: ClaimState, after: dict[str, Any], object_id: int | None) -> None:
    state.sources[object_id] = after
    if state.status == "new":  # a new claim goes into review once worked on
        state.status = "in_review"


def _source_removed(state: ClaimState, after: dict[str, Any], object_id: int | None) -> None:
    state.sources.pop(object_id, None)


def _note_added(state: ClaimState, after: dict[str, Any], object_id: int | None) -> None:
    state.notes[object_id] = after.get("body", "")


def _verdict_status(status: str) -> Change:
    """A verdict event: the verdict is its `after`, and the service set `status` with it."""

    def apply(state: ClaimState, after: dict[str, Any], object_id: int | None) -> None:
        state.verdict, state.status = after, status

    return apply


def _sent_back(state: ClaimState, after: dict[str, Any], object_id: int | None) -> None:
    _claim_changed(state, after, object_id)
    state.verdict = after.get("verdict")


_CLAIM_CHANGES: dict[str, Change] = {
    AuditAction.CLAIM_TAKEN: _claim_changed,
    AuditAction.CLAIM_RELEASED: _claim_changed,
    AuditAction.CLAIM_ASSIGNED: _claim_changed,
    AuditAction.CLAIM_REWORDED: _claim_changed,
    AuditAction.CLAIM_DISMISSED: _claim_changed,
    AuditAction.CLAIM_RESTORED: _claim_changed,
    AuditAction.CLAIM_RESCORED: _claim_changed,
    AuditAction.CLAIM_CLAIMANT_CHANGED: _claim_changed,
    AuditAction.SOURCE_ADDED: _source_added,
    AuditAction.SOURCE_REMOVED: _source_removed,
    AuditAction.NOTE_ADDED: _note_added,
    AuditAction.VERDICT_PROPOSED: _verdict_status("proposed"),
    AuditAction.VERDICT_CHANGED: _verdict_status("proposed"),
    AuditAction.VERDICT_APPROVED: _verdict_status("approved"),
    AuditAction.VERDICT_APPROVED_OVERRIDE: _verdict_status("approved"),
    AuditAction.VERDICT_SENT_BACK: _sent_back,
}
# Actions that change no claim's review state.
_PASSING_BY = frozenset(
    {
        AuditAction.ARTICLE_PUBLISHED,
        AuditAction.ARTICLE_CORRECTED,
        AuditAction.ARTICLE_RETRACTED,
        AuditAction.ARTICLE_REOPENED,
        AuditAction.ARTICLE_EDITED,
        AuditAction.RATING_CREATED,
        AuditAction.RATING_CHANGED,
        AuditAction.RATING_DELETED,
        AuditAction.LOGIN_LOCKED_OUT,
        # Who is on the desk and what they may do (claims/accounts.py).
        AuditAction.USER_CREATED,
        AuditAction.USER_CHANGED,
        AuditAction.USER_DELETED,
        AuditAction.GROUP_CREATED,
        AuditAction.GROUP_CHANGED,
        AuditAction.GROUP_DELETED,
        # What the fetcher found at a source's address: evidence about the source, not a
        # change to what the reviewers decided.
        AuditAction.SOURCE_CAPTURE_REQUESTED,
        AuditAction.SOURCE_CAPTURED,
        AuditAction.SOURCE_CAPTURE_FAILED,
        AuditAction.SOURCE_CHECKED,
        # The desk in public and what readers send: nothing a reviewer decided on a claim.
        AuditAction.ORGANISATION_CHANGED,
        AuditAction.FUNDING_SAVED,
        AuditAction.FUNDING_DELETED,
        AuditAction.PROFILE_CHANGED,
        AuditAction.TIP_RECEIVED,
        AuditAction.TIP_ACCEPTED,
        AuditAction.TIP_DISMISSED,
        AuditAction.CORRECTION_REQUESTED,
        AuditAction.CORRECTION_REQUEST_ACCEPTED,
        AuditAction.CORRECTION_REQUEST_DECLINED,
        # Earlier checks found, reused (the source it adds has its own event) or marked
        # as wrong: suggestions about the claim, not its review.
        AuditAction.ARTICLE_MATCHED,
        AuditAction.MATCH_REUSED,
        AuditAction.MATCH_REJECTED,
    }
)


def import_of(claim: Claim) -> models.Q:
    """The events that made `claim`'s article's claims: its import, and each change of
    its language that split the text again. The latest of them made the claim."""
    return models.Q(article_id=claim.article_id) & (
        models.Q(action=AuditAction.ARTICLE_IMPORTED)
        | models.Q(action=AuditAction.ARTICLE_LANGUAGE_CHANGED, after__has_key="replaced")
    )


def claim_events(claim: Claim) -> models.QuerySet[AuditEvent]:
    """Every event that shaped `claim`: its article's import, the changes of its language
    (which split the text again or re-scored claims) and the claim's own."""
    article_wide = [AuditAction.ARTICLE_IMPORTED, AuditAction.ARTICLE_LANGUAGE_CHANGED]
    return AuditEvent.objects.filter(
        models.Q(claim=claim) | models.Q(article_id=claim.article_id, action__in=article_wide)
    )


def claim_as_of(claim: Claim, seq: int) -> ClaimState:
    """The claim as it stood right after event `seq`, one of its own or its import's."""
    state = replay(claim_events(claim).filter(seq__lte=seq).order_by("seq")).get(claim.pk)
    if state is None:
        raise ReplayError(f"The audit trail up to event #{seq} never imports claim {claim.pk}.")
    return state
