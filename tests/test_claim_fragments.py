"""The claim page's shared fragments ({% cache %}: the timeline, keyed by the claim's
latest event; the rating definitions; the empty source form) are shown to every reader
of the claim and are never older than the claim: a change shows at once to everyone."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from claims import people, ratings, review
from claims.models import Rating
from tests.test_rough_edges import user_form
from tests.workspace import HTMX, a_claim


@pytest.fixture
def claim(db):
    cache.clear()
    return a_claim()


def page(client: Client, claim, **query) -> str:
    response = client.get(claim.get_absolute_url(), query)
    assert response.status_code == 200
    return response.content.decode()


def timeline(html: str) -> str:
    return html[html.index('id="panel-timeline"') :]


def test_every_new_event_is_in_the_timeline_at_once_for_every_reader(
    client, reviewer, second_reviewer, claim
):
    other = Client()
    client.force_login(reviewer)
    other.force_login(second_reviewer)
    before = timeline(page(client, claim))
    assert timeline(page(other, claim)) == before  # the same fragment, from the cache

    review.claim_add_note(actor=second_reviewer, claim=claim, body="Minutes?")
    claim.refresh_from_db()
    review.claim_reword(
        actor=second_reviewer,
        claim=claim,
        wording="Exampleton shut 12 roads",
        version=claim.version,
    )
    for reader in (client, other):
        shown = timeline(page(reader, claim))
        assert shown != before
        assert "Exampleton shut 12 roads" in shown
        events = 'aria-label="The claim as of event'
        assert shown.count(events) == before.count(events) + 2

    # A panel answer (htmx) shows the same timeline out of band.
    answer = client.get(f"{claim.get_absolute_url()}?panel=wording", headers=HTMX)
    assert "Exampleton shut 12 roads" in timeline(answer.content.decode())


def test_a_renamed_rating_shows_at_once_in_the_definitions(client, reviewer, superuser, claim):
    client.force_login(reviewer)
    review.claim_take(actor=reviewer, claim=claim, version=claim.version)
    assert "Plainly untrue." not in page(client, claim)
    rating = Rating.objects.get(slug="false")
    rating.definition = "Plainly untrue."
    ratings.rating_save(actor=superuser, rating=rating)
    assert "Plainly untrue." in page(client, claim)


def test_the_shared_fragments_hold_nothing_of_one_reader(
    reviewer, second_reviewer, claim, settings
):
    """The first reader's page fills the cache; the second reader's forms still carry
    their own CSRF token, and adding a source with them works."""
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(reviewer)
    second.force_login(second_reviewer)
    page(first, claim)
    html = page(second, claim)
    add = f"{claim.get_absolute_url()}sources"
    token = re.search(
        rf'action="{add}"[^>]*>\s*<input type="hidden" name="csrfmiddlewaretoken" '
        r'value="([^"]+)"',
        html,
    )
    assert token, "the add-source form carries a CSRF token"
    response = second.post(
        add,
        {
            "csrfmiddlewaretoken": token.group(1),
            "url": "https://stats.example/roads",
            "title": "Road closures, November",
            "accessed_on": "2026-11-28",
            "stance": "supports",
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    assert claim.sources.get().added_by == second_reviewer


def test_a_renamed_person_is_shown_by_their_new_name_in_a_cached_timeline(
    client, editor, second_reviewer, superuser, claim
):
    """The timeline fragment is keyed by the claim's latest event; a rename adds no event
    to the claim, yet every name it shows must be the person's name now."""
    review.claim_assign(actor=editor, claim=claim, assignee=second_reviewer, version=claim.version)
    client.force_login(second_reviewer)
    before = timeline(page(client, claim))
    assert "Edith assigned the claim to Ruth" in before

    admin = Client()
    admin.force_login(superuser)
    for user, first, last in ((editor, "Edith", "Núñez"), (second_reviewer, "Ruth", "Ortega")):
        response = admin.post(
            reverse("admin:auth_user_change", args=[user.pk]),
            user_form(user, first_name=first, last_name=last),
        )
        assert response.status_code == 302
    shown = timeline(page(client, claim))
    assert "Edith Núñez assigned the claim to Ruth Ortega" in shown


def test_a_login_keeps_the_cached_timeline(client, reviewer, claim):
    """Only a change that may rename someone keys the fragments anew (a login saves the
    user, its last_login only)."""
    stamp = people.names_stamp()
    Client().force_login(reviewer)  # saves its last_login
    reviewer.refresh_from_db()
    assert reviewer.last_login is not None
    assert people.names_stamp() == stamp
    reviewer.first_name = "Rafa"
    reviewer.save()
    assert people.names_stamp() != stamp
