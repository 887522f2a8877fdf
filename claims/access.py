"""The one permission check every service makes before it writes."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied


def require(actor, permission: str, message: str) -> None:
    """Raise PermissionDenied(message) unless `actor` is an active user with `permission`."""
    if actor is None or not actor.is_active or not actor.has_perm(permission):
        raise PermissionDenied(message)
