"""The audit trail is complete: replaying it from nothing rebuilds every claim.

Hypothesis runs random sequences of service calls by random personas (import, take,
release, assign, reword, add/remove source, note, propose, approve, send back, dismiss,
restore, publish, correct, retract, reopen), many of which the services refuse. Each
call either writes exactly one event and its change, or (refused) nothing at all.
Afterwards `audit.replay` of the whole chain must give each claim's current status,
wording, assignee, verdict, approver, sources and notes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claims import audit, publishing, review
from claims.importing import ImportRejected, article_import
from claims.models import (
    Article,
    AuditAction,
    AuditEvent,
    Claim,
    ClaimantKind,
    CorrectionKind,
    Note,
    Rating,
    Source,
    Verdict,
)
from tests.factories import UserFactory

# One check-worthy sentence and one that is not: short enough to reach publication often.
TEXT = "Unemployment fell to 3.9% in {n}, the ministry said. It was a pleasant afternoon."
ACTIONS = [
    "import",
    "take",
    "release",
    "assign",
    "reword",
    "add_source",
    "remove_source",
    "note",
    "propose",
    "approve",
    "send_back",
    "dismiss",
    "restore",
    "set_claimant",
    "publish",
    "correct",
    "retract",
    "reopen",
]
PERSONAS = ["editor", "reviewer", "second_reviewer", "outsider", "superuser"]
RATINGS = ["false", "true", "misleading", "unproven"]
STANCES = ["supports", "refutes", "context"]
REFUSALS = (ValidationError, PermissionDenied, review.Conflict, ImportRejected)

SENSIBLE = {
    "take": {"status__in": ["new", "in_review"]},
    "propose": {"sources__isnull": False, "status__in": ["new", "in_review"]},
    "approve": {"status": "proposed"},
    "send_back": {"status__in": ["proposed", "approved"]},
    "restore": {"status": "dismissed"},
}
NOTHING = object()  # no article, claim or source to act on yet

step = st.tuples(
    # The steps that move a claim towards publication come up more often.
    st.sampled_from(ACTIONS + ["add_source", "propose", "approve", "approve", "publish"] * 2),
    st.sampled_from(PERSONAS[:3] * 3 + PERSONAS[3:]),  # mostly the desk
    st.integers(min_value=0, max_value=3),  # which claim, source or article
    st.integers(min_value=0, max_value=5).map(lambda n: n == 0),  # a stale version, now and then
    st.sampled_from(RATINGS),
    st.sampled_from(STANCES),
)


@dataclass
class Desk:
    """Runs one step against the services; knows nothing of what they will refuse."""

    people: dict

    def run(self, action, persona, pick, stale, rating, stance):
        actor = self.people[persona]
        if action == "import":
            return article_import(data=TEXT.format(n=2000 + pick), actor=actor)
        if action in ("publish", "correct", "retract", "reopen"):
            articles = list(Article.objects.order_by("pk"))
            sensible = [a for a in articles if _sensible_for(action, a)]
            article = _nth(articles if stale else sensible, pick) or _nth(articles, pick)
            if article is None:
                return NOTHING
            if action == "retract":
                return publishing.article_retract(actor=actor, article=article, reason="Wrong.")
            if action == "reopen":
                return publishing.article_reopen(actor=actor, article=article, reason="Recheck.")
            kind = CorrectionKind.VERDICT_CHANGED if action == "correct" else ""
            text = "We changed a verdict." if action == "correct" else ""
            return publishing.article_publish(
                actor=actor, article=article, correction_kind=kind, correction_text=text
            )
        if action == "remove_source":
            source = _nth(Source.objects.order_by("pk"), pick)
            return (
                NOTHING
                if source is None
                else review.claim_remove_source(actor=actor, source=source)
            )
        claims = Claim.objects.filter(is_heading=False).order_by("pk")
        # People mostly act on claims where the action makes sense; a stale step doesn't.
        sensible = claims.filter(**SENSIBLE.get(action, {}))
        claim = _nth(claims if stale else sensible, pick) or _nth(claims, pick)
        if claim is None:
            return NOTHING
        version = claim.version - 1 if stale else claim.version
        if action == "add_source":
            return review.claim_add_source(
                actor=actor,
                claim=claim,
                url=f"https://evidence.example/{pick}",
                title="Evidence",
                stance=stance,
                published_on=dt.date(2024, 1, 2),
            )
        if action == "note":
            return review.claim_add_note(actor=actor, claim=claim, body=f"Note {pick}")
        if action == "propose":
            return review.claim_propose_verdict(
                actor=actor,
                claim=claim,
                rating=Rating.objects.get(slug=rating),
                summary=f"Rated {rating}",
                rationale="Because of the sources.",
                version=version,
            )
        calls = {
            "take": lambda: review.claim_take(
                actor=actor, claim=claim, version=version, from_colleague=claim.assignee_id
            ),
            "release": lambda: review.claim_release(actor=actor, claim=claim, version=version),
            "assign": lambda: review.claim_assign(
                actor=actor, claim=claim, assignee=self.people["reviewer"], version=version
            ),
            "reword": lambda: review.claim_reword(
                actor=actor, claim=claim, wording=f"Wording {pick}", version=version
            ),
            "approve": lambda: review.claim_approve_verdict(
                actor=actor,
                claim=claim,
                version=version,
                override_reason="Desk away" if persona == "superuser" else "",
            ),
            "send_back": lambda: review.claim_send_back(
                actor=actor, claim=claim, comment="Look again.", version=version
            ),
            "dismiss": lambda: review.claim_dismiss(
                actor=actor, claim=claim, reason="Opinion", version=version
            ),
            "restore": lambda: review.claim_restore(actor=actor, claim=claim, version=version),
            "set_claimant": lambda: review.claim_set_claimant(
                actor=actor,
                claim=claim,
                version=version,
                claimant=f"Speaker {pick}" if pick else "",
                claimant_kind=ClaimantKind.PERSON if pick else "",
                appeared_on=dt.date(2024, 1, pick + 1),
            ),
        }
        return calls[action]()


def _sensible_for(action: str, article: Article) -> bool:
    published = article.publications.exists()
    if action == "reopen":
        return published and not article.open_for_review
    if action == "retract":
        return article.publications.filter(retracted_at__isnull=True).exists()
    ready = not publishing.blocking_claims(article)
    return ready and published == (action == "correct")


def _nth(rows, n):
    rows = list(rows)
    return rows[n % len(rows)] if rows else None


def current_state() -> dict[int, audit.ClaimState]:
    """Every claim as the database has it, in the shape the replay produces."""
    claims = {
        claim.pk: audit.ClaimState(
            status=claim.status,
            wording=claim.wording,
            assignee=claim.assignee_id,
            dismissed_reason=claim.dismissed_reason,
            **audit.values(claim, list(audit.CLAIMANT_FIELDS)),
        )
        for claim in Claim.objects.order_by("pk")
    }
    for verdict in Verdict.objects.all():
        claims[verdict.claim_id].verdict = audit.values(verdict, review.VERDICT_FIELDS)
    for source in Source.objects.all():
        claims[source.claim_id].sources[source.pk] = audit.values(source, review.SOURCE_FIELDS)
    for note in Note.objects.all():
        claims[note.claim_id].notes[note.pk] = note.body
    return claims


def without_seq(claims: dict[int, audit.ClaimState]) -> dict[int, audit.ClaimState]:
    for state in claims.values():
        state.seq = 0
    return claims


@pytest.fixture
def desk(editor, reviewer, second_reviewer, outsider, settings):
    # One source per verdict is enough here, so sequences reach publication more often.
    settings.FACTCHECK_SCALAR_MIN_SOURCES = 1
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    return Desk(
        {
            "editor": editor,
            "reviewer": reviewer,
            "second_reviewer": second_reviewer,
            "outsider": outsider,
            "superuser": superuser,
        }
    )


class Rollback(Exception):
    """Ends an example's transaction, so every example starts from an empty chain."""


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(step, min_size=20, max_size=50))
def test_replaying_the_trail_rebuilds_every_claim(desk, steps):
    try:
        with transaction.atomic():
            article_import(data=TEXT.format(n=1999), actor=desk.people["editor"])
            for args in steps:
                events, before = AuditEvent.objects.count(), current_state()
                try:
                    with transaction.atomic():
                        result = desk.run(*args)
                except REFUSALS:
                    assert AuditEvent.objects.count() == events, f"{args} refused, yet wrote"
                    assert current_state() == before, f"{args} refused, yet changed a claim"
                else:
                    unchanged = result is NOTHING or getattr(result, "created", True) is False
                    assert AuditEvent.objects.count() == events + (0 if unchanged else 1)
            replayed = without_seq(audit.replay(AuditEvent.objects.order_by("seq")))
            assert replayed == current_state()
            assert audit.verify_chain().ok
            assert audit.publications_off_chain() == []
            raise Rollback
    except Rollback:
        pass


# --- events replay() does not expect ----------------------------------------------------


def event(seq: int, action: str, after=None, *, claim_id=1, object_id=""):
    """An event as replay() reads it (any object with AuditEvent's attributes)."""
    return SimpleNamespace(
        seq=seq, action=action, after=after, claim_id=claim_id, object_id=object_id
    )


IMPORTED = event(
    1,
    AuditAction.ARTICLE_IMPORTED,
    {"claims": [{"id": 1, "status": "new", "wording": "Wages rose.", "dismissed_reason": ""}]},
    claim_id=None,
)


def test_an_action_replay_does_not_know_is_an_error_naming_the_event():
    with pytest.raises(audit.ReplayError, match=r"^Event #2 \(claim\.split\) can't be replayed: "):
        audit.replay([IMPORTED, event(2, "claim.split", {"status": "new"})])


def test_an_unknown_action_is_an_error_even_for_a_claim_not_replayed():
    with pytest.raises(audit.ReplayError, match=r"Event #2 \(claim\.split\)"):
        audit.replay([IMPORTED, event(2, "claim.split", claim_id=99)])


@pytest.mark.parametrize("action", list(AuditAction))
def test_replay_knows_every_audit_action(action):
    """A new AuditAction must be taught to replay (or declared to pass it by)."""
    after = {"claims": []} if action == AuditAction.ARTICLE_IMPORTED else {}
    audit.replay([IMPORTED, event(2, action, after, object_id="5")])


def test_a_claim_event_changes_only_the_fields_it_carries():
    claims = audit.replay([IMPORTED, event(2, AuditAction.CLAIM_ASSIGNED, {"assignee": 7})])
    assert claims[1] == audit.ClaimState(status="new", wording="Wages rose.", assignee=7, seq=2)


@pytest.mark.parametrize(
    ("action", "after"),
    [
        (AuditAction.CLAIM_TAKEN, None),
        (AuditAction.NOTE_ADDED, {}),
        (AuditAction.SOURCE_REMOVED, {}),  # a source the trail never added
        (AuditAction.VERDICT_SENT_BACK, {"status": "in_review"}),
        (AuditAction.ARTICLE_IMPORTED, {"claims": [{"id": 2, "status": "new", "wording": "W"}]}),
        (AuditAction.ARTICLE_IMPORTED, {}),
    ],
)
def test_events_without_their_optional_values_still_replay(action, after):
    audit.replay([IMPORTED, event(2, action, after, object_id="5")])


@pytest.mark.parametrize(
    ("after", "problem"),
    [
        (["a", "list"], "its values are a list, not an object"),
        ({"claims": [{"id": 3}]}, "a claim it lists has no status, wording"),
        ({"claims": "not a list"}, "its claims are not a list"),
        ({"claims": [[3, "new"]]}, "a claim it lists is not an object"),
    ],
)
def test_values_that_do_not_fit_are_an_error_naming_the_event(after, problem):
    with pytest.raises(audit.ReplayError, match=rf"Event #2 \(article\.imported\).*{problem}"):
        audit.replay([IMPORTED, event(2, AuditAction.ARTICLE_IMPORTED, after)])


def test_an_object_id_that_is_not_a_number_is_an_error_naming_the_event():
    bad = event(2, AuditAction.NOTE_ADDED, {"body": "Hi"}, object_id="note-5")
    with pytest.raises(audit.ReplayError, match=r"Event #2 \(note\.added\).*don't fit"):
        audit.replay([IMPORTED, bad])
