"""Workspace pages take the same number of queries whatever the number of rows."""

from __future__ import annotations

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims import review
from tests.factories import ArticleFactory
from tests.workspace import fresh

# Every workspace page: the session, the user, their permissions (2), and its ETag: the
# latest audit events of the article and of the rating scale (1), the desk's members (1).
EVERY_PAGE = 6


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


_articles = itertools.count()


def article_with(n_sentences: int):
    """A fresh article (its text is unique, so the importer never finds an old one)."""
    text = f"Report {next(_articles)} of the week.\n\n" + "\n\n".join(
        f"The ministry said {n} roads in Exampleton closed on Monday." for n in range(n_sentences)
    )
    return ArticleFactory(text=text)


@pytest.fixture
def desk(client, editor):
    client.force_login(editor)
    return client


def test_the_queue_is_constant_in_the_number_of_articles(desk, django_assert_num_queries):
    for _ in range(5):
        article_with(3)
    few = queries(desk, "/review/")
    for _ in range(40):
        article_with(3)
    with django_assert_num_queries(few):
        desk.get("/review/")
    assert few <= 9  # with the reopenings, for the reason an article was reopened


def test_the_board_is_constant_in_the_number_of_claims(
    desk, editor, second_reviewer, django_assert_num_queries, django_assert_max_num_queries
):
    small, large = article_with(5), article_with(200)
    for article in (small, large):
        for claim in article.claims.check_worthy()[:3]:
            review.claim_assign(
                actor=editor, claim=claim, assignee=second_reviewer, version=claim.version
            )
    few = queries(desk, small.get_absolute_url())
    with django_assert_num_queries(few):
        desk.get(large.get_absolute_url())
    with django_assert_max_num_queries(few):
        desk.get(large.get_absolute_url() + "?assignee=nobody&min_score=0.2&dismissed=on")
    # the article, ratings, its publication, page, counts, the comments of claims sent
    # back, the desk's members (an editor's bulk "Assign to")
    assert few <= EVERY_PAGE + 8


def fill(claim, reviewer, n: int):
    for i in range(n):
        review.claim_add_source(
            actor=reviewer,
            claim=claim,
            url=f"https://e.example/{i}",
            title=f"Source {i}",
            stance="refutes" if i % 2 else "context",
        )
        review.claim_add_note(actor=reviewer, claim=claim, body=f"Note {i}")
        claim = fresh(claim)
        claim = review.claim_reword(
            actor=reviewer, claim=claim, wording=f"Wording {i}", version=claim.version
        )
    return claim


def test_the_claim_page_is_constant_in_sources_notes_and_events(
    desk, reviewer, django_assert_num_queries
):
    few_claim = fill(article_with(3).claims.check_worthy().first(), reviewer, 5)
    many_claim = fill(article_with(3).claims.check_worthy().first(), reviewer, 200)
    assert many_claim.audit_events.count() == 600
    few = queries(desk, few_claim.get_absolute_url())
    with django_assert_num_queries(few):
        response = desk.get(many_claim.get_absolute_url())
    assert "Source 199" in response.content.decode()
    # The claim with its article, verdict and people; its sources and their captures,
    # notes, the rating scale (for the verdict form), the article's publication, the
    # paragraph; the earlier checks like it (one more for their publications, when there
    # are some); the timeline's events with their actors' names (the people it names are
    # all their actors here).
    assert few <= EVERY_PAGE + 9


# A panel refresh (?panel= over htmx), for an editor: the session, the user and their
# permissions (4), the claim with its latest event (1), and the parts shown out of band:
# the sources with their captures and the desk's members for "Assign to" (3); then what
# the panel itself reads. No ETag: a panel is never a 304 (see claim_page).
PANEL_BASE = 8
PANEL_OWN = {
    "assignment": 0,
    "wording": 0,
    "sources": 0,
    "notes": 1,
    "verdict": 1,  # the rating scale, which the form's choices are made from
    "signoff": 0,
    "timeline": 0,  # a shared fragment, cached by the claim's latest event
}
# What a panel refresh must not build: the other panels' forms and lists.
MARKS = {
    "wording": 'id="wording-form"',
    "sources": "Add a source",
    "notes": "Add note",
    "verdict": 'id="verdict-form"',
}


@pytest.mark.parametrize("panel", list(PANEL_OWN))
def test_a_panel_refresh_builds_its_panel_and_what_shows_the_claim(
    desk, reviewer, panel, django_assert_num_queries
):
    few_claim = fill(article_with(3).claims.check_worthy().first(), reviewer, 3)
    many_claim = fill(article_with(3).claims.check_worthy().first(), reviewer, 60)
    htmx = {"HX-Request": "true"}
    for claim in (few_claim, many_claim):  # the timelines are cached from here on
        desk.get(claim.get_absolute_url())
    with django_assert_num_queries(PANEL_BASE + PANEL_OWN[panel]):
        few = desk.get(f"{few_claim.get_absolute_url()}?panel={panel}", headers=htmx)
    with django_assert_num_queries(PANEL_BASE + PANEL_OWN[panel]):
        many = desk.get(f"{many_claim.get_absolute_url()}?panel={panel}", headers=htmx)
    for response in (few, many):
        html = response.content.decode()
        assert f'id="panel-{panel}"' in html
        # the parts that show the claim, the send-back notice among them
        assert html.count('hx-swap-oob="true"') == (6 if panel in {"wording", "notes"} else 5)
        for other, mark in MARKS.items():
            assert (mark in html) == (other == panel), (other, mark)
    assert "Source 59" in many.content.decode()
