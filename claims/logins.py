"""Logins: whose address a request comes from, and lockouts written to the audit trail.

django-axes counts failed logins per username and address and locks the pair out for a
cool-off; these are the two pieces it asks of the project.
"""

from __future__ import annotations

from axes.signals import user_locked_out
from django.conf import settings
from django.db import transaction
from django.dispatch import receiver
from django.shortcuts import render

from . import audit
from .models import AuditAction


def client_ip(request) -> str | None:
    """The connection's address, or, behind `DJANGO_PROXY_COUNT` trusted proxies, the
    address the outermost of them saw (X-Forwarded-For is read from the right, so a
    client can't choose its own address by sending the header)."""
    hops = settings.FACTCHECK_PROXY_COUNT
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if hops and len(forwarded) >= hops and forwarded[-hops]:
        return forwarded[-hops]
    return request.META.get("REMOTE_ADDR")


def locked_out(request, original_response=None, credentials=None):
    """The page a locked-out login gets: 429, how long to wait, and Retry-After."""
    minutes = round(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    response = render(
        request,
        "registration/locked_out.html",
        {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes},
        status=429,
    )
    response["Retry-After"] = str(minutes * 60)
    return response


@receiver(user_locked_out)
def record_lockout(sender, request, username, ip_address, **kwargs) -> None:
    """One audit event when a username and address get locked out, not one per retry."""
    failures = getattr(request, "axes_failures_since_start", None)
    if failures is not None and failures > settings.AXES_FAILURE_LIMIT:
        return
    with transaction.atomic():
        audit.record(
            actor=None,
            action=AuditAction.LOGIN_LOCKED_OUT,
            after={
                "username": (username or "")[:150],
                "ip_address": ip_address,
                "failures": failures,
                "cooloff_minutes": settings.AXES_COOLOFF_TIME.total_seconds() / 60,
            },
        )
