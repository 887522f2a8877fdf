"""What readers sent, for editors: tips to import or dismiss, correction requests to
accept (reopening the article) or decline; the header's count of what waits; the
IFCN/EFCSN readiness checklist. Plain form posts, each answered with the list again and
a message saying what happened or why not."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from .. import reader, transparency
from ..access import IntakeAbilities
from ..fetching import FetchRefused
from ..forms import ReasonForm
from ..importing import ImportRejected
from ..models import CorrectionRequest, ReaderStatus, Tip
from ..waiting import waiting_for
from .desk import DeskRequest, desk_required


@require_GET
@desk_required
def intake(request: DeskRequest) -> HttpResponse:
    abilities = IntakeAbilities(request.user)
    abilities.see.require()
    shown = request.GET.get("status", ReaderStatus.NEW)
    if shown not in ReaderStatus.values:
        shown = ReaderStatus.NEW
    tips = Tip.objects.filter(status=shown).select_related("decided_by", "job", "article")
    requests = CorrectionRequest.objects.filter(status=shown).select_related(
        "claim__verdict__rating", "article", "decided_by", "publication"
    )
    context = {
        "abilities": abilities,
        "shown": shown,
        "statuses": ReaderStatus.choices,
        "tips": Paginator(tips, 50).get_page(request.GET.get("page")),
        "requests": requests[:100] if abilities.correction_requests else [],
    }
    return render(request, "claims/intake.html", context)


def _answer(request: DeskRequest, call, done: str) -> HttpResponse:
    """Call the service; back to the list with what happened or why not."""
    try:
        call()
    except (ValidationError, PermissionDenied, ImportRejected, FetchRefused) as error:
        text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        messages.error(request, text)
    else:
        messages.success(request, done)
    return redirect("claims:intake")


@require_POST
@desk_required
def tip_import(request: DeskRequest, tip_pk: int) -> HttpResponse:
    IntakeAbilities(request.user).tips.require()
    tip, by = get_object_or_404(Tip, pk=tip_pk), request.POST.get("by", "")
    done = "Import of the page queued." if by == "url" else "The tip's text is imported."

    def call():
        reader.tip_import(actor=request.user, tip=tip, by=by)

    return _answer(request, call, done)


@require_POST
@desk_required
def tip_dismiss(request: DeskRequest, tip_pk: int) -> HttpResponse:
    IntakeAbilities(request.user).tips.require()
    tip, form = get_object_or_404(Tip, pk=tip_pk), ReasonForm(request.POST)

    def call():
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        reader.tip_dismiss(actor=request.user, tip=tip, reason=reason)

    return _answer(request, call, "Tip dismissed.")


@require_POST
@desk_required
def request_accept(request: DeskRequest, request_pk: int) -> HttpResponse:
    IntakeAbilities(request.user).correction_requests.require()
    found = get_object_or_404(CorrectionRequest, pk=request_pk)

    def call():
        reader.correction_request_accept(actor=request.user, request=found)

    done = "Request accepted; the article is open for a correction."
    return _answer(request, call, done)


@require_POST
@desk_required
def request_decline(request: DeskRequest, request_pk: int) -> HttpResponse:
    IntakeAbilities(request.user).correction_requests.require()
    found, form = get_object_or_404(CorrectionRequest, pk=request_pk), ReasonForm(request.POST)

    def call():
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        reader.correction_request_decline(actor=request.user, request=found, reason=reason)

    return _answer(request, call, "Request declined.")


@require_GET
@desk_required
def waiting(request: DeskRequest) -> HttpResponse:
    """The header's count, which htmx asks for once the page is shown and every minute."""
    context = {
        "waiting": waiting_for(request.user),
        "poll": settings.FACTCHECK_WAITING_POLL_SECONDS,
    }
    return render(request, "claims/_waiting.html", context)


@require_GET
@desk_required
def readiness(request: DeskRequest) -> HttpResponse:
    IntakeAbilities(request.user).correction_requests.require()
    requirements = transparency.readiness()
    missing = sum(not r.done for r in requirements)
    context = {"requirements": requirements, "missing": missing}
    return render(request, "claims/readiness.html", context)
