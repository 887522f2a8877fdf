"""Editing an article's details, the preview before publishing, what a correction changes,
and the ClaimReview details publishing asks for."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims import publishing, review
from claims.models import AuditEvent, Publication
from tests.factories import ArticleFactory
from tests.test_claimants import name_mayor
from tests.test_publishing import published_article
from tests.workspace import fresh, settled_article


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def ready(editor, reviewer, second_reviewer):
    return settled_article(
        editor=editor, reviewer=reviewer, approver=second_reviewer, published_on="2025-03-01"
    )


def details(article, **changes) -> dict:
    sent = {name: getattr(article, name) or "" for name in publishing.ARTICLE_DETAILS}
    return sent | {"seen": publishing.details_seen(article)} | changes


# --- the article's details ------------------------------------------------------------------


def test_editors_correct_an_articles_details_on_the_board_audited(client, db, editor):
    article = ArticleFactory(publisher="", author="")
    client.force_login(editor)
    board = client.get(article.get_absolute_url()).content.decode()
    assert 'id="article-form"' in board
    sent = details(
        article, publisher="Valley Times", author="Sam Reporter", published_on="2025-02-01"
    )
    response = client.post(f"/review/articles/{article.slug}/details", sent, follow=True)
    assert "Details saved." in response.content.decode()
    article.refresh_from_db()
    assert (article.publisher, article.author, str(article.published_on)) == (
        "Valley Times",
        "Sam Reporter",
        "2025-02-01",
    )
    event = AuditEvent.objects.get(action="article.edited")
    assert event.actor == editor
    assert event.before == {"publisher": "", "author": "", "published_on": None}
    assert event.after == {
        "publisher": "Valley Times",
        "author": "Sam Reporter",
        "published_on": "2025-02-01",
    }


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": "  "}, "This field is required."),
        ({"url": "javascript:alert(1)"}, "“javascript:” links are not allowed"),
        ({"published_on": "2999-01-01"}, "This date is in the future."),
        ({}, "Nothing changed"),
    ],
)
def test_bad_details_are_refused_on_the_board_as_sent(client, db, editor, changes, message):
    article = ArticleFactory()
    client.force_login(editor)
    response = client.post(f"/review/articles/{article.slug}/details", details(article, **changes))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not AuditEvent.objects.filter(action="article.edited").exists()


def test_another_editors_change_meanwhile_wins_and_the_form_shows_it(client, db, editor):
    article = ArticleFactory()
    form = details(article, publisher="Mine")
    publishing.article_edit(actor=editor, article=article, publisher="Theirs")
    client.force_login(editor)
    response = client.post(f"/review/articles/{article.slug}/details", form)
    assert response.status_code == 422
    html = response.content.decode()
    assert "Another editor changed these details" in html
    assert 'value="Theirs"' in html
    article.refresh_from_db()
    assert article.publisher == "Theirs"


def test_reviewers_cannot_edit_details_or_see_the_form(client, db, reviewer):
    article = ArticleFactory()
    with pytest.raises(PermissionDenied):
        publishing.article_edit(actor=reviewer, article=article, title="Mine")
    client.force_login(reviewer)
    assert 'id="article-form"' not in client.get(article.get_absolute_url()).content.decode()
    response = client.post(
        f"/review/articles/{article.slug}/details", details(article, title="Mine")
    )
    assert response.status_code == 403


# --- preview ----------------------------------------------------------------------------------


def test_the_preview_is_the_public_page_as_it_will_be_and_writes_nothing(client, ready, editor):
    article, claim = ready
    events = AuditEvent.objects.count()
    client.force_login(editor)
    response = client.get(f"/review/articles/{article.slug}/preview")
    assert response.status_code == 200
    html = response.content.decode()
    assert "not published yet" in html
    assert f'<h1 lang="en" dir="ltr">{article.title}</h1>' in html
    assert claim.wording in html
    assert "It did not happen." in html  # the verdict's summary, as the card shows it
    assert "no-store" in response["Cache-Control"]
    assert not Publication.objects.exists()
    assert AuditEvent.objects.count() == events
    assert client.get(f"/checks/{article.slug}/").status_code == 404


def test_the_preview_names_missing_claimreview_details_and_publishing_asks_to_confirm(
    client, ready, editor
):
    article, claim = ready
    client.force_login(editor)
    html = client.get(f"/review/articles/{article.slug}/preview").content.decode()
    assert f"Who made claim #{claim.ordinal} (itemReviewed.author)" in html
    refused = client.post(f"/review/articles/{article.slug}/publish", {}, follow=True)
    assert "Fill them in, or confirm publishing without them." in refused.content.decode()
    assert not Publication.objects.exists()
    client.post(f"/review/articles/{article.slug}/publish", {"accept_missing": "on"})
    assert Publication.objects.filter(article=article, version=1).exists()


def test_nothing_is_missing_once_the_claimant_is_named(client, ready, editor, reviewer):
    article, claim = ready
    name_mayor(claim, reviewer)
    client.force_login(editor)
    html = client.get(f"/review/articles/{article.slug}/preview").content.decode()
    assert "Missing from the ClaimReview data" not in html
    client.post(f"/review/articles/{article.slug}/publish", {"accept_missing": ""})
    assert Publication.objects.filter(article=article, version=1).exists()


def test_an_article_not_ready_goes_back_to_the_board_saying_why(client, db, editor):
    article = ArticleFactory()
    client.force_login(editor)
    response = client.get(f"/review/articles/{article.slug}/preview", follow=True)
    assert "Not ready to publish" in response.content.decode()


def test_reviewers_get_no_preview(client, ready, reviewer):
    client.force_login(reviewer)
    assert client.get(f"/review/articles/{ready[0].slug}/preview").status_code == 403


# --- corrections: the difference, and nothing to correct -------------------------------------


def reopen(article, editor):
    publishing.article_reopen(actor=editor, article=article, reason="Recheck")


def test_a_correction_that_changes_nothing_is_refused_and_writes_nothing(client, ready, editor):
    article, _ = ready
    publishing.article_publish(actor=editor, article=article)
    reopen(article, editor)
    with pytest.raises(ValidationError, match="Nothing readers see would change"):
        publishing.article_publish(
            actor=editor, article=article, correction_kind="typo", correction_text="Nothing"
        )
    client.force_login(editor)
    html = client.get(f"/review/articles/{article.slug}/preview").content.decode()
    assert "there is nothing to publish as a correction" in html
    assert "Publish this correction" not in html
    response = client.post(
        f"/review/articles/{article.slug}/publish",
        {"correction_kind": "typo", "correction_text": "Typo fixed", "accept_missing": "on"},
    )
    assert response.status_code == 422  # the preview again, saying why, the note kept
    html = response.content.decode()
    assert "Nothing readers see would change" in html
    assert "Publish this correction" not in html
    assert Publication.objects.filter(article=article).count() == 1
    assert not AuditEvent.objects.filter(action="article.corrected").exists()


def test_a_refused_correction_shows_the_preview_again_with_the_note_kept(client, ready, editor):
    article, _ = ready
    publishing.article_publish(actor=editor, article=article)
    publishing.article_edit(actor=editor, article=article, title="Valley floods, corrected")
    client.force_login(editor)
    note = "The title named the wrong valley. " * 20
    response = client.post(
        f"/review/articles/{article.slug}/publish",
        {"correction_kind": "other", "correction_text": note},  # missing details unconfirmed
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Fill them in, or confirm publishing without them." in html
    assert f"{note}</textarea>" in html
    assert Publication.objects.filter(article=article).count() == 1


def test_the_diff_lists_what_readers_will_see_change(
    client, ready, editor, reviewer, second_reviewer
):
    article, claim = ready
    publishing.article_publish(actor=editor, article=article)
    reopen(article, editor)
    publishing.article_edit(actor=editor, article=article, title="Valley floods, corrected")
    name_mayor(claim, reviewer)
    review.claim_add_source(
        actor=reviewer,
        claim=fresh(claim),
        url="https://records.example/x",
        title="Flood log",
        stance="supports",
    )
    claim = fresh(claim)
    review.claim_propose_verdict(
        actor=reviewer,
        claim=claim,
        rating=claim.verdict.rating.__class__.objects.get(slug="mostly-false"),
        summary="Fewer homes than said.",
        rationale="The log lists 12.",
        version=claim.version,
    )
    claim = fresh(claim)
    review.claim_approve_verdict(actor=second_reviewer, claim=claim, version=claim.version)
    draft = publishing.publication_preview(actor=editor, article=article)
    found = {(d.where, d.what): (d.before, d.after) for d in draft.differences}
    assert found[("Article", "title")] == (article.title, "Valley floods, corrected")
    where = f"Claim {claim.ordinal}"
    assert found[(where, "rating")] == ("False", "Mostly false")
    assert found[(where, "summary")] == ("It did not happen.", "Fewer homes than said.")
    assert found[(where, "rationale")] == ("Two monitors contradict it.", "The log lists 12.")
    assert found[(where, "claim made by")] == ("", "Jane Doe, Mayor (person)")
    assert found[(where, "source added")] == ("", "Flood log (https://records.example/x)")
    client.force_login(editor)
    html = client.get(f"/review/articles/{article.slug}/preview").content.decode()
    assert "What changes against version 1" in html
    assert '<del dir="auto">False</del>' in html
    assert '<ins dir="auto">Mostly false</ins>' in html
    client.post(
        f"/review/articles/{article.slug}/publish",
        {
            "correction_kind": "verdict_changed",
            "correction_text": "Now mostly false.",
            "accept_missing": "on",
        },
    )
    assert Publication.objects.filter(article=article, version=2).exists()


def test_claims_added_and_removed_are_differences(ready, editor):
    article, claim = ready
    publishing.article_publish(actor=editor, article=article)
    old = publishing.publication_preview(actor=editor, article=article).publication
    from claims import snapshot
    from claims.differences import differences

    before = snapshot.load(old.snapshot)
    emptier = before.__class__(before.organisation, before.article, before.fact_checkers, ())
    (removed,) = differences(before, emptier)
    assert (removed.where, removed.what) == (f"Claim {claim.ordinal}", "claim removed")
    (added,) = differences(emptier, before)
    assert added.what == "claim added"
    assert added.after.startswith("False: ")


def test_publishing_still_works_from_commands_without_asking(ready, editor):
    """Commands and scripts publish what there is (accept_missing defaults to True)."""
    publication = publishing.article_publish(actor=editor, article=ready[0])
    assert publication.version == 1
    assert publication.published_at <= dt.datetime.now(dt.UTC)


def test_the_preview_costs_the_same_queries_for_one_claim_or_six(
    client, editor, reviewer, second_reviewer
):
    client.force_login(editor)
    counts = []
    for size in (1, 6):
        article = published_article(
            size, editor=editor, reviewer=reviewer, approver=second_reviewer
        )
        publishing.article_reopen(actor=editor, article=article, reason="Recheck")
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/review/articles/{article.slug}/preview").status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1] <= 16
