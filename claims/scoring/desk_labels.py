"""The desk's own check-worthiness labels: claims a person dismissed or restored.

Every dismiss and restore is in the audit trail with the person who did it; the last
such decision on a claim is its label (restored: Yes, dismissed: No). Claims only the
importer decided carry no label: that would be the scorer grading itself.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..models import AuditAction, AuditEvent, Claim
from .labelled import Labelled
from .rescoring import PERSON_DECISIONS


def desk_labels() -> Iterator[Labelled]:
    last: dict[int, str] = {}
    events = (
        AuditEvent.objects.filter(action__in=PERSON_DECISIONS, claim__isnull=False)
        .order_by("seq")
        .values_list("claim_id", "action")
    )
    for claim_id, action in events:
        last[claim_id] = action
    texts = dict(Claim.objects.filter(pk__in=last).values_list("pk", "text"))
    for claim_id in sorted(last):
        worthy = last[claim_id] == AuditAction.CLAIM_RESTORED
        yield Labelled(str(claim_id), texts[claim_id], worthy)
