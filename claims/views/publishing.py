"""The editors' publishing actions on the board: preview, then publish (or publish a
correction), reopen for a correction, retract. Each answers with the board (publishing:
the preview, when refused) and a message saying what happened or why not."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from .. import publishing
from ..forms import PublishForm, ReopenForm, RetractForm
from ..models import Article
from .desk import DeskRequest, desk_required
from .public import preview_html


def _article(slug: str) -> Article:
    return get_object_or_404(Article.objects.defer("body"), slug=slug)


def _refused(request: DeskRequest, article: Article, form: Form, error=None) -> HttpResponse:
    """Back to the board, saying why: the form's errors, or the service's refusal."""
    if error is not None:
        messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(article)


@require_GET
@desk_required
@permission_required("claims.publish_article", raise_exception=True)
@cache_control(private=True, no_store=True)
def article_preview(request: DeskRequest, slug: str) -> HttpResponse:
    """The public page exactly as publishing now would make it (rendered from the snapshot
    it would save, which is not saved), what it changes against the current version, the
    ClaimReview details it lacks, and the form that publishes it."""
    return _preview(request, _article(slug), PublishForm())


def _preview(request: DeskRequest, article: Article, form: PublishForm, status: int = 200):
    draft = publishing.publication_preview(actor=request.user, article=article)
    if draft.publication is None:  # not ready (any more): the board says why
        messages.error(request, draft.problem)
        return redirect(article)
    html = preview_html(request, draft.publication, draft=draft, publish_form=form)
    return HttpResponse(html, status=status)


@require_POST
@desk_required
@permission_required("claims.publish_article", raise_exception=True)
@cache_control(private=True, no_store=True)
def article_publish(request: DeskRequest, slug: str) -> HttpResponse:
    article, form = _article(slug), PublishForm(request.POST)
    if not form.is_valid():
        return _refused(request, article, form)
    try:
        publishing.article_publish(actor=request.user, article=article, **form.cleaned_data)
    except ValidationError as error:
        # The preview again, saying why, with what the editor typed (a note may be long).
        messages.error(request, " ".join(error.messages))
        return _preview(request, article, form, status=422)
    messages.success(request, "Published. The public page shows this version now.")
    return redirect(article)


@require_POST
@desk_required
@permission_required("claims.publish_article", raise_exception=True)
def article_reopen(request: DeskRequest, slug: str) -> HttpResponse:
    article, form = _article(slug), ReopenForm(request.POST)
    if not form.is_valid():
        return _refused(request, article, form)
    try:
        publishing.article_reopen(
            actor=request.user, article=article, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        return _refused(request, article, form, error)
    messages.success(
        request, "Reopened. Reviewers can work on its claims until you publish the correction."
    )
    return redirect(article)


@require_POST
@desk_required
@permission_required("claims.publish_article", raise_exception=True)
def article_retract(request: DeskRequest, slug: str) -> HttpResponse:
    article, form = _article(slug), RetractForm(request.POST)
    if not form.is_valid():
        return _refused(request, article, form)
    try:
        publishing.article_retract(
            actor=request.user, article=article, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        return _refused(request, article, form, error)
    messages.success(request, "Retracted. The public page now says so, with your reason.")
    return redirect(article)
