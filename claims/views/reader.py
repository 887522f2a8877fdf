"""Readers write to the desk: suggest a claim (/checks/suggest/) or report an error in a
published verdict (/checks/<slug>/claims/<n>/report/). The protections are the forms'
(honeypot, fill time, sizes, URLs) and the services' (rate per address); a refused
message stores nothing. Neither page is cached, and the thank-you pages show nothing of
what was sent."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from .. import reader, snapshot
from ..forms import CorrectionRequestForm, ReaderForm, TipForm
from ..logins import client_ip
from ..models import Claim, Publication
from .transparency import _organisation


def _send(request, form: ReaderForm, submit, template: str, context: dict) -> HttpResponse:
    """Validate, call the service, or show the form again with why (422, or 429)."""
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                submit(sender=reader.sender_key(client_ip(request)), **form.message)
            except reader.TooMany as error:
                form.add_error(None, str(error))
                status = 429
            except ValidationError as error:
                form.add_error(None, error)
                status = 422
            else:
                return redirect(request.path + "thanks/")
        else:
            status = 422
    response = render(request, template, _organisation() | context | {"form": form}, status=status)
    if status == 429:
        response["Retry-After"] = "3600"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def suggest(request) -> HttpResponse:
    form = TipForm(request.POST or None)
    return _send(request, form, reader.tip_submit, "public/suggest.html", {})


@never_cache
@require_safe
def thanks(request, **page) -> HttpResponse:
    return render(request, "public/thanks.html", _organisation() | {"report": bool(page)})


def _published_claim(slug: str, ordinal: int):
    """(the claim as published, its row): a live publication that shows claim `ordinal`."""
    latest = (
        Publication.objects.filter(article__slug=slug)
        .select_related("article")
        .defer("article__body")
        .order_by("-version")
        .first()
    )
    if latest is None or latest.retracted_at is not None:
        raise Http404("No published fact-check at this address.")
    shown = [c for c in snapshot.load(latest.snapshot).claims if c.ordinal == ordinal]
    if not shown:
        raise Http404("This fact-check has no published claim with that number.")
    # The claim as it is in the workspace now; none if a change of language split the
    # text again since (the reader then writes to the desk's address instead).
    claim = Claim.objects.filter(article_id=latest.article_id, ordinal=ordinal).first()
    if claim is None:
        raise Http404("This claim can't take reports now; please write to us instead.")
    return shown[0], claim, latest


@never_cache
@require_http_methods(["GET", "POST"])
def report(request, slug: str, ordinal: int) -> HttpResponse:
    published, claim, publication = _published_claim(slug, ordinal)

    def submit(**fields):
        return reader.correction_request_submit(claim=claim, **fields)

    form = CorrectionRequestForm(request.POST or None)
    context = {"claim": published, "article": publication.article}
    return _send(request, form, submit, "public/report.html", context)
