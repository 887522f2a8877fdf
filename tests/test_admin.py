import re

import pytest
from django.urls import reverse

from claims.models import AuditEvent, Rating
from claims.publishing import ARTICLE_DETAILS
from claims.review import claim_add_note, claim_add_source
from tests.factories import ArticleFactory

MODELS = ["article", "claim", "rating", "verdict", "source", "note", "publication", "auditevent"]


@pytest.fixture
def populated(db, editor, reviewer):
    article = ArticleFactory(actor=editor)
    claim = article.claims.check_worthy().first()
    claim_add_source(
        actor=reviewer, claim=claim, url="https://example.org/a", title="A", stance="supports"
    )
    claim_add_note(actor=reviewer, claim=claim, body="Checking the council minutes.")
    return article


@pytest.mark.parametrize("model", MODELS)
def test_every_changelist_loads_for_a_superuser(admin_client, populated, model):
    response = admin_client.get(reverse(f"admin:claims_{model}_changelist"))
    assert response.status_code == 200


@pytest.mark.parametrize("model", ["article", "claim", "source", "note", "auditevent"])
def test_every_record_page_loads_and_search_works(admin_client, populated, model):
    url = reverse(f"admin:claims_{model}_changelist")
    assert admin_client.get(url, {"q": "council"}).status_code == 200
    obj = populated if model == "article" else None
    if model == "claim":
        obj = populated.claims.first()
    elif model == "source":
        obj = populated.claims.first().sources.first() or populated.claims.check_worthy()[0]
    if obj is not None and model in {"article", "claim"}:
        page = admin_client.get(reverse(f"admin:claims_{model}_change", args=[obj.pk]))
        assert page.status_code == 200


def test_the_audit_trail_is_read_only_even_for_superusers(admin_client, populated):
    event = AuditEvent.objects.first()
    assert admin_client.get(reverse("admin:claims_auditevent_add")).status_code == 403
    change = admin_client.get(reverse("admin:claims_auditevent_change", args=[event.pk]))
    assert change.status_code == 200  # viewable
    assert b'type="submit"' not in change.content.split(b"<footer")[0].split(b"content-main")[-1]
    delete_url = reverse("admin:claims_auditevent_delete", args=[event.pk])
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 403
    response = admin_client.post(
        reverse("admin:claims_auditevent_changelist"),
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
    )
    assert response.status_code in {200, 302}
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_a_rating_edit_in_the_admin_is_audited(admin_client, superuser):
    rating = Rating.objects.get(slug="unproven")
    url = reverse("admin:claims_rating_change", args=[rating.pk])
    response = admin_client.post(
        url,
        {
            "label": "Unproven",
            "slug": "unproven",
            "definition": "There is not enough evidence to say either way.",
            "colour": "#4b5563",
            "rating_value": "",
            "position": rating.position,
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="rating.changed")
    assert event.actor == superuser
    assert event.before["definition"] != event.after["definition"]
    assert event.after["definition"] == "There is not enough evidence to say either way."


def test_a_bad_rating_value_is_refused_in_the_admin(admin_client):
    response = admin_client.post(
        reverse("admin:claims_rating_add"),
        {
            "label": "Pants on fire",
            "slug": "pants",
            "definition": "Very false.",
            "colour": "red",
            "rating_value": "0",
            "position": 9,
        },
    )
    assert response.status_code == 200
    assert b"Use a colour like #1a7f37." in response.content
    assert not Rating.objects.filter(slug="pants").exists()
    assert not AuditEvent.objects.exists()


def hidden_inputs(html: str) -> dict[str, str]:
    """The change form's hidden fields (the inlines' management forms among them)."""
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))


def test_an_admin_wording_edit_goes_through_the_service(admin_client, superuser, populated):
    claim = populated.claims.check_worthy().order_by("ordinal").first()
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    form = hidden_inputs(admin_client.get(url).content.decode())
    form.pop("csrfmiddlewaretoken", None)
    response = admin_client.post(
        url, form | {"wording": "The council closed three bridges.", "assignee": ""}
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.wording == "The council closed three bridges."
    event = AuditEvent.objects.get(action="claim.reworded")
    assert (event.actor, event.after["wording"]) == (superuser, claim.wording)


def test_admin_dismissal_needs_a_reason_and_is_audited(admin_client, superuser, populated):
    claim = populated.claims.check_worthy().order_by("ordinal").first()
    changelist = reverse("admin:claims_claim_changelist")
    action = {"action": "dismiss", "_selected_action": [claim.pk]}
    response = admin_client.post(changelist, action | {"reason": ""}, follow=True)
    assert "Say why the claim is dismissed." in response.content.decode()
    claim.refresh_from_db()
    assert claim.status != "dismissed"
    admin_client.post(changelist, action | {"reason": "Duplicate of #1"})
    claim.refresh_from_db()
    assert (claim.status, claim.dismissed_reason) == ("dismissed", "Duplicate of #1")
    assert AuditEvent.objects.get(action="claim.dismissed").actor == superuser


def test_an_admin_approval_override_needs_a_written_reason(admin_client, superuser, reviewer):
    from tests.workspace import a_claim, proposed

    claim = proposed(a_claim(), reviewer)
    changelist = reverse("admin:claims_verdict_changelist")
    action = {"action": "approve_with_reason", "_selected_action": [claim.verdict.pk]}
    response = admin_client.post(changelist, action | {"reason": ""}, follow=True)
    assert "needs a written reason" in response.content.decode()
    admin_client.post(changelist, action | {"reason": "Signed off by phone with the desk."})
    event = AuditEvent.objects.get(action="verdict.approved_override")
    assert (event.actor, event.reason) == (superuser, "Signed off by phone with the desk.")


def test_admin_sources_and_notes_are_added_through_the_services(admin_client, superuser, populated):
    claim = populated.claims.check_worthy().order_by("ordinal").first()
    response = admin_client.post(
        reverse("admin:claims_source_add"),
        {
            "claim": claim.pk,
            "url": "https://records.example/1",
            "title": "Records",
            "stance": "supports",
            "accessed_on": "2026-01-02",
            "excerpt": "",
        },
    )
    assert response.status_code == 302
    source = claim.sources.get(title="Records")
    assert (
        AuditEvent.objects.get(action="source.added", object_id=str(source.pk)).actor == superuser
    )
    admin_client.post(reverse("admin:claims_source_delete", args=[source.pk]), {"post": "yes"})
    assert not claim.sources.filter(title="Records").exists()
    assert AuditEvent.objects.get(action="source.removed").before["title"] == "Records"

    admin_client.post(reverse("admin:claims_note_add"), {"claim": claim.pk, "body": "From admin"})
    assert AuditEvent.objects.filter(action="note.added", actor=superuser).count() == 1


def test_a_refused_admin_source_is_not_reported_as_added(admin_client, populated):
    claim = populated.claims.dismissed().first()
    response = admin_client.post(
        reverse("admin:claims_source_add"),
        {
            "claim": claim.pk,
            "url": "https://records.example/1",
            "title": "Records",
            "stance": "supports",
            "accessed_on": "2026-01-02",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "restore it before sources are added" in page
    assert "was added successfully" not in page
    assert not claim.sources.exists()


def article_form(article, **changes) -> dict:
    """The admin's article form as sent, with `changes`; its inlines are read-only."""
    data = {name: getattr(article, name) or "" for name in [*ARTICLE_DETAILS, "language"]}
    for inline in ("capture", "claims"):
        data |= {f"{inline}-TOTAL_FORMS": "0", f"{inline}-INITIAL_FORMS": "0"}
    return data | changes


def test_an_articles_language_changed_in_the_admin_goes_through_its_service(
    admin_client, populated
):
    """importing.article_change_language: re-split or re-scored, and audited."""
    url = reverse("admin:claims_article_change", args=[populated.pk])
    assert 'name="language"' in admin_client.get(url).text
    admin_client.post(url, article_form(populated, language="de"))
    populated.refresh_from_db()
    assert populated.language == "de"
    event = AuditEvent.objects.filter(article=populated).order_by("-seq").first()
    assert event.action == "article.language_changed"
    assert event.actor.username == "ada"  # admin_client's superuser


def test_editors_correct_an_articles_details_in_the_admin_audited(admin_client, populated):
    url = reverse("admin:claims_article_change", args=[populated.pk])
    sent = article_form(
        populated,
        publisher="The Valley Times",
        url="https://valley.example/a",
        published_on="2025-02-01",
    )
    admin_client.post(url, sent)
    populated.refresh_from_db()
    assert (populated.publisher, populated.url) == ("The Valley Times", "https://valley.example/a")
    assert str(populated.published_on) == "2025-02-01"
    event = AuditEvent.objects.filter(article=populated).order_by("-seq").first()
    assert event.action == "article.edited"
    old_url = event.before["url"]
    assert event.before == {"publisher": "The Daily Example", "url": old_url, "published_on": None}
    assert old_url.startswith("https://news.example/")
    assert event.after == {
        "publisher": "The Valley Times",
        "url": "https://valley.example/a",
        "published_on": "2025-02-01",
    }
    assert event.actor.username == "ada"  # admin_client's superuser


def test_a_refused_article_edit_in_the_admin_says_why_and_saves_nothing(admin_client, populated):
    url = reverse("admin:claims_article_change", args=[populated.pk])
    response = admin_client.post(
        url, article_form(populated, published_on="2999-01-01"), follow=True
    )
    assert "This date is in the future." in response.text
    assert "was changed successfully" not in response.text
    populated.refresh_from_db()
    assert populated.published_on is None
    assert not AuditEvent.objects.filter(action="article.edited").exists()
