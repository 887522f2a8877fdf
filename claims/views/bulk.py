"""The board's bulk actions for editors: assign, dismiss or restore the ticked claims.

A plain form post (it works without JavaScript) that calls review.claims_bulk, which
runs each claim through its own service, and goes back to the board, filters and all,
saying what was done and which claims were not changed, and why."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from .. import review
from ..access import ArticleAbilities
from ..forms import BulkForm
from ..models import Article
from ..people import display_name
from .desk import DeskRequest, desk_required

DONE = {
    review.BulkAction.ASSIGN: "Assigned {n} to {who}.",
    review.BulkAction.DISMISS: "Dismissed {n}.",
    review.BulkAction.RESTORE: "Restored {n}.",
}


@require_POST
@desk_required
def claims_bulk(request: DeskRequest, slug: str) -> HttpResponse:
    article = get_object_or_404(Article.objects.defer("body"), slug=slug)
    form = BulkForm(request.POST, members=review.desk_members())
    board = redirect(f"{article.get_absolute_url()}?{request.GET.urlencode()}")
    ArticleAbilities(request.user, article, None).bulk.require()
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return board
    data = form.cleaned_data
    action = review.BulkAction(data["action"])
    outcome = review.claims_bulk(
        actor=request.user,
        article=article,
        action=action,
        picks=data["picks"],
        assignee=data["assignee"],
        reason=data["reason"],
    )
    if outcome.done:
        n = len(outcome.done)
        who = display_name(data["assignee"]) if data["assignee"] else "nobody"
        messages.success(request, DONE[action].format(n=f"{n} claim{'s' * (n != 1)}", who=who))
    for claim, why in outcome.refused:
        messages.error(request, f"Claim {claim.ordinal} was not changed: {why}")
    return board
