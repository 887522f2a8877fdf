"""Evidence that lasts: every source captured when it is cited.

- `capture_enqueue()` queues a capture once the transaction that added the source
  commits (`review.claim_add_source` calls it, so every path that adds a source does);
  the worker runs `source_capture()` (claims/tasks.py).
- `source_capture()` fetches the source with the one guarded fetcher (claims/fetching.py),
  keeps the bytes in the storage (named by their SHA-256, so the same bytes are stored
  once), reads the title and the readable text, optionally asks Save Page Now for an
  archived copy, and writes a `SourceSnapshot` with its audit event (carrying the hash)
  in one transaction. A fetch that fails is a snapshot too, with the fetcher's reason.
- `source_capture_retry()`: a reviewer asks again, for a source whose capture failed.
- Link checks of published sources (claims/linkrot.py) take snapshots the same way.

The bytes are written to the storage before the transaction: a worker that stops in
between leaves a file named by its hash and no row, which the next capture of the
same bytes reuses; never a row without its file.
"""

from __future__ import annotations

import codecs
import io
import logging
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from . import audit
from .access import ClaimAbilities
from .fetching import Fetched, FetchRefused, ask_to_archive, fetch
from .models import (
    AuditAction,
    SnapshotKind,
    SnapshotOutcome,
    Source,
    SourceSnapshot,
)
from .url_import import declared_charset

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)

# What a source may be: a web page, plain text or a PDF.
PDF = "application/pdf"
ACCEPTED = ("text/html", "application/xhtml+xml", "text/plain", PDF)
SUFFIXES = {
    "text/html": ".html",
    "application/xhtml+xml": ".xhtml",
    "text/plain": ".txt",
    PDF: ".pdf",
}
AUDITED = ["source", "requested_url", "final_url", "status", "content_type", "size", "sha256"]


# --- queueing --------------------------------------------------------------------------------


def capture_enqueue(source: Source, *, actor: User | None = None) -> None:
    """Queue a capture of `source` when the current transaction commits (at once outside
    one): the worker must find the source's row, and a rolled-back source needs none."""
    from .tasks import capture_source  # the tasks module imports this one

    actor_id = actor.pk if actor is not None else None
    transaction.on_commit(partial(capture_source.enqueue, source.pk, actor_id))


def latest_capture(source: Source) -> SourceSnapshot | None:
    return source.snapshots.filter(kind=SnapshotKind.CAPTURE).newest_first().first()


def source_capture_retry(*, actor: User, source: Source) -> None:
    """Capture a source again, for a reviewer: one whose capture failed or never came.
    The request is audited; the capture, when the worker has done it, is too."""
    with transaction.atomic():
        source = (
            Source.objects.select_related("claim__article")
            .defer("claim__article__body")
            .get(pk=source.pk)
        )
        latest = latest_capture(source)
        ClaimAbilities(actor, source.claim).retry_capture(latest).require()
        audit.record(
            actor=actor,
            action=AuditAction.SOURCE_CAPTURE_REQUESTED,
            claim=source.claim,
            obj=source,
            before={"outcome": latest.outcome, "failure": latest.failure} if latest else None,
            after={"url": source.url},
        )
        capture_enqueue(source, actor=actor)


# --- capturing (in the worker) ---------------------------------------------------------------


def source_capture(*, source_id: int, actor: User | None = None) -> SourceSnapshot | None:
    """Capture a source now; None if it was removed before the worker came to it."""
    source = Source.objects.filter(pk=source_id).first()
    if source is None:
        return None
    snapshot = take_snapshot(source.url, kind=SnapshotKind.CAPTURE)
    if snapshot.is_ok and settings.FACTCHECK_ARCHIVE_SAVE_URL:
        _archive(snapshot, source.url)
    action = AuditAction.SOURCE_CAPTURED if snapshot.is_ok else AuditAction.SOURCE_CAPTURE_FAILED
    return save_snapshot(snapshot, source_id, action, actor=actor)


def take_snapshot(url: str, *, kind: SnapshotKind) -> SourceSnapshot:
    """Fetch `url` and read it: an unsaved snapshot, ok with its bytes stored, or failed
    with the fetcher's reason."""
    try:
        page = fetch(
            url,
            max_bytes=settings.FACTCHECK_SNAPSHOT_MAX_BYTES,
            accept=ACCEPTED,
            limit_name="FACTCHECK_SNAPSHOT_MAX_BYTES",
        )
    except FetchRefused as error:
        return SourceSnapshot(
            kind=kind, outcome=SnapshotOutcome.FAILED, requested_url=url, failure=str(error)
        )
    if lie := _lying_type(page):
        # What was received is told (status, type, size, hash), but not kept.
        fields = page.response_fields()
        return SourceSnapshot(kind=kind, outcome=SnapshotOutcome.FAILED, failure=lie, **fields)
    title, text = read(page)
    return SourceSnapshot(
        kind=kind,
        outcome=SnapshotOutcome.OK,
        file=store(page),
        title=title[:500],
        text=text,
        **page.response_fields(),
    )


def _lying_type(page: Fetched) -> str:
    """Why the bytes are not what the Content-Type says ("" if they are): a PDF that does
    not start as one, or text with NUL bytes in it (an executable, an image, an archive)."""
    if page.content_type == PDF:
        if page.body.lstrip()[:5] != b"%PDF-":
            return f"refused: {page.final_url} says it sent a PDF, but the bytes are not one."
    elif b"\0" in page.body[:65536]:
        return (
            f"refused: {page.final_url} says it sent {page.content_type}, but the bytes are "
            "binary data."
        )
    return ""


def store(page: Fetched) -> str:
    """The page's bytes in the storage, named by their hash: stored once however often
    they are captured. The name stored."""
    suffix = SUFFIXES.get(page.content_type, "")
    name = f"snapshots/{page.sha256[:2]}/{page.sha256}{suffix}"
    if default_storage.exists(name):
        return name
    return default_storage.save(name, ContentFile(page.body))


def read(page: Fetched) -> tuple[str, str]:
    """The page's title and readable text: the article text of a web page (trafilatura),
    the text of a PDF (pypdf), a text file as it is. ("", "") when there is none; the
    bytes and their hash are the evidence either way."""
    try:
        if page.content_type == PDF:
            return _read_pdf(page.body)
        decoded = page.body.decode(_codec(declared_charset(page)), errors="replace")
        if page.content_type == "text/plain":
            return "", decoded.strip()
        return _read_html(decoded)
    except Exception:  # a page no reader can read is still captured, as bytes
        logger.warning("No readable text in %s", page.final_url, exc_info=True)
        return "", ""


def _codec(charset: str) -> str:
    try:
        return codecs.lookup(charset).name if charset else "utf-8"
    except LookupError:  # a name no codec has: read as UTF-8, unknown bytes replaced
        return "utf-8"


def _read_html(html: str) -> tuple[str, str]:
    import trafilatura  # slow to import; only web pages need it

    document: Any = trafilatura.bare_extraction(html, with_metadata=True)
    if document is None:
        return "", ""
    return (document.title or "").strip(), (document.text or "").strip()


def _read_pdf(body: bytes) -> tuple[str, str]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(body))
    title = str(reader.metadata.get("/Title") or "") if reader.metadata else ""
    pages = (page.extract_text() or "" for page in reader.pages)
    return title.strip(), "\n\n".join(p.strip() for p in pages if p.strip())


def _archive(snapshot: SourceSnapshot, url: str) -> None:
    """Ask Save Page Now for a copy; a refusal is noted, the capture stands."""
    try:
        snapshot.archive_url = ask_to_archive(url, save_url=settings.FACTCHECK_ARCHIVE_SAVE_URL)
    except FetchRefused as error:
        snapshot.archive_failure = str(error)[:1000]


def save_snapshot(
    snapshot: SourceSnapshot, source_id: int, action: AuditAction, *, actor: User | None = None
) -> SourceSnapshot | None:
    """The snapshot and its audit event, in one transaction; None if the source is gone."""
    with transaction.atomic():
        source = (
            Source.objects.select_for_update()
            .select_related("claim__article")
            .defer("claim__article__body")
            .filter(pk=source_id)
        ).first()
        if source is None:
            return None
        snapshot.source, snapshot.requested_by = source, actor
        snapshot.failure = snapshot.failure[:1000]
        snapshot.full_clean()
        snapshot.save()
        audit.record(
            actor=actor,
            action=action,
            claim=source.claim,
            obj=snapshot,
            after=audit.values(snapshot, AUDITED) | _outcome(snapshot),
        )
    return snapshot


def _outcome(snapshot: SourceSnapshot) -> dict[str, str]:
    fields = {"outcome": snapshot.outcome}
    for name in ("failure", "archive_url", "flag", "changes"):
        if value := getattr(snapshot, name):
            fields[name] = value[:300]
    return fields
