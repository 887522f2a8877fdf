"""The claim page is cached per reader, and any change to what it shows renews it."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import publishing, ratings, review
from claims.deskcache import csrf_placeholder
from claims.models import Rating
from tests.workspace import a_claim, fresh, settled_article

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def page(client, claim) -> str:
    response = client.get(claim.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert csrf_placeholder() not in html
    return html


def without_tokens(html: str) -> str:
    return re.sub(r"[A-Za-z0-9]{64}", "TOKEN", html)


@pytest.fixture
def claim(db):
    return a_claim()


@pytest.fixture
def as_reviewer(client, reviewer):
    client.force_login(reviewer)
    return client


def test_a_second_view_is_the_same_page_in_three_queries(as_reviewer, claim):
    first = page(as_reviewer, claim)
    with CaptureQueriesContext(connection) as queries:
        second = page(as_reviewer, claim)
    # The session, the user (with the directory stamp, under which their permissions
    # are cached), and the stamp of the claim's article.
    assert len(queries) == 3, [q["sql"] for q in queries]
    assert without_tokens(second) == without_tokens(first)


def test_every_view_gets_a_fresh_token_that_the_next_post_accepts(reviewer, claim):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reviewer)
    page(client, claim)
    cached = page(client, claim)
    tokens = set(TOKEN.findall(cached))
    assert len(tokens) == 1
    assert tokens.isdisjoint(TOKEN.findall(page(client, claim)))  # masked anew each time
    response = client.post(
        reverse("claims:note-add", args=[claim.pk]),
        {"body": "Posted from a cached page.", "csrfmiddlewaretoken": tokens.pop()},
    )
    assert response.status_code == 302
    assert "Posted from a cached page." in page(client, claim)


def test_a_change_to_the_claim_shows_at_once(as_reviewer, reviewer, claim):
    page(as_reviewer, claim)
    review.claim_add_note(actor=reviewer, claim=claim, body="Called the ministry.")
    assert "Called the ministry." in page(as_reviewer, claim)
    claim = review.claim_take(actor=reviewer, claim=fresh(claim), version=claim.version)
    assert "Release" in page(as_reviewer, claim)


def test_a_change_to_the_article_shows_at_once(
    client, editor, reviewer, second_reviewer, as_reviewer
):
    article, claim = settled_article(editor=editor, reviewer=reviewer, approver=second_reviewer)
    open_page = page(as_reviewer, claim)
    assert "This article is published" not in open_page
    publishing.article_publish(actor=editor, article=article)
    assert "This article is published" in page(as_reviewer, claim)
    publishing.article_reopen(actor=editor, article=article, reason="A reader wrote in.")
    assert "This article is published" not in page(as_reviewer, claim)


def test_people_and_ratings_changed_in_the_admin_show_at_once(
    as_reviewer, reviewer, superuser, claim
):
    claim = review.claim_take(actor=reviewer, claim=claim, version=claim.version)
    assert "rafael" in page(as_reviewer, claim)
    reviewer.username = "rafaela"
    reviewer.save()
    assert "rafaela" in page(as_reviewer, claim)

    rating = Rating.objects.get(slug="false")
    assert "It did not happen that way" not in page(as_reviewer, claim)
    rating.definition = "It did not happen that way."
    ratings.rating_save(actor=superuser, rating=rating)
    assert "It did not happen that way." in page(as_reviewer, claim)


def test_a_new_desk_member_appears_in_the_assignee_list(client, editor, outsider, claim):
    client.force_login(editor)
    assert "oscar" not in page(client, claim)
    outsider.groups.add(Group.objects.get(name="Reviewers"))
    assert "oscar" in page(client, claim)


def test_a_reader_who_leaves_the_desk_is_refused_at_once(as_reviewer, reviewer, claim):
    page(as_reviewer, claim)
    reviewer.groups.clear()
    assert as_reviewer.get(claim.get_absolute_url()).status_code == 403


def test_a_permission_granted_or_taken_counts_at_once(client, outsider, claim):
    client.force_login(outsider)
    url = claim.get_absolute_url()
    assert client.get(url).status_code == 403
    review_claim = Permission.objects.get(codename="review_claim")
    outsider.user_permissions.add(review_claim)
    assert client.get(url).status_code == 200
    review_claim.group_set.clear()  # from the other side of the relation
    outsider.user_permissions.remove(review_claim)
    assert client.get(url).status_code == 403


def test_each_reader_sees_their_own_page(client, editor, as_reviewer, claim):
    reviewer_page = page(as_reviewer, claim)
    client.force_login(editor)
    editor_page = page(client, claim)
    assert 'name="assignee"' in editor_page  # editors assign; reviewers take
    assert 'name="assignee"' not in reviewer_page
    assert "edith" in editor_page
    assert "edith" not in reviewer_page


def test_a_flash_message_shows_once_and_is_never_cached(as_reviewer, claim):
    page(as_reviewer, claim)
    response = as_reviewer.post(
        reverse("claims:take", args=[claim.pk]), {"version": claim.version}, follow=True
    )
    flashed = response.content.decode()
    assert 'class="flash-success"' in flashed
    assert 'class="flash-success"' not in page(as_reviewer, claim)


def test_the_board_is_cached_per_filter_and_shows_changes_at_once(
    as_reviewer, reviewer, claim, django_assert_num_queries
):
    board = claim.article.get_absolute_url()
    mine = f"{board}?assignee=mine"
    assert as_reviewer.get(board).status_code == 200
    with django_assert_num_queries(3):
        whole = as_reviewer.get(board).content.decode()
    assert claim.wording in whole
    assert claim.wording not in as_reviewer.get(mine).content.decode()
    table = as_reviewer.get(mine, headers={"HX-Request": "true"}).content.decode()
    assert table.lstrip().startswith('<section id="claims-table"')

    review.claim_take(actor=reviewer, claim=claim, version=claim.version)
    assert claim.wording in as_reviewer.get(mine).content.decode()
    table = as_reviewer.get(mine, headers={"HX-Request": "true"}).content.decode()
    assert claim.wording in table
    assert table.lstrip().startswith('<section id="claims-table"')
