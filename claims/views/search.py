"""The search pages: the desk's one box over everything (`/review/search/`) and the
public's over published verdicts (`/checks/search/`). Filters live in the URL; htmx
swaps the results in place and the form works as a plain GET without JavaScript."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_safe
from django.views.decorators.vary import vary_on_headers

from ..access import reads_notes
from ..forms import PublicSearchForm, SearchForm
from ..models import Rating
from ..review import desk_members
from ..search import querying
from .desk import DeskRequest, desk_required


def _query_string(request: HttpRequest) -> str:
    """The URL's query without its page, for the pagination links."""
    query = request.GET.copy()
    query.pop("page", None)
    return f"{query.urlencode()}&" if query else ""


@require_GET
@vary_on_headers("HX-Request")
@desk_required
@cache_control(private=True, no_cache=True)
def desk_search(request: DeskRequest) -> HttpResponse:
    form = SearchForm(request.GET, ratings=list(Rating.objects.all()), members=desk_members())
    page = None
    if form.is_valid() and form.cleaned_data["q"].strip():
        page = querying.desk_search(
            form.cleaned_data["q"],
            form.cleaned_data,
            notes=reads_notes(request.user),
            page=request.GET.get("page"),
        )
    results = request.htmx and not request.htmx.history_restore_request
    template = "claims/search.html#results" if results else "claims/search.html"
    context = {"form": form, "page": page, "query": _query_string(request)}
    return render(request, template, context)


@require_safe
@cache_control(public=True, max_age=settings.FACTCHECK_PUBLIC_MAX_AGE)
def public_search(request: HttpRequest) -> HttpResponse:
    form = PublicSearchForm(request.GET)
    page = None
    if form.is_valid() and form.cleaned_data["q"].strip():
        page = querying.public_search(form.cleaned_data["q"], page=request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "query": _query_string(request),
        "organisation": settings.FACTCHECK_ORGANISATION,
    }
    return HttpResponse(render_to_string("public/search.html", context))
