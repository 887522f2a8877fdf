"""Reading snapshots: a capture's text for the desk (plain text, never the captured HTML),
the flagged sources of published checks for editors, and the public snapshot page of a
source a published verdict cites (claims/evidence.py captures them)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET, require_safe

from ..models import Publication, Source, SourceSnapshot
from ..snapshot import SnapshotSource, load
from .desk import DeskRequest, desk_required
from .public import public_cache

# The public snapshot page shows captured text, which anyone on the web wrote: nothing on
# it may run or load but our own style sheet and icon.
SNAPSHOT_CSP = {
    "default-src": [CSP.NONE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
}
FLAGGED_PER_PAGE = 50


@require_GET
@desk_required
@csp_override(SNAPSHOT_CSP)
def snapshot_text(request: DeskRequest, snapshot_pk: int) -> HttpResponse:
    """A capture's readable text as plain text, with what it was captured from."""
    snapshot = get_object_or_404(SourceSnapshot.objects.ok(), pk=snapshot_pk)
    head = (
        f"Captured from {snapshot.requested_url}\n"
        f"Final address: {snapshot.final_url}\n"
        f"Fetched at {snapshot.fetched_at.isoformat()} · HTTP {snapshot.status} · "
        f"{snapshot.content_type} · {snapshot.size} bytes\n"
        f"SHA-256 of the bytes: {snapshot.sha256}\n"
        f"Title: {snapshot.title}\n\n"
    )
    response = HttpResponse(head + snapshot.text, content_type="text/plain; charset=utf-8")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@desk_required
def flagged_sources(request: DeskRequest) -> HttpResponse:
    """Link checks that found a published source gone or changed, newest first (editors)."""
    if not request.user.has_perm("claims.publish_article"):
        raise PermissionDenied("The flagged sources are for editors, who decide on corrections.")
    flagged = (
        SourceSnapshot.objects.flagged()
        .newest_first()
        .select_related("source__claim__article")
        .defer("text", "source__claim__article__body")
    )
    page = Paginator(flagged, FLAGGED_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "claims/flagged_sources.html", {"page": page})


# --- public --------------------------------------------------------------------------------


def cited(source: Source) -> SnapshotSource | None:
    """How the article's standing publication cites `source`; None if it does not (never
    published, retracted, or the source is not among the published verdicts' sources)."""
    latest = Publication.objects.filter(article_id=source.claim.article_id).order_by("-version")
    publication = latest.only("snapshot", "retracted_at").first()
    if publication is None or publication.retracted_at is not None:
        return None
    for claim in load(publication.snapshot).claims:
        for published in claim.sources:
            if published.source_id == source.pk:
                return published
    return None


@require_safe
@public_cache
@csp_override(SNAPSHOT_CSP)
def source_snapshot(request: HttpRequest, source_pk: int) -> HttpResponse:
    """The snapshot a published verdict cites: its text as plain text, hash, time, address."""
    source = get_object_or_404(Source.objects.select_related("claim"), pk=source_pk)
    published = cited(source)
    if published is None or not published.snapshot_id:
        raise Http404("No published fact-check cites a snapshot of this source.")
    snapshot = get_object_or_404(
        SourceSnapshot.objects.ok(), pk=published.snapshot_id, source_id=source.pk
    )
    context = {
        "source": published,
        "snapshot": snapshot,
        "canonical": request.build_absolute_uri(source.public_snapshot_url()),
    }
    return render(request, "public/source_snapshot.html", context)
