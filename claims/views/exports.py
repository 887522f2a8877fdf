"""Downloads for editors: an article as JSON (exporting.article_export, as the
export_article command writes it) and its claims and verdicts as CSV."""

from __future__ import annotations

import csv
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from ..access import ArticleAbilities
from ..exporting import CSV_COLUMNS, article_export, claims_table
from ..models import Article
from .desk import DeskRequest, desk_required


def _exported(request: DeskRequest, slug: str) -> Article:
    """The article, if the reader may export it (a 403 saying why otherwise)."""
    article = get_object_or_404(Article, slug=slug)
    ArticleAbilities(request.user, article, None).export.require()
    return article


def _download(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@desk_required
@cache_control(private=True, no_store=True)
def article_json(request: DeskRequest, slug: str) -> HttpResponse:
    """`?notes=1` adds the internal notes (never published; the file is the desk's)."""
    article = _exported(request, slug)
    data = article_export(article, include_notes=request.GET.get("notes") == "1")
    text = json.dumps(data, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder)
    response = HttpResponse(text, content_type="application/json; charset=utf-8")
    return _download(response, f"{article.slug}.json")


@require_GET
@desk_required
@cache_control(private=True, no_store=True)
def article_csv(request: DeskRequest, slug: str) -> HttpResponse:
    article = _exported(request, slug)
    # A byte-order mark, so that spreadsheets read the file as UTF-8.
    response = HttpResponse("\ufeff", content_type="text/csv; charset=utf-8")
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    writer.writerows(claims_table(article))
    return _download(response, f"{article.slug}-claims.csv")
