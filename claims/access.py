"""The one permission check every service makes before it writes."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied


def require(actor, permission: str, message: str) -> None:
    """Raise PermissionDenied(message) unless `actor` is an active user with `permission`."""
    if actor is None or not actor.is_active or not actor.has_perm(permission):
        raise PermissionDenied(message)


def may_work_on(user, article) -> bool:
    """Editors may always work on an article's claims; reviewers while it is open."""
    return user.has_perm("claims.publish_article") or article.open_for_review


def require_open(actor, article) -> None:
    """Raise PermissionDenied unless `actor` may change the claims of `article` now."""
    if not may_work_on(actor, article):
        raise PermissionDenied(
            "This article is published; an editor must reopen it for a correction "
            "before reviewers change its claims."
        )
