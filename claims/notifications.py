"""Email to the desk when work waits for someone, and the answer to a reader.

Services call the functions at the top inside their transaction; each queues a task
(`tasks.notify`) when the transaction commits, so a refused or rolled-back action sends
nothing and no request waits for a mail server. The worker then decides who gets it, at
send time: desk members only (active, in the desk's groups, with an email), minus those
who turned that kind off (`NotificationOptOut`). Emails carry what the claim is and a
link; never a note's text, nor a send-back comment (both are internal: read them in the
workspace).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.urls import reverse

from .models import Claim, CorrectionRequest, NotificationKind, NotificationOptOut, Tip

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from .models import Verdict


def _queue(kind: NotificationKind, **ids: int) -> None:
    from .tasks import notify  # the tasks module imports this one

    transaction.on_commit(partial(notify.enqueue, kind.value, ids))


# --- what services call ----------------------------------------------------------------


def claim_assigned(claim: Claim, *, assignee: User | None, actor: User) -> None:
    if assignee is not None and assignee.pk != actor.pk:
        _queue(NotificationKind.ASSIGNED, claim=claim.pk, to=assignee.pk)


def verdict_sent_back(claim: Claim, verdict: Verdict, *, actor: User) -> None:
    if verdict.proposed_by_id and verdict.proposed_by_id != actor.pk:
        _queue(NotificationKind.SENT_BACK, claim=claim.pk, to=verdict.proposed_by_id)


def verdict_proposed(claim: Claim, verdict: Verdict) -> None:
    _queue(NotificationKind.SIGN_OFF, claim=claim.pk, proposer=verdict.proposed_by_id)


def tip_received(tip: Tip) -> None:
    _queue(NotificationKind.TIP, tip=tip.pk)


def correction_requested(request: CorrectionRequest) -> None:
    _queue(NotificationKind.CORRECTION_REQUEST, request=request.pk)


def answer_reader(request: CorrectionRequest) -> None:
    from .tasks import answer_reader as task

    transaction.on_commit(partial(task.enqueue, request.pk))


# --- who wants what ----------------------------------------------------------------------


def enabled_kinds(user: User) -> set[str]:
    off = set(NotificationOptOut.objects.filter(user=user).values_list("kind", flat=True))
    return set(NotificationKind.values) - off


def kinds_for(user: User) -> list[tuple[str, str]]:
    """The kinds `user` may get (tips and correction requests go to editors only)."""
    from .access import IntakeAbilities

    abilities = IntakeAbilities(user)
    hidden = set()
    if not abilities.tips:
        hidden.add(NotificationKind.TIP)
    if not abilities.correction_requests:
        hidden.add(NotificationKind.CORRECTION_REQUEST)
    return [(value, str(label)) for value, label in NotificationKind.choices if value not in hidden]


def preferences_set(*, actor: User, enabled: Iterable[str]) -> set[str]:
    """Turn each kind `actor` may get on (in `enabled`) or off; the kinds now on."""
    offered = {value for value, _ in kinds_for(actor)}
    enabled = set(enabled) & offered
    with transaction.atomic():
        NotificationOptOut.objects.filter(user=actor, kind__in=enabled).delete()
        for kind in offered - enabled:
            NotificationOptOut.objects.get_or_create(user=actor, kind=kind)
    return enabled


def _recipients(kind: str, permission: str, *, only: int | None = None, besides: int | None = None):
    from .review import desk_members

    people = desk_members().exclude(email="").exclude(notification_opt_outs__kind=kind)
    if only is not None:
        people = people.filter(pk=only)
    if besides is not None:
        people = people.exclude(pk=besides)
    return [person for person in people if person.has_perm(permission)]


def _link(path: str) -> str:
    return settings.FACTCHECK_SITE_URL + path


# --- what the worker sends -----------------------------------------------------------------


def send(kind: str, ids: dict[str, int]) -> int:
    """Send one notification to whoever should get it now; how many emails went."""
    message = _compose(kind, ids)
    if message is None:
        return 0
    people, subject, body = message
    emails = [EmailMessage(subject, body, to=[person.email]) for person in people if person.email]
    if emails:
        mailers.default.send_messages(emails)
    return len(emails)


def _claim_lines(claim: Claim) -> str:
    return (
        f"Article: {claim.article.title}\n"
        f"Claim {claim.ordinal}: {claim.wording[:500]}\n\n"
        f"Open it: {_link(claim.get_absolute_url())}\n"
    )


def _compose(kind: str, ids: dict[str, int]):
    """(recipients, subject, body), or None when there is nothing to say any more."""
    claim = None
    if "claim" in ids:
        claim = (
            Claim.objects.select_related("article")
            .defer("article__body")
            .filter(pk=ids["claim"])
            .first()
        )
        if claim is None:
            return None
    footer = f"\n--\nTurn these off: {_link(reverse('claims:notifications'))}\n"
    if kind == NotificationKind.ASSIGNED and claim:
        if claim.assignee_id != ids["to"]:
            return None  # reassigned since
        people = _recipients(kind, "claims.review_claim", only=ids["to"])
        return people, "A claim is assigned to you", _claim_lines(claim) + footer
    if kind == NotificationKind.SENT_BACK and claim:
        people = _recipients(kind, "claims.review_claim", only=ids["to"])
        body = (
            "Your verdict was sent back for another look; the comment is on the claim's page.\n\n"
            + _claim_lines(claim)
        )
        return people, "Your verdict was sent back", body + footer
    if kind == NotificationKind.SIGN_OFF and claim:
        people = _recipients(kind, "claims.approve_verdict", besides=ids["proposer"])
        body = "A verdict awaits a second reviewer's sign-off.\n\n" + _claim_lines(claim)
        return people, "A verdict awaits sign-off", body + footer
    if kind == NotificationKind.TIP:
        tip = Tip.objects.filter(pk=ids["tip"]).first()
        if tip is None:
            return None
        people = _recipients(kind, "claims.import_article")
        body = (
            f"A reader suggested a claim to check:\n\n{tip.text[:500]}\n\n"
            f"The tips: {_link(tip.get_absolute_url())}\n"
        )
        return people, "A reader suggested a claim", body + footer
    if kind == NotificationKind.CORRECTION_REQUEST:
        request = (
            CorrectionRequest.objects.select_related("claim", "article")
            .filter(pk=ids["request"])
            .first()
        )
        if request is None:
            return None
        people = _recipients(kind, "claims.publish_article")
        body = (
            f"A reader reports an error in “{request.article.title}”, claim "
            f"{request.claim.ordinal}:\n\n{request.problem[:500]}\n\n"
            f"Answer it: {_link(request.get_absolute_url())}\n"
        )
        return people, "A reader reports an error", body + footer
    return None


def send_answer(request_id: int) -> int:
    """Email a declined request's reason to the reader who left an address."""
    request = CorrectionRequest.objects.select_related("article").filter(pk=request_id).first()
    if request is None or not request.email or not request.reason:
        return 0
    organisation = settings.FACTCHECK_ORGANISATION
    body = (
        f"Thank you for writing to {organisation} about our fact-check "
        f"“{request.article.title}”.\n\nWe looked at your request and made no correction:\n\n"
        f"{request.reason}\n\n{organisation}\n"
    )
    EmailMessage(f"Your correction request to {organisation}", body, to=[request.email]).send()
    return 1
