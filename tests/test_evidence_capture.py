"""Capturing sources: a source added from any path is fetched by a real `manage.py
run_worker` from a local website on 127.0.0.1 (tests/website.py) and kept as a snapshot
(bytes in the storage, hash, status, title, readable text), with its audit event.
Failures are snapshots too; a reviewer retries them. Nothing is faked in between."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.storage import default_storage
from django_tasks_db.models import DBTaskResult

from claims import evidence, review
from claims.models import AuditEvent, SourceSnapshot
from tests.website import PAGES, answer, page, save_page_now, tiny_pdf
from tests.workers import run_batch
from tests.workspace import HTMX, a_claim, propose

UNCORK = "dw.com.uncork.html"


@pytest.fixture(autouse=True)
def _committed(reference_data):
    """Worker processes see only committed rows."""


@pytest.fixture
def worker(worker_env, website):
    return lambda **env: run_batch(worker_env | website.environment(), **env)


@pytest.fixture
def claim(reference_data):
    return a_claim()


def add_source(claim, actor, url, *, title="Evidence", stance="refutes"):
    return review.claim_add_source(actor=actor, claim=claim, url=url, title=title, stance=stance)


def test_a_source_added_is_captured_by_the_worker_with_its_hash_in_the_audit_trail(
    claim, reviewer, website, worker
):
    url = website.url(f"/pages/{UNCORK}")
    source = add_source(claim, reviewer, url)
    assert DBTaskResult.objects.filter(task_path="claims.tasks.capture_source").count() == 1
    assert not SourceSnapshot.objects.exists()  # the request only queued it

    worker()

    body = (PAGES / UNCORK).read_bytes()
    snapshot = SourceSnapshot.objects.get()
    assert (snapshot.source, snapshot.kind, snapshot.outcome) == (source, "capture", "ok")
    assert (snapshot.requested_url, snapshot.final_url, snapshot.status) == (url, url, 200)
    assert (snapshot.content_type, snapshot.size) == ("text/html", len(body))
    assert snapshot.sha256 == hashlib.sha256(body).hexdigest()
    assert snapshot.file.name == f"snapshots/{snapshot.sha256[:2]}/{snapshot.sha256}.html"
    with default_storage.open(snapshot.file.name) as stored:
        assert stored.read() == body
    assert snapshot.title.startswith("Uncork the mystery of Germany's Frühburgunder")
    assert "Frühburgunder" in snapshot.text
    assert "<" not in snapshot.text[:200]
    assert snapshot.requested_by is None  # the system captured it, on the source's adding

    event = AuditEvent.objects.get(action="source.captured")
    assert (event.claim_id, event.actor_label, event.object_id) == (
        claim.pk,
        "system",
        str(snapshot.pk),
    )
    assert event.after["sha256"] == snapshot.sha256
    assert event.after["source"] == source.pk


def test_the_same_bytes_are_stored_once_however_often_they_are_captured(
    claim, reviewer, website, worker
):
    url = website.url(f"/pages/{UNCORK}")
    add_source(claim, reviewer, url)
    add_source(claim, reviewer, url, title="Again")
    worker()
    first, second = SourceSnapshot.objects.order_by("pk")
    assert first.sha256 == second.sha256
    assert first.file.name == second.file.name


def test_a_pdf_is_kept_as_bytes_with_its_text(claim, reviewer, website, worker):
    pdf = tiny_pdf("The council flood log lists 40 homes.", title="Flood log 2024")
    website.routes["/flood-log.pdf"] = answer(body=pdf, content_type="application/pdf")
    add_source(claim, reviewer, website.url("/flood-log.pdf"))
    worker()
    snapshot = SourceSnapshot.objects.get()
    assert (snapshot.outcome, snapshot.content_type, snapshot.size) == (
        "ok",
        "application/pdf",
        len(pdf),
    )
    assert snapshot.sha256 == hashlib.sha256(pdf).hexdigest()
    assert snapshot.file.name.endswith(".pdf")
    assert (snapshot.title, snapshot.text) == (
        "Flood log 2024",
        "The council flood log lists 40 homes.",
    )


def test_a_redirected_source_keeps_the_address_asked_and_the_one_reached(
    claim, reviewer, website, worker
):
    add_source(claim, reviewer, website.url("/chain/3"))
    worker()
    snapshot = SourceSnapshot.objects.get()
    assert snapshot.outcome == "ok"
    assert snapshot.requested_url == website.url("/chain/3")
    assert snapshot.final_url == website.url("/pages/dw.com.uncork.html")


def test_a_failed_capture_is_kept_with_its_reason_and_a_reviewer_retries_it(
    client, claim, reviewer, website, worker
):
    url = website.url("/moved-away")
    source = add_source(claim, reviewer, url)
    worker()

    failed = SourceSnapshot.objects.get()
    assert (failed.outcome, failed.status, failed.sha256, failed.file.name) == (
        "failed",
        None,
        "",
        "",
    )
    assert failed.failure == f"refused: {url} answered 404 Not Found."
    event = AuditEvent.objects.get(action="source.capture_failed")
    assert event.after["failure"] == failed.failure

    client.force_login(reviewer)
    panel = client.get(claim.get_absolute_url())
    assert "Capture failed" in panel.text
    assert f"refused: {url} answered 404 Not Found." in panel.text
    retry_url = f"/review/claims/{claim.pk}/sources/{source.pk}/capture"
    assert f'action="{retry_url}"' in panel.text

    website.routes["/moved-away"] = page(UNCORK)
    response = client.post(retry_url, headers=HTMX)
    assert response.status_code == 200
    assert "Capture queued" in response.text  # the flash message
    worker()

    retried = SourceSnapshot.objects.exclude(pk=failed.pk).get()
    assert (retried.outcome, retried.requested_by) == ("ok", reviewer)
    event = AuditEvent.objects.get(action="source.captured")
    assert (event.actor, event.after["sha256"]) == (reviewer, retried.sha256)
    # Captured now: no retry offered, and a retry asked for anyway is refused.
    assert f'action="{retry_url}"' not in client.get(claim.get_absolute_url()).text
    assert client.post(retry_url).status_code == 422


def test_outsiders_cannot_retry_a_capture(client, claim, reviewer, outsider, website, worker):
    source = add_source(claim, reviewer, website.url("/missing"))
    worker()
    client.force_login(outsider)
    assert client.post(f"/review/claims/{claim.pk}/sources/{source.pk}/capture").status_code == 403
    assert SourceSnapshot.objects.count() == 1


def test_a_capture_changes_the_claim_page_etag(client, claim, reviewer, website, worker):
    add_source(claim, reviewer, website.url(f"/pages/{UNCORK}"))
    client.force_login(reviewer)
    client.get(claim.get_absolute_url())
    etag = client.get(claim.get_absolute_url())["ETag"]
    assert client.get(claim.get_absolute_url(), headers={"If-None-Match": etag}).status_code == 304
    worker()
    again = client.get(claim.get_absolute_url(), headers={"If-None-Match": etag})
    assert again.status_code == 200
    assert "Captured" in again.text


def test_a_source_removed_before_the_worker_came_is_not_captured(claim, reviewer, website, worker):
    source = add_source(claim, reviewer, website.url(f"/pages/{UNCORK}"))
    review.claim_remove_source(actor=reviewer, source=source)
    worker()
    assert not SourceSnapshot.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="source.capture").exists()


def test_save_page_now_is_asked_for_an_archived_copy_when_turned_on(
    claim, reviewer, website, worker
):
    website.routes["/save/*"] = save_page_now()
    url = website.url(f"/pages/{UNCORK}")
    add_source(claim, reviewer, url)
    worker(FACTCHECK_ARCHIVE_SAVE_URL=website.url("/save/"))
    snapshot = SourceSnapshot.objects.get()
    assert snapshot.archive_url == website.url(f"/web/20261129063000/{url}")
    assert (f"/save/{url}", "GET") in [(path, "GET") for path, _ in website.requests]
    event = AuditEvent.objects.get(action="source.captured")
    assert event.after["archive_url"] == snapshot.archive_url


def test_an_archive_that_fails_leaves_the_capture_standing(claim, reviewer, website, worker):
    website.routes["/save/*"] = answer(503, b"busy")
    add_source(claim, reviewer, website.url(f"/pages/{UNCORK}"))
    worker(FACTCHECK_ARCHIVE_SAVE_URL=website.url("/save/"))
    snapshot = SourceSnapshot.objects.get()
    assert (snapshot.outcome, snapshot.archive_url) == ("ok", "")
    assert snapshot.archive_failure == "refused: the archive answered 503 Service Unavailable."


# --- the evidence gate -----------------------------------------------------------------------


def test_a_decisive_verdict_counts_only_sources_with_a_successful_snapshot(
    settings, claim, reviewer, website
):
    settings.FACTCHECK_REQUIRE_SNAPSHOTS = True
    add_source(claim, reviewer, website.url(f"/pages/{UNCORK}"), title="Flood log")
    add_source(claim, reviewer, website.url("/missing"), title="Valley News", stance="context")

    with pytest.raises(review.ValidationError) as refused:
        propose(claim, reviewer)
    assert refused.value.message_dict["rating"] == [
        "“False” needs at least 2 sources with a successful snapshot, 1 of them supporting "
        "or refuting the claim; this claim has 0 (0 supporting or refuting). Still without "
        "a snapshot: “Flood log”, “Valley News” (wait for the capture, or retry it from the "
        "sources panel)."
    ]

    for source in claim.sources.all():
        evidence.source_capture(source_id=source.pk)
    # One captured, one failed: still short, and the message names the one.
    with pytest.raises(review.ValidationError) as refused:
        propose(claim, reviewer)
    assert (
        "this claim has 1 (1 supporting or refuting). Still without a snapshot: “Valley News”"
        in refused.value.message_dict["rating"][0]
    )

    website.routes["/missing"] = page(UNCORK)
    evidence.source_capture(source_id=claim.sources.get(title="Valley News").pk)
    assert propose(claim, reviewer).rating.slug == "false"


def test_unproven_needs_no_snapshot(settings, claim, reviewer):
    settings.FACTCHECK_REQUIRE_SNAPSHOTS = True
    add_source(claim, reviewer, "https://evidence.example/never-fetched")
    assert propose(claim, reviewer, "unproven").rating.slug == "unproven"


def test_a_source_added_in_the_admin_is_captured_too(admin_client, claim, website, worker):
    response = admin_client.post(
        "/admin/claims/source/add/",
        {
            "claim": claim.pk,
            "url": website.url(f"/pages/{UNCORK}"),
            "title": "Records",
            "stance": "supports",
            "accessed_on": "2026-01-02",
            "excerpt": "",
        },
    )
    assert response.status_code == 302
    worker()
    snapshot = SourceSnapshot.objects.get(source__title="Records")
    assert snapshot.outcome == "ok"
    page = admin_client.get(f"/admin/claims/sourcesnapshot/{snapshot.pk}/change/")
    assert snapshot.sha256 in page.text


def test_a_removed_source_keeps_its_snapshots_as_evidence(claim, reviewer, website):
    source = add_source(claim, reviewer, website.url(f"/pages/{UNCORK}"))
    snapshot = evidence.source_capture(source_id=source.pk)
    review.claim_remove_source(actor=reviewer, source=source)
    snapshot.refresh_from_db()
    assert (snapshot.source, snapshot.outcome) == (None, "ok")
    assert default_storage.exists(snapshot.file.name)
