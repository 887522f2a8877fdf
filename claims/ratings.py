"""Changes to the verdict scale (admin only), audited like every other change."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

if TYPE_CHECKING:
    from django.contrib.auth.models import User

from . import audit
from .access import require
from .models import AuditAction, Rating
from .search.indexing import rating_reindex

FIELDS = ["label", "slug", "definition", "colour", "rating_value", "position", "is_retired"]
# Every change to the scale writes one of these (what workspace ETags look for).
RATING_ACTIONS = [
    AuditAction.RATING_CREATED,
    AuditAction.RATING_CHANGED,
    AuditAction.RATING_DELETED,
]


def rating_save(*, actor: User, rating: Rating) -> Rating:
    """Create or change a rating. Publications keep the label and definition they showed."""
    creating = rating._state.adding
    permission = "claims.add_rating" if creating else "claims.change_rating"
    require(actor, permission, "Only admins can change the rating scale.")
    rating.full_clean()
    with transaction.atomic():
        before = None
        if not creating:
            before = audit.values(Rating.objects.select_for_update().get(pk=rating.pk), FIELDS)
        rating.save()
        after = audit.values(rating, FIELDS)
        if before != after:
            audit.record(
                actor=actor,
                action=AuditAction.RATING_CREATED if creating else AuditAction.RATING_CHANGED,
                obj=rating,
                before=before,
                after=after,
            )
        if before and before["label"] != after["label"]:
            rating_reindex(rating.pk)
    return rating


def rating_delete(*, actor: User, rating: Rating) -> None:
    """Delete an unused rating; one that any verdict uses can only be retired."""
    require(actor, "claims.delete_rating", "Only admins can change the rating scale.")
    with transaction.atomic():
        if rating.verdicts.exists():
            raise ValidationError(
                f"“{rating}” can't be deleted: verdicts use it, and published checks keep "
                "showing it. To stop reviewers choosing it, tick “retired” on the rating instead."
            )
        audit.record(
            actor=actor,
            action=AuditAction.RATING_DELETED,
            obj=rating,
            before=audit.values(rating, FIELDS),
        )
        rating.delete()
