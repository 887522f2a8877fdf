"""What readers send the desk: tips (claims to check) and correction requests, and how
editors answer them.

Public forms are protected without any outside service: a honeypot field, a minimum
time between showing the form and sending it (a signed timestamp in the form), size
limits, http(s) URLs only, and at most FACTCHECK_READER_HOURLY_LIMIT submissions an hour
from one address (the login throttle's rule for whose address it is, `logins.client_ip`).
The address itself is never stored: only a keyed hash of it, to count.

Each submission and each answer is audited; the audit trail keeps whether the reader
left an email, never the email.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from . import audit, jobs, limits, notifications, publishing
from .access import ArticleAbilities, IntakeAbilities
from .importing import article_import
from .models import (
    Article,
    AuditAction,
    Claim,
    CorrectionRequest,
    ReaderMessage,
    ReaderStatus,
    Tip,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# What the audit trail keeps of an editor's decision, for each kind of message.
DECIDED_FIELDS: dict[type[ReaderMessage], list[str]] = {
    Tip: ["text", "seen_at", "status", "reason", "job", "article"],
    CorrectionRequest: [
        "claim",
        "problem",
        "evidence",
        "evidence_url",
        "status",
        "reason",
        "publication",
    ],
}
WINDOW = dt.timedelta(hours=1)


class TooMany(Exception):
    """One address sent more than the hourly limit; nothing was stored."""


def sender_key(address: str | None) -> str:
    """A keyed hash of the client's address: enough to count, not to find the reader."""
    return salted_hmac("claims.reader.sender", address or "unknown", algorithm="sha256").hexdigest()


def _check_rate(sender: str) -> None:
    since = timezone.now() - WINDOW
    sent = sum(
        model.objects.filter(sender=sender, received_at__gte=since).count()
        for model in (Tip, CorrectionRequest)
    )
    # Two requests at the same instant may both pass: the limit is a brake, not a count.
    if sent >= settings.FACTCHECK_READER_HOURLY_LIMIT:
        raise TooMany(
            f"We have received {sent} messages from your address in the last hour, our "
            "limit. Nothing was saved; please try again in an hour."
        )


# --- readers ---------------------------------------------------------------------------------


def _receive(
    message: ReaderMessage, *, action: AuditAction, claim: Claim | None = None, **written: str
) -> None:
    """Store a reader's message and audit what they wrote (`written`; never their email, only
    whether they left one), inside the caller's transaction; TooMany past the hourly
    limit, and nothing is stored."""
    _check_rate(message.sender)
    message.full_clean()
    message.save()
    audit.record(
        actor=None,
        action=action,
        claim=claim,
        obj=message,
        after=written | {"left_email": bool(message.email)},
    )


def tip_submit(*, sender: str, text: str, seen_at: str = "", email: str = "") -> Tip:
    """Store a reader's tip and tell the editors. `sender` is `sender_key(address)`."""
    text = limits.bounded(
        text, field="text", limit=limits.TIP, what="the claim", required="Write the claim to check."
    )
    tip = Tip(text=text, seen_at=seen_at.strip(), email=email.strip(), sender=sender)
    with transaction.atomic():
        _receive(tip, action=AuditAction.TIP_RECEIVED, text=tip.text, seen_at=tip.seen_at)
        notifications.tip_received(tip)
    return tip


def correction_request_submit(
    *,
    sender: str,
    claim: Claim,
    problem: str,
    evidence: str = "",
    evidence_url: str = "",
    email: str = "",
) -> CorrectionRequest:
    """Store a reader's "Report an error" on a published claim and tell the editors."""
    request = CorrectionRequest(
        article_id=claim.article_id,
        claim=claim,
        problem=limits.bounded(
            problem,
            field="problem",
            limit=limits.CORRECTION_REQUEST,
            what="what is wrong",
            required="Say what is wrong.",
        ),
        evidence=limits.bounded(
            evidence, field="evidence", limit=limits.CORRECTION_REQUEST, what="the evidence"
        ),
        evidence_url=evidence_url.strip(),
        email=email.strip(),
        sender=sender,
    )
    with transaction.atomic():
        _receive(
            request,
            action=AuditAction.CORRECTION_REQUESTED,
            claim=claim,
            problem=request.problem,
            evidence=request.evidence,
            evidence_url=request.evidence_url,
        )
        notifications.correction_requested(request)
    return request


# --- editors ---------------------------------------------------------------------------------


def _decide(
    message: ReaderMessage,
    actor: User,
    *,
    action: AuditAction,
    claim: Claim | None = None,
    **changes,
) -> None:
    """Apply and audit an editor's decision on a locked tip or request."""
    fields = DECIDED_FIELDS[type(message)]
    before = audit.values(message, fields)
    for name, value in changes.items():
        setattr(message, name, value)
    message.decided_by, message.decided_at = actor, timezone.now()
    message.full_clean()
    message.save()
    audit.record(
        actor=actor,
        action=action,
        claim=claim,
        article=changes.get("article"),
        obj=message,
        before=before,
        after=audit.values(message, fields),
        reason=changes.get("reason", ""),
    )


def _refuse(
    message: ReaderMessage, actor: User, *, reason: str, limit: int, required: str, **decision
) -> None:
    """Dismiss a tip or decline a request: `_decide`, with a reason that is needed."""
    reason = limits.bounded(
        reason, field="reason", limit=limit, what="the reason", required=required
    )
    _decide(message, actor, reason=reason, **decision)


def tip_import(*, actor: User, tip: Tip, by: str) -> Tip:
    """Turn a tip into an import: of the page it was seen on (`by="url"`, queued for the
    worker like any import by URL), or of its own text (`by="text"`, at once)."""
    with transaction.atomic():
        tip = Tip.objects.select_for_update().get(pk=tip.pk)
        IntakeAbilities(actor).handle_tip(tip).require()
        if by == "url":
            if not tip.seen_at:
                raise ValidationError("This tip names no page; import its text instead.")
            job = jobs.url_import_enqueue(actor=actor, url=tip.seen_at)
            changes: dict = {"job": job}
        elif by == "text":
            result = article_import(
                data=tip.text, actor=actor, title=f"Reader tip {tip.pk}", url=tip.seen_at
            )
            changes = {"article": result.article}
        else:
            raise ValidationError("Import the tip's page or its text.")
        _decide(
            tip,
            actor,
            action=AuditAction.TIP_ACCEPTED,
            status=ReaderStatus.ACCEPTED,
            **changes,
        )
    return tip


def tip_dismiss(*, actor: User, tip: Tip, reason: str) -> Tip:
    with transaction.atomic():
        tip = Tip.objects.select_for_update().get(pk=tip.pk)
        IntakeAbilities(actor).handle_tip(tip).require()
        _refuse(
            tip,
            actor,
            action=AuditAction.TIP_DISMISSED,
            status=ReaderStatus.DISMISSED,
            reason=reason,
            limit=limits.DISMISS_REASON,
            required="Say why the tip is dismissed.",
        )
    return tip


def _locked_request(request: CorrectionRequest) -> CorrectionRequest:
    return CorrectionRequest.objects.select_for_update().select_related("claim").get(pk=request.pk)


def correction_request_accept(*, actor: User, request: CorrectionRequest) -> CorrectionRequest:
    """Accept a reader's request: the article is reopened for a correction (unless it is
    open already), and the corrected version, when published, names the request."""
    with transaction.atomic():
        request = _locked_request(request)
        IntakeAbilities(actor).handle_request(request).require()
        article = Article.objects.defer("body").get(pk=request.article_id)
        if not article.open_for_review:
            ArticleAbilities(actor, article, article.latest_publication).reopen.require()
            publishing.article_reopen(
                actor=actor,
                article=article,
                reason=f"A reader's correction request ({request.pk}) on claim "
                f"{request.claim.ordinal}: {request.problem[:200]}",
            )
        _decide(
            request,
            actor,
            action=AuditAction.CORRECTION_REQUEST_ACCEPTED,
            claim=request.claim,
            status=ReaderStatus.ACCEPTED,
        )
    return request


def correction_request_decline(
    *, actor: User, request: CorrectionRequest, reason: str
) -> CorrectionRequest:
    """Decline a request with a reason, which is emailed to the reader if they left an
    address."""
    with transaction.atomic():
        request = _locked_request(request)
        IntakeAbilities(actor).handle_request(request).require()
        _refuse(
            request,
            actor,
            action=AuditAction.CORRECTION_REQUEST_DECLINED,
            claim=request.claim,
            status=ReaderStatus.DECLINED,
            reason=reason,
            limit=limits.CORRECTION_REQUEST,
            required="Say why no correction is needed; the reader may read it.",
        )
        if request.email:
            notifications.answer_reader(request)
    return request


# --- the figures the corrections policy publishes -----------------------------------------


@dataclass(frozen=True)
class Figures:
    received: int
    accepted: int
    declined: int
    waiting: int
    median_answer: dt.timedelta | None

    @property
    def median_text(self) -> str:
        """The median time to answer in words: "3 days", "5 hours", "under an hour"."""
        if self.median_answer is None:
            return ""
        hours = self.median_answer.total_seconds() / 3600
        if hours < 1:
            return "under an hour"
        if hours < 48:
            return f"{round(hours)} hour{'s' if round(hours) != 1 else ''}"
        return f"{round(hours / 24)} days"


def correction_figures(*, now: dt.datetime | None = None) -> Figures:
    """Correction requests received in the last 12 months, and how they were answered."""
    since = (now or timezone.now()) - dt.timedelta(days=365)
    rows = list(
        CorrectionRequest.objects.filter(received_at__gte=since).values_list(
            "status", "received_at", "decided_at"
        )
    )
    answered = [(decided - received).total_seconds() for _, received, decided in rows if decided]
    count = [status for status, _, _ in rows].count
    return Figures(
        received=len(rows),
        accepted=count(ReaderStatus.ACCEPTED),
        declined=count(ReaderStatus.DECLINED),
        waiting=count(ReaderStatus.NEW),
        median_answer=dt.timedelta(seconds=statistics.median(answered)) if answered else None,
    )
