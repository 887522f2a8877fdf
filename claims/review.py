"""Reviewing a claim: the service functions behind every reviewer action.

Each function checks the actor's permission, enforces the workflow, saves and writes
its audit event in one transaction. Views, the admin, commands and tests call these;
nothing else writes review data.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from . import audit
from .models import Claim, ClaimStatus, Note, Source

SOURCE_FIELDS = ["url", "title", "publisher", "published_on", "accessed_on", "excerpt", "stance"]


def _require(actor, permission: str, message: str) -> None:
    if actor is None or not actor.has_perm(permission):
        raise PermissionDenied(message)


def _locked(claim: Claim) -> Claim:
    """The claim's current row, locked until the transaction ends."""
    return Claim.objects.select_for_update().select_related("article").get(pk=claim.pk)


def _touch(claim: Claim) -> list[str]:
    """Mark the claim as worked on: a new claim goes into review; its version goes up."""
    changed = ["version", "updated_at"]
    if claim.status == ClaimStatus.NEW:
        claim.status = ClaimStatus.IN_REVIEW
        changed.append("status")
    claim.version += 1
    claim.updated_at = timezone.now()
    return changed


def claim_add_source(*, actor, claim: Claim, **fields) -> Source:
    """Attach a source (url, title, publisher, published_on, accessed_on, excerpt, stance)."""
    _require(actor, "claims.review_claim", "Only reviewers and editors can add sources.")
    with transaction.atomic():
        claim = _locked(claim)
        if claim.status == ClaimStatus.DISMISSED:
            raise ValidationError("This claim is dismissed; restore it before adding sources.")
        source = Source(claim=claim, added_by=actor, **fields)
        source.full_clean()
        today = timezone.localdate()
        for name in ("published_on", "accessed_on"):
            if (value := getattr(source, name)) and value > today:
                raise ValidationError({name: "This date is in the future."})
        source.save()
        claim.save(update_fields=_touch(claim))
        audit.record(
            actor=actor,
            action="source.added",
            claim=claim,
            obj=source,
            after=audit.values(source, SOURCE_FIELDS),
        )
    return source


def claim_add_note(*, actor, claim: Claim, body: str) -> Note:
    """Add an internal note to the claim's discussion. Notes are never public."""
    _require(actor, "claims.review_claim", "Only reviewers and editors can write notes.")
    with transaction.atomic():
        claim = _locked(claim)
        note = Note(claim=claim, author=actor, body=body.strip())
        note.full_clean()
        note.save()
        audit.record(
            actor=actor, action="note.added", claim=claim, obj=note, after={"body": note.body}
        )
    return note
