""" "My work": one page per member of the desk with what waits for them across articles
(claims/mywork.py), and its counts for the workspace header."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ..mywork import LIST_LIMIT, my_work, work_counts
from .desk import DeskRequest, desk_required


@require_GET
@never_cache
@desk_required
def my_work_page(request: DeskRequest) -> HttpResponse:
    work = my_work(request.user)
    context = {"work": work, "counts": work_counts(request.user), "limit": LIST_LIMIT}
    return render(request, "claims/my_work.html", context)


@require_GET
@never_cache
@desk_required
def my_work_counts(request: DeskRequest) -> HttpResponse:
    """The header's count (htmx asks for it once a page has loaded, and after each change)."""
    return render(request, "claims/my_work.html#counts", {"counts": work_counts(request.user)})
