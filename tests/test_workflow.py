"""The workflow rules: the services refuse, the views show the message, nothing is written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from claims import review
from claims.models import AuditEvent, ClaimStatus, Rating
from tests.workspace import HTMX, a_claim, fresh, proposed, with_sources


def events() -> int:
    return AuditEvent.objects.count()


def rating(slug: str) -> Rating:
    return Rating.objects.get(slug=slug)


def propose(claim, actor, slug="false"):
    return review.claim_propose_verdict(
        actor=actor,
        claim=claim,
        rating=rating(slug),
        summary="S",
        rationale="R",
        version=claim.version,
    )


def test_nobody_approves_their_own_verdict(db, reviewer, client):
    claim = proposed(a_claim(), reviewer)
    before = events()
    with pytest.raises(PermissionDenied):
        review.claim_approve_verdict(actor=reviewer, claim=claim, version=claim.version)
    client.force_login(reviewer)
    page = client.get(claim.get_absolute_url()).content.decode()
    assert "Approve verdict" not in page  # the button is absent …
    forged = client.post(reverse("claims:approve", args=[claim.pk]), {"version": claim.version})
    assert forged.status_code == 403  # … and a forged post is refused
    assert events() == before
    assert fresh(claim).status == ClaimStatus.PROPOSED


@pytest.mark.parametrize(
    ("slug", "stances", "allowed"),
    [
        ("false", [], False),
        ("false", ["refutes"], False),
        ("false", ["context", "context"], False),
        ("false", ["refutes", "context"], True),
        ("true", ["supports", "supports"], True),
        ("unproven", [], False),
        ("unproven", ["context"], True),
        ("misleading", [], False),
        ("misleading", ["context"], True),
    ],
)
def test_the_evidence_gate(db, reviewer, slug, stances, allowed):
    claim = with_sources(a_claim(), reviewer, stances=stances) if stances else a_claim()
    claim = fresh(claim)
    if allowed:
        propose(claim, reviewer, slug)
        assert fresh(claim).status == ClaimStatus.PROPOSED
    else:
        before = events()
        with pytest.raises(ValidationError, match="needs at least"):
            propose(claim, reviewer, slug)
        assert events() == before
        assert not hasattr(fresh(claim), "verdict")


def test_the_evidence_gate_thresholds_are_settings(db, reviewer, settings):
    settings.FACTCHECK_SCALAR_MIN_SOURCES = 1
    claim = fresh(with_sources(a_claim(), reviewer, stances=["refutes"]))
    propose(claim, reviewer, "false")
    assert fresh(claim).status == ClaimStatus.PROPOSED


def test_the_evidence_gate_message_reaches_the_page(db, reviewer, client):
    claim = a_claim()
    client.force_login(reviewer)
    response = client.post(
        reverse("claims:propose", args=[claim.pk]),
        {"version": claim.version, "rating": rating("false").pk, "summary": "S", "rationale": "R"},
        headers=HTMX,
    )
    assert response.status_code == 422
    assert "needs at least 2 sources" in response.content.decode()


def test_changing_an_approved_verdict_returns_it_to_proposed(db, reviewer, second_reviewer):
    claim = proposed(a_claim(), reviewer)
    review.claim_approve_verdict(actor=second_reviewer, claim=claim, version=claim.version)
    claim = fresh(claim)
    assert claim.status == ClaimStatus.APPROVED
    review.claim_propose_verdict(
        actor=second_reviewer,
        claim=claim,
        rating=rating("mostly-false"),
        summary="Mostly not.",
        rationale="R",
        version=claim.version,
    )
    claim = fresh(claim)
    assert claim.status == ClaimStatus.PROPOSED
    assert claim.verdict.approved_by is None
    assert claim.verdict.proposed_by == second_reviewer
    event = AuditEvent.objects.get(action="verdict.changed")
    assert event.before["approved_by"] == second_reviewer.pk
    assert event.after["approved_by"] is None


def test_sending_back_needs_a_comment_and_records_it(db, reviewer, second_reviewer):
    claim = proposed(a_claim(), reviewer)
    with pytest.raises(ValidationError):
        review.claim_send_back(
            actor=second_reviewer, claim=claim, comment=" ", version=claim.version
        )
    review.claim_send_back(
        actor=second_reviewer, claim=claim, comment="Which monitor?", version=claim.version
    )
    assert AuditEvent.objects.get(action="verdict.sent_back").reason == "Which monitor?"
    assert fresh(claim).status == ClaimStatus.IN_REVIEW


def test_a_stale_version_is_a_409_that_changes_nothing(db, reviewer, second_reviewer, client):
    claim = a_claim()
    seen = claim.version
    review.claim_reword(actor=second_reviewer, claim=claim, wording="Theirs", version=seen)
    before = events()
    client.force_login(reviewer)
    for headers in (HTMX, {}):
        response = client.post(
            reverse("claims:reword", args=[claim.pk]),
            {"version": seen, "wording": "Mine"},
            headers=headers,
        )
        assert response.status_code == 409
        page = response.content.decode()
        assert "Ruth changed this claim while you were editing it" in page
        assert "Theirs" in page  # the current values …
        assert "Mine" in page  # … and what the reviewer typed, ready to re-apply
        assert f'name="version" value="{seen + 1}"' in page
    assert events() == before
    assert fresh(claim).wording == "Theirs"


def test_two_saves_of_the_same_version_one_wins(db, reviewer, second_reviewer):
    claim = a_claim()
    review.claim_reword(actor=reviewer, claim=claim, wording="First", version=claim.version)
    with pytest.raises(review.Conflict) as conflict:
        review.claim_reword(actor=second_reviewer, claim=claim, wording="Second", version=1)
    assert conflict.value.claim.wording == "First"
    assert conflict.value.last_event.actor == reviewer


@pytest.mark.parametrize(
    "data",
    [
        {"url": "javascript:alert(1)"},
        {"url": "ftp://files.example/x"},
        {"published_on": (timezone.localdate() + dt.timedelta(days=2)).isoformat()},
        {"accessed_on": (timezone.localdate() + dt.timedelta(days=2)).isoformat()},
    ],
)
def test_bad_sources_are_refused_with_a_message(db, reviewer, client, data):
    claim = a_claim()
    client.force_login(reviewer)
    response = client.post(
        reverse("claims:source-add", args=[claim.pk]),
        {"url": "https://ok.example", "title": "T", "stance": "refutes"} | data,
        headers=HTMX,
    )
    assert response.status_code == 422
    assert 'class="error"' in response.content.decode()
    assert not claim.sources.exists()


def test_assignments_go_only_to_the_desk(db, editor, outsider):
    claim = a_claim()
    with pytest.raises(ValidationError):
        review.claim_assign(actor=editor, claim=claim, assignee=outsider, version=claim.version)


def test_reviewers_release_only_their_own_claims(db, reviewer, second_reviewer, editor):
    claim = review.claim_take(actor=reviewer, claim=a_claim(), version=1)
    with pytest.raises(PermissionDenied):
        review.claim_release(actor=second_reviewer, claim=claim, version=claim.version)
    review.claim_release(actor=editor, claim=claim, version=claim.version)
    assert fresh(claim).assignee is None


def test_a_dismissed_claim_is_frozen_until_restored(db, editor, reviewer):
    claim = review.claim_dismiss(actor=editor, claim=a_claim(), reason="Opinion", version=1)
    with pytest.raises(ValidationError, match="restore"):
        review.claim_reword(actor=reviewer, claim=claim, wording="x", version=claim.version)
    with pytest.raises(PermissionDenied):
        review.claim_restore(actor=reviewer, claim=claim, version=claim.version)
    review.claim_restore(actor=editor, claim=claim, version=claim.version)
    assert fresh(claim).status == ClaimStatus.NEW
    assert fresh(claim).dismissed_reason == ""


def test_restoring_an_imported_dismissal_makes_the_sentence_reviewable(db, editor):
    from tests.factories import ArticleFactory

    claim = ArticleFactory().claims.dismissed().first()
    review.claim_restore(actor=editor, claim=claim, version=claim.version)
    assert fresh(claim).status == ClaimStatus.NEW


def test_a_superuser_approval_outside_the_desk_needs_a_written_reason(db, reviewer, superuser):
    claim = proposed(a_claim(), reviewer)
    with pytest.raises(ValidationError, match="written reason"):
        review.claim_approve_verdict(actor=superuser, claim=claim, version=claim.version)
    review.claim_approve_verdict(
        actor=superuser,
        claim=claim,
        version=claim.version,
        override_reason="Desk lead on leave; verified both sources myself.",
    )
    event = AuditEvent.objects.get(action="verdict.approved_override")
    assert event.reason == "Desk lead on leave; verified both sources myself."
    assert fresh(claim).verdict.approved_by == superuser


def test_an_approved_claims_evidence_cannot_be_removed(db, reviewer, second_reviewer):
    claim = proposed(a_claim(), reviewer)
    review.claim_approve_verdict(actor=second_reviewer, claim=claim, version=claim.version)
    with pytest.raises(ValidationError, match="approved"):
        review.claim_remove_source(actor=reviewer, source=claim.sources.first())
    assert claim.sources.count() == 2
