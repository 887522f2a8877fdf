"""What every workspace page shares: who may open it, and its ETag."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Concatenate

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet, Subquery
from django.http import HttpRequest, HttpResponse

from ..models import AuditEvent
from ..ratings import RATING_ACTIONS
from ..review import desk_members

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django_htmx.middleware import HtmxDetails


class DeskRequest(HttpRequest):
    """What a workspace view gets once `desk_required` let the request in: a signed-in
    user (never anonymous), and django-htmx's details (its middleware runs first)."""

    user: User
    htmx: HtmxDetails


def desk_required[**P](
    view: Callable[Concatenate[DeskRequest, P], HttpResponse],
) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
    """Logged in (else to the login page) and on the desk (else 403)."""

    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        if not request.user.has_perm("claims.review_claim"):
            raise PermissionDenied("The workspace is for reviewers and editors.")
        return view(request, *args, **kwargs)  # type: ignore[arg-type]  # checked above

    return wrapped


def page_etag(request: DeskRequest, article_events: QuerySet[AuditEvent]) -> str | None:
    """The ETag of a workspace page: it names everything the page shows, so an unchanged
    page is a 304 to a browser that has it.

    - the reader, their permissions (which buttons) and their CSRF cookie (the page's
      forms carry a token made from it);
    - the article's latest audit event: every change to its review data writes one (and
      its import the first);
    - the rating scale's latest audit event (claims/ratings.py records every change to
      it), read in the same query;
    - the desk's members (names, the assignee list), which no audit event describes.

    None (no conditional answer) while a flash message waits to be shown.
    """
    if len(messages.get_messages(request)):
        return None
    scale = AuditEvent.objects.filter(article=None, action__in=RATING_ACTIONS)
    latest = (
        article_events.order_by("-seq")
        .values_list("seq", Subquery(scale.order_by("-seq").values("seq")[:1]))
        .first()
    )
    members = list(
        desk_members().values_list("pk", "username", "first_name", "last_name", "is_active")
    )
    user = request.user
    named = [
        user.pk,
        sorted(user.get_all_permissions()),
        request.COOKIES.get(settings.CSRF_COOKIE_NAME, ""),
        latest,
        members,
        bool(request.htmx),
    ]
    return hashlib.sha256(repr(named).encode()).hexdigest()[:32]
