""" "My work": what waits for one member of the desk, across articles.

- assigned: claims assigned to them that are still theirs to work on;
- sign-off: verdicts proposed by someone else, waiting for a second reviewer;
- sent back: claims whose verdict a sign-off sent back to them (they proposed it, or the
  claim is theirs);
- taken: their claims a colleague took from them lately (shown, not counted).

Each list is one condition below, used both to list the claims and to count them, so the
page and the counts in the header never disagree. `work_counts` is the one place that
counts for the header (one query); add new counts there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Q
from django.utils import timezone

from .models import AuditAction, AuditEvent, Claim, ClaimStatus

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# How long a colleague's taking of one's claim stays on "my work".
TAKEN_DAYS = 14


def _sent_back(user: User) -> Q:
    return Q(status=ClaimStatus.IN_REVIEW, verdict__isnull=False) & (
        Q(assignee=user) | Q(verdict__proposed_by=user)
    )


def _assigned(user: User) -> Q:
    still_open = Q(status__in=[ClaimStatus.NEW, ClaimStatus.IN_REVIEW, ClaimStatus.PROPOSED])
    not_sent_back = ~Q(status=ClaimStatus.IN_REVIEW) | Q(verdict__isnull=True)
    return Q(assignee=user) & still_open & not_sent_back


def _signoff(user: User) -> Q:
    if not user.has_perm("claims.approve_verdict"):
        return Q(pk__in=[])
    return Q(status=ClaimStatus.PROPOSED) & ~Q(verdict__proposed_by=user)


@dataclass(frozen=True)
class WorkCounts:
    assigned: int
    signoff: int
    sent_back: int

    @property
    def total(self) -> int:
        return self.assigned + self.signoff + self.sent_back


def work_counts(user: User) -> WorkCounts:
    """How many claims wait for `user` in each list: one query."""
    counts = Claim.objects.aggregate(
        assigned=Count("pk", filter=_assigned(user)),
        signoff=Count("pk", filter=_signoff(user)),
        sent_back=Count("pk", filter=_sent_back(user)),
    )
    return WorkCounts(**counts)


@dataclass(frozen=True)
class MyWork:
    assigned: list[Claim]
    signoff: list[Claim]
    sent_back: list[Claim]
    taken: list[AuditEvent]


# A list longer than this says how many more there are and links to the boards.
LIST_LIMIT = 50


def my_work(user: User) -> MyWork:
    """The claims of each list, oldest change first, with what the page shows of them: a
    query per list, one for the send-back comments and one for the takings."""
    claims = Claim.objects.select_related(
        "article", "assignee", "verdict__rating", "verdict__proposed_by"
    ).defer("article__body", "reasons")
    since = timezone.now() - dt.timedelta(days=TAKEN_DAYS)
    taken = (
        AuditEvent.objects.filter(
            action=AuditAction.CLAIM_TAKEN, before__assignee=user.pk, created_at__gte=since
        )
        .exclude(actor=user)
        .select_related("actor", "claim__article")
        .defer("claim__article__body", "claim__reasons")
        .order_by("-seq")
    )
    return MyWork(
        assigned=list(claims.filter(_assigned(user)).order_by("updated_at", "pk")[:LIST_LIMIT]),
        signoff=list(claims.filter(_signoff(user)).order_by("updated_at", "pk")[:LIST_LIMIT]),
        sent_back=list(
            claims.filter(_sent_back(user))
            .with_send_backs()
            .order_by("updated_at", "pk")[:LIST_LIMIT]
        ),
        taken=list(taken[:LIST_LIMIT]),
    )
