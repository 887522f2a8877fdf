"""The public, read-only pages under /checks/, rendered from publication snapshots only.

The article, version and claim pages are cached server-side as the bytes sent, keyed by
the page and the state of the article it shows: a per-article pointer to the latest
publication, cached too and dropped when an editor publishes, corrects or retracts.
`@condition` answers conditional GETs from that pointer alone, so a warm page, and a
304, cost no database query.

A long fact-check shows its verdict cards CARDS_PER_PAGE at a time (`?page=2`, …): the
first page carries the article with every checked claim marked in place, each mark
linking to its card on whichever page holds it. A page of 1,000 cards was 2 MB that
nobody reads through, and 300 ms of CPU to render.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import InvalidPage, Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition, require_safe

from .. import snapshot
from ..claimreview import as_json, as_script, claim_review
from ..extraction import HEADING_MARK
from ..importing import PARAGRAPH
from ..models import Publication, Rating
from ..publishing import pointer_key
from ..snapshot import Snapshot, SnapshotClaim

PAGE_SECONDS = 24 * 60 * 60
SHARED_CACHE_SECONDS = 300  # a CDN's copy
CARDS_PER_PAGE = 50

# Browsers keep a public page FACTCHECK_PUBLIC_MAX_AGE seconds (a minute); a CDN keeps a
# page rendered from a snapshot five minutes. On 304s too: the decorators wrap @condition.
public_cache = cache_control(public=True, max_age=settings.FACTCHECK_PUBLIC_MAX_AGE)
snapshot_cache = cache_control(
    public=True, max_age=settings.FACTCHECK_PUBLIC_MAX_AGE, s_maxage=SHARED_CACHE_SECONDS
)


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


def _cards_page(request) -> int:
    """The page of verdict cards asked for: `?page=n`, the first if none."""
    try:
        number = int(request.GET.get("page", 1))
    except ValueError:
        number = 0
    if number < 1:
        raise Http404("No such page.")
    return number


def _page_key(
    request, pointer: dict, slug: str, version: int | None = None, ordinal: int | None = None
) -> str:
    """Which page, of which state of the article: the page's cache key, and its ETag."""
    if ordinal is not None:
        shown = f"claim{ordinal}"
    elif version is None or version <= pointer["version"]:
        # The latest version's page and /v/<latest>/ are the same page.
        shown = f"v{pointer['version'] if version is None else version}:p{_cards_page(request)}"
    else:
        raise Http404("No such version.")
    return f"{slug}:{pointer['pk']}:{shown}@{pointer['stamp']}"


# `@condition` calls these with the view's own arguments, before the view. Each reads the
# pointer from the cache (microseconds); the view reads it once more and renders from
# that one read, so a page is never cached under a key naming another publication.
def page_etag(request, slug: str, **page) -> str:
    return _page_key(request, _latest_pointer(slug), slug, **page)


def page_last_modified(request, slug: str, **page) -> dt.datetime:
    """When the article's public pages last changed: published, corrected or retracted."""
    return dt.datetime.fromtimestamp(_latest_pointer(slug)["stamp"], dt.UTC)


public_page = condition(etag_func=page_etag, last_modified_func=page_last_modified)


def _cached(key: str, render: Callable[[], str]) -> HttpResponse:
    """The page as cached bytes, rendered on a miss: a warm answer encodes nothing."""
    content = cache.get(f"public:page:{key}")
    if content is None:
        content = render().encode()
        cache.set(f"public:page:{key}", content, PAGE_SECONDS)
    return HttpResponse(content)


# --- from snapshot to page ----------------------------------------------------------------


def _publication(pointer: dict, version: int | None = None) -> Publication:
    if version is None:
        return Publication.objects.get(pk=pointer["pk"])
    return get_object_or_404(
        Publication,
        article_id=Publication.objects.filter(pk=pointer["pk"]).values("article_id")[:1],
        version=version,
    )


def _history(publication: Publication) -> list[Publication]:
    return list(
        Publication.objects.filter(article_id=publication.article_id)
        .annotate(reader_requests=Count("correction_requests"))
        .order_by("version")
        .defer("snapshot")
    )


def _context(
    request, publication: Publication, published: Snapshot, history: list[Publication] | None = None
) -> dict:
    """What the article and claim pages read. `history`: the article's publications, in
    version order (read here unless given: a preview adds the one it would publish)."""
    history = _history(publication) if history is None else history
    latest = history[-1]
    is_latest = publication is latest or publication.pk == latest.pk
    # A retraction withdraws every version: each one opens with the notice, none shows a
    # verdict, and search engines are asked to drop them (so are superseded versions).
    retracted = latest.retracted_at is not None
    slug = published.article.slug
    return {
        "publication": publication,
        "latest": latest,
        "is_latest": is_latest,
        "retracted": retracted,
        "noindex": retracted or not is_latest,
        "canonical": request.build_absolute_uri(reverse("public:article", args=[slug])),
        "history": history,
        "corrections": [p for p in history if p.version > 1 or p.retracted_at],
        "organisation": published.organisation,
        "article": published.article,
        "fact_checkers": _checkers(published),
        "claims": published.claims,
        "total": len(published.claims),
    }


def _checkers(published: Snapshot) -> list[tuple[str, str]]:
    """The byline's people: (name, their anchor on the team page or "")."""
    slugs: dict[str, str] = {}
    for claim in published.claims:
        for name, slug in [
            (claim.proposed_by, claim.proposed_by_slug),
            (claim.approved_by, claim.approved_by_slug),
        ]:
            slugs[name] = slugs.get(name) or slug
    return [(name, slugs.get(name, "")) for name in published.fact_checkers]


def _card_link(position: int, claim: SnapshotClaim) -> str:
    """Where the card of the article's `position`-th claim is, from its first page."""
    page = position // CARDS_PER_PAGE + 1
    return f"{f'?page={page}' if page > 1 else ''}#claim-{claim.ordinal}"


Run = tuple[str, SnapshotClaim | None, str]


def _paragraphs(body: str, claims: tuple[SnapshotClaim, ...]) -> list[list[Run]]:
    """The body as paragraphs of (text, claim, link to its card) runs, each claim in place."""
    links = {claim.ordinal: _card_link(n, claim) for n, claim in enumerate(claims)}
    by_start = sorted(claims, key=lambda c: c.start)
    paragraphs, next_claim = [], 0
    for match in PARAGRAPH.finditer(body):
        runs: list[Run] = []
        # A heading's Markdown mark ("## ", how imports keep a page's headings) is not text.
        marker = HEADING_MARK.match(match.group())
        cursor = match.start() + (marker.end() if marker and "\n" not in match.group() else 0)
        while next_claim < len(by_start) and by_start[next_claim].start < match.end():
            claim = by_start[next_claim]
            next_claim += 1
            if claim.start < cursor or claim.end > match.end():
                continue  # across a paragraph break or over another claim: not a sentence
            if claim.start > cursor:
                runs.append((body[cursor : claim.start], None, ""))
            runs.append((body[claim.start : claim.end], claim, links[claim.ordinal]))
            cursor = claim.end
        if cursor < match.end():
            runs.append((body[cursor : match.end()], None, ""))
        paragraphs.append(runs)
    return paragraphs


def _paragraph_of(body: str, claim: SnapshotClaim) -> list[tuple[str, bool]]:
    """The paragraph holding `claim`, as (text, is the claim) runs."""
    for match in PARAGRAPH.finditer(body):
        if match.start() <= claim.start and claim.end <= match.end():
            marker = HEADING_MARK.match(match.group())
            start = match.start() + (marker.end() if marker else 0)
            return [
                (body[min(start, claim.start) : claim.start], False),
                (body[claim.start : claim.end], True),
                (body[claim.end : match.end()], False),
            ]
    return [(body[claim.start : claim.end], True)]


def _article_html(request, publication: Publication, **extra) -> str:
    """The article page of `publication`. `extra`: a preview's history and its bar."""
    history = extra.pop("history", None)
    context = _context(request, publication, snapshot.load(publication.snapshot), history)
    try:
        cards = Paginator(context["claims"], CARDS_PER_PAGE).page(_cards_page(request))
    except InvalidPage as error:
        raise Http404("No such page of verdicts.") from error
    if cards.number == 1 and not context["retracted"]:
        context["paragraphs"] = _paragraphs(context["article"].body, context["claims"])
    # Only a preview renders with the request (its bar has a form): a public page holds
    # nothing of whoever asked first, since its bytes are served to everyone.
    with_request = request if extra.get("preview") else None
    return render_to_string("public/article.html", context | {"cards": cards} | extra, with_request)


def preview_html(request, publication: Publication, **bar) -> str:
    """The public page of `publication`, a version not saved (publishing.preview): the
    article page exactly as readers would get it, with the editor's bar (`bar`) on top."""
    history = [*_history(publication), publication]
    return _article_html(request, publication, history=history, preview=True, **bar)


def _claim_html(request, publication: Publication, ordinal: int) -> str:
    published = snapshot.load(publication.snapshot)
    context = _context(request, publication, published)
    found = [(n, c) for n, c in enumerate(context["claims"]) if c.ordinal == ordinal]
    if not found:
        raise Http404("This claim is not part of the published fact-check.")
    ((position, claim),) = found
    article = context["article"]
    context |= {
        "claim": claim,
        "back": reverse("public:article", args=[article.slug]) + _card_link(position, claim),
        "canonical": request.build_absolute_uri(
            reverse("public:claim", args=[article.slug, ordinal])
        ),
    }
    if context["retracted"]:  # the notice, never a bare 404; no ClaimReview any more
        return render_to_string("public/claim.html", context | {"paragraph": []})
    data = claim_review(
        snapshot=published,
        claim=claim,
        url=request.build_absolute_uri(reverse("public:claim", args=[article.slug, ordinal])),
        version=publication.version,
        published_at=publication.published_at,
    )
    paragraph = _paragraph_of(article.body, claim)
    return render_to_string(
        "public/claim.html", context | {"paragraph": paragraph, "jsonld": as_script(data)}
    )


# --- pages ----------------------------------------------------------------------------------


@require_safe
@snapshot_cache
@public_page
def article_page(request, slug: str) -> HttpResponse:
    pointer = _latest_pointer(slug)
    return _cached(
        _page_key(request, pointer, slug),
        lambda: _article_html(request, _publication(pointer)),
    )


@require_safe
@snapshot_cache
@public_page
def version_page(request, slug: str, version: int) -> HttpResponse:
    pointer = _latest_pointer(slug)
    return _cached(
        _page_key(request, pointer, slug, version=version),
        lambda: _article_html(request, _publication(pointer, version)),
    )


@require_safe
@snapshot_cache
@public_page
def claim_page(request, slug: str, ordinal: int) -> HttpResponse:
    pointer = _latest_pointer(slug)
    return _cached(
        _page_key(request, pointer, slug, ordinal=ordinal),
        lambda: _claim_html(request, _publication(pointer), ordinal),
    )


@require_safe
@public_cache
def index(request) -> HttpResponse:
    latest = (
        Publication.objects.latest_per_article()
        .select_related("article")
        .defer("snapshot", "article__body")
        .order_by("-published_at")
    )
    page = Paginator(latest, 20).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "organisation": settings.FACTCHECK_ORGANISATION,
        "canonical": request.build_absolute_uri(reverse("public:index")),
    }
    return HttpResponse(render_to_string("public/index.html", context))


@require_safe
@public_cache
def methodology(request) -> HttpResponse:
    context = {
        "ratings": Rating.objects.active(),
        "organisation": settings.FACTCHECK_ORGANISATION,
        "contact": settings.FACTCHECK_CONTACT_EMAIL,
        "min_sources": settings.FACTCHECK_SCALAR_MIN_SOURCES,
        "min_decisive": settings.FACTCHECK_SCALAR_MIN_DECISIVE_SOURCES,
        "off_scale_sources": settings.FACTCHECK_OFF_SCALE_MIN_SOURCES,
        "canonical": request.build_absolute_uri(reverse("public:methodology")),
    }
    return HttpResponse(render_to_string("public/methodology.html", context))


@require_safe
@public_cache
def claimreview_json(request) -> HttpResponse:
    """Every current ClaimReview (latest, unretracted publications) as one JSON array."""
    reviews = []
    current = Publication.objects.latest_per_article().filter(retracted_at__isnull=True)
    for publication in current.select_related("article").order_by("-published_at"):
        published = snapshot.load(publication.snapshot)
        for claim in published.claims:
            url = request.build_absolute_uri(
                reverse("public:claim", args=[publication.article.slug, claim.ordinal])
            )
            reviews.append(
                claim_review(
                    snapshot=published,
                    claim=claim,
                    url=url,
                    version=publication.version,
                    published_at=publication.published_at,
                )
            )
    return HttpResponse(as_json(reviews), content_type="application/json")


@require_safe
@public_cache
def robots_txt(request) -> HttpResponse:
    """Crawlers may read the public pages, not the desk's; the sitemap lists the checks."""
    lines = [
        "User-agent: *",
        f"Disallow: {reverse('claims:queue')}",
        "Disallow: /admin/",
        "Disallow: /accounts/",
        f"Sitemap: {request.build_absolute_uri(reverse('django.contrib.sitemaps.views.sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def ratings_css(request) -> HttpResponse:
    """Each rating's colour for the marks and chips of the public pages, as a stylesheet
    (the CSP allows no inline style): a checked sentence is highlighted in its rating's
    colour, not one yellow for all. Colours are the scale's, which the admin edits."""
    css = render_to_string("public/ratings.css", {"ratings": Rating.objects.all()})
    return HttpResponse(css, content_type="text/css; charset=utf-8")
