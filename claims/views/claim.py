"""The claim page: the sentence in its paragraph, then one panel per part of the review
(status and assignment, wording, sources, verdict, sign-off, notes, timeline), and the
claim "as of" any event of its timeline. The actions are in claim_actions.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, F, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition, require_GET
from django.views.decorators.vary import vary_on_headers

from .. import audit, narrating, review
from ..access import ClaimAbilities, may_work_on
from ..forms import (
    ApproveForm,
    AssignForm,
    ClaimantForm,
    DismissForm,
    NoteForm,
    ReuseForm,
    SendBackForm,
    SourceForm,
    VerdictForm,
    WordingForm,
)
from ..models import (
    AuditEvent,
    Claim,
    ClaimMatch,
    ClaimStatus,
    CorrectionRequest,
    Note,
    Rating,
    ReaderStatus,
    SnapshotKind,
    Source,
    SourceSnapshot,
)
from ..people import NAME_FIELDS, SYSTEM, name_from_values, names_stamp
from ..search import matching
from .desk import DeskRequest, desk_required, page_etag

Context = dict[str, Any]


def _etag(request: DeskRequest, pk: int) -> str | None:
    """The page's ETag (desk.page_etag). A panel is only asked for when the page knows it
    is out of date, so it is never a 304 and its answer skips the ETag's queries."""
    if _panel_asked(request):
        return None
    return page_etag(request, AuditEvent.objects.filter(article__claims=pk))


@require_GET
@vary_on_headers("HX-Request")
@desk_required
@cache_control(private=True, no_cache=True)
@condition(etag_func=_etag)
def claim_page(request: DeskRequest, pk: int) -> HttpResponse:
    claim = claim_for_page(pk)
    if panel := _panel_asked(request):
        return answer(request, claim, panel)
    context = claim_context(request, claim)
    if "as_of" in request.GET:
        context["as_of"] = _as_of(claim, request.GET["as_of"])
    return render(request, "claims/claim.html", context)


def _panel_asked(request: DeskRequest) -> str | None:
    """The panel an htmx request asks for (?panel=), if it asks for one it may have."""
    panel = request.GET.get("panel", "")
    if request.htmx and not request.htmx.history_restore_request and panel in PANELS:
        return panel
    return None


def claim_for_page(pk: int) -> Claim:
    """The claim with all the page shows of it in one query, and its latest event's seq
    (`timeline_seq`, the key of its timeline fragment)."""
    latest = AuditEvent.objects.filter(claim=OuterRef("pk")).order_by("-seq").values("seq")[:1]
    # Readers' correction requests still waiting for an answer, named beside the claim.
    waiting = CorrectionRequest.objects.filter(claim=OuterRef("pk"), status=ReaderStatus.NEW)
    requests = waiting.values("claim").annotate(n=Count("pk")).values("n")[:1]
    oldest = waiting.order_by("received_at", "pk").values("pk")[:1]
    return get_object_or_404(
        Claim.objects.select_related(
            "article", "assignee", "verdict__rating", "verdict__proposed_by", "verdict__approved_by"
        )
        .defer("article__body")
        .annotate(
            timeline_seq=Subquery(latest),
            reader_requests=Coalesce(Subquery(requests), 0),
            oldest_reader_request=Subquery(oldest),
        ),
        pk=pk,
    )


# --- the panels: each builds what its partial in claim.html reads, and nothing more -------


def _base(request: DeskRequest, claim: Claim, draft: matching.Draft | None = None) -> Context:
    """What every panel reads: the claim, its verdict and what the reader may do to it;
    `draft`, an earlier verdict being reused, for the verdict form."""
    verdict = getattr(claim, "verdict", None)
    return {
        "claim": claim,
        "verdict": verdict,
        "article": claim.article,
        "claim_url": claim.get_absolute_url(),
        "abilities": ClaimAbilities(request.user, claim, verdict),
        "draft": draft,
    }


def _reused(request: DeskRequest, claim: Claim) -> matching.Draft | None:
    """The draft of `?reuse=<match>` (where a plain post of "Reuse" lands), if that match
    is one of this claim's."""
    pk = request.GET.get("reuse", "")
    match = ClaimMatch.objects.shown().filter(claim=claim, pk=pk).first() if pk.isdigit() else None
    return matching.draft_of(match) if match else None


def _assignment(base: Context) -> Context:
    claim = base["claim"]
    if not base["abilities"].assign:
        return {"assign_form": None}
    initial = {"assignee": claim.assignee_id, "version": claim.version}
    return {"assign_form": AssignForm(initial=initial, members=review.desk_members())}


# Each panel builds the forms the reader may send, and only those (the template shows
# no form its ability refuses).


def _wording(base: Context) -> Context:
    claim = base["claim"]
    if not base["abilities"].reword:
        return {"wording_form": None}
    return {
        "wording_form": WordingForm(initial={"wording": claim.wording, "version": claim.version})
    }


def _claimant(base: Context) -> Context:
    claim = base["claim"]
    if not base["abilities"].set_claimant:
        return {"claimant_form": None}
    initial = {
        "claimant": claim.claimant,
        "claimant_kind": claim.claimant_kind,
        "claimant_role": claim.claimant_role,
        "appearance_url": claim.appearance_url,
        "appeared_on": claim.appeared_on,
        "version": claim.version,
    }
    return {"claimant_form": ClaimantForm(initial=initial)}


def _source_list(base: Context) -> Context:
    """The sources, each with its latest capture (`capture`, None while it is queued) and
    whether the reader may capture it again (`may_retry`)."""
    latest = SourceSnapshot.objects.filter(kind=SnapshotKind.CAPTURE).newest_first()
    sources = list(
        Source.objects.filter(claim=base["claim"])
        .select_related("added_by")
        .prefetch_related(Prefetch("snapshots", latest.defer("text"), to_attr="captures"))
    )
    for source in sources:
        source.capture = source.captures[0] if source.captures else None
        source.may_retry = base["abilities"].retry_capture(source.capture)
    return {"sources": sources}


def _sources(base: Context) -> Context:
    return _source_list(base) | {
        "source_form": SourceForm() if base["abilities"].add_source else None
    }


def _notes(base: Context) -> Context:
    notes = Note.objects.filter(claim=base["claim"]).select_related("author")
    return {"notes": list(notes), "note_form": NoteForm() if base["abilities"].add_note else None}


def _current_verdict(base: Context) -> Context:
    return {}


def _verdict(base: Context) -> Context:
    claim, verdict = base["claim"], base["verdict"]
    if not base["abilities"].propose:
        return {"verdict_form": None}
    initial = {"version": claim.version}
    if draft := base["draft"]:
        initial |= {"rating": draft.rating, "summary": draft.summary, "rationale": draft.rationale}
    elif verdict:
        initial |= {
            "rating": verdict.rating_id,
            "summary": verdict.summary,
            "rationale": verdict.rationale,
        }
    ratings = list(Rating.objects.filter(is_retired=False))
    return {
        "ratings": ratings,
        # The definitions beside the form are a shared fragment, keyed by what they show.
        "ratings_key": [(r.pk, r.label, r.definition, r.colour) for r in ratings],
        "verdict_form": VerdictForm(initial=initial, ratings=ratings),
    }


def _signoff(base: Context) -> Context:
    abilities, version = base["abilities"], {"version": base["claim"].version}
    return {
        "approve_form": ApproveForm(initial=version) if abilities.approve else None,
        "send_back_form": SendBackForm(initial=version) if abilities.send_back else None,
        "dismiss_form": DismissForm(initial=version) if abilities.dismiss else None,
    }


def _send_back(base: Context) -> Context:
    """Why the claim is back in review, if a sign-off sent it back: at the top of the page."""
    return {"send_back": base["claim"].send_back}


def _matches(base: Context) -> Context:
    """Earlier checks like this claim (claims/search/matching.py), with what reusing one
    or marking it wrong takes."""
    abilities = base["abilities"]
    return {
        "matches": matching.shown_matches(base["claim"]),
        "reuse_form": ReuseForm() if abilities.reuse_match else None,
    }


def _timeline(base: Context) -> Context:
    """The timeline is a shared fragment ({% cache %} in claim.html), keyed by the claim's
    latest event and the desk's names' stamp (a renamed person is shown by their new
    name): its events are read only when that fragment is not cached yet."""
    events = AuditEvent.objects.filter(claim=base["claim"]).order_by("seq")
    return {"events": lambda: timeline(events), "names_stamp": names_stamp()}


PanelContext = Callable[[Context], Context]
# Each panel and part of claim.html (a partialdef) with the context function it reads.
PANELS: dict[str, PanelContext] = {
    "assignment": _assignment,
    "wording": _wording,
    "claimant": _claimant,
    "sources": _sources,
    "notes": _notes,
    "matches": _matches,
    "verdict": _verdict,
    "signoff": _signoff,
    "timeline": _timeline,
}
# The parts of the claim page that show the claim and hold nothing the user types, each
# with the panel it sits in. Every htmx answer on the page brings them all back, rendered
# from the same read of the claim as the answer itself, so no button is ever offered
# beside an older picture of the claim (e.g. "Approve verdict" beside "Sources (0)").
# The forms that hold typing (wording, verdict) keep their version and say when it is
# older than the claim shown (static/js/workspace.js); sending them is then a conflict.
SHOWN: dict[str, tuple[str, PanelContext]] = {
    "send-back": ("", _send_back),  # above the panels: no panel's answer brings it
    "assignment": ("assignment", _assignment),
    "source-list": ("sources", _source_list),
    "current-verdict": ("verdict", _current_verdict),
    "signoff": ("signoff", _signoff),
    "timeline": ("timeline", _timeline),
}


def claim_context(request: DeskRequest, claim: Claim, **forms: Any) -> Context:
    """The whole page: every panel, the claim's paragraph and whether it may be worked on."""
    context = _base(request, claim, _reused(request, claim))
    for build in PANELS.values():
        context |= build(context)
    context |= _send_back(context)
    context["workable"] = may_work_on(request.user, claim.article)
    context["paragraph"] = (
        Claim.objects.filter(article_id=claim.article_id, paragraph=claim.paragraph)
        .only("id", "ordinal", "text", "start", "end")
        .order_by("ordinal")
    )
    return context | forms


def answer(
    request: DeskRequest,
    claim: Claim,
    panel: str,
    *,
    context: Context | None = None,
    status: int = 200,
    draft: matching.Draft | None = None,
) -> HttpResponse:
    """The panel asked for, then every other part that shows the claim, out of band.

    Only what those partials read is built, unless the caller has the whole `context`
    already (a refusal or a conflict, which show the form as sent)."""
    if context is None:
        context = _base(request, claim, draft)
        context |= PANELS[panel](context)
        for home, build in SHOWN.values():
            if home != panel:
                context |= build(context)
    response = render(request, f"claims/claim.html#{panel}", context, status=status)
    for part, (home, _) in SHOWN.items():
        if home != panel:
            html = render_to_string(f"claims/claim.html#{part}", context | {"oob": True}, request)
            response.content += html.encode()
    return response


USER_FIELDS = {"assignee", "proposed_by", "approved_by", "added_by"}
# What the timeline shows of an event.
TIMELINE_FIELDS = [
    "seq",
    "created_at",
    "actor",
    "actor_label",
    "action",
    "reason",
    "before",
    "after",
]


def timeline(event_rows: QuerySet[AuditEvent]) -> list[tuple[AuditEvent, str, list]]:
    """Each event told in words (claims/narrating.py) with its changes, people and ratings
    shown by name: a query for the events with their actors' names, then one for the
    other people they name (most changes name their own actor: who took, proposed,
    approved, added) and one for the ratings, if any."""
    events = list(
        event_rows.only(*TIMELINE_FIELDS).annotate(
            actor_name=F("actor__username"),
            actor_first=F("actor__first_name"),
            actor_last=F("actor__last_name"),
        )
    )
    changes = {event.pk: event.changes() for event in events}

    def named(fields: set[str]) -> set:
        return {v for c in changes.values() for f, *vals in c if f in fields for v in vals} - {None}

    names = {
        event.actor_id: name_from_values(event.actor_name, event.actor_first, event.actor_last)
        for event in events
        if event.actor_id
    }
    user_ids, rating_ids = named(USER_FIELDS) - set(names), named({"rating"})
    if user_ids:
        users = get_user_model().objects.filter(pk__in=user_ids)
        rows = users.values_list("pk", *NAME_FIELDS)
        names |= {pk: name_from_values(*row) for pk, *row in rows}
    ratings = Rating.objects.filter(pk__in=rating_ids)
    labels = dict(ratings.values_list("pk", "label")) if rating_ids else {}

    def shown(field, value) -> str | None:
        if value in (None, ""):
            return None
        if field in USER_FIELDS:
            return names.get(value, f"user {value}")
        if field == "rating":
            value = labels.get(value, value)
        if field == "size":
            return filesizeformat(value) if value else None
        return _clipped(narrating.value_label(field, str(value)))

    def told(event: AuditEvent) -> tuple[AuditEvent, str, list]:
        rows = [
            (f, shown(f, old), shown(f, new))
            for f, old, new in changes[event.pk]
            if not isinstance(old, dict)
            and not isinstance(new, dict)  # a verdict sent back
            and f not in narrating.UNTOLD_FIELDS
        ]
        rows = [(f, old, new) for f, old, new in rows if (old, new) != (None, None)]
        actor = names.get(event.actor_id, SYSTEM) if event.actor_id else SYSTEM
        words = narrating.sentence(event.action, actor, rows)
        return event, words, [(narrating.field_label(f), old, new) for f, old, new in rows]

    return [told(event) for event in events]


TIMELINE_CLIP = 80


def _clipped(text: str) -> str:
    """At most TIMELINE_CLIP characters (code points), the last an ellipsis when cut: what
    the `truncatechars` filter did, without its cost on a timeline of many changes."""
    return text if len(text) <= TIMELINE_CLIP else text[: TIMELINE_CLIP - 1] + "…"


def _as_of(claim: Claim, seq: str) -> dict:
    """The claim replayed from the audit trail up to one of its events.

    `?as_of=<seq>` names an event of the claim; `?as_of=imported` the event that made it
    (its article's import, or the latest change of language that split the text again).
    """
    events = audit.claim_events(claim)
    if seq == "imported":
        event = events.filter(audit.import_of(claim)).order_by("seq").last()
    else:
        event = events.filter(seq=int(seq) if seq.isdigit() else 0).first()
    if event is None:
        raise Http404("This claim has no such event in its timeline.")
    try:
        state = audit.claim_as_of(claim, event.seq)
    except audit.ReplayError as error:  # the page still shows the claim as it is now
        return {"event": event, "error": str(error)}
    verdict = state.verdict or {}
    proposed_by, approved_by = verdict.get("proposed_by"), verdict.get("approved_by")
    people = {pk for pk in (proposed_by, approved_by, state.assignee) if pk is not None}
    rows = get_user_model().objects.filter(pk__in=people)
    names = {pk: name_from_values(*row) for pk, *row in rows.values_list("pk", *NAME_FIELDS)}
    rating = verdict.get("rating")
    appeared_on = dt.date.fromisoformat(state.appeared_on) if state.appeared_on else None
    claimant = {name: getattr(state, name) for name in audit.CLAIMANT_FIELDS}
    return {
        "event": event,
        "state": state,
        # Unsaved: its properties say who, where and when as the claim page says them.
        "claimant": Claim(article=claim.article, **claimant | {"appeared_on": appeared_on}),
        "assignee": names.get(state.assignee) if state.assignee is not None else None,
        "status": ClaimStatus(state.status).label,
        "rating": Rating.objects.filter(pk=rating).first() if rating is not None else None,
        "proposed_by": names.get(proposed_by) if proposed_by is not None else None,
        "approved_by": names.get(approved_by) if approved_by is not None else None,
        "sources": list(state.sources.values()),
        "notes": list(state.notes.values()),
    }
