"""Object-level access (ASVS V8.2.2): reviewers act only on claims of articles open for
review (not yet published, or reopened by an editor for a correction), and no id in a
URL or a form reaches an object it doesn't belong with."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from claims import publishing, review
from claims.models import AuditEvent, Claim, Rating, Source
from tests.factories import UserFactory
from tests.test_claim_actions import ACTIONS, url
from tests.workspace import HTMX, a_claim, fresh, settled_article, with_sources

REVIEWER_ACTIONS = [a for a in ACTIONS if a.actor != "editor"]


@pytest.fixture
def personas(editor, reviewer, second_reviewer):
    return {"editor": editor, "reviewer": reviewer, "second_reviewer": second_reviewer}


@pytest.fixture
def published(personas):
    article, claim = settled_article(
        editor=personas["editor"],
        reviewer=personas["reviewer"],
        approver=personas["second_reviewer"],
    )
    publishing.article_publish(actor=personas["editor"], article=article)
    return article, claim


def event_count() -> int:
    return AuditEvent.objects.count()


@pytest.mark.parametrize("action", REVIEWER_ACTIONS, ids=lambda a: a.name)
def test_reviewers_cannot_touch_a_closed_article(client, personas, published, action):
    """Each reviewer action, set up while the article was reopened, then refused once it
    is closed again (retracted): 403, nothing written."""
    article, claim = published
    editor = personas["editor"]
    publishing.article_reopen(actor=editor, article=article, reason="Reader complaint")
    review.claim_send_back(actor=editor, claim=claim, comment="Recheck", version=claim.version)
    claim = fresh(action.setup(fresh(claim), personas))
    publishing.article_retract(actor=editor, article=article, reason="Source withdrew it")
    before, state = event_count(), Claim.objects.filter(pk=claim.pk).values().get()

    client.force_login(personas[action.actor])
    response = client.post(url(action, claim), action.data(claim, personas), headers=HTMX)

    assert response.status_code == 403
    assert event_count() == before
    assert Claim.objects.filter(pk=claim.pk).values().get() == state


def test_published_closes_reopen_opens_republishing_closes_again(client, personas, published):
    article, claim = published
    reviewer, editor = personas["reviewer"], personas["editor"]
    client.force_login(reviewer)
    note = reverse("claims:note-add", args=[claim.pk])

    assert client.post(note, {"body": "Is this still right?"}).status_code == 403
    page = client.get(claim.get_absolute_url()).content.decode()
    assert "until an editor reopens it for a correction" in page
    assert 'action="/review/claims/' not in page  # no forms for a closed claim

    client.force_login(editor)
    response = client.post(reverse("claims:reopen", args=[article.slug]), {"reason": "Typo"})
    assert response.status_code == 302
    reopened = AuditEvent.objects.get(action="article.reopened")
    assert (reopened.actor, reopened.reason) == (editor, "Typo")

    client.force_login(reviewer)
    assert client.post(note, {"body": "Is this still right?"}).status_code == 302
    assert "Take this claim" in client.get(claim.get_absolute_url()).content.decode()

    claim.refresh_from_db()
    review.claim_set_claimant(actor=reviewer, claim=claim, version=claim.version, byline=True)
    publishing.article_publish(
        actor=editor, article=article, correction_kind="typo", correction_text="A typo."
    )
    assert client.post(note, {"body": "Again?"}).status_code == 403
    assert claim.notes.count() == 1


def test_editors_work_on_published_articles_without_reopening(personas, published):
    _, claim = published
    review.claim_add_note(actor=personas["editor"], claim=claim, body="Checked again.")
    assert claim.notes.count() == 1


def test_reopen_is_for_editors_with_a_reason_on_a_live_publication(personas, published):
    article, _ = published
    with pytest.raises(PermissionDenied):
        publishing.article_reopen(actor=personas["reviewer"], article=article, reason="x")
    with pytest.raises(ValidationError, match="what needs correcting"):
        publishing.article_reopen(actor=personas["editor"], article=article, reason="  ")
    publishing.article_reopen(actor=personas["editor"], article=article, reason="x")
    with pytest.raises(ValidationError, match="already open"):
        publishing.article_reopen(actor=personas["editor"], article=article, reason="x")
    publishing.article_retract(actor=personas["editor"], article=article, reason="Gone")
    with pytest.raises(ValidationError, match="retracted"):
        publishing.article_reopen(actor=personas["editor"], article=article, reason="x")


def test_an_unpublished_article_cannot_be_reopened(personas):
    article = a_claim().article
    with pytest.raises(ValidationError, match="isn't published"):
        publishing.article_reopen(actor=personas["editor"], article=article, reason="x")


# --- ids in URLs and forms ---------------------------------------------------------------


def test_a_source_id_from_another_claim_is_not_found(client, personas):
    mine, theirs = a_claim(), a_claim()  # two articles
    theirs = with_sources(theirs, personas["reviewer"], stances=["context"])
    foreign = theirs.sources.get()
    client.force_login(personas["reviewer"])
    before = event_count()
    response = client.post(reverse("claims:source-remove", args=[mine.pk, foreign.pk]), {})
    assert response.status_code == 404
    assert Source.objects.filter(pk=foreign.pk).exists()
    assert event_count() == before


@pytest.mark.parametrize("who", ["outsider", "inactive", "missing"])
def test_a_claim_goes_only_to_an_active_desk_member(client, personas, outsider, who):
    claim = a_claim()
    inactive = UserFactory(username="gone", groups=["Reviewers"], is_active=False)
    assignee = {"outsider": outsider.pk, "inactive": inactive.pk, "missing": 99_999}[who]
    client.force_login(personas["editor"])
    before = event_count()
    response = client.post(
        reverse("claims:assign", args=[claim.pk]),
        {"version": claim.version, "assignee": assignee},
        headers=HTMX,
    )
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    assert fresh(claim).assignee is None
    assert event_count() == before


@pytest.mark.parametrize("which", ["retired", "missing"])
def test_a_verdict_takes_only_an_active_rating(client, personas, which):
    claim = with_sources(a_claim(), personas["reviewer"])
    retired = Rating.objects.get(slug="misleading")
    retired.is_retired = True
    retired.save()
    rating = retired.pk if which == "retired" else 99_999
    client.force_login(personas["reviewer"])
    before = event_count()
    response = client.post(
        reverse("claims:propose", args=[claim.pk]),
        {"version": claim.version, "rating": rating, "summary": "S", "rationale": "R"},
        headers=HTMX,
    )
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    assert not hasattr(fresh(claim), "verdict")
    assert event_count() == before


def test_a_claim_id_that_does_not_exist_is_not_found(client, personas):
    client.force_login(personas["reviewer"])
    missing = (Claim.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    for name in ["claim", "take", "note-add", "propose"]:
        response = client.post(reverse(f"claims:{name}", args=[missing]), {"version": 1})
        assert response.status_code in {404, 405}, name


def test_group_membership_not_the_staff_flag_decides(client, db):
    staff = UserFactory(username="staffer", is_staff=True)
    claim = a_claim()
    client.force_login(staff)
    assert client.post(reverse("claims:take", args=[claim.pk]), {"version": 1}).status_code == 403
    assert not Group.objects.get(name="Reviewers").user_set.filter(pk=staff.pk).exists()
