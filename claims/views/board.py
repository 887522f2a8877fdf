"""The article board: its claims in article order, filtered in the URL, and the editors'
actions on the whole article: publishing (views/publishing.py) and its language (here)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition, require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from ..access import ArticleAbilities
from ..forms import (
    ArticleForm,
    BoardFilterForm,
    BulkForm,
    LanguageForm,
    ReopenForm,
    RetractForm,
)
from ..importing import article_change_language
from ..models import Article, AuditEvent, ClaimStatus, Rating
from ..publishing import article_edit as edit_article
from ..publishing import details_seen
from ..review import desk_members
from .desk import DeskRequest, desk_required, page_etag

# A row costs about 1 ms to render (its score reasons, status, verdict), the rest of the
# board about 15: at 20 a page the board of a 1,000-claim article answers within 2× the
# time of a 10-claim one (make bench); at 100 a page it took 5×.
BOARD_PAGE_SIZE = 20


def _etag(request: DeskRequest, slug: str) -> str | None:
    return page_etag(request, AuditEvent.objects.filter(article__slug=slug))


@require_GET
@vary_on_headers("HX-Request")
@desk_required
@cache_control(private=True, no_cache=True)
@condition(etag_func=_etag)
def board(request: DeskRequest, slug: str) -> HttpResponse:
    # htmx swaps the table in place; restoring history it asks for the whole page.
    table = request.htmx and not request.htmx.history_restore_request
    template = "claims/board.html#claims-table" if table else "claims/board.html"
    return render(request, template, _board_context(request, slug))


def _board_context(
    request: DeskRequest, slug: str, article_form: ArticleForm | None = None
) -> dict:
    article = get_object_or_404(Article.objects.defer("body"), slug=slug)
    abilities = ArticleAbilities(request.user, article, article.latest_publication)
    ratings = list(Rating.objects.all())
    filters = BoardFilterForm(request.GET, ratings=ratings)
    cleaned = filters.cleaned_data if filters.is_valid() else None
    claims = article.claims.on_board(cleaned, request.user).with_send_backs()
    page = Paginator(claims, BOARD_PAGE_SIZE).get_page(request.GET.get("page"))
    counts = article.claims.aggregate(
        total=Count("id"), **{s: Count("id", filter=Q(status=s)) for s in ClaimStatus.values}
    )
    query = request.GET.copy()
    query.pop("page", None)
    abilities = ArticleAbilities(request.user, article, article.latest_publication)
    return {
        "article_abilities": abilities,
        "article_form": article_form or (_article_form(article) if abilities.edit else None),
        "bulk_form": BulkForm(members=desk_members()) if abilities.bulk else None,
        "publication": article.latest_publication,
        "retract_form": RetractForm(auto_id="retract_%s"),
        "reopen_form": ReopenForm(auto_id="reopen_%s"),
        "language_form": LanguageForm(current=article.language),
        "article": article,
        "filters": filters,
        "page": page,
        "counts": counts,
        "query": f"{query.urlencode()}&" if query else "",
    }


@require_POST
@desk_required
def article_language(request: DeskRequest, slug: str) -> HttpResponse:
    """Change the article's language (who may: ArticleAbilities.change_language, which
    the service enforces: a 403 for anyone else)."""
    article = get_object_or_404(Article.objects.defer("body"), slug=slug)
    form = LanguageForm(request.POST, current=article.language)
    form.is_valid()  # a free text field: the service says what is a language
    try:
        change = article_change_language(actor=request.user, article=article, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, change.message)
    return _board_again(request, slug)


def _article_form(article: Article) -> ArticleForm:
    initial = {name: getattr(article, name) for name in ("title", "publisher", "author", "url")}
    initial |= {"published_on": article.published_on, "seen": details_seen(article)}
    return ArticleForm(initial=initial)


@require_POST
@desk_required
def article_edit(request: DeskRequest, slug: str) -> HttpResponse:
    """Correct the article's details (who may: ArticleAbilities.edit, which the service
    enforces). Refused, the board shows the form again as sent, with the reasons."""
    article = get_object_or_404(Article.objects.defer("body"), slug=slug)
    ArticleAbilities(request.user, article, None).edit.require()  # before saying what's wrong
    form = ArticleForm(request.POST)
    if form.is_valid():
        try:
            edit_article(actor=request.user, article=article, **form.cleaned_data)
        except ValidationError as error:
            if getattr(error, "code", None) == "changed_meanwhile":
                # The form again, with the details as they are now (and the reason).
                current = _article_form(Article.objects.defer("body").get(pk=article.pk))
                form = ArticleForm({**current.initial})
                form.is_valid()
            _form_errors(form, error)
        else:
            messages.success(
                request, "Details saved. The public page shows them from the next publication."
            )
            return _board_again(request, slug)
    context = _board_context(request, slug, article_form=form)
    return render(request, "claims/board.html", context, status=422)


def _form_errors(form: ArticleForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _board_again(request: DeskRequest, slug: str) -> HttpResponse:
    """After a change to the whole article: a plain post goes back to the board; htmx gets
    the board (its text in the article's language now) to swap in, the message with it."""
    if not request.htmx:
        return redirect("claims:board", slug=slug)
    return render(request, "claims/board.html", _board_context(request, slug))
