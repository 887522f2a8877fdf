"""The claim page's actions. Each is a POST that calls its service and answers through
`done` or `refused`: from htmx, the panel swapped in place with the rest of the claim
out of band; as a plain form post, a redirect back to the page (or the page again with
the reasons). Who may do what is the services' to say (access.ClaimAbilities)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.forms import Form, ModelForm
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST
from django_htmx.http import trigger_client_event

from .. import evidence, review
from ..forms import (
    ApproveForm,
    AssignForm,
    ClaimantForm,
    ConfirmForm,
    DismissForm,
    NoteForm,
    SendBackForm,
    SourceForm,
    TakeForm,
    VerdictForm,
    VersionedForm,
    WordingForm,
)
from ..models import Claim, Source
from .claim import answer, claim_context, claim_for_page
from .desk import DeskRequest, desk_required


def act(
    request: DeskRequest,
    pk: int,
    form: Form | ModelForm,
    form_name: str,
    panel: str,
    service: Callable[..., object],
    said: str,
    *,
    claim: bool = True,
    moves: bool = True,
) -> HttpResponse:
    """What every action of the claim page does: check `form`, call `service` with the
    actor, the claim (unless `claim` is False: the service takes another object, bound
    in) and the form's data; then `done`, saying `said`, or `refused` with the reasons."""
    shown = claim_for_page(pk)
    if not form.is_valid():
        return refused(request, shown, panel, form, form_name)
    try:
        service(actor=request.user, **({"claim": shown} if claim else {}), **form.cleaned_data)
    except (review.Conflict, ValidationError) as error:
        return refused(request, shown, panel, form, form_name, error)
    return done(request, pk, panel, said, moves=moves)


def done(request: DeskRequest, pk: int, panel: str, message: str, *, moves: bool = True):
    """The service did it. htmx gets the panel, the rest of the claim out of band and
    the `claim-changed` event; a plain post goes back to the claim page.

    `moves`: the service raised the claim's version by one (all but notes, see review).
    The event then says which version the answer shows, so the page can tell whether
    this change was the only one since it last looked (static/js/workspace.js).
    """
    if not request.htmx:
        messages.success(request, message)
        return redirect("claims:claim", pk=pk)
    claim = claim_for_page(pk)
    response = announced(answer(request, claim, panel), message)
    if panel == "sources":  # the sources changed: a refusal for want of them is out of date
        response.content += render_to_string(
            "claims/claim.html#evidence-check", {"oob": True}, request
        ).encode()
    return trigger_client_event(response, "claim-changed", {"to": claim.version} if moves else {})


def announced(response: HttpResponse, text: str, *, level: str = "success") -> HttpResponse:
    """The answer with `text` put in the page's live region (base.html's #flash) out of
    band, so it is seen and read out, and replaces what the last action said."""
    response.content += render_to_string(
        "claims/_flash_oob.html", {"text": text, "level": level}
    ).encode()
    return response


def refused(
    request: DeskRequest,
    claim: Claim,
    panel: str,
    form: Form | ModelForm,
    form_name: str,
    error: Exception | None = None,
) -> HttpResponse:
    """The form didn't validate (no `error`) or the service refused it: the panel (htmx)
    or the page again with the reasons (422); for a conflict, what the claim is now (409)."""
    if isinstance(error, review.Conflict):
        return _conflict(request, error, panel, form, form_name)
    if isinstance(error, ValidationError):
        _add_errors(form, error)
    context = claim_context(request, claim) | {form_name: form}
    if request.htmx:
        response = answer(request, claim, panel, context=context, status=422)
        return announced(response, "Not saved: see what to correct below.", level="error")
    return render(request, "claims/claim.html", context, status=422)


def _add_errors(form: Form | ModelForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):  # each field's errors with their codes
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, ValidationError(errors))
    else:
        form.add_error(None, error.messages)


def _conflict(request: DeskRequest, conflict: review.Conflict, panel: str, form, form_name: str):
    """409: nothing was saved; show what the claim is now and keep what the user typed.

    The kept form carries the current version, so sending it again re-applies it.
    """
    claim = claim_for_page(conflict.claim.pk)
    mine = form.cleaned_data | {"version": claim.version}
    if "rating" in mine:
        mine["rating"] = mine["rating"].pk
    context = claim_context(request, claim) | {
        "conflict": conflict,
        "conflict_panel": panel,
        form_name: type(form)(
            initial=mine,
            **({"members": review.desk_members()} if form_name == "assign_form" else {}),
        ),
    }
    if request.htmx:
        response = answer(request, claim, panel, context=context, status=409)
        return announced(response, f"Not saved: {conflict}", level="error")
    return render(request, "claims/claim.html", context, status=409)


# --- taking and assigning ----------------------------------------------------------------


@require_POST
@desk_required
def claim_take(request: DeskRequest, pk: int) -> HttpResponse:
    form = TakeForm(request.POST)
    return act(
        request, pk, form, "take_form", "assignment", review.claim_take, "You took this claim."
    )


@require_POST
@desk_required
def claim_release(request: DeskRequest, pk: int) -> HttpResponse:
    form = VersionedForm(request.POST)
    return act(
        request, pk, form, "version_form", "assignment", review.claim_release, "Claim released."
    )


@require_POST
@desk_required
@permission_required("claims.assign_claim", raise_exception=True)
def claim_assign(request: DeskRequest, pk: int) -> HttpResponse:
    form = AssignForm(request.POST, members=review.desk_members())
    return act(
        request, pk, form, "assign_form", "assignment", review.claim_assign, "Claim assigned."
    )


# --- wording, sources, notes ---------------------------------------------------------------


@require_POST
@desk_required
def claim_reword(request: DeskRequest, pk: int) -> HttpResponse:
    form = WordingForm(request.POST)
    return act(request, pk, form, "wording_form", "wording", review.claim_reword, "Wording saved.")


@require_POST
@desk_required
def claim_set_claimant(request: DeskRequest, pk: int) -> HttpResponse:
    form = ClaimantForm(request.POST)
    said = "Saved who made the claim."
    return act(request, pk, form, "claimant_form", "claimant", review.claim_set_claimant, said)


@require_POST
@desk_required
def source_add(request: DeskRequest, pk: int) -> HttpResponse:
    form = SourceForm(request.POST)
    return act(
        request, pk, form, "source_form", "sources", review.claim_add_source, "Source added."
    )


@require_POST
@desk_required
def source_remove(request: DeskRequest, pk: int, source_pk: int) -> HttpResponse:
    source = get_object_or_404(Source, pk=source_pk, claim_id=pk)
    remove = partial(review.claim_remove_source, source=source)
    form = ConfirmForm(request.POST)
    return act(request, pk, form, "confirm_form", "sources", remove, "Source removed.", claim=False)


@require_POST
@desk_required
def source_capture_retry(request: DeskRequest, pk: int, source_pk: int) -> HttpResponse:
    source = get_object_or_404(Source, pk=source_pk, claim_id=pk)
    retry = partial(evidence.source_capture_retry, source=source)
    said = "Capture queued; the source shows it once the worker has fetched the page."
    form = ConfirmForm(request.POST)
    return act(request, pk, form, "confirm_form", "sources", retry, said, claim=False, moves=False)


@require_POST
@desk_required
def note_add(request: DeskRequest, pk: int) -> HttpResponse:
    form = NoteForm(request.POST)
    return act(
        request, pk, form, "note_form", "notes", review.claim_add_note, "Note added.", moves=False
    )


# --- verdicts and sign-off ---------------------------------------------------------------


@require_POST
@desk_required
def verdict_propose(request: DeskRequest, pk: int) -> HttpResponse:
    form = VerdictForm(request.POST)
    propose = review.claim_propose_verdict
    return act(request, pk, form, "verdict_form", "verdict", propose, "Verdict proposed.")


@require_POST
@desk_required
def verdict_approve(request: DeskRequest, pk: int) -> HttpResponse:
    form = ApproveForm(request.POST)
    approve = review.claim_approve_verdict
    return act(request, pk, form, "approve_form", "signoff", approve, "Verdict approved.")


@require_POST
@desk_required
def verdict_send_back(request: DeskRequest, pk: int) -> HttpResponse:
    form = SendBackForm(request.POST)
    send_back = review.claim_send_back
    return act(request, pk, form, "send_back_form", "signoff", send_back, "Verdict sent back.")


@require_POST
@desk_required
@permission_required("claims.dismiss_claim", raise_exception=True)
def claim_dismiss(request: DeskRequest, pk: int) -> HttpResponse:
    form = DismissForm(request.POST)
    return act(
        request, pk, form, "dismiss_form", "signoff", review.claim_dismiss, "Claim dismissed."
    )


@require_POST
@desk_required
@permission_required("claims.dismiss_claim", raise_exception=True)
def claim_restore(request: DeskRequest, pk: int) -> HttpResponse:
    form = VersionedForm(request.POST)
    return act(
        request, pk, form, "version_form", "signoff", review.claim_restore, "Claim restored."
    )
