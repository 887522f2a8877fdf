"""The queue: every article with its progress, the editors' import form, and the
imports running in the background."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from .. import jobs
from ..fetching import FetchRefused
from ..forms import ImportForm
from ..importing import ImportRejected, article_import
from ..models import Article, Job, JobKind, JobStatus
from .desk import DeskRequest, desk_required


@require_http_methods(["GET", "POST"])
@desk_required
def queue(request: DeskRequest) -> HttpResponse:
    if request.htmx and request.GET.get("panel") == "imports":
        return render(request, "claims/queue.html#imports", _imports())
    form = ImportForm()
    if request.method == "POST":
        if not request.user.has_perm("claims.import_article"):
            raise PermissionDenied("Only editors can import articles.")
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid() and (done := _import(request, form)):
            return redirect(done)
    articles = (
        Article.objects.with_progress().with_latest_publication().with_reopenings().defer("body")
    )
    page = Paginator(articles.newest_first(), 25).get_page(request.GET.get("page"))
    status = 422 if form.errors else 200
    background_kb = settings.FACTCHECK_BACKGROUND_IMPORT_BYTES // 1024
    context = {"page": page, "form": form, "background_kb": background_kb} | _imports()
    return render(request, "claims/queue.html", context, status=status)


def _imports() -> dict:
    """Imports running in the background, and those that ended in the last hour; the
    panel asks again every few seconds while any is under way."""
    recent = Q(finished_at__gte=timezone.now() - dt.timedelta(hours=1))
    found = Job.objects.filter(
        Q(status__in=JobStatus.active()) | recent, kind__in=JobKind.imports()
    )
    import_jobs = list(found.defer("data", "params").select_related("article")[:10])
    return {"jobs": import_jobs, "polling": any(job.is_active for job in import_jobs)}


def _import(request: DeskRequest, form: ImportForm) -> Article | str | None:
    """Import now, or queue a large import for the worker; where to go next, or None
    with the form's error set."""
    data, upload = form.cleaned_data, form.cleaned_data.get("file")
    meta = {k: data[k] for k in ("title", "publisher", "author", "url", "language")}
    if data.get("page_url"):
        return _import_url(request, form)
    raw = upload.read() if upload else data["text"].encode()
    filename = upload.name if upload else ""
    try:
        if len(raw) > settings.FACTCHECK_BACKGROUND_IMPORT_BYTES:
            job = jobs.import_enqueue(
                actor=request.user,
                data=raw,
                filename=filename,
                published_on=data["published_on"],
                **meta,
            )
            messages.success(request, f"{job.label}: queued; its progress shows below.")
            return reverse("claims:queue") + "#imports"
        result = article_import(
            data=raw,
            filename=filename,
            actor=request.user,
            **meta,
            published_on=data["published_on"],
        )
    except ImportRejected as error:
        form.add_error("file" if upload else "text", str(error))
        return None
    verb = "Imported" if result.created else "Already imported:"
    messages.success(request, f"{verb} “{result.article.title}”.")
    return result.article


def _import_url(request: DeskRequest, form: ImportForm) -> str | None:
    """Queue an import by URL; the queue, or None with the form's error set."""
    data = form.cleaned_data
    meta = {k: data[k] for k in ("title", "publisher", "author", "language", "published_on")}
    try:
        job = jobs.url_import_enqueue(actor=request.user, url=data["page_url"], **meta)
    except FetchRefused as error:
        form.add_error("page_url", str(error))
        return None
    messages.success(request, f"{job.label}: queued; its progress shows below.")
    return reverse("claims:queue") + "#imports"
