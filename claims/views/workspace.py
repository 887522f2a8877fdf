"""The reviewer workspace: queue, article board and claim page.

Views parse the request, call one service or queryset and render. Every action is a
POST that works both from htmx (the panel is swapped in place, the timeline refreshes
on the `claim-changed` event) and as a plain form post (redirect back to the page).
"""

from __future__ import annotations

import datetime as dt
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import trigger_client_event

from .. import audit, jobs, publishing, review
from ..access import ArticleAbilities, ClaimAbilities, may_work_on
from ..deskcache import article_stamp, cached_page, claim_stamp
from ..forms import (
    ApproveForm,
    AssignForm,
    BoardFilterForm,
    ConfirmForm,
    DismissForm,
    ImportForm,
    NoteForm,
    PublishForm,
    ReopenForm,
    RetractForm,
    SendBackForm,
    SourceForm,
    VerdictForm,
    VersionedForm,
    WordingForm,
)
from ..importing import ImportRejected, article_import
from ..models import (
    Article,
    AuditEvent,
    Claim,
    ClaimStatus,
    Job,
    JobKind,
    JobStatus,
    Note,
    Rating,
    Source,
)

# A row costs about 1 ms to render (its score reasons, status, verdict), the rest of the
# board about 15: at 20 a page the board of a 1,000-claim article answers within 2× the
# time of a 10-claim one (make bench); at 100 a page it took 5×.
BOARD_PAGE_SIZE = 20
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


def desk_required(view):
    """Logged in (else to the login page) and on the desk (else 403)."""

    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not request.user.has_perm("claims.review_claim"):
            raise PermissionDenied("The workspace is for reviewers and editors.")
        return view(request, *args, **kwargs)

    return wrapped


# --- queue -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@desk_required
def queue(request: HttpRequest) -> HttpResponse:
    if request.htmx and request.GET.get("panel") == "imports":
        return render(request, "claims/queue.html#imports", _imports())
    form = ImportForm()
    if request.method == "POST":
        if not request.user.has_perm("claims.import_article"):
            raise PermissionDenied("Only editors can import articles.")
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid() and (done := _import(request, form)):
            return redirect(done)
    articles = Article.objects.with_progress().with_latest_publication().defer("body")
    page = Paginator(articles.newest_first(), 25).get_page(request.GET.get("page"))
    status = 422 if form.errors else 200
    background_kb = settings.FACTCHECK_BACKGROUND_IMPORT_BYTES // 1024
    context = {"page": page, "form": form, "background_kb": background_kb} | _imports()
    return render(request, "claims/queue.html", context, status=status)


def _imports() -> dict:
    """Imports running in the background, and those that ended in the last hour; the
    panel asks again every few seconds while any is under way."""
    recent = Q(finished_at__gte=timezone.now() - dt.timedelta(hours=1))
    found = Job.objects.filter(Q(status__in=JobStatus.active()) | recent, kind=JobKind.IMPORT)
    import_jobs = list(found.defer("data", "params").select_related("article")[:10])
    return {"jobs": import_jobs, "polling": any(job.is_active for job in import_jobs)}


def _import(request: HttpRequest, form: ImportForm) -> Article | str | None:
    """Import now, or queue a large import for the worker; where to go next, or None
    with the form's error set."""
    data, upload = form.cleaned_data, form.cleaned_data.get("file")
    raw = upload.read() if upload else data["text"].encode()
    meta = {k: data[k] for k in ("title", "publisher", "author", "url", "language")}
    filename = upload.name if upload else ""
    try:
        if len(raw) > settings.FACTCHECK_BACKGROUND_IMPORT_BYTES:
            job = jobs.import_enqueue(
                actor=request.user,
                data=raw,
                filename=filename,
                published_on=data["published_on"],
                **meta,
            )
            messages.success(request, f"{job.label}: queued; its progress shows below.")
            return reverse("claims:queue") + "#imports"
        result = article_import(
            data=raw,
            filename=filename,
            actor=request.user,
            **meta,
            published_on=data["published_on"],
        )
    except ImportRejected as error:
        form.add_error("file" if upload else "text", str(error))
        return None
    verb = "Imported" if result.created else "Already imported:"
    messages.success(request, f"{verb} “{result.article.title}”.")
    return result.article


# --- board -----------------------------------------------------------------------------


@require_http_methods(["GET"])
@desk_required
def board(request: HttpRequest, slug: str) -> HttpResponse:
    template = "claims/board.html#claims-table" if request.htmx else "claims/board.html"

    def render_board(extra: dict) -> HttpResponse:
        return render(request, template, _board_context(request, slug) | extra)

    key = f"board:{slug}:{'table' if request.htmx else 'page'}?{request.GET.urlencode()}"
    return cached_page(request, key=key, stamp=article_stamp(slug), render=render_board)


def _board_context(request: HttpRequest, slug: str) -> dict:
    article = get_object_or_404(Article.objects.defer("body"), slug=slug)
    ratings = list(Rating.objects.all())
    filters = BoardFilterForm(request.GET, ratings=ratings)
    claims = _filtered_claims(article, filters, request.user)
    page = Paginator(claims, BOARD_PAGE_SIZE).get_page(request.GET.get("page"))
    counts = article.claims.aggregate(
        total=Count("id"), **{s: Count("id", filter=Q(status=s)) for s in ClaimStatus.values}
    )
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "article_abilities": ArticleAbilities(request.user, article, article.latest_publication),
        "publication": article.latest_publication,
        "publish_form": PublishForm(),
        "retract_form": RetractForm(),
        "reopen_form": ReopenForm(),
        "article": article,
        "filters": filters,
        "page": page,
        "counts": counts,
        "query": f"{query.urlencode()}&" if query else "",
    }


def _filtered_claims(article: Article, filters: BoardFilterForm, user):
    claims = article.claims.select_related("assignee", "verdict__rating").order_by("ordinal")
    if not filters.is_valid():
        return claims.check_worthy()
    f = filters.cleaned_data
    if not f["dismissed"]:
        claims = claims.check_worthy()
    if f["status"]:
        claims = claims.filter(status=f["status"])
    if f["assignee"] == "mine":
        claims = claims.filter(assignee=user)
    elif f["assignee"] == "nobody":
        claims = claims.filter(assignee__isnull=True)
    if f["verdict"] == "none":
        claims = claims.filter(verdict__isnull=True)
    elif f["verdict"]:
        claims = claims.filter(verdict__rating__slug=f["verdict"])
    if f["min_score"] is not None:
        claims = claims.filter(score__gte=f["min_score"])
    return claims


# --- claim page ------------------------------------------------------------------------


def _claim(pk: int) -> Claim:
    return get_object_or_404(
        Claim.objects.select_related(
            "article", "assignee", "verdict__rating", "verdict__proposed_by", "verdict__approved_by"
        ).defer("article__body"),
        pk=pk,
    )


def _claim_context(request: HttpRequest, claim: Claim, **forms) -> dict:
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


@require_http_methods(["GET"])
@desk_required
def claim_page(request: HttpRequest, pk: int) -> HttpResponse:
    panel = request.GET.get("panel")
    if request.htmx and panel in PANELS:
        return _answer(request, _claim_context(request, _claim(pk)), panel)
    if "as_of" in request.GET:
        claim = _claim(pk)
        context = _claim_context(request, claim) | {"as_of": _as_of(claim, request.GET["as_of"])}
        return render(request, "claims/claim.html", context)

    def whole_page(extra: dict) -> HttpResponse:
        return render(request, "claims/claim.html", _claim_context(request, _claim(pk)) | extra)

    return cached_page(request, key=f"claim:{pk}", stamp=claim_stamp(pk), render=whole_page)


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


def _act(request, pk, *, panel, form_class, form_name, run, done, form_kwargs=None, moves=True):
    """Validate the form, call `run(claim, cleaned_data)`, answer htmx or plain.

    htmx gets the panel (200) with the rest of the claim out of band (`_answer`) and the
    `claim-changed` event, or the panel with errors (422). A plain post is redirected
    back to the claim page, or gets the whole page with errors.

    `moves`: the service raises the claim's version by one (all but notes, see review).
    The event then says which version the answer shows, so the page can tell whether
    this change was the only one since it last looked (static/js/workspace.js).
    """
    claim = _claim(pk)
    form = form_class(request.POST, **(form_kwargs or {}))
    if form.is_valid():
        try:
            run(claim, form.cleaned_data)
        except review.Conflict as conflict:
            return _conflict(request, conflict, panel, form, form_name)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            if not request.htmx:
                messages.success(request, done)
                return redirect(claim)
            claim = _claim(pk)
            response = _answer(request, _claim_context(request, claim), panel)
            response.content += render_to_string("claims/_flash_oob.html", {"text": done}).encode()
            moved = {"to": claim.version} if moves else {}
            return trigger_client_event(response, "claim-changed", moved)
    context = _claim_context(request, claim) | {form_name: form}
    if request.htmx:
        return _answer(request, context, panel, status=422)
    return render(request, "claims/claim.html", context, status=422)


def _answer(request, context: dict, panel: str, *, status: int = 200) -> HttpResponse:
    """The panel acted on, then every other part that shows the claim, out of band."""
    response = render(request, f"claims/claim.html#{panel}", context, status=status)
    for part, home in SHOWN.items():
        if home != panel:
            html = render_to_string(f"claims/claim.html#{part}", context | {"oob": True}, request)
            response.content += html.encode()
    return response


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _conflict(request, conflict: review.Conflict, panel: str, form, form_name: str):
    """409: nothing was saved; show what the claim is now and keep what the user typed.

    The kept form carries the current version, so sending it again re-applies it.
    """
    claim = _claim(conflict.claim.pk)
    mine = form.cleaned_data | {"version": claim.version}
    if "rating" in mine:
        mine["rating"] = mine["rating"].pk
    context = _claim_context(request, claim) | {
        "conflict": conflict,
        "conflict_panel": panel,
        form_name: type(form)(
            initial=mine,
            **({"members": review.desk_members()} if form_name == "assign_form" else {}),
        ),
    }
    if request.htmx:
        return _answer(request, context, panel, status=409)
    return render(request, "claims/claim.html", context, status=409)


# --- actions -----------------------------------------------------------------------------


def _version_only(request, pk, *, panel, run, done):
    return _act(
        request,
        pk,
        panel=panel,
        form_class=VersionedForm,
        form_name="version_form",
        run=run,
        done=done,
    )


@require_POST
@desk_required
def claim_take(request, pk):
    return _version_only(
        request,
        pk,
        panel="assignment",
        done="You took this claim.",
        run=lambda claim, d: review.claim_take(
            actor=request.user, claim=claim, version=d["version"]
        ),
    )


@require_POST
@desk_required
def claim_release(request, pk):
    return _version_only(
        request,
        pk,
        panel="assignment",
        done="Claim released.",
        run=lambda claim, d: review.claim_release(
            actor=request.user, claim=claim, version=d["version"]
        ),
    )


@require_POST
@desk_required
@permission_required("claims.assign_claim", raise_exception=True)
def claim_assign(request, pk):
    return _act(
        request,
        pk,
        panel="assignment",
        form_class=AssignForm,
        form_name="assign_form",
        form_kwargs={"members": review.desk_members()},
        done="Claim assigned.",
        run=lambda claim, d: review.claim_assign(
            actor=request.user, claim=claim, assignee=d["assignee"], version=d["version"]
        ),
    )


@require_POST
@desk_required
def claim_reword(request, pk):
    return _act(
        request,
        pk,
        panel="wording",
        form_class=WordingForm,
        form_name="wording_form",
        done="Wording saved.",
        run=lambda claim, d: review.claim_reword(
            actor=request.user, claim=claim, wording=d["wording"], version=d["version"]
        ),
    )


@require_POST
@desk_required
def source_add(request, pk):
    return _act(
        request,
        pk,
        panel="sources",
        form_class=SourceForm,
        form_name="source_form",
        done="Source added.",
        run=lambda claim, d: review.claim_add_source(actor=request.user, claim=claim, **d),
    )


@require_POST
@desk_required
def source_remove(request, pk, source_pk):
    source = get_object_or_404(Source, pk=source_pk, claim_id=pk)
    return _act(
        request,
        pk,
        panel="sources",
        form_class=ConfirmForm,
        form_name="confirm_form",
        done="Source removed.",
        run=lambda claim, d: review.claim_remove_source(actor=request.user, source=source),
    )


@require_POST
@desk_required
def note_add(request, pk):
    return _act(
        request,
        pk,
        panel="notes",
        form_class=NoteForm,
        form_name="note_form",
        done="Note added.",
        run=lambda claim, d: review.claim_add_note(actor=request.user, claim=claim, body=d["body"]),
        moves=False,
    )


@require_POST
@desk_required
def verdict_propose(request, pk):
    return _act(
        request,
        pk,
        panel="verdict",
        form_class=VerdictForm,
        form_name="verdict_form",
        done="Verdict proposed.",
        run=lambda claim, d: review.claim_propose_verdict(actor=request.user, claim=claim, **d),
    )


@require_POST
@desk_required
def verdict_approve(request, pk):
    return _act(
        request,
        pk,
        panel="signoff",
        form_class=ApproveForm,
        form_name="approve_form",
        done="Verdict approved.",
        run=lambda claim, d: review.claim_approve_verdict(actor=request.user, claim=claim, **d),
    )


@require_POST
@desk_required
def verdict_send_back(request, pk):
    return _act(
        request,
        pk,
        panel="signoff",
        form_class=SendBackForm,
        form_name="send_back_form",
        done="Verdict sent back.",
        run=lambda claim, d: review.claim_send_back(actor=request.user, claim=claim, **d),
    )


@require_POST
@desk_required
@permission_required("claims.dismiss_claim", raise_exception=True)
def claim_dismiss(request, pk):
    return _act(
        request,
        pk,
        panel="signoff",
        form_class=DismissForm,
        form_name="dismiss_form",
        done="Claim dismissed.",
        run=lambda claim, d: review.claim_dismiss(actor=request.user, claim=claim, **d),
    )


@require_POST
@desk_required
@permission_required("claims.dismiss_claim", raise_exception=True)
def claim_restore(request, pk):
    return _version_only(
        request,
        pk,
        panel="signoff",
        done="Claim restored.",
        run=lambda claim, d: review.claim_restore(
            actor=request.user, claim=claim, version=d["version"]
        ),
    )


# --- publishing ------------------------------------------------------------------------


def _publishing_action(request, slug, form_class, run, done):
    article = get_object_or_404(Article.objects.defer("body"), slug=slug)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            run(article, form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, done)
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(article)


@require_POST
@desk_required
@permission_required("claims.publish_article", raise_exception=True)
def article_publish(request, slug):
    return _publishing_action(
        request,
        slug,
        PublishForm,
        done="Published. The public page shows this version now.",
        run=lambda article, d: publishing.article_publish(actor=request.user, article=article, **d),
    )


@require_POST
@desk_required
@permission_required("claims.publish_article", raise_exception=True)
def article_reopen(request, slug):
    return _publishing_action(
        request,
        slug,
        ReopenForm,
        done="Reopened. Reviewers can work on its claims until you publish the correction.",
        run=lambda article, d: publishing.article_reopen(
            actor=request.user, article=article, reason=d["reason"]
        ),
    )


@require_POST
@desk_required
@permission_required("claims.publish_article", raise_exception=True)
def article_retract(request, slug):
    return _publishing_action(
        request,
        slug,
        RetractForm,
        done="Retracted. The public page now says so, with your reason.",
        run=lambda article, d: publishing.article_retract(
            actor=request.user, article=article, reason=d["reason"]
        ),
    )
