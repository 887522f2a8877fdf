"""Who may open every workspace URL, generated from the URL conf: a new URL without a
rule here fails the test."""

from __future__ import annotations

import pytest
from django.urls import reverse

from claims import evidence
from claims import urls as workspace_urls
from claims.models import ClaimMatch, CorrectionRequest, Job, JobKind, JobStatus, Tip
from claims.review import claim_add_source
from tests.workspace import a_claim

# url name -> (method, who besides editors and superusers may use it)
RULES = {
    "queue": ("GET", "reviewer"),
    "board": ("GET", "reviewer"),
    "preview": ("GET", None),
    "publish": ("POST", None),
    "article-edit": ("POST", None),
    "export-json": ("GET", None),
    "export-csv": ("GET", None),
    "retract": ("POST", None),
    "reopen": ("POST", None),
    "language": ("POST", None),
    "claim": ("GET", "reviewer"),
    "take": ("POST", "reviewer"),
    "release": ("POST", "reviewer"),
    "assign": ("POST", None),
    "reword": ("POST", "reviewer"),
    "claimant": ("POST", "reviewer"),
    "source-add": ("POST", "reviewer"),
    "source-remove": ("POST", "reviewer"),
    "note-add": ("POST", "reviewer"),
    "propose": ("POST", "reviewer"),
    "approve": ("POST", "reviewer"),
    "send-back": ("POST", "reviewer"),
    "dismiss": ("POST", None),
    "restore": ("POST", None),
    "operations": ("GET", None),
    "job-retry": ("POST", None),
    "source-capture": ("POST", "reviewer"),
    "snapshot-text": ("GET", "reviewer"),
    "flagged-sources": ("GET", None),
    "intake": ("GET", None),
    "tip-import": ("POST", None),
    "tip-dismiss": ("POST", None),
    "request-accept": ("POST", None),
    "request-decline": ("POST", None),
    "waiting": ("GET", "reviewer"),
    "readiness": ("GET", None),
    "notifications": ("GET", "reviewer"),
    "my-work": ("GET", "reviewer"),
    "my-work-counts": ("GET", "reviewer"),
    "bulk": ("POST", None),
    "search": ("GET", "reviewer"),
    "matches-find": ("POST", "reviewer"),
    "match-reuse": ("POST", "reviewer"),
    "match-reject": ("POST", "reviewer"),
}
IMPORT = ("queue-import", "POST", None)  # the queue's import form
PERSONAS = ["anonymous", "outsider", "reviewer", "editor", "superuser"]


def test_every_workspace_url_has_a_rule():
    names = {pattern.name for pattern in workspace_urls.urlpatterns}
    assert names == set(RULES)


@pytest.fixture
def objects(db, reviewer, website):
    claim = a_claim()
    source = claim_add_source(
        actor=reviewer, claim=claim, url=website.url("/text"), title="E", stance="context"
    )
    job = Job.objects.create(kind=JobKind.IMPORT, label="Import", status=JobStatus.FAILED)
    snapshot = evidence.source_capture(source_id=source.pk)
    tip = Tip.objects.create(text="A claim to check.", sender="s")
    request = CorrectionRequest.objects.create(
        article=claim.article, claim=claim, problem="Wrong", sender="s"
    )
    # A match as matching stores one (its services need an earlier claim with a verdict).
    match = ClaimMatch.objects.create(claim=claim, earlier=a_claim(), score=0.9)
    return {
        "tip_pk": tip.pk,
        "request_pk": request.pk,
        "match_pk": match.pk,
        "pk": claim.pk,
        "slug": claim.article.slug,
        "source_pk": source.pk,
        "job_pk": job.pk,
        "snapshot_pk": snapshot.pk,
    }


def url_for(name: str, objects: dict) -> str:
    pattern = next(p for p in workspace_urls.urlpatterns if p.name == name)
    kwargs = {k: objects[k] for k in pattern.pattern.converters}
    return reverse(f"claims:{name}", kwargs=kwargs)


CASES = [(name, method, allowed) for name, (method, allowed) in RULES.items()]
CASES.append(("queue", IMPORT[1], IMPORT[2]))


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("name", "method", "reviewers_may"), CASES)
def test_the_authorization_matrix(client, objects, request, persona, name, method, reviewers_may):
    url = url_for(name, objects)
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    response = client.get(url) if method == "GET" else client.post(url, {})
    if persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={url}"
    elif persona == "outsider" or (persona == "reviewer" and reviewers_may is None):
        assert response.status_code == 403
    else:
        # Allowed: a page (200), a refused empty form (422) or a done action (302 back).
        assert response.status_code in {200, 302, 422}
        if response.status_code == 302:
            assert not response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("name", [n for n, (m, _) in RULES.items() if m == "POST"])
def test_actions_refuse_get(client, objects, editor, name):
    client.force_login(editor)
    assert client.get(url_for(name, objects)).status_code == 405


def test_login_leads_to_the_queue_and_logout_back_to_login(client, reviewer):
    response = client.post(
        "/accounts/login/", {"username": "rafael", "password": "correct horse battery staple"}
    )
    assert response["Location"] == "/review/"
    assert client.get("/review/").status_code == 200
    assert client.post("/accounts/logout/")["Location"] == "/accounts/login/"
    assert client.get("/review/").status_code == 302


def test_a_wrong_password_gets_a_clear_message(client, reviewer):
    response = client.post("/accounts/login/", {"username": "rafael", "password": "nope"})
    assert response.status_code == 200
    assert b"That username and password don't match" in response.content
