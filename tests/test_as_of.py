"""The claim page shows the claim "as of" any event of its timeline, replayed from the
audit trail, next to what it is now."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import transaction

from claims import audit, review
from claims.models import AuditAction, AuditEvent, ClaimantKind
from tests.workspace import a_claim, fresh, proposed


@pytest.fixture
def history(reviewer, second_reviewer):
    """A claim that was taken, given sources, proposed, reworded and approved."""
    claim = a_claim()
    original = claim.wording
    review.claim_take(actor=reviewer, claim=claim, version=claim.version)
    claim = proposed(fresh(claim), reviewer, rating="false")
    claim = review.claim_reword(
        actor=reviewer, claim=claim, wording="Wages rose 5% in 2024.", version=claim.version
    )
    review.claim_approve_verdict(actor=second_reviewer, claim=claim, version=claim.version)
    events = {e.action: e.seq for e in AuditEvent.objects.filter(claim=claim)}
    return fresh(claim), original, events


def as_of(client, claim, seq):
    return client.get(f"{claim.get_absolute_url()}?as_of={seq}")


def section(response) -> str:
    html = response.content.decode()
    return re.search(r'<section id="as-of".*?</section>', html, re.S).group(0)


def test_the_timeline_links_each_event_to_the_claim_as_of_it(client, reviewer, history):
    claim, _, events = history
    client.force_login(reviewer)
    page = client.get(claim.get_absolute_url()).content.decode()
    for seq in events.values():
        assert f"?as_of={seq}#as-of" in page
    assert "?as_of=imported#as-of" in page
    assert 'id="as-of"' not in page


def test_as_imported_shows_the_original_wording_and_nothing_else(client, reviewer, history):
    claim, original, _ = history
    client.force_login(reviewer)
    shown = section(as_of(client, claim, "imported"))
    assert "article imported" in shown
    assert original in shown
    assert "Wages rose 5%" not in shown
    assert "New" in shown
    assert "Sources (0)" in shown
    assert "nobody" in shown


def test_as_of_the_proposal_shows_the_verdict_not_yet_approved(client, reviewer, history):
    claim, original, events = history
    client.force_login(reviewer)
    shown = section(as_of(client, claim, events["verdict.proposed"]))
    assert "Verdict proposed" in shown
    assert "<strong>False</strong>" in shown
    assert "proposed by Rafael, not approved" in shown
    assert "Sources (2)" in shown
    assert "Evidence 0" in shown
    assert "Evidence 1" in shown
    assert original in shown  # reworded only later


def test_as_of_the_last_event_matches_the_claim_now(client, reviewer, history):
    claim, _, events = history
    client.force_login(reviewer)
    shown = section(as_of(client, claim, events["verdict.approved"]))
    assert "Approved" in shown
    assert "approved by Ruth" in shown
    assert claim.wording in shown
    assert "Rafael" in shown


@pytest.mark.parametrize("seq", ["999", "abc", "-1", ""])
def test_an_unknown_event_is_not_found(client, reviewer, history, seq):
    claim, _, _ = history
    client.force_login(reviewer)
    assert as_of(client, claim, seq).status_code == 404


def test_another_claims_event_is_not_found(client, reviewer, history):
    claim, _, _ = history
    other = claim.article.claims.check_worthy().exclude(pk=claim.pk).first()
    review.claim_take(actor=reviewer, claim=other, version=other.version)
    taken = AuditEvent.objects.get(claim=other).seq
    client.force_login(reviewer)
    assert as_of(client, claim, taken).status_code == 404
    assert as_of(client, other, taken).status_code == 200


def test_an_event_the_replay_cannot_apply_shows_why_instead_of_failing(client, reviewer, history):
    claim, _, _ = history
    with transaction.atomic():  # an event whose values are not the object replay expects
        odd = audit.record(
            actor=reviewer, action=AuditAction.CLAIM_REWORDED, claim=claim, after=["a", "list"]
        )
    client.force_login(reviewer)
    response = as_of(client, claim, odd.seq)
    assert response.status_code == 200
    shown = section(response)
    assert f"Event #{odd.seq} (claim.reworded)" in shown
    assert "its values are a list, not an object" in shown
    assert "as-of-state" not in shown
    assert claim.wording in response.content.decode()  # the claim as it is now is still there


def test_an_action_the_replay_does_not_know_shows_why_instead_of_failing(client, reviewer, history):
    """As an event of an action since retired would: record() refuses unknown actions, so
    the row is written the way a past version of the app would have written it."""
    claim, _, _ = history
    head = AuditEvent.objects.order_by("-seq").first()
    retired = AuditEvent.objects.create(
        seq=head.seq + 1,
        created_at=head.created_at,
        actor_label="system",
        action="claim.split",
        article=claim.article,
        claim=claim,
        prev_hash=head.hash,
        hash="ab" * 32,
    )
    client.force_login(reviewer)
    response = as_of(client, claim, retired.seq)
    assert response.status_code == 200
    assert "replay does not know this action" in section(response)
    assert f"Event #{retired.seq} (claim.split)" in section(response)


def test_as_of_shows_who_made_the_claim_then(client, reviewer, history):
    """Who made the claim, where and when, is versioned like the wording: each event
    shows it as it was then."""
    claim, _, events = history

    def said(claim, **who):
        return review.claim_set_claimant(actor=reviewer, claim=claim, version=claim.version, **who)

    claim = said(
        claim,
        claimant="Jane Doe",
        claimant_kind=ClaimantKind.PERSON,
        claimant_role="minister of labour",
        appearance_url="https://tv.example/interview",
        appeared_on=dt.date(2024, 3, 5),
    )
    first = AuditEvent.objects.filter(claim=claim).order_by("-seq").first().seq
    claim = said(claim, claimant="Ministry of Labour", claimant_kind=ClaimantKind.ORGANIZATION)
    client.force_login(reviewer)
    before = section(as_of(client, claim, events["verdict.approved"]))
    assert "Nobody named yet" in before
    then = section(as_of(client, claim, first))
    assert "Claim by <strong>Jane Doe</strong>, minister of labour" in then
    assert "(a person)" in then
    assert 'href="https://tv.example/interview"' in then
    assert "on 5 Mar 2024" in then
    assert "Ministry of Labour" not in then
    now = section(as_of(client, claim, first + 1))
    assert "Claim by <strong>Ministry of Labour</strong> <span" in now
    assert "(an organisation)" in now
    assert "tv.example" not in now
