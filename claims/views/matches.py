"""The claim page's "Checked before" actions: look for earlier checks again, reuse one
(a source and a draft verdict), mark one as wrong. Each calls its service and answers
as the other claim actions do (claim_actions.py)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_htmx.http import trigger_client_event

from ..forms import ReuseForm
from ..models import ClaimMatch, Stance
from ..search import matching
from .claim import answer, claim_for_page
from .claim_actions import announced, done, refused
from .desk import DeskRequest, desk_required


def _said_no() -> ReuseForm:
    """A form to carry a refusal's message into the panel (its errors show at the top)."""
    form = ReuseForm({"stance": Stance.CONTEXT})
    form.is_valid()
    return form


@require_POST
@desk_required
def matches_find(request: DeskRequest, pk: int) -> HttpResponse:
    claim = claim_for_page(pk)
    try:
        found = matching.claim_find_matches(actor=request.user, claim=claim)
    except ValidationError as error:
        return refused(request, claim, "matches", _said_no(), "reuse_form", error)
    said = f"{len(found)} earlier check{'s' if len(found) != 1 else ''} found."
    return done(request, pk, "matches", said, moves=False)


@require_POST
@desk_required
def match_reuse(request: DeskRequest, match_pk: int) -> HttpResponse:
    match = get_object_or_404(ClaimMatch, pk=match_pk)
    claim, form = claim_for_page(match.claim_id), ReuseForm(request.POST)
    if not form.is_valid():
        return refused(request, claim, "matches", form, "reuse_form")
    try:
        source, draft = matching.match_reuse(
            actor=request.user,
            match=match,
            site=settings.FACTCHECK_PUBLIC_URL or request.build_absolute_uri("/"),
            stance=form.cleaned_data["stance"],
        )
    except ValidationError as error:
        return refused(request, claim, "matches", form, "reuse_form", error)
    said = (
        "The earlier check is a source now, and its verdict is in the form as a draft: "
        "check it, then propose it."
        if source
        else "The earlier verdict is in the form as a draft (it isn't published, so no "
        "source was added): check it, then propose it."
    )
    if not request.htmx:
        messages.success(request, said)
        return redirect(
            reverse("claims:claim", args=[claim.pk]) + f"?reuse={match.pk}#panel-verdict"
        )
    claim = claim_for_page(claim.pk)
    response = announced(answer(request, claim, "verdict", draft=draft), said)
    return trigger_client_event(response, "claim-changed", {"to": claim.version})


@require_POST
@desk_required
def match_reject(request: DeskRequest, match_pk: int) -> HttpResponse:
    match = get_object_or_404(ClaimMatch, pk=match_pk)
    try:
        matching.match_reject(actor=request.user, match=match)
    except ValidationError as error:
        claim = claim_for_page(match.claim_id)
        return refused(request, claim, "matches", _said_no(), "reuse_form", error)
    return done(
        request, match.claim_id, "matches", "Marked as wrong: it won't be shown again.", moves=False
    )
