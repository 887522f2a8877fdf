"""Reviewing a claim: the service functions behind every reviewer and editor action.

Each function checks the actor's permission, enforces the workflow, saves and writes
its audit event in one transaction. Views, the admin, commands and tests call these;
nothing else writes review data.

Every change to what a reviewer decides on (status, wording, assignee, verdict and the
sources it rests on) raises the claim's version by one, in the change's transaction.
Changes that replace something carry the version the actor saw: the claim row is
updated with `UPDATE … WHERE version = v`, and when someone else changed it first,
nothing is written and `Conflict` says what the claim is now. Adding or removing a
source overwrites nothing, so it is never refused for the version; it still raises it,
so that a verdict proposed or approved beside an older list of sources is a conflict.
Notes are discussion, not the claim: they leave its version alone, so a note never
makes anyone's open form stale.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone

if TYPE_CHECKING:
    from django.contrib.auth.models import User

from . import audit, evidence, limits, notifications
from .access import DESK_GROUPS, ClaimAbilities, is_desk_member
from .models import (
    Article,
    AuditAction,
    AuditEvent,
    Claim,
    ClaimantKind,
    ClaimStatus,
    Note,
    Rating,
    Source,
    Stance,
    Verdict,
)
from .people import display_name
from .search.indexing import claim_reindex, note_index, source_index, source_unindex

SOURCE_FIELDS = ["url", "title", "publisher", "published_on", "accessed_on", "excerpt", "stance"]
VERDICT_FIELDS = ["rating", "summary", "rationale", "proposed_by", "approved_by"]
CLAIMANT_FIELDS = list(audit.CLAIMANT_FIELDS)
# The code of a verdict refused for want of sources: about the sources, not the rating
# chosen, so out of date once they change (forms.VerdictForm shows it apart).
EVIDENCE = "evidence"


# What is recorded against a claim without raising its version (see `_update`).
UNVERSIONED_ACTIONS = frozenset(
    {
        AuditAction.NOTE_ADDED,
        AuditAction.SOURCE_CAPTURE_REQUESTED,
        AuditAction.SOURCE_CAPTURED,
        AuditAction.SOURCE_CAPTURE_FAILED,
        AuditAction.SOURCE_CHECKED,
        AuditAction.ARTICLE_MATCHED,
        AuditAction.MATCH_REJECTED,
    }
)


class Conflict(Exception):
    """Someone else changed the claim since the actor loaded it; nothing was written."""

    def __init__(self, claim: Claim):
        self.claim = claim
        # The change that won: one that raised the version. Notes, captures, link checks
        # and matching leave it alone (they never conflict), so they are not it.
        self.last_event = (
            AuditEvent.objects.filter(claim=claim)
            .exclude(action__in=UNVERSIONED_ACTIONS)
            .select_related("actor")
            .order_by("-seq")
            .first()
        )
        event = self.last_event
        if event is None:
            who = "someone"
        elif event.actor or event.actor_label == audit.SYSTEM_ACTOR:
            who = display_name(event.actor)
        else:  # a person since deleted: the username the event kept
            who = event.actor_label
        super().__init__(f"{who} changed this claim while you were editing it.")


@dataclass(frozen=True)
class EvidenceGate:
    """How many sources a verdict needs (the AFP two-source habit), from settings. With
    `require_snapshots`, a decisive (scalar) verdict counts only the sources with a
    successful snapshot (`Source.objects.with_capture_state()`)."""

    scalar_sources: int
    scalar_decisive: int
    off_scale_sources: int
    require_snapshots: bool = False

    @classmethod
    def from_settings(cls) -> EvidenceGate:
        return cls(
            settings.FACTCHECK_SCALAR_MIN_SOURCES,
            settings.FACTCHECK_SCALAR_MIN_DECISIVE_SOURCES,
            settings.FACTCHECK_OFF_SCALE_MIN_SOURCES,
            settings.FACTCHECK_REQUIRE_SNAPSHOTS,
        )

    def problem(self, rating: Rating, sources: list[Source]) -> str:
        missing = []
        if rating.is_scalar and self.require_snapshots:
            missing = [s for s in sources if not s.captured]
            sources = [s for s in sources if s.captured]
        decisive = sum(s.stance in (Stance.SUPPORTS, Stance.REFUTES) for s in sources)
        if rating.is_scalar:
            if len(sources) < self.scalar_sources or decisive < self.scalar_decisive:
                counted = " with a successful snapshot" if self.require_snapshots else ""
                still = ", ".join(f"“{s.title}”" for s in missing)
                return (
                    f"“{rating}” needs at least {self.scalar_sources} sources{counted}, "
                    f"{self.scalar_decisive} of them supporting or refuting the claim; "
                    f"this claim has {len(sources)} ({decisive} supporting or refuting)."
                    + (
                        f" Still without a snapshot: {still} (wait for the capture, or "
                        "retry it from the sources panel)."
                        if missing
                        else ""
                    )
                )
        elif len(sources) < self.off_scale_sources:
            return (
                f"“{rating}” needs at least {self.off_scale_sources} source; "
                f"this claim has {len(sources)}."
            )
        return ""


# --- helpers ---------------------------------------------------------------------------


def locked(claim: Claim) -> Claim:
    """The claim's current row, locked until the transaction ends, with its article's
    details (not its body, up to a megabyte that no change to a claim reads)."""
    return (
        Claim.objects.select_for_update()
        .select_related("article")
        .defer("article__body")
        .get(pk=claim.pk)
    )


_locked = locked


def _evidence(claim: Claim) -> list[Source]:
    """The claim's sources, each saying whether it has a successful snapshot."""
    return list(claim.sources.with_capture_state())


def _verdict_of(claim: Claim) -> Verdict | None:
    return Verdict.objects.select_related("rating").filter(claim=claim).first()


def _update(claim: Claim, version: int | None, **changes) -> Claim:
    """`UPDATE claim SET … , version = version + 1 WHERE version = v`, or `Conflict`.

    The version always rises by exactly one, which lets a page that made the change
    tell which of its other forms are still current (static/js/workspace.js). Without
    a version (sources) the change is not checked against anything.
    """
    rows = Claim.objects.filter(pk=claim.pk)
    if version is not None:
        rows = rows.filter(version=version)
    if not rows.update(version=F("version") + 1, updated_at=timezone.now(), **changes):
        raise Conflict(Claim.objects.select_related("article").get(pk=claim.pk))
    return _locked(claim)


def _worked_status(claim: Claim) -> dict:
    """A new claim goes into review as soon as someone works on it."""
    return {"status": ClaimStatus.IN_REVIEW} if claim.status == ClaimStatus.NEW else {}


def _claim_values(claim: Claim) -> dict:
    return audit.values(claim, ["status", "wording", "assignee", "dismissed_reason"])


def _change(
    actor: User, current: Claim, version: int, action: AuditAction, reason: str = "", **changes
):
    """Apply `changes` to the locked claim (if its version still matches) and audit it."""
    before = _claim_values(current)
    claim = _update(current, version, **changes)
    audit.record(
        actor=actor,
        action=action,
        claim=claim,
        obj=claim,
        before=before,
        after=_claim_values(claim),
        reason=reason,
    )
    claim_reindex(claim, reworded="wording" in changes)
    return claim


# --- taking and assigning ----------------------------------------------------------------


def claim_take(
    *, actor: User, claim: Claim, version: int, from_colleague: int | None = None
) -> Claim:
    """Assign the claim to oneself; a new claim goes into review.

    A claim a colleague has is taken only when the actor confirmed taking it from them:
    `from_colleague` is that colleague's id (the page asks first). The audit event names
    the colleague (its `before`), which tells them on their timeline and "my work"."""
    with transaction.atomic():
        current = _locked(claim)
        ClaimAbilities(actor, current).take.require()
        holder = current.assignee_id
        # A form older than the claim is a conflict first (_change), which shows who has it.
        stale = current.version != version
        if holder not in (None, actor.pk, from_colleague) and not stale:
            name = display_name(get_user_model().objects.get(pk=holder))
            raise ValidationError(
                f"{name} has this claim. Confirm that you take it from {name}.", code="confirm"
            )
        claim = _change(
            actor,
            current,
            version,
            AuditAction.CLAIM_TAKEN,
            assignee=actor,
            **_worked_status(current),
        )
    return claim


def claim_release(*, actor: User, claim: Claim, version: int) -> Claim:
    """Give the claim back to the pool. Reviewers release their own; editors any."""
    with transaction.atomic():
        current = _locked(claim)
        ClaimAbilities(actor, current).release.require()
        claim = _change(actor, current, version, AuditAction.CLAIM_RELEASED, assignee=None)
    return claim


def claim_assign(*, actor: User, claim: Claim, assignee, version: int) -> Claim:
    """Editors assign a claim to a member of the desk."""
    with transaction.atomic():
        current = _locked(claim)
        ClaimAbilities(actor, current).assign.require()
        if assignee is not None and not (assignee.is_active and is_desk_member(assignee)):
            raise ValidationError({"assignee": "Claims can only go to reviewers and editors."})
        claim = _change(
            actor,
            current,
            version,
            AuditAction.CLAIM_ASSIGNED,
            assignee=assignee,
            **_worked_status(current),
        )
        notifications.claim_assigned(claim, assignee=assignee, actor=actor)
    return claim


# --- wording, sources, notes ---------------------------------------------------------------


def claim_reword(*, actor: User, claim: Claim, wording: str, version: int) -> Claim:
    """Edit the "claim as reviewed" wording."""
    with transaction.atomic():
        current = _locked(claim)
        ClaimAbilities(actor, current).reword.require()
        wording = limits.bounded(
            wording,
            field="wording",
            limit=limits.WORDING,
            what="the claim",
            required="The claim needs some wording.",
        )
        claim = _change(
            actor,
            current,
            version,
            AuditAction.CLAIM_REWORDED,
            wording=wording,
            **_worked_status(current),
        )
    return claim


def claim_set_claimant(
    *,
    actor: User,
    claim: Claim,
    version: int,
    claimant: str = "",
    claimant_kind: str = "",
    claimant_role: str = "",
    appearance_url: str = "",
    appeared_on: dt.date | None = None,
    byline: bool = False,
) -> Claim:
    """Say who made the claim (a person or an organisation, with an optional role) and
    where and when it appeared (empty: the article's address and date).

    `byline`: the article's author made it: a reviewer's word, never a default, since
    a reporter quoting critics did not make the critics' claims.
    """
    with transaction.atomic():
        current = _locked(claim)
        ClaimAbilities(actor, current).set_claimant.require()
        if byline:
            if not current.article.author:
                raise ValidationError(
                    {"byline": "The article names no author; type who made the claim instead."}
                )
            claimant, claimant_kind = current.article.author, ClaimantKind.PERSON
        claimant, claimant_role = claimant.strip(), claimant_role.strip()
        if claimant and claimant_kind not in ClaimantKind.values:
            raise ValidationError(
                {"claimant_kind": "Say whether a person or an organisation made the claim."}
            )
        if not claimant:
            if claimant_role:
                raise ValidationError({"claimant": "Name who made the claim, or clear the role."})
            claimant_kind = ""
        if appeared_on and appeared_on > timezone.localdate():
            raise ValidationError({"appeared_on": "This date is in the future."})
        changes = {
            "claimant": claimant,
            "claimant_kind": claimant_kind,
            "claimant_role": claimant_role,
            "appearance_url": appearance_url.strip(),
            "appeared_on": appeared_on,
        }
        candidate = Claim(**{**{f: getattr(current, f) for f in CLAIMANT_FIELDS}, **changes})
        others = [f.name for f in Claim._meta.fields if f.name not in changes]
        candidate.clean_fields(exclude=others)
        before = audit.values(current, CLAIMANT_FIELDS)
        if before == audit.values(candidate, CLAIMANT_FIELDS):
            raise ValidationError("Nothing changed: that is who made the claim already.")
        claim = _update(current, version, **changes)
        audit.record(
            actor=actor,
            action=AuditAction.CLAIM_CLAIMANT_CHANGED,
            claim=claim,
            obj=claim,
            before=before,
            after=audit.values(claim, CLAIMANT_FIELDS),
        )
    return claim


def claim_add_source(*, actor: User, claim: Claim, **fields) -> Source:
    """Attach a source (url, title, publisher, published_on, accessed_on, excerpt, stance)."""
    with transaction.atomic():
        current = _locked(claim)
        ClaimAbilities(actor, current).add_source.require()
        if "excerpt" in fields:
            fields["excerpt"] = limits.bounded(
                fields["excerpt"], field="excerpt", limit=limits.EXCERPT, what="the excerpt"
            )
        source = Source(claim=current, added_by=actor, **fields)
        source.full_clean()
        today = timezone.localdate()
        for name in ("published_on", "accessed_on"):
            if (value := getattr(source, name)) and value > today:
                raise ValidationError({name: "This date is in the future."})
        source.save()
        evidence.capture_enqueue(source)
        claim = _update(current, None, **_worked_status(current))
        audit.record(
            actor=actor,
            action=AuditAction.SOURCE_ADDED,
            claim=claim,
            obj=source,
            after=audit.values(source, SOURCE_FIELDS),
        )
        source_index(source, claim.article)
    return source


def claim_remove_source(*, actor: User, source: Source) -> None:
    """Detach a source. Its values stay in the audit trail."""
    with transaction.atomic():
        source = Source.objects.select_for_update().select_related("claim").get(pk=source.pk)
        claim = _locked(source.claim)
        ClaimAbilities(actor, claim).remove_source.require()
        claim = _update(claim, None)
        audit.record(
            actor=actor,
            action=AuditAction.SOURCE_REMOVED,
            claim=claim,
            obj=source,
            before=audit.values(source, SOURCE_FIELDS),
        )
        source_unindex(source)
        source.delete()


def claim_add_note(*, actor: User, claim: Claim, body: str) -> Note:
    """Add an internal note to the claim's discussion. Notes are never public."""
    with transaction.atomic():
        claim = _locked(claim)
        ClaimAbilities(actor, claim).add_note.require()
        body = limits.bounded(
            body, field="body", limit=limits.NOTE, what="a note", required="Write something first."
        )
        note = Note(claim=claim, author=actor, body=body)
        note.full_clean()
        note.save()
        audit.record(
            actor=actor,
            action=AuditAction.NOTE_ADDED,
            claim=claim,
            obj=note,
            after={"body": note.body},
        )
        note_index(note, claim.article)
    return note


# --- verdicts and sign-off ---------------------------------------------------------------


def _verdict_values(verdict: Verdict | None) -> dict | None:
    return audit.values(verdict, VERDICT_FIELDS) if verdict else None


def claim_propose_verdict(
    *, actor, claim: Claim, rating: Rating, summary: str, rationale: str, version: int
) -> Verdict:
    """Propose (or change) the claim's verdict; an approved one goes back to proposed."""
    with transaction.atomic():
        current = _locked(claim)
        ClaimAbilities(actor, current).propose.require()
        rationale = limits.bounded(
            rationale, field="rationale", limit=limits.RATIONALE, what="the rationale"
        )
        if rating.is_retired:
            raise ValidationError({"rating": f"“{rating}” is retired; choose another rating."})
        if problem := EvidenceGate.from_settings().problem(rating, _evidence(current)):
            raise ValidationError({"rating": ValidationError(problem, code=EVIDENCE)})
        verdict = Verdict.objects.filter(claim=current).first()
        before = _verdict_values(verdict)
        verdict = verdict or Verdict(claim=current)
        verdict.rating, verdict.summary = rating, summary.strip()
        verdict.rationale = rationale
        verdict.proposed_by, verdict.proposed_at = actor, timezone.now()
        verdict.approved_by = verdict.approved_at = None
        verdict.full_clean(exclude=["claim"])
        claim = _update(current, version, status=ClaimStatus.PROPOSED)
        verdict.save()
        audit.record(
            actor=actor,
            action=AuditAction.VERDICT_PROPOSED if before is None else AuditAction.VERDICT_CHANGED,
            claim=claim,
            obj=verdict,
            before=before,
            after=_verdict_values(verdict),
        )
        notifications.verdict_proposed(claim, verdict)
        claim_reindex(claim)
    return verdict


def claim_approve_verdict(
    *, actor, claim: Claim, version: int, override_reason: str = ""
) -> Verdict:
    """Sign off another reviewer's verdict. Never one's own.

    A superuser outside the desk's groups may approve as an override, only with a
    written reason, which the audit event keeps.
    """
    with transaction.atomic():
        current = _locked(claim)
        verdict = _verdict_of(current)
        abilities = ClaimAbilities(actor, current, verdict)
        abilities.approve.require()
        assert verdict is not None  # approve is refused without one
        override_reason = limits.bounded(
            override_reason, field="override_reason", limit=limits.COMMENT, what="the reason"
        )
        if abilities.approve_needs_reason and not override_reason:
            raise ValidationError(
                {"override_reason": "An approval outside the desk needs a written reason."}
            )
        if problem := EvidenceGate.from_settings().problem(verdict.rating, _evidence(current)):
            raise ValidationError(problem)
        before = _verdict_values(verdict)
        claim = _update(current, version, status=ClaimStatus.APPROVED)
        verdict.approved_by, verdict.approved_at = actor, timezone.now()
        verdict.save(update_fields=["approved_by", "approved_at"])
        audit.record(
            actor=actor,
            action=AuditAction.VERDICT_APPROVED
            if not override_reason
            else AuditAction.VERDICT_APPROVED_OVERRIDE,
            claim=claim,
            obj=verdict,
            before=before,
            after=_verdict_values(verdict),
            reason=override_reason,
        )
        claim_reindex(claim)
    return verdict


def claim_send_back(*, actor: User, claim: Claim, comment: str, version: int) -> Claim:
    """Return a proposed (or approved) verdict to review, with a comment that says why."""
    with transaction.atomic():
        current = _locked(claim)
        verdict = _verdict_of(current)
        ClaimAbilities(actor, current, verdict).send_back.require()
        assert verdict is not None  # send back is refused without one
        comment = limits.bounded(
            comment,
            field="comment",
            limit=limits.COMMENT,
            what="the comment",
            required="Say what needs another look.",
        )
        before = _claim_values(current) | {"verdict": _verdict_values(verdict)}
        claim = _update(current, version, status=ClaimStatus.IN_REVIEW)
        verdict.approved_by = verdict.approved_at = None
        verdict.save(update_fields=["approved_by", "approved_at"])
        audit.record(
            actor=actor,
            action=AuditAction.VERDICT_SENT_BACK,
            claim=claim,
            obj=verdict,
            before=before,
            after=_claim_values(claim) | {"verdict": _verdict_values(verdict)},
            reason=comment,
        )
        notifications.verdict_sent_back(claim, verdict, actor=actor)
        claim_reindex(claim)
    return claim


# --- dismissing ----------------------------------------------------------------------------


def claim_dismiss(*, actor: User, claim: Claim, reason: str, version: int) -> Claim:
    """Editors set a claim aside, with a reason; it stays visible and restorable."""
    with transaction.atomic():
        current = _locked(claim)
        ClaimAbilities(actor, current).dismiss.require()
        reason = limits.bounded(
            reason,
            field="reason",
            limit=limits.DISMISS_REASON,
            what="the reason",
            required="Say why the claim is dismissed.",
        )
        return _change(
            actor,
            current,
            version,
            AuditAction.CLAIM_DISMISSED,
            reason=reason,
            status=ClaimStatus.DISMISSED,
            dismissed_reason=reason,
        )


def claim_restore(*, actor: User, claim: Claim, version: int) -> Claim:
    """Bring a dismissed claim back, to the state its verdict and evidence imply."""
    with transaction.atomic():
        current = _locked(claim)
        ClaimAbilities(actor, current).restore.require()
        verdict = Verdict.objects.filter(claim=current).first()
        if verdict is not None:
            status = ClaimStatus.APPROVED if verdict.approved_by_id else ClaimStatus.PROPOSED
        elif current.sources.exists() or current.assignee_id:
            status = ClaimStatus.IN_REVIEW
        else:
            status = ClaimStatus.NEW
        claim = _change(
            actor, current, version, AuditAction.CLAIM_RESTORED, status=status, dismissed_reason=""
        )
    return claim


# --- several claims at once ----------------------------------------------------------------


class BulkAction(models.TextChoices):
    ASSIGN = "assign", "Assign"
    DISMISS = "dismiss", "Dismiss"
    RESTORE = "restore", "Restore"


@dataclass(frozen=True)
class BulkOutcome:
    """What a bulk action did: the claims it changed, and each claim it could not change
    with the reason (someone changed it first, it was in the wrong state, …)."""

    done: list[Claim]
    refused: list[tuple[Claim, str]]


def claims_bulk(
    *,
    actor: User,
    article: Article,
    action: BulkAction,
    picks: dict[int, int],
    assignee: User | None = None,
    reason: str = "",
) -> BulkOutcome:
    """Assign, dismiss or restore several claims of `article`: `picks` maps each claim's id
    to the version the editor saw. Each claim goes through its own service, in its own
    transaction, with its own audit event; a conflict or refusal on one claim is reported
    and leaves the others done. Ids that are not claims of the article are ignored."""
    done: list[Claim] = []
    refused: list[tuple[Claim, str]] = []
    for claim in Claim.objects.filter(article=article, pk__in=picks).order_by("ordinal"):
        version = picks[claim.pk]
        try:
            if action == BulkAction.ASSIGN:
                claim_assign(actor=actor, claim=claim, assignee=assignee, version=version)
            elif action == BulkAction.DISMISS:
                claim_dismiss(actor=actor, claim=claim, reason=reason, version=version)
            else:
                claim_restore(actor=actor, claim=claim, version=version)
        except (Conflict, PermissionDenied) as error:
            refused.append((claim, str(error)))
        except ValidationError as error:
            refused.append((claim, " ".join(error.messages)))
        else:
            done.append(claim)
    return BulkOutcome(done, refused)


def desk_members():
    """Active users who can be assigned claims."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(groups__name__in=DESK_GROUPS))
        .distinct()
        .order_by("username")
    )
