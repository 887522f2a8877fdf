"""Who made a claim, where and when it appeared: the claim page's panel, its service, the
publication snapshot, ClaimReview's itemReviewed and the public claim page."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from claims import publishing, review, snapshot
from claims.models import AuditEvent, Claim, Publication
from tests.factories import ArticleFactory
from tests.test_publishing import jsonld
from tests.test_snapshot import FORMAT_1, FORMAT_1_SUMMARY
from tests.workspace import HTMX, a_claim, fresh, settled_article


def name_mayor(claim, actor, **fields):
    claim = fresh(claim)
    values = {"claimant": "Jane Doe", "claimant_kind": "Person", "claimant_role": "Mayor"}
    return review.claim_set_claimant(
        actor=actor, claim=claim, version=claim.version, **values | fields
    )


def test_a_reviewer_names_who_made_the_claim_audited_and_versioned(db, reviewer):
    claim = a_claim()
    version = claim.version
    name_mayor(
        claim, reviewer, appearance_url="https://tv.example/debate", appeared_on=dt.date(2025, 3, 2)
    )
    claim = fresh(claim)
    assert (claim.claimant, claim.claimant_kind, claim.claimant_role) == (
        "Jane Doe",
        "Person",
        "Mayor",
    )
    assert claim.appearance == "https://tv.example/debate"
    assert claim.appearance_date == dt.date(2025, 3, 2)
    assert claim.version == version + 1
    event = AuditEvent.objects.get(action="claim.claimant_changed")
    assert event.actor == reviewer
    assert event.claim_id == claim.pk
    assert event.before["claimant"] == ""
    assert event.after["claimant"] == "Jane Doe"
    assert event.after["appeared_on"] == "2025-03-02"


def test_the_appearance_defaults_to_the_articles_address_and_date(db, reviewer):
    claim = a_claim()
    name_mayor(claim, reviewer)
    claim = fresh(claim)
    assert claim.appearance == claim.article.url
    assert claim.appearance_date == claim.article.published_on


def test_the_byline_is_the_claimant_only_when_a_reviewer_says_so(db, reviewer):
    claim = a_claim()
    assert claim.claimant == ""  # importing never guesses the byline
    claim = review.claim_set_claimant(
        actor=reviewer, claim=claim, version=claim.version, byline=True
    )
    assert (claim.claimant, claim.claimant_kind) == ("A. Writer", "Person")


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"claimant": "Jane Doe", "claimant_kind": ""},
            "claimant_kind",
            "a person or an organisation",
        ),
        ({"claimant": "", "claimant_role": "Mayor"}, "claimant", "Name who made the claim"),
        (
            {"claimant": "X", "claimant_kind": "Robot"},
            "claimant_kind",
            "a person or an organisation",
        ),
        (
            {"claimant": "X", "claimant_kind": "Person", "appearance_url": "javascript:alert(1)"},
            "appearance_url",
            "http",
        ),
        (
            {"claimant": "X", "claimant_kind": "Person", "appeared_on": dt.date(2999, 1, 1)},
            "appeared_on",
            "future",
        ),
    ],
)
def test_bad_claimants_are_refused_with_a_reason_and_nothing_written(
    db, reviewer, fields, field, message
):
    claim = a_claim()
    with pytest.raises(ValidationError) as error:
        review.claim_set_claimant(actor=reviewer, claim=claim, version=claim.version, **fields)
    assert message in " ".join(error.value.message_dict[field])
    assert fresh(claim).version == claim.version
    assert not AuditEvent.objects.filter(action="claim.claimant_changed").exists()


def test_an_unchanged_claimant_and_a_stale_version_write_nothing(db, reviewer, second_reviewer):
    claim = a_claim()
    name_mayor(claim, reviewer)
    with pytest.raises(ValidationError, match="Nothing changed"):
        name_mayor(claim, reviewer)
    with pytest.raises(review.Conflict):
        review.claim_set_claimant(
            actor=second_reviewer,
            claim=claim,
            version=claim.version,
            claimant="Someone",
            claimant_kind="Person",
        )
    assert fresh(claim).claimant == "Jane Doe"
    assert AuditEvent.objects.filter(action="claim.claimant_changed").count() == 1


def test_the_database_refuses_a_claimant_without_a_kind(db):
    claim = a_claim()
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(claimant="Jane Doe")
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(claimant_kind="Person")


def test_outsiders_cannot_name_a_claimant(db, outsider):
    claim = a_claim()
    with pytest.raises(PermissionDenied):
        review.claim_set_claimant(actor=outsider, claim=claim, version=claim.version, byline=True)


def test_the_claim_page_panel_saves_in_place_and_refuses_with_reasons(client, reviewer):
    claim = a_claim()
    client.force_login(reviewer)
    url = f"/review/claims/{claim.pk}/claimant"
    page = client.get(claim.get_absolute_url()).content.decode()
    assert 'id="panel-claimant"' in page
    assert "Nobody named yet" in page
    sent = {
        "claimant": "Exampleton Council",
        "claimant_kind": "Organization",
        "version": claim.version,
    }
    response = client.post(url, sent, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Claim by <strong>Exampleton Council</strong>" in html
    assert "Saved who made the claim." in html
    refused = client.post(
        url, {"claimant": "Jane", "claimant_kind": "", "version": claim.version + 1}, headers=HTMX
    )
    assert refused.status_code == 422
    assert "Say whether a person or an organisation made the claim." in refused.content.decode()
    stale = client.post(
        url, {"claimant": "Jane", "claimant_kind": "Person", "version": claim.version}, headers=HTMX
    )
    assert stale.status_code == 409
    assert "made by <strong>Exampleton Council</strong>" in stale.content.decode()
    assert fresh(claim).claimant == "Exampleton Council"
    again = client.get(f"{claim.get_absolute_url()}?panel=claimant", headers=HTMX).content.decode()
    assert again.lstrip().startswith('<section id="panel-claimant"')
    assert "Claim by <strong>Exampleton Council</strong>" in again


def test_claimreview_names_the_claimant_and_the_public_page_says_who_where_when(
    client, editor, reviewer, second_reviewer
):
    article, claim = settled_article(
        editor=editor, reviewer=reviewer, approver=second_reviewer, published_on="2025-03-01"
    )
    name_mayor(
        claim,
        reviewer,
        appearance_url="https://tv.example/debate",
        appeared_on=dt.date(2025, 2, 28),
    )
    publishing.article_publish(actor=editor, article=article)
    published = snapshot.load(Publication.objects.get(article=article).snapshot).claims[0]
    assert (published.claimant, published.claimant_kind, published.claimant_role) == (
        "Jane Doe",
        "Person",
        "Mayor",
    )
    html = client.get(f"/checks/{article.slug}/claims/{claim.ordinal}/").content.decode()
    (data,) = jsonld(html)
    assert data["itemReviewed"] == {
        "@type": "Claim",
        "author": {"@type": "Person", "name": "Jane Doe", "description": "Mayor"},
        "datePublished": "2025-02-28",
        "appearance": {"@type": "CreativeWork", "url": "https://tv.example/debate"},
    }
    assert "Claim by <strong>Jane Doe</strong> (Mayor), in <a" in html
    assert "on 28 February 2025" in html
    assert (
        client.get("/checks/claimreview.json").json()[0]["itemReviewed"]["author"]["name"]
        == "Jane Doe"
    )


def test_an_organisation_claimant_appearing_in_the_article_itself(
    client, editor, reviewer, second_reviewer
):
    article, claim = settled_article(
        editor=editor, reviewer=reviewer, approver=second_reviewer, published_on="2025-03-01"
    )
    name_mayor(
        claim,
        reviewer,
        claimant="Exampleton Council",
        claimant_kind="Organization",
        claimant_role="",
    )
    publishing.article_publish(actor=editor, article=article)
    html = client.get(f"/checks/{article.slug}/claims/{claim.ordinal}/").content.decode()
    (data,) = jsonld(html)
    assert data["itemReviewed"]["author"] == {"@type": "Organization", "name": "Exampleton Council"}
    assert data["itemReviewed"]["appearance"] == {
        "@type": "CreativeWork",
        "url": article.url,
        "headline": article.title,
    }
    assert data["itemReviewed"]["datePublished"] == "2025-03-01"
    assert f'in <a href="{article.url}"' in html
    assert "on 1 March 2025" in html


def test_a_snapshot_from_before_claimants_still_renders_without_one(client, db, editor):
    article = ArticleFactory(title="Bridges report")
    Publication.objects.create(
        article=article,
        version=1,
        snapshot=json.loads(FORMAT_1),
        summary=FORMAT_1_SUMMARY,
        published_by=editor,
        audit_head="0" * 64,
    )
    loaded = snapshot.load(json.loads(FORMAT_1)).claims[0]
    assert (loaded.claimant, loaded.appearance_url, loaded.appeared_on) == ("", "", None)
    html = client.get("/checks/bridges-report/claims/1/").content.decode()
    (data,) = jsonld(html)
    assert "author" not in data["itemReviewed"]
    assert data["itemReviewed"]["datePublished"] == "2025-02-27"
    assert "url" in data["itemReviewed"]["appearance"]
    assert '<p class="claimant">Claim, in <a' in html


def test_the_admin_shows_who_made_the_claim(admin_client, reviewer):
    claim = a_claim()
    name_mayor(claim, reviewer)
    page = admin_client.get(f"/admin/claims/claim/{claim.pk}/change/").text
    assert "Jane Doe, Mayor (A person), in the article" in page


def test_without_javascript_the_claimant_form_is_a_plain_post(client, reviewer):
    claim = a_claim()
    client.force_login(reviewer)
    sent = {"byline": "on", "version": claim.version}
    response = client.post(f"/review/claims/{claim.pk}/claimant", sent, follow=True)
    assert response.redirect_chain == [(claim.get_absolute_url(), 302)]
    assert "Saved who made the claim." in response.content.decode()
    assert fresh(claim).claimant == "A. Writer"
