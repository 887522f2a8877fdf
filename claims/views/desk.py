"""What every workspace page shares: who may open it, and its ETag."""

from __future__ import annotations

import hashlib
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Max, QuerySet
from django.http import HttpRequest

from ..models import AuditEvent, Rating
from ..review import desk_members


def desk_required(view):
    """Logged in (else to the login page) and on the desk (else 403)."""

    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not request.user.has_perm("claims.review_claim"):
            raise PermissionDenied("The workspace is for reviewers and editors.")
        return view(request, *args, **kwargs)

    return wrapped


def page_etag(request: HttpRequest, article_events: QuerySet[AuditEvent]) -> str | None:
    """The ETag of a workspace page: it names everything the page shows, so an unchanged
    page is a 304 to a browser that has it.

    - the reader, their permissions (which buttons) and their CSRF cookie (the page's
      forms carry a token made from it);
    - the article's latest audit event: every change to its review data writes one;
    - the rating scale and the desk's members (names, the assignee list), which no
      audit event of the article describes.

    None (no conditional answer) while a flash message waits to be shown.
    """
    if len(messages.get_messages(request)):
        return None
    latest = article_events.aggregate(seq=Max("seq"))["seq"]
    ratings = list(Rating.objects.values_list("pk", "label", "definition", "colour", "is_retired"))
    members = list(
        desk_members().values_list("pk", "username", "first_name", "last_name", "is_active")
    )
    user = request.user
    named = [
        user.pk,
        sorted(user.get_all_permissions()),
        request.COOKIES.get(settings.CSRF_COOKIE_NAME, ""),
        latest,
        ratings,
        members,
        bool(request.htmx),
    ]
    return hashlib.sha256(repr(named).encode()).hexdigest()[:32]
