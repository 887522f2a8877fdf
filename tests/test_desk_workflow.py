"""The desk's workflow where people work (issue 19): reasons shown, "my work", bulk
actions, taking a colleague's claim, the timeline in words and one name per person."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from claims import evidence, publishing, review
from claims.models import AuditEvent, ClaimStatus
from tests.factories import ArticleFactory, UserFactory
from tests.workspace import HTMX, a_claim, fresh, proposed, settled_article


def sent_back(claim, reviewer, second_reviewer, comment="Find a second monitor."):
    claim = proposed(claim, reviewer)
    review.claim_send_back(
        actor=second_reviewer, claim=claim, comment=comment, version=claim.version
    )
    return fresh(claim)


# --- reasons where people work -----------------------------------------------------------


def test_a_sent_back_claim_shows_the_comment_who_and_when_at_the_top_of_its_page(
    client, reviewer, second_reviewer
):
    claim = sent_back(a_claim(), reviewer, second_reviewer)
    client.force_login(reviewer)

    page = client.get(claim.get_absolute_url()).content.decode()

    notice = page[page.index('id="send-back"') : page.index('class="card context"')]
    assert "Sent back by Ruth" in notice
    assert "Find a second monitor." in notice
    assert "<time" in notice


def test_the_send_back_notice_goes_once_the_verdict_is_proposed_again(
    client, reviewer, second_reviewer
):
    claim = sent_back(a_claim(), reviewer, second_reviewer)
    client.force_login(reviewer)
    response = client.post(
        reverse("claims:propose", args=[claim.pk]),
        {
            "version": claim.version,
            "rating": claim.verdict.rating_id,
            "summary": "Again.",
            "rationale": "Now with more.",
        },
        headers=HTMX,
    )
    assert response.status_code == 200
    oob = response.content.decode()
    assert '<div id="send-back" hx-swap-oob="true">' in oob
    assert "Sent back by" not in oob


def test_the_board_row_of_a_sent_back_claim_shows_the_comment(
    client, editor, reviewer, second_reviewer
):
    claim = sent_back(a_claim(), reviewer, second_reviewer, comment="Which year?")
    client.force_login(editor)

    board = client.get(claim.article.get_absolute_url()).content.decode()

    assert "Sent back</strong> by Ruth" in board
    assert '<q dir="auto">Which year?</q>' in board


def test_a_reopened_article_shows_the_reason_on_its_board_and_in_the_queue(
    client, editor, reviewer, second_reviewer
):
    article, _ = settled_article(editor=editor, reviewer=reviewer, approver=second_reviewer)
    publishing.article_publish(actor=editor, article=article)
    publishing.article_reopen(actor=editor, article=article, reason="A reader says 2019.")
    client.force_login(reviewer)

    board = client.get(article.get_absolute_url()).content.decode()
    queue = client.get(reverse("claims:queue")).content.decode()

    assert "Reopened for a correction by Edith" in board
    assert "A reader says 2019." in board
    assert "<strong>Reopened</strong> by Edith" in queue
    assert "A reader says 2019." in queue


def test_a_republished_article_shows_no_reopening_reason(client, editor, reviewer, second_reviewer):
    article, _ = settled_article(editor=editor, reviewer=reviewer, approver=second_reviewer)
    publishing.article_publish(actor=editor, article=article)
    publishing.article_reopen(actor=editor, article=article, reason="A reader says 2019.")
    # A correction must change what readers see: here, the article's date.
    publishing.article_edit(actor=editor, article=article, published_on=dt.date(2019, 5, 2))
    publishing.article_publish(
        actor=editor, article=article, correction_kind="typo", correction_text="Year fixed."
    )
    client.force_login(reviewer)

    assert "A reader says 2019." not in client.get(article.get_absolute_url()).content.decode()
    assert "A reader says 2019." not in client.get(reverse("claims:queue")).content.decode()


# --- my work -------------------------------------------------------------------------------


def test_my_work_lists_what_waits_for_me_across_articles(client, editor, reviewer, second_reviewer):
    mine, signoff, back, others = (a_claim() for _ in range(4))
    review.claim_assign(actor=editor, claim=mine, assignee=reviewer, version=mine.version)
    proposed(signoff, second_reviewer)  # someone else's verdict: mine to sign off
    proposed(others, reviewer)  # my own verdict: not mine to sign off
    sent_back(back, reviewer, second_reviewer, comment="Check the date.")
    client.force_login(reviewer)

    page = client.get(reverse("claims:my-work")).content.decode()

    assert f'id="work-assigned-{mine.pk}"' in page
    assert f'id="work-signoff-{signoff.pk}"' in page
    assert f'id="work-sent-back-{back.pk}"' in page
    assert "Check the date." in page
    assert f'-{others.pk}"' not in page
    assert "1 assigned · 1 waiting for your sign-off · 1 sent back" in page


def test_the_header_count_says_how_much_waits(client, editor, reviewer):
    for claim in (a_claim(), a_claim()):
        review.claim_assign(actor=editor, claim=claim, assignee=reviewer, version=claim.version)
    client.force_login(reviewer)

    page = client.get(reverse("claims:queue")).content.decode()
    count = client.get(reverse("claims:my-work-counts"), headers=HTMX).content.decode()

    assert 'hx-get="/review/mine/counts"' in page
    assert 'id="my-work-count">2<' in count
    client.force_login(editor)
    assert client.get(reverse("claims:my-work-counts"), headers=HTMX).content.decode().strip() == ""


def test_my_work_shows_a_claim_a_colleague_took_from_me(client, reviewer, second_reviewer):
    claim = a_claim()
    review.claim_take(actor=reviewer, claim=claim, version=claim.version)
    claim = fresh(claim)
    review.claim_take(
        actor=second_reviewer, claim=claim, version=claim.version, from_colleague=reviewer.pk
    )
    client.force_login(reviewer)

    page = client.get(reverse("claims:my-work")).content.decode()

    assert "Taken from you lately" in page
    assert "<strong>Ruth</strong> took" in page


def test_my_work_takes_the_same_queries_for_one_claim_or_many(
    client, editor, reviewer, second_reviewer, django_assert_num_queries
):
    def fill(n):
        for _ in range(n):
            claim = a_claim()
            review.claim_assign(actor=editor, claim=claim, assignee=reviewer, version=claim.version)
            sent_back(a_claim(), reviewer, second_reviewer)
            proposed(a_claim(), second_reviewer)

    client.force_login(reviewer)
    fill(1)
    # session, user, permissions (2), three lists of claims, their send-back comments, the
    # claims taken from me, the counts
    with django_assert_num_queries(10):
        assert client.get(reverse("claims:my-work")).status_code == 200
    fill(4)
    with django_assert_num_queries(10):
        assert client.get(reverse("claims:my-work")).status_code == 200


def test_my_work_is_for_the_desk(client, outsider):
    client.force_login(outsider)
    assert client.get(reverse("claims:my-work")).status_code == 403


# --- bulk actions --------------------------------------------------------------------------


def picks(*claims):
    return [f"{c.pk}:{c.version}" for c in claims]


def test_an_editor_assigns_ticked_claims_each_through_the_service(client, editor, second_reviewer):
    article = ArticleFactory()
    claims = list(article.claims.check_worthy().order_by("ordinal"))
    client.force_login(editor)

    response = client.post(
        reverse("claims:bulk", args=[article.slug]) + "?status=new",
        {"action": "assign", "assignee": second_reviewer.pk, "claim": picks(*claims)},
        follow=True,
    )

    assert response.redirect_chain[0][0] == f"{article.get_absolute_url()}?status=new"
    assert {fresh(c).assignee for c in claims} == {second_reviewer}
    events = AuditEvent.objects.filter(action="claim.assigned", claim__in=claims)
    assert sorted(events.values_list("claim", flat=True)) == sorted(c.pk for c in claims)
    assert f"Assigned {len(claims)} claims to Ruth." in response.content.decode()


def test_a_conflict_on_one_claim_is_reported_and_the_others_are_still_done(
    client, editor, reviewer
):
    article = ArticleFactory()
    first, second = list(article.claims.check_worthy().order_by("ordinal"))[:2]
    seen = picks(first, second)
    review.claim_reword(actor=reviewer, claim=first, wording="Changed meanwhile", version=1)
    client.force_login(editor)

    response = client.post(
        reverse("claims:bulk", args=[article.slug]),
        {"action": "dismiss", "reason": "Duplicate", "claim": seen},
        follow=True,
    )

    page = response.content.decode()
    assert fresh(second).status == ClaimStatus.DISMISSED
    assert fresh(first).status != ClaimStatus.DISMISSED
    assert f"Claim {first.ordinal} was not changed: Rafael changed this claim" in page
    assert "Dismissed 1 claim." in page


def test_bulk_restore_restores_and_reports_claims_that_were_not_dismissed(client, editor):
    article = ArticleFactory()
    dismissed = article.claims.dismissed().first()
    open_claim = article.claims.check_worthy().first()
    client.force_login(editor)

    response = client.post(
        reverse("claims:bulk", args=[article.slug]),
        {"action": "restore", "claim": picks(dismissed, open_claim)},
        follow=True,
    )

    assert fresh(dismissed).status != ClaimStatus.DISMISSED
    assert "Only a dismissed claim can be restored." in response.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "dismiss", "reason": ""}, "Say why the claims are dismissed."),
        ({"action": "assign", "claim": []}, "Tick the claims to change first."),
        ({"action": "assign", "claim": ["1:x"]}, "The ticked claims were not understood"),
        ({"action": "explode"}, "Select a valid choice."),
    ],
)
def test_a_bulk_action_that_cant_be_done_says_why_and_changes_nothing(
    client, editor, data, message
):
    article = ArticleFactory()
    data = {"claim": picks(*article.claims.all())} | data
    client.force_login(editor)
    before = AuditEvent.objects.count()

    response = client.post(reverse("claims:bulk", args=[article.slug]), data, follow=True)

    assert message in response.content.decode()
    assert AuditEvent.objects.count() == before


def test_reviewers_cannot_send_bulk_actions_nor_see_them(client, reviewer):
    article = ArticleFactory()
    client.force_login(reviewer)
    assert 'id="bulk-form"' not in client.get(article.get_absolute_url()).content.decode()
    response = client.post(
        reverse("claims:bulk", args=[article.slug]),
        {"action": "dismiss", "reason": "x", "claim": picks(*article.claims.all())},
    )
    assert response.status_code == 403
    assert "Only editors can change several claims at once." in response.content.decode()


def test_the_board_offers_editors_a_tick_per_claim_with_its_version(client, editor):
    article = ArticleFactory()
    claim = article.claims.check_worthy().first()
    client.force_login(editor)
    board = client.get(article.get_absolute_url()).content.decode()
    assert f'value="{claim.pk}:{claim.version}" form="bulk-form"' in board


# --- taking a colleague's claim ----------------------------------------------------------


def test_taking_a_colleagues_claim_needs_confirmation(client, reviewer, second_reviewer):
    claim = a_claim()
    review.claim_take(actor=reviewer, claim=claim, version=claim.version)
    claim = fresh(claim)
    client.force_login(second_reviewer)
    page = client.get(claim.get_absolute_url()).content.decode()
    assert "Take this claim from Rafael…" in page

    refused = client.post(
        reverse("claims:take", args=[claim.pk]), {"version": claim.version}, headers=HTMX
    )
    assert refused.status_code == 422
    assert (
        "Rafael has this claim. Confirm that you take it from Rafael." in refused.content.decode()
    )
    assert fresh(claim).assignee == reviewer

    taken = client.post(
        reverse("claims:take", args=[claim.pk]),
        {"version": claim.version, "from_colleague": reviewer.pk},
        headers=HTMX,
    )
    assert taken.status_code == 200
    assert fresh(claim).assignee == second_reviewer
    assert "Ruth took the claim from Rafael" in taken.content.decode()  # the timeline


def test_a_free_claim_is_taken_in_one_click(client, reviewer):
    claim = a_claim()
    client.force_login(reviewer)
    response = client.post(reverse("claims:take", args=[claim.pk]), {"version": claim.version})
    assert response.status_code == 302
    assert fresh(claim).assignee == reviewer


# --- the timeline in words, one name per person ------------------------------------------------


def test_the_timeline_speaks_in_words_with_one_name_per_person(
    client, editor, reviewer, second_reviewer
):
    second_reviewer.last_name = "Ortega"
    second_reviewer.save()
    claim = a_claim()
    review.claim_assign(actor=editor, claim=claim, assignee=second_reviewer, version=claim.version)
    claim = proposed(claim, reviewer)
    client.force_login(editor)

    page = client.get(claim.get_absolute_url()).content.decode()
    timeline = page[page.index('id="panel-timeline"') :]

    assert "Edith assigned the claim to Ruth Ortega" in timeline
    assert 'Status</span>: <del dir="auto">new</del> → <ins dir="auto">in review</ins>' in timeline
    assert "Rafael proposed the verdict “False”" in timeline
    assert "claim.assigned" not in timeline
    assert "in_review" not in timeline
    assert "ruth" not in timeline.replace("Ruth", "")  # never the username beside the name


def test_a_person_without_a_full_name_is_named_by_username(client, editor):
    nameless = UserFactory(username="nemo", first_name="", last_name="", groups=["Reviewers"])
    claim = a_claim()
    review.claim_assign(actor=editor, claim=claim, assignee=nameless, version=claim.version)
    client.force_login(editor)
    page = client.get(claim.get_absolute_url()).content.decode()
    assert "Edith assigned the claim to nemo" in page
    assert f'<option value="{nameless.pk}" selected>nemo</option>' in page


def test_the_timeline_says_who_made_the_claim_in_words(client, reviewer):
    claim = a_claim()
    review.claim_set_claimant(
        actor=reviewer,
        claim=claim,
        version=claim.version,
        claimant="Regional council",
        claimant_kind="Organization",
    )
    client.force_login(reviewer)
    page = client.get(claim.get_absolute_url()).content.decode()
    timeline = page[page.index('id="panel-timeline"') :]
    assert "Rafael said who made the claim" in timeline
    assert "Person or organisation" in timeline
    assert "an organisation" in timeline
    assert "claimant_kind" not in timeline


def test_the_timeline_tells_a_failed_capture_by_its_reason_not_by_ids(client, reviewer):
    claim = a_claim()
    source = review.claim_add_source(
        actor=reviewer, claim=claim, url="http://10.0.0.5/r", title="Report", stance="context"
    )
    evidence.source_capture(source_id=source.pk)  # refused by the fetcher: a private address
    client.force_login(reviewer)
    page = client.get(claim.get_absolute_url()).content.decode()
    timeline = page[page.index('id="panel-timeline"') :]
    told = timeline[timeline.index("A source could not be captured") :]
    assert "Why</span>" in told
    assert "10.0.0.5 is a private address" in told
    assert "Address asked for</span>" in told
    for code in ("Source</span>", "Outcome</span>", "Size</span>", "Requested url"):
        assert code not in told, code
