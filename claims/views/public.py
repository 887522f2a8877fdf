"""The public, read-only pages under /checks/, rendered from publication snapshots only.

Each page is cached server-side, keyed by the publication it shows; a per-article
pointer to the latest publication lives in the cache too and is dropped when an editor
publishes, corrects or retracts. A warm page therefore costs no database query, and
conditional GETs get a 304 from the ETag before anything is rendered.
"""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import http_date, parse_http_date_safe, quote_etag
from django.views.decorators.http import require_safe

from ..claimreview import as_json, as_script, claim_review
from ..models import Publication, Rating
from ..publishing import pointer_key

PAGE_SECONDS = 24 * 60 * 60
SHARED_CACHE_SECONDS = 300  # a CDN's copy
DATE_KEYS = {"published_on", "accessed_on"}
TIME_KEYS = {"proposed_at", "approved_at", "first_published_at"}


# --- the cache ------------------------------------------------------------------------------


def _latest_pointer(slug: str) -> dict:
    """{pk, version, stamp} of the article's latest publication; 404 if never published."""
    pointer = cache.get(pointer_key(slug))
    if pointer is None:
        latest = (
            Publication.objects.filter(article__slug=slug)
            .order_by("-version")
            .values("pk", "version", "published_at", "retracted_at")
            .first()
        )
        if latest is None:
            raise Http404("No published fact-check at this address.")
        changed = latest["retracted_at"] or latest["published_at"]
        pointer = {"pk": latest["pk"], "version": latest["version"], "stamp": changed.timestamp()}
        cache.set(pointer_key(slug), pointer, settings.FACTCHECK_PUBLIC_POINTER_SECONDS)
    return pointer


def _cached(request, *, key: str, stamp: float, render) -> HttpResponse:
    """Answer 304 on a matching ETag, else the cached (or freshly rendered) page.

    A page is cached as the bytes sent, so a warm answer encodes and parses nothing.
    """
    etag = quote_etag(f"{key}@{stamp}")
    since = request.headers.get("If-Modified-Since")
    since = parse_http_date_safe(since) if since else None
    matches = request.headers.get("If-None-Match")
    if (matches and etag in matches) or (not matches and since and since >= int(stamp)):
        response = HttpResponseNotModified()
    else:
        cache_key = f"public:page:{key}@{stamp}"
        page = cache.get(cache_key)
        if page is None:
            content, content_type = render()
            page = (content.encode(), content_type)
            cache.set(cache_key, page, PAGE_SECONDS)
        content, content_type = page
        response = HttpResponse(content, content_type=content_type)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(stamp)
    # What patch_cache_control() writes on a response that has none, without its parsing.
    response["Cache-Control"] = (
        f"public, max-age={settings.FACTCHECK_PUBLIC_MAX_AGE}, s-maxage={SHARED_CACHE_SECONDS}"
    )
    return response


def _html(template: str, context: dict) -> tuple[str, str]:
    return render_to_string(template, context), "text/html; charset=utf-8"


# --- from snapshot to page ----------------------------------------------------------------


def _dates(value):
    """Snapshot dates and times (stored as ISO strings) back to Python, for templates."""
    if isinstance(value, list):
        return [_dates(v) for v in value]
    if not isinstance(value, dict):
        return value
    out = {}
    for key, item in value.items():
        if key in DATE_KEYS and item:
            out[key] = dt.date.fromisoformat(item)
        elif key in TIME_KEYS and item:
            out[key] = dt.datetime.fromisoformat(item)
        else:
            out[key] = _dates(item)
    return out


def _paragraphs(body: str, claims: list[dict]) -> list[list[tuple[str, dict | None]]]:
    """The body as paragraphs of (text, claim) runs, each published claim in its place."""
    by_start = sorted(claims, key=lambda c: c["start"])
    paragraphs = []
    for match in re.finditer(r"[^\n]+(?:\n[^\n]+)*", body):
        runs, cursor = [], match.start()
        for claim in by_start:
            if match.start() <= claim["start"] and claim["end"] <= match.end():
                if claim["start"] > cursor:
                    runs.append((body[cursor : claim["start"]], None))
                runs.append((body[claim["start"] : claim["end"]], claim))
                cursor = claim["end"]
        if cursor < match.end():
            runs.append((body[cursor : match.end()], None))
        paragraphs.append(runs)
    return paragraphs


def _history(publication: Publication) -> list[Publication]:
    return list(
        Publication.objects.filter(article_id=publication.article_id)
        .order_by("version")
        .defer("snapshot")
    )


def _context(publication: Publication) -> dict:
    snapshot = publication.snapshot
    history = _history(publication)
    latest = history[-1]
    claims = _dates(snapshot["claims"])
    return {
        "publication": publication,
        "latest": latest,
        "is_latest": publication.pk == latest.pk,
        "retracted": latest.retracted_at is not None and publication.pk == latest.pk,
        "history": history,
        "corrections": [p for p in history if p.version > 1 or p.retracted_at],
        "article": _dates(snapshot["article"]),
        "organisation": snapshot["organisation"],
        "fact_checkers": snapshot["fact_checkers"],
        "claims": claims,
        "paragraphs": _paragraphs(snapshot["article"]["body"], claims),
        "counts": publication.summary["counts"],
        "total": len(claims),
    }


def _publication(pointer: dict, version: int | None = None) -> Publication:
    if version is None:
        return Publication.objects.select_related("article").get(pk=pointer["pk"])
    return get_object_or_404(
        Publication.objects.select_related("article"),
        article_id=Publication.objects.filter(pk=pointer["pk"]).values("article_id")[:1],
        version=version,
    )


# --- pages ----------------------------------------------------------------------------------


@require_safe
def article_page(request, slug: str) -> HttpResponse:
    pointer = _latest_pointer(slug)

    def render():
        return _html("public/article.html", _context(_publication(pointer)))

    return _cached(
        request, key=f"{slug}:{pointer['pk']}:article", stamp=pointer["stamp"], render=render
    )


@require_safe
def version_page(request, slug: str, version: int) -> HttpResponse:
    pointer = _latest_pointer(slug)
    if version > pointer["version"]:
        raise Http404("No such version.")

    def render():
        return _html("public/article.html", _context(_publication(pointer, version)))

    return _cached(
        request, key=f"{slug}:{pointer['pk']}:v{version}", stamp=pointer["stamp"], render=render
    )


@require_safe
def claim_page(request, slug: str, ordinal: int) -> HttpResponse:
    pointer = _latest_pointer(slug)
    url = request.build_absolute_uri(reverse("public:claim", args=[slug, ordinal]))

    def render():
        publication = _publication(pointer)
        context = _context(publication)
        claim = next((c for c in publication.snapshot["claims"] if c["ordinal"] == ordinal), None)
        if claim is None:
            raise Http404("This claim is not part of the published fact-check.")
        shown = next(c for c in context["claims"] if c["ordinal"] == ordinal)
        if context["retracted"]:  # the notice, never a bare 404; no ClaimReview any more
            return _html("public/claim.html", context | {"claim": shown, "paragraph": []})
        data = claim_review(
            snapshot=publication.snapshot,
            claim=claim,
            url=url,
            version=publication.version,
            published_at=publication.snapshot_time,
        )
        paragraph = next(runs for runs in context["paragraphs"] if any(c is shown for _, c in runs))
        return _html(
            "public/claim.html",
            context | {"claim": shown, "paragraph": paragraph, "jsonld": as_script(data)},
        )

    return _cached(
        request, key=f"{slug}:{pointer['pk']}:claim{ordinal}", stamp=pointer["stamp"], render=render
    )


@require_safe
def index(request) -> HttpResponse:
    latest = (
        Publication.objects.latest_per_article()
        .select_related("article")
        .defer("snapshot", "article__body")
        .order_by("-published_at")
    )
    page = Paginator(latest, 20).get_page(request.GET.get("page"))
    context = {"page": page, "organisation": settings.FACTCHECK_ORGANISATION}
    response = HttpResponse(render_to_string("public/index.html", context))
    patch_cache_control(response, public=True, max_age=settings.FACTCHECK_PUBLIC_MAX_AGE)
    return response


@require_safe
def methodology(request) -> HttpResponse:
    context = {
        "ratings": Rating.objects.active(),
        "organisation": settings.FACTCHECK_ORGANISATION,
        "contact": settings.FACTCHECK_CONTACT_EMAIL,
        "min_sources": settings.FACTCHECK_SCALAR_MIN_SOURCES,
        "min_decisive": settings.FACTCHECK_SCALAR_MIN_DECISIVE_SOURCES,
        "off_scale_sources": settings.FACTCHECK_OFF_SCALE_MIN_SOURCES,
    }
    response = HttpResponse(render_to_string("public/methodology.html", context))
    patch_cache_control(response, public=True, max_age=settings.FACTCHECK_PUBLIC_MAX_AGE)
    return response


@require_safe
def claimreview_json(request) -> HttpResponse:
    """Every current ClaimReview (latest, unretracted publications) as one JSON array."""
    reviews = []
    current = Publication.objects.latest_per_article().filter(retracted_at__isnull=True)
    for publication in current.select_related("article").order_by("-published_at"):
        for claim in publication.snapshot["claims"]:
            url = request.build_absolute_uri(
                reverse("public:claim", args=[publication.article.slug, claim["ordinal"]])
            )
            reviews.append(
                claim_review(
                    snapshot=publication.snapshot,
                    claim=claim,
                    url=url,
                    version=publication.version,
                    published_at=publication.snapshot_time,
                )
            )
    response = HttpResponse(as_json(reviews), content_type="application/json")
    patch_cache_control(response, public=True, max_age=settings.FACTCHECK_PUBLIC_MAX_AGE)
    return response
