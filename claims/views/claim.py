"""The claim page: the sentence in its paragraph, then one panel per part of the review
(status and assignment, wording, sources, verdict, sign-off, notes, timeline), and the
claim "as of" any event of its timeline. The actions are in claim_actions.py."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition, require_GET
from django.views.decorators.vary import vary_on_headers

from .. import audit, review
from ..access import ClaimAbilities, may_work_on
from ..forms import (
    ApproveForm,
    AssignForm,
    DismissForm,
    NoteForm,
    SendBackForm,
    SourceForm,
    VerdictForm,
    WordingForm,
)
from ..models import AuditEvent, Claim, ClaimStatus, Note, Rating, Source
from .desk import desk_required, page_etag

PANELS = {"assignment", "wording", "sources", "notes", "verdict", "signoff", "timeline"}
# The parts of the claim page that show the claim and hold nothing the user types, each
# with the panel it sits in. Every htmx answer on the page brings them all back, rendered
# from the same read of the claim as the answer itself, so no button is ever offered
# beside an older picture of the claim (e.g. "Approve verdict" beside "Sources (0)").
# The forms that hold typing (wording, verdict) keep their version and say when it is
# older than the claim shown (static/js/workspace.js); sending them is then a conflict.
SHOWN = {
    "assignment": "assignment",
    "source-list": "sources",
    "current-verdict": "verdict",
    "signoff": "signoff",
    "timeline": "timeline",
}


def _etag(request: HttpRequest, pk: int) -> str | None:
    article = Claim.objects.filter(pk=pk).values("article_id")[:1]
    return page_etag(request, AuditEvent.objects.filter(article_id=Subquery(article)))


@require_GET
@vary_on_headers("HX-Request")
@desk_required
@cache_control(private=True, no_cache=True)
@condition(etag_func=_etag)
def claim_page(request: HttpRequest, pk: int) -> HttpResponse:
    claim = claim_for_page(pk)
    panel = request.GET.get("panel")
    if request.htmx and not request.htmx.history_restore_request and panel in PANELS:
        return answer(request, claim_context(request, claim), panel)
    context = claim_context(request, claim)
    if "as_of" in request.GET:
        context["as_of"] = _as_of(claim, request.GET["as_of"])
    return render(request, "claims/claim.html", context)


def answer(request, context: dict, panel: str, *, status: int = 200) -> HttpResponse:
    """The panel asked for, then every other part that shows the claim, out of band."""
    response = render(request, f"claims/claim.html#{panel}", context, status=status)
    for part, home in SHOWN.items():
        if home != panel:
            html = render_to_string(f"claims/claim.html#{part}", context | {"oob": True}, request)
            response.content += html.encode()
    return response


def claim_for_page(pk: int) -> Claim:
    return get_object_or_404(
        Claim.objects.select_related(
            "article", "assignee", "verdict__rating", "verdict__proposed_by", "verdict__approved_by"
        ).defer("article__body"),
        pk=pk,
    )


def claim_context(request: HttpRequest, claim: Claim, **forms) -> dict:
    verdict = getattr(claim, "verdict", None)
    user = request.user
    initial_verdict = (
        {"rating": verdict.rating_id, "summary": verdict.summary, "rationale": verdict.rationale}
        if verdict
        else {}
    )
    version = {"version": claim.version}
    abilities = ClaimAbilities(user, claim, verdict)
    members = review.desk_members() if abilities.assign else None
    ratings = list(Rating.objects.all())
    workable = may_work_on(user, claim.article)
    context = {
        "abilities": abilities,
        "claim": claim,
        "claim_url": claim.get_absolute_url(),
        "workable": workable,
        "article": claim.article,
        "verdict": verdict,
        "paragraph": Claim.objects.filter(article_id=claim.article_id, paragraph=claim.paragraph)
        .only("id", "ordinal", "text", "start", "end")
        .order_by("ordinal"),
        "sources": Source.objects.filter(claim=claim).select_related("added_by"),
        "notes": Note.objects.filter(claim=claim).select_related("author"),
        "events": _timeline(AuditEvent.objects.filter(claim=claim).order_by("seq"), ratings),
        "ratings": [rating for rating in ratings if not rating.is_retired],
        "wording_form": WordingForm(initial={"wording": claim.wording} | version),
        "assign_form": AssignForm(
            initial={"assignee": claim.assignee_id} | version, members=members
        )
        if members is not None
        else None,
        "source_form": SourceForm(),
        "note_form": NoteForm(),
        "verdict_form": VerdictForm(initial=initial_verdict | version),
        "approve_form": ApproveForm(initial=version),
        "send_back_form": SendBackForm(initial=version),
        "dismiss_form": DismissForm(initial=version),
    }
    return context | forms


USER_FIELDS = {"assignee", "proposed_by", "approved_by", "added_by"}


def _timeline(events, ratings: list[Rating]) -> list[tuple[AuditEvent, list]]:
    """Each event with its changes, people and ratings shown by name (one more query)."""
    events = list(events)
    changes = {event.pk: event.changes() for event in events}
    user_ids = {v for c in changes.values() for f, *vals in c if f in USER_FIELDS for v in vals}
    names = dict(
        get_user_model().objects.filter(pk__in=user_ids - {None}).values_list("pk", "username")
    )
    labels = {rating.pk: rating.label for rating in ratings}

    def shown(field, value):
        if value in (None, ""):
            return None
        if field in USER_FIELDS:
            return names.get(value, f"user {value}")
        if field == "rating":
            return labels.get(value, value)
        return value

    return [
        (event, [(f, shown(f, old), shown(f, new)) for f, old, new in changes[event.pk]])
        for event in events
    ]


def _as_of(claim: Claim, seq: str) -> dict:
    """The claim replayed from the audit trail up to one of its events.

    `?as_of=<seq>` names an event of the claim; `?as_of=imported` its article's import.
    """
    events = audit.claim_events(claim)
    if seq == "imported":
        event = events.filter(audit.import_of(claim)).first()
    else:
        event = events.filter(seq=int(seq) if seq.isdigit() else 0).first()
    if event is None:
        raise Http404("This claim has no such event in its timeline.")
    try:
        state = audit.claim_as_of(claim, event.seq)
    except audit.ReplayError as error:  # the page still shows the claim as it is now
        return {"event": event, "error": str(error)}
    verdict = state.verdict or {}
    people = {verdict.get("proposed_by"), verdict.get("approved_by"), state.assignee} - {None}
    names = dict(get_user_model().objects.filter(pk__in=people).values_list("pk", "username"))
    return {
        "event": event,
        "state": state,
        "assignee": names.get(state.assignee),
        "status": ClaimStatus(state.status).label,
        "rating": Rating.objects.filter(pk=verdict.get("rating")).first(),
        "proposed_by": names.get(verdict.get("proposed_by")),
        "approved_by": names.get(verdict.get("approved_by")),
        "sources": list(state.sources.values()),
        "notes": list(state.notes.values()),
    }
