"""What every workspace view shares: who may open it."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def desk_required(view):
    """Logged in (else to the login page) and on the desk (else 403)."""

    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not request.user.has_perm("claims.review_claim"):
            raise PermissionDenied("The workspace is for reviewers and editors.")
        return view(request, *args, **kwargs)

    return wrapped
