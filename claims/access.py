"""Who may do what: the one place it is decided.

`ClaimAbilities` says what one reader may do to one claim now, and why not; the
services enforce it inside their transactions and the templates only read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError

from .models import Article, Claim, ClaimStatus, Publication, SourceSnapshot, Verdict

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    # Whoever asks: a user, or the anonymous reader of a public page.
    type Reader = User | AnonymousUser

CLOSED = (
    "This article is published; an editor must reopen it for a correction "
    "before reviewers change its claims."
)


def require(actor: Reader | None, permission: str, message: str) -> None:
    """Raise PermissionDenied(message) unless `actor` is an active user with `permission`."""
    if actor is None or not actor.is_active or not actor.has_perm(permission):
        raise PermissionDenied(message)


def require_unless_system(actor: Reader | None, permission: str, message: str) -> None:
    """Raise PermissionDenied(message) if a person without `permission` asks; the system
    (`actor` None: commands, seeding, the worker acting for nobody) may."""
    if actor is not None and not actor.has_perm(permission):
        raise PermissionDenied(message)


def may_work_on(user, article) -> bool:
    """Editors may always work on an article's claims; reviewers while it is open."""
    return user.has_perm("claims.publish_article") or article.open_for_review


def require_open(actor: Reader, article: Article) -> None:
    """Raise PermissionDenied unless `actor` may change the claims of `article` now."""
    if not may_work_on(actor, article):
        raise PermissionDenied(CLOSED)


# --- what one reader may do to one claim ---------------------------------------------------


@dataclass(frozen=True)
class Ability:
    """Whether an action is open to the reader now; if not, why, and how a service says
    so: PermissionDenied (who they are) or ValidationError (the claim's state)."""

    allowed: bool
    reason: str = ""
    refusal: type[Exception] = PermissionDenied

    def __bool__(self) -> bool:
        return self.allowed

    def require(self) -> None:
        if not self.allowed:
            raise self.refusal(self.reason)


YES = Ability(True)


def _no(reason: str) -> Ability:
    return Ability(False, reason, PermissionDenied)


def _not_now(reason: str) -> Ability:
    return Ability(False, reason, ValidationError)


class ClaimAbilities:
    """What `user` may do to `claim` now, each with the reason when not: the one rule.

    Services build it inside their transaction from the locked claim and call
    `.require()` on the action they are about to do; views build it for the page and
    templates only read it (`{% if abilities.take %}`). `verdict` is the claim's verdict
    or None.
    """

    def __init__(self, user: Reader, claim: Claim, verdict: Verdict | None = None) -> None:
        self.user, self.claim, self.verdict = user, claim, verdict

    def _workable(self, permission: str, who: str, *, before: str | None = "") -> Ability:
        """The common gate: an active user with `permission`, an article open to them,
        and (unless `before` is None) a claim that is not dismissed."""
        user = self.user
        if user is None or not user.is_active or not user.has_perm(permission):
            return _no(who)
        if not may_work_on(user, self.claim.article):
            return _no(CLOSED)
        if before is not None and self.claim.status == ClaimStatus.DISMISSED:
            return _not_now(f"This claim is dismissed; an editor must restore it before {before}.")
        return YES

    @cached_property
    def take(self) -> Ability:
        ability = self._workable(
            "claims.review_claim",
            "Only reviewers and editors can take claims.",
            before="anyone takes it",
        )
        if ability and self.claim.assignee_id == self.user.pk:
            return _not_now("You have this claim already.")
        return ability

    @cached_property
    def release(self) -> Ability:
        ability = self._workable(
            "claims.review_claim", "Only reviewers and editors can release claims.", before=None
        )
        if not ability:
            return ability
        if self.claim.assignee_id is None:
            return _not_now("Nobody has taken this claim.")
        if self.claim.assignee_id != self.user.pk and not self.user.has_perm("claims.assign_claim"):
            return _no("Only the assignee or an editor can release this claim.")
        return YES

    @cached_property
    def assign(self) -> Ability:
        return self._workable(
            "claims.assign_claim",
            "Only editors can assign claims to others.",
            before="it is assigned",
        )

    @cached_property
    def reword(self) -> Ability:
        return self._workable(
            "claims.review_claim",
            "Only reviewers and editors can edit claims.",
            before="it is edited",
        )

    @cached_property
    def set_claimant(self) -> Ability:
        return self._workable(
            "claims.review_claim",
            "Only reviewers and editors can say who made a claim.",
            before="it is edited",
        )

    @cached_property
    def add_source(self) -> Ability:
        return self._workable(
            "claims.review_claim",
            "Only reviewers and editors can add sources.",
            before="sources are added",
        )

    @cached_property
    def remove_source(self) -> Ability:
        ability = self._workable(
            "claims.review_claim",
            "Only reviewers and editors can remove sources.",
            before="sources are removed",
        )
        if ability and self.claim.status == ClaimStatus.APPROVED:
            return _not_now(
                "This verdict is approved; change the verdict before removing its evidence."
            )
        return ability

    def retry_capture(self, latest: SourceSnapshot | None) -> Ability:
        """Capture a source again, whose latest capture is `latest`: one that failed, or
        none at all (a queued capture lost before any worker ran it)."""
        ability = self._workable(
            "claims.review_claim", "Only reviewers and editors can capture sources.", before=None
        )
        if ability and latest is not None and latest.is_ok:
            return _not_now("This source is captured already.")
        return ability

    @cached_property
    def add_note(self) -> Ability:
        return self._workable(
            "claims.review_claim", "Only reviewers and editors can write notes.", before=None
        )

    @cached_property
    def propose(self) -> Ability:
        return self._workable(
            "claims.review_claim",
            "Only reviewers and editors can propose verdicts.",
            before="a verdict is proposed",
        )

    @cached_property
    def approve(self) -> Ability:
        ability = self._workable(
            "claims.approve_verdict",
            "Only reviewers and editors can approve verdicts.",
            before=None,
        )
        if not ability:
            return ability
        if self.claim.status != ClaimStatus.PROPOSED or self.verdict is None:
            return _not_now("Only a proposed verdict can be approved.")
        if self.verdict.proposed_by_id == self.user.pk:
            return _no("You proposed this verdict; another reviewer must approve it.")
        return YES

    @cached_property
    def approve_needs_reason(self) -> bool:
        """Outside the desk's groups (a superuser), an approval is an audited override."""
        return not is_desk_member(self.user)

    @cached_property
    def send_back(self) -> Ability:
        ability = self._workable(
            "claims.approve_verdict",
            "Only reviewers and editors can send verdicts back.",
            before=None,
        )
        if not ability:
            return ability
        status = self.claim.status
        if status not in (ClaimStatus.PROPOSED, ClaimStatus.APPROVED) or self.verdict is None:
            return _not_now("Only a proposed or approved verdict can be sent back.")
        if self.verdict.proposed_by_id == self.user.pk and status == ClaimStatus.PROPOSED:
            return _no("You proposed this verdict; change it instead.")
        return YES

    @cached_property
    def find_matches(self) -> Ability:
        return self._workable(
            "claims.review_claim",
            "Only reviewers and editors can look for earlier checks.",
            before="earlier checks are looked for",
        )

    @cached_property
    def reuse_match(self) -> Ability:
        """Reusing an earlier check adds a source and drafts a verdict: as proposing does."""
        return self._workable(
            "claims.review_claim",
            "Only reviewers and editors can reuse earlier checks.",
            before="an earlier check is reused",
        )

    @cached_property
    def reject_match(self) -> Ability:
        return self._workable(
            "claims.review_claim",
            "Only reviewers and editors can mark a match as wrong.",
            before=None,
        )

    @cached_property
    def dismiss(self) -> Ability:
        ability = self._workable(
            "claims.dismiss_claim", "Only editors can dismiss claims.", before=None
        )
        if ability and self.claim.status == ClaimStatus.DISMISSED:
            return _not_now("This claim is already dismissed.")
        return ability

    @cached_property
    def restore(self) -> Ability:
        ability = self._workable(
            "claims.dismiss_claim", "Only editors can restore claims.", before=None
        )
        if ability and self.claim.status != ClaimStatus.DISMISSED:
            return _not_now("Only a dismissed claim can be restored.")
        return ability


DESK_GROUPS = ["Reviewers", "Editors"]


def is_desk_member(user) -> bool:
    return user.groups.filter(name__in=DESK_GROUPS).exists()


def reads_notes(user: Reader) -> bool:
    """Whether search shows `user` the desk's internal notes: desk members only (not a
    superuser outside the desk's groups, not the public)."""
    return bool(user.is_authenticated and user.is_active and is_desk_member(user))


class ArticleAbilities:
    """What `user` may do to a whole article now: publish, reopen, retract, change its
    language. The board reads it; the services enforce it. `latest` is its latest
    publication. Whether every claim is settled is the publish service's to say, with
    the list."""

    def __init__(self, user: Reader, article: Article, latest: Publication | None) -> None:
        self.user, self.article, self.latest = user, article, latest

    def _editor(self, who: str) -> Ability:
        user = self.user
        if user is None or not user.is_active or not user.has_perm("claims.publish_article"):
            return _no(who)
        return YES

    @cached_property
    def publish(self) -> Ability:
        return self._editor("Only editors can publish.")

    @cached_property
    def bulk(self) -> Ability:
        """Assign, dismiss or restore ticked claims on the board; each claim's own
        ability still decides for that claim (review.claims_bulk reports its refusals)."""
        user = self.user
        if user is None or not user.is_active:
            return _no("Only editors can change several claims at once.")
        if not (user.has_perm("claims.assign_claim") or user.has_perm("claims.dismiss_claim")):
            return _no("Only editors can change several claims at once.")
        return YES

    @cached_property
    def reopen(self) -> Ability:
        ability = self._editor("Only editors can reopen articles.")
        if not ability:
            return ability
        if self.latest is None:
            return _not_now("This article isn't published; reviewers can work on it.")
        if self.latest.retracted_at is not None:
            return _not_now("This article is retracted; it can't be reopened.")
        if self.article.open_for_review:
            return _not_now("This article is already open for a correction.")
        return YES

    @cached_property
    def retract(self) -> Ability:
        ability = self._editor("Only editors can retract.")
        if not ability:
            return ability
        if self.latest is None:
            return _not_now("Only a published article can be retracted.")
        if self.latest.retracted_at is not None:
            return _not_now("This article is already retracted.")
        return YES

    @cached_property
    def edit(self) -> Ability:
        """Its details (title, publisher, author, address, date). The public pages show
        them from a publication's snapshot, so an edit shows there from the next one."""
        return self._editor("Only editors can edit an article's details.")

    @cached_property
    def export(self) -> Ability:
        return self._editor("Only editors can export articles.")

    @cached_property
    def change_language(self) -> Ability:
        ability = self._editor("Only editors can change an article's language.")
        if ability and not self.article.open_for_review:
            return _not_now(
                "This article is published; reopen it for a correction before changing "
                "its language."
            )
        return ability


class IntakeAbilities:
    """What `user` may do with what readers send: tips become imports (editors who
    import), correction requests reopen articles (editors who publish)."""

    def __init__(self, user: Reader) -> None:
        self.user = user

    def _has(self, permission: str, who: str) -> Ability:
        user = self.user
        if user is None or not user.is_active or not user.has_perm(permission):
            return _no(who)
        return YES

    @cached_property
    def see(self) -> Ability:
        """The intake list of tips and correction requests."""
        return self._has("claims.import_article", "Only editors see readers' tips and requests.")

    @cached_property
    def tips(self) -> Ability:
        return self._has("claims.import_article", "Only editors handle readers' tips.")

    @cached_property
    def correction_requests(self) -> Ability:
        return self._has("claims.publish_article", "Only editors answer correction requests.")

    def handle_tip(self, tip) -> Ability:
        ability = self.tips
        if ability and tip.status != "new":
            return _not_now(f"This tip is {tip.get_status_display().lower()} already.")
        return ability

    def handle_request(self, request) -> Ability:
        ability = self.correction_requests
        if ability and request.status != "new":
            return _not_now(f"This request is {request.get_status_display().lower()} already.")
        return ability
