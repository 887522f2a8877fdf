"""Workspace pages answer a browser that has the current page with 304 (`@condition`,
an ETag naming everything the page shows), and render afresh whenever any of it changes."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission

from claims import ratings, review
from claims.models import Rating
from tests.factories import UserFactory
from tests.workspace import HTMX, a_claim


@pytest.fixture
def claim(db):
    return a_claim()


def etag_of(client, url: str, **headers) -> str:
    """The page's ETag once the browser has its CSRF cookie (a real one has it from the
    login form; the first page sets it here, and the ETag names it)."""
    client.get(url, headers=headers)
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    return response["ETag"]


def again(client, url: str, etag: str, **headers):
    return client.get(url, headers={"If-None-Match": etag, **headers})


@pytest.mark.parametrize("page", ["claim", "board"])
def test_an_unchanged_page_is_a_304_and_any_change_renders_it_again(
    client, reviewer, second_reviewer, claim, page
):
    url = claim.get_absolute_url() if page == "claim" else claim.article.get_absolute_url()
    client.force_login(reviewer)
    etag = etag_of(client, url)
    assert again(client, url, etag).status_code == 304

    review.claim_add_note(actor=second_reviewer, claim=claim, body="Seen the minutes?")

    response = again(client, url, etag)
    assert response.status_code == 200
    assert response["ETag"] != etag


def test_the_headers_keep_shared_caches_out_and_tell_fragments_from_pages(client, reviewer, claim):
    client.force_login(reviewer)
    response = client.get(claim.get_absolute_url())
    assert set(response["Cache-Control"].split(", ")) == {"no-cache", "private"}
    assert "HX-Request" in response["Vary"]
    # A panel is asked for only when the page knows it is out of date: never a 304, so
    # it has no ETag to compute, and is kept apart from the page by Vary.
    fragment = client.get(claim.get_absolute_url() + "?panel=notes", headers=HTMX)
    assert "ETag" not in fragment
    assert "HX-Request" in fragment["Vary"]
    assert set(fragment["Cache-Control"].split(", ")) == {"no-cache", "private"}
    with_tag = client.get(
        claim.get_absolute_url() + "?panel=notes",
        headers=HTMX | {"If-None-Match": response["ETag"]},
    )
    assert with_tag.status_code == 200


def test_each_reader_has_their_own_page(client, reviewer, second_reviewer, claim):
    client.force_login(reviewer)
    mine = etag_of(client, claim.get_absolute_url())
    client.force_login(second_reviewer)
    assert again(client, claim.get_absolute_url(), mine).status_code == 200


def test_a_rating_definition_changed_in_the_admin_shows_at_once(client, reviewer, superuser, claim):
    client.force_login(reviewer)
    etag = etag_of(client, claim.get_absolute_url())
    rating = Rating.objects.get(slug="false")
    rating.definition = "Plainly untrue."
    ratings.rating_save(actor=superuser, rating=rating)
    response = again(client, claim.get_absolute_url(), etag)
    assert response.status_code == 200
    assert "Plainly untrue." in response.text


def test_a_new_desk_member_appears_in_the_assignee_list(client, editor, claim):
    client.force_login(editor)
    etag = etag_of(client, claim.get_absolute_url())
    UserFactory(username="newcomer", first_name="Nina", last_name="Newcomer", groups=["Reviewers"])
    response = again(client, claim.get_absolute_url(), etag)
    assert response.status_code == 200
    assert "Nina Newcomer" in response.text  # named as every page names people


def test_permissions_granted_or_taken_count_at_once(client, reviewer, claim):
    client.force_login(reviewer)
    etag = etag_of(client, claim.get_absolute_url())
    reviewer.user_permissions.add(Permission.objects.get(codename="dismiss_claim"))
    response = again(client, claim.get_absolute_url(), etag)
    assert response.status_code == 200
    assert "Dismiss claim" in response.text
    reviewer.groups.remove(Group.objects.get(name="Reviewers"))
    assert again(client, claim.get_absolute_url(), response["ETag"]).status_code == 403


def test_a_page_with_a_message_is_never_a_304(client, reviewer, claim):
    client.force_login(reviewer)
    etag = etag_of(client, claim.get_absolute_url())
    client.post(f"/review/claims/{claim.pk}/notes", {"body": "Checked."})  # "Note added."
    response = again(client, claim.get_absolute_url(), etag)
    assert response.status_code == 200
    assert "Note added." in response.text
    assert not response.has_header("ETag")


def test_a_form_on_a_page_the_browser_kept_still_posts(reviewer, claim):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(reviewer)
    browser.get(claim.get_absolute_url())
    page = browser.get(claim.get_absolute_url())
    assert again(browser, claim.get_absolute_url(), page["ETag"]).status_code == 304
    token = page.text.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = browser.post(
        f"/review/claims/{claim.pk}/notes",
        {"body": "From the kept page.", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302


def test_a_304_costs_a_few_queries(client, reviewer, claim, django_assert_max_num_queries):
    client.force_login(reviewer)
    etag = etag_of(client, claim.get_absolute_url())
    with django_assert_max_num_queries(6):  # session, user, permissions (2), the ETag (2)
        assert again(client, claim.get_absolute_url(), etag).status_code == 304
