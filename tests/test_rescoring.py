"""rescore_claims: claims scored by an older scorer get today's score, reasons and
version; a person's dismiss or restore is never undone; every change is audited."""

from __future__ import annotations

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from claims import checkworthiness, review
from claims.audit.replaying import replay
from claims.models import NOT_CHECK_WORTHY, AuditEvent, Claim, ClaimStatus
from claims.scoring.rescoring import claims_rescore
from tests.factories import ArticleFactory

OLD = "keyword-heuristic"
FACT = "Unemployment rose to 7.8 percent in 2009, the Labor Department said on Friday."


def rescore(*slugs: str) -> str:
    out = StringIO()
    call_command("rescore_claims", *slugs, stdout=out)
    return out.getvalue()


def as_if_scored_by_the_old_heuristic(claim: Claim, *, score: float, status: str) -> Claim:
    """Claims imported before the trained scorer: the rows migration 0012 marks."""
    reason = NOT_CHECK_WORTHY if status == ClaimStatus.DISMISSED else ""
    Claim.objects.filter(pk=claim.pk).update(
        scorer_version=OLD, score=score, reasons=[], status=status, dismissed_reason=reason
    )
    return Claim.objects.get(pk=claim.pk)


@pytest.fixture
def article(db):
    text = "\n\n".join(
        [
            FACT,
            "I think we should all be proud of this wonderful town.",
            "The council said 40 bridges will close in 2025, according to officials.",
            "Police arrested 12 people in Exampleton on Tuesday, a spokesman said.",
        ]
    )
    return ArticleFactory(text=text)


def claims_of(article) -> list[Claim]:
    return list(article.claims.order_by("ordinal"))


def test_new_claims_carry_the_current_scorer_version(article):
    assert {c.scorer_version for c in claims_of(article)} == {checkworthiness.scorer_version()}


def test_an_old_claim_gets_todays_score_reasons_and_version(article):
    fact = as_if_scored_by_the_old_heuristic(
        claims_of(article)[0], score=0.2, status=ClaimStatus.DISMISSED
    )
    out = rescore()
    fact.refresh_from_db()
    score, reasons = checkworthiness.assess(fact.text, language="en")
    assert (fact.score, fact.reasons) == (score, reasons)
    assert fact.scorer_version == checkworthiness.scorer_version()
    assert score >= settings.FACTCHECK_CHECKWORTHY_THRESHOLD
    assert (fact.status, fact.dismissed_reason) == (ClaimStatus.NEW, "")
    assert "Re-scored 1 claims in 1 articles (1 back as check-worthy" in out
    event = AuditEvent.objects.get(action="claim.rescored")
    assert event.claim_id == fact.pk
    assert event.before["scorer_version"] == OLD
    assert event.after["status"] == ClaimStatus.NEW
    assert event.actor_label == "system"


def test_an_untouched_new_claim_below_the_threshold_is_dismissed_as_not_check_worthy(article):
    opinion = as_if_scored_by_the_old_heuristic(
        claims_of(article)[1], score=0.9, status=ClaimStatus.NEW
    )
    rescore()
    opinion.refresh_from_db()
    assert opinion.score < settings.FACTCHECK_CHECKWORTHY_THRESHOLD
    assert (opinion.status, opinion.dismissed_reason) == (ClaimStatus.DISMISSED, NOT_CHECK_WORTHY)


def test_a_claim_in_work_keeps_its_status(article, reviewer):
    opinion = as_if_scored_by_the_old_heuristic(
        claims_of(article)[1], score=0.9, status=ClaimStatus.NEW
    )
    opinion = review.claim_take(actor=reviewer, claim=opinion, version=opinion.version)
    rescore()
    opinion.refresh_from_db()
    assert opinion.status == ClaimStatus.IN_REVIEW
    assert opinion.scorer_version == checkworthiness.scorer_version()


def test_claims_a_person_dismissed_or_restored_are_never_changed(article, editor):
    first, second, *_ = claims_of(article)
    first = review.claim_dismiss(actor=editor, claim=first, reason="Satire", version=first.version)
    assert second.status == ClaimStatus.DISMISSED  # by the importer: an opinion
    second = review.claim_restore(actor=editor, claim=second, version=second.version)
    for claim in (first, second):
        as_if_old = Claim.objects.filter(pk=claim.pk)
        as_if_old.update(scorer_version=OLD, score=0.33, reasons=[])
    kept = {
        c.pk: (c.score, c.reasons, c.scorer_version, c.status, c.version)
        for c in Claim.objects.filter(pk__in=[first.pk, second.pk])
    }

    out = rescore()

    after = {
        c.pk: (c.score, c.reasons, c.scorer_version, c.status, c.version)
        for c in Claim.objects.filter(pk__in=[first.pk, second.pk])
    }
    assert after == kept
    assert kept[first.pk][3] == ClaimStatus.DISMISSED
    assert "2 left as a person decided" in out
    assert not AuditEvent.objects.filter(action="claim.rescored", claim__in=[first, second])


def test_rescoring_twice_changes_nothing_the_second_time(article):
    for claim in claims_of(article):
        as_if_scored_by_the_old_heuristic(claim, score=0.5, status=ClaimStatus.NEW)
    rescore()
    events = AuditEvent.objects.count()
    assert "Re-scored 0 claims in 0 articles" in rescore()
    assert AuditEvent.objects.count() == events


def test_the_trail_replays_to_the_rescored_state_and_verifies(article):
    for claim in claims_of(article):
        as_if_scored_by_the_old_heuristic(claim, score=0.5, status=ClaimStatus.NEW)
    rescore(article.slug)
    state = replay(AuditEvent.objects.order_by("seq"))
    for claim in claims_of(article):
        assert (state[claim.pk].status, state[claim.pk].dismissed_reason) == (
            claim.status,
            claim.dismissed_reason,
        )
    call_command("verify_audit", stdout=StringIO())


def test_only_editors_may_rescore(article, reviewer):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        claims_rescore(actor=reviewer)


def test_an_unknown_slug_is_a_one_line_error(article):
    with pytest.raises(CommandError, match="No article with slug nope"):
        rescore("nope")


def test_the_claim_page_shows_the_rescoring_in_its_timeline(article, client, editor):
    fact = as_if_scored_by_the_old_heuristic(
        claims_of(article)[0], score=0.2, status=ClaimStatus.DISMISSED
    )
    rescore()
    client.force_login(editor)
    page = client.get(fact.get_absolute_url()).content.decode()
    assert "<strong>The system scored the claim again</strong>" in page
    assert "The parts add up to the score" in page
    assert checkworthiness.scorer_version() in page
