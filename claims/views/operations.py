"""The operations page: the desk's background jobs, for editors, with a way to run a
failed one again (claims/jobs.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from .. import jobs
from ..models import Job, JobStatus

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class DeskRequest(HttpRequest):
    """A request behind @login_required: its user is a real one (django-stubs' pattern)."""

    user: User


def _editors_only(request: HttpRequest) -> None:
    if not request.user.has_perm("claims.import_article"):
        raise PermissionDenied("The operations page is for editors.")


@require_GET
@login_required
def operations(request: DeskRequest) -> HttpResponse:
    _editors_only(request)
    listed = Job.objects.newest_first().defer("data").select_related("requested_by", "article")
    page = Paginator(listed, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "failed": Job.objects.filter(status=JobStatus.FAILED).count(),
        "active": Job.objects.active().count(),
    }
    return render(request, "claims/operations.html", context)


@require_POST
@login_required
def job_retry(request: DeskRequest, job_pk: int) -> HttpResponse:
    _editors_only(request)
    job = get_object_or_404(Job.objects.defer("data"), pk=job_pk)
    try:
        jobs.job_retry(actor=request.user, job=job)
    except jobs.JobRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{job.label}: queued again.")
    # Run again from the queue's imports panel goes back there.
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect(job)
