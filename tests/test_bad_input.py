"""Bad imports and oversized fields over HTTP: a clear message, nothing written, and
the server goes on serving."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from claims import limits, publishing, review
from claims.models import (
    Article,
    AuditEvent,
    Claim,
    Note,
    Publication,
    Rating,
    Source,
    Verdict,
)
from tests.hostile import BAD_FILES, MB
from tests.workspace import HTMX, a_claim, proposed, settled_article

TEXT = "The council said on Monday that 40 homes in Riverside were flooded overnight."


def everything() -> tuple:
    """Row counts of every table the services write, and the claims' versions."""
    models = (Article, Claim, Source, Note, Verdict, Publication, Rating, AuditEvent)
    versions = sorted(Claim.objects.values_list("pk", "version"))
    return (*(model.objects.count() for model in models), versions)


def page_text(response) -> str:
    from html import unescape

    return unescape(response.content.decode())


@pytest.fixture
def as_editor(client, editor):
    client.force_login(editor)
    return client


# --- bad imports ------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "data", "message"), BAD_FILES, ids=[f[0] for f in BAD_FILES])
def test_a_bad_upload_gets_its_message_writes_nothing_and_the_queue_still_works(
    as_editor, name, data, message
):
    before = everything()
    upload = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    response = as_editor.post("/review/", {"file": upload, "language": "en"})
    assert response.status_code == 422
    assert message in page_text(response)
    assert everything() == before
    assert as_editor.get("/review/").status_code == 200


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("words without any full stop " * (MB // 28), "characters without a sentence end"),
        (f"{TEXT}\x00 And more.", "Null characters are not allowed."),
        ("\u202e" * 10, "has no sentence to check"),
    ],
    ids=["one-megabyte-line", "nul", "only-bidi-controls"],
)
def test_bad_pasted_text_gets_its_message_and_writes_nothing(as_editor, text, message):
    before = everything()
    response = as_editor.post("/review/", {"text": text, "language": "en"})
    assert response.status_code == 422
    assert message in page_text(response)
    assert "Paste the article's text" not in page_text(response)
    assert everything() == before


def test_a_form_over_the_request_limit_gets_413_with_a_message(as_editor, editor):
    claim = a_claim()
    before = everything()
    too_much = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    for url, headers in (("/review/", {}), (reverse("claims:note-add", args=[claim.pk]), HTMX)):
        response = as_editor.post(url, {"text": too_much, "body": too_much}, headers=headers)
        assert response.status_code == 413
        assert "nothing was saved" in page_text(response)
        assert "default-src 'self'" in response["Content-Security-Policy"]  # a normal page
        assert everything() == before
    assert as_editor.get("/review/").status_code == 200


def test_a_form_with_too_many_fields_gets_a_message(as_editor):
    claim = a_claim()
    fields = {f"f{n}": "x" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    response = as_editor.post(reverse("claims:note-add", args=[claim.pk]), fields)
    assert response.status_code == 413
    assert "more fields" in page_text(response)


# --- oversized fields ----------------------------------------------------------------------


def oversized(field: str, limit: int) -> str:
    if field == "url":
        return "https://evidence.example/" + "a" * (limit * 10)
    return "word " * (limit * 2)  # ten times the limit


SOURCE = {"url": "https://evidence.example/1", "title": "Minutes", "stance": "context"}
CLAIM_FORMS = [
    ("claims:reword", "wording", limits.WORDING, {}),
    ("claims:source-add", "url", 2000, SOURCE),
    ("claims:source-add", "title", 500, SOURCE),
    ("claims:source-add", "publisher", 200, SOURCE),
    ("claims:source-add", "excerpt", limits.EXCERPT, SOURCE),
    ("claims:note-add", "body", limits.NOTE, {}),
    ("claims:propose", "summary", 280, {"rationale": "Two monitors contradict it."}),
    ("claims:propose", "rationale", limits.RATIONALE, {"summary": "It did not happen."}),
    ("claims:approve", "override_reason", limits.COMMENT, {}),
    ("claims:send-back", "comment", limits.COMMENT, {}),
    ("claims:dismiss", "reason", limits.DISMISS_REASON, {}),
]


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
@pytest.mark.parametrize(
    ("action", "field", "limit", "data"), CLAIM_FORMS, ids=[f"{a}-{f}" for a, f, *_ in CLAIM_FORMS]
)
def test_an_oversized_claim_field_is_refused_with_a_message(
    as_editor, reviewer, action, field, limit, data, htmx
):
    claim = proposed(a_claim(), reviewer)
    before = everything()
    rating = Rating.objects.get(slug="false").pk
    response = as_editor.post(
        reverse(action, args=[claim.pk]),
        data | {"version": claim.version, "rating": rating, field: oversized(field, limit)},
        headers=HTMX if htmx else {},
    )
    assert response.status_code == 422
    assert f"at most {limit} characters" in page_text(response)
    assert everything() == before


IMPORT_FIELDS = [
    ("title", 300),
    ("publisher", 200),
    ("author", 200),
    ("url", 2000),
    ("language", 16),
]


@pytest.mark.parametrize(("field", "limit"), IMPORT_FIELDS)
def test_an_oversized_import_field_is_refused_with_a_message(as_editor, field, limit):
    response = as_editor.post(
        "/review/", {"text": TEXT, "language": "en", field: oversized(field, limit)}
    )
    assert response.status_code == 422
    assert f"at most {limit} characters" in page_text(response)
    assert everything()[:2] == (0, 0)


@pytest.mark.parametrize(
    ("action", "field", "limit", "data"),
    [
        ("claims:publish", "correction_text", limits.CORRECTION, {"correction_kind": "typo"}),
        ("claims:retract", "reason", limits.RETRACTION, {}),
        ("claims:reopen", "reason", limits.REOPEN_REASON, {}),
    ],
)
def test_an_oversized_correction_or_retraction_is_refused_with_a_message(
    as_editor, editor, reviewer, second_reviewer, action, field, limit, data
):
    article, _ = settled_article(editor=editor, reviewer=reviewer, approver=second_reviewer)
    publishing.article_publish(actor=editor, article=article)
    before = everything()
    response = as_editor.post(
        reverse(action, args=[article.slug]),
        data | {field: oversized(field, limit)},
        follow=True,
    )
    assert response.status_code == 200
    assert f"at most {limit} characters" in page_text(response)
    assert everything() == before


def test_oversized_login_fields_get_the_login_form_back(client, editor):
    huge_headers = {"User-Agent": "A" * 10_000, "Accept": "text/html," * 2_000}
    for username, password, headers in [
        ("u" * 10_000, "x", {}),
        ("edith", "p" * MB, {}),
        ("edith", "wrong", huge_headers),
    ]:
        response = client.post(
            "/accounts/login/", {"username": username, "password": password}, headers=headers
        )
        assert response.status_code == 200
        assert "That username and password don't match." in page_text(response)
        assert "_auth_user_id" not in client.session


def test_garbage_in_the_board_filters_and_page_numbers_is_ignored(as_editor):
    claim = a_claim()
    garbage = {
        "status": "<script>",
        "assignee": "x" * 10_000,
        "verdict": "\u202e" * 1000,
        "min_score": "1e999",
        "page": "99999999999999999999",
    }
    response = as_editor.get(claim.article.get_absolute_url(), garbage)
    assert response.status_code == 200
    assert claim.wording in page_text(response)
    response = as_editor.get(claim.get_absolute_url(), {"panel": "x" * 10_000}, headers=HTMX)
    assert response.status_code == 200


# --- the services refuse the same, for every other caller ------------------------------------


def test_every_service_refuses_oversized_text_and_writes_nothing(
    db, editor, reviewer, second_reviewer
):
    claim = proposed(a_claim(), reviewer)
    article, _ = settled_article(editor=editor, reviewer=reviewer, approver=second_reviewer)
    publishing.article_publish(actor=editor, article=article)
    rating = Rating.objects.get(slug="false")
    calls = {
        "wording": lambda text: review.claim_reword(
            actor=reviewer, claim=claim, wording=text, version=claim.version
        ),
        "excerpt": lambda text: review.claim_add_source(
            actor=reviewer, claim=claim, excerpt=text, **SOURCE
        ),
        "body": lambda text: review.claim_add_note(actor=reviewer, claim=claim, body=text),
        "rationale": lambda text: review.claim_propose_verdict(
            actor=reviewer,
            claim=claim,
            rating=rating,
            summary="It did not happen.",
            rationale=text,
            version=claim.version,
        ),
        "override_reason": lambda text: review.claim_approve_verdict(
            actor=second_reviewer, claim=claim, version=claim.version, override_reason=text
        ),
        "comment": lambda text: review.claim_send_back(
            actor=second_reviewer, claim=claim, comment=text, version=claim.version
        ),
        "reason": lambda text: review.claim_dismiss(
            actor=editor, claim=claim, reason=text, version=claim.version
        ),
        "correction_text": lambda text: publishing.article_publish(
            actor=editor, article=article, correction_kind="typo", correction_text=text
        ),
        "retraction": lambda text: publishing.article_retract(
            actor=editor, article=article, reason=text
        ),
        "reopening": lambda text: publishing.article_reopen(
            actor=editor, article=article, reason=text
        ),
    }
    before = everything()
    for field, call in calls.items():
        with pytest.raises(ValidationError, match="characters at most; this one has") as error:
            call("x" * 100_001)
        expected = "reason" if field in ("retraction", "reopening") else field
        assert list(error.value.message_dict) == [expected]
    assert everything() == before


# --- the admin ---------------------------------------------------------------------------------


def test_oversized_admin_fields_are_refused_next_to_the_field(admin_client, reviewer):
    claim = a_claim()
    before = everything()
    forms = [
        ("admin:claims_note_add", {"claim": claim.pk, "body": "x" * 20_000}, [limits.NOTE]),
        (
            "admin:claims_source_add",
            {"claim": claim.pk, "accessed_on": "2026-01-02", "excerpt": "x" * 20_000} | SOURCE,
            [limits.EXCERPT],
        ),
        (
            "admin:claims_rating_add",
            {"label": "L" * 600, "slug": "long", "definition": "d" * 4000, "colour": "#000000"}
            | {"position": 0},
            [60, 400],
        ),
    ]
    for url, data, limits_shown in forms:
        response = admin_client.post(reverse(url), data)
        assert response.status_code == 200
        for limit in limits_shown:
            assert f"at most {limit} characters" in page_text(response)
    assert everything() == before


def test_an_oversized_admin_action_reason_is_refused_with_the_services_message(
    admin_client, reviewer
):
    claim = proposed(a_claim(), reviewer)
    before = everything()
    actions = [
        ("admin:claims_claim_changelist", "dismiss", claim.pk),
        ("admin:claims_verdict_changelist", "approve_with_reason", claim.verdict.pk),
    ]
    for changelist, action, pk in actions:
        response = admin_client.post(
            reverse(changelist),
            {"action": action, "_selected_action": [pk], "reason": "x" * 10_000},
            follow=True,
        )
        assert "characters at most; this one has 10,000" in page_text(response)
    assert everything() == before
