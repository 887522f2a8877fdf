"""The refusal corpus as sources: every address class the fetcher refuses, redirects into
them, endless and oversized bodies, a gzip bomb, slow servers, redirect loops and chains,
types that lie and binary files. One real worker captures them all in one run: each is a
failed snapshot with a one-line reason, nothing half-written, and the worker goes on to
capture the good source queued after them."""

from __future__ import annotations

import pytest

from claims import review
from claims.models import AuditEvent, SourceSnapshot
from tests.website import answer
from tests.workers import run_batch
from tests.workspace import a_claim

INSIDE = "a private address inside an IPv6 address (10.0.0.5)."
LIMIT = "the limit of 2.0 MB (FACTCHECK_SNAPSHOT_MAX_BYTES)."
WANTED = "HTML or XHTML or plain text or a PDF document (application/pdf)"
# (what, address or website path, how the reason starts; {site} is the local website)
CORPUS = [
    ("private IPv4", "http://10.0.0.5/report", "refused: 10.0.0.5 is a private address."),
    ("private IPv4 (192.168)", "http://192.168.1.1/", "refused: 192.168.1.1 is a private"),
    (
        "cloud metadata",
        "http://169.254.169.254/latest/",
        "refused: 169.254.169.254 is a link-local",
    ),
    ("unspecified", "http://0.0.0.0/", "refused: 0.0.0.0 is an unspecified address."),
    ("multicast", "http://224.0.0.1/", "refused: 224.0.0.1 is a multicast address."),
    ("shared (CGNAT)", "http://100.64.0.1/", "refused: 100.64.0.1 is not a public address."),
    ("IPv6 loopback", "http://[::1]/", "refused: ::1 is a loopback address."),
    ("IPv6 link-local", "http://[fe80::1]/", "refused: fe80::1 is a link-local address."),
    ("IPv6 unique local", "http://[fd00::5]/", "refused: fd00::5 is a private address."),
    ("IPv4-mapped IPv6", "http://[::ffff:10.0.0.5]/", f"refused: ::ffff:10.0.0.5 is {INSIDE}"),
    ("NAT64", "http://[64:ff9b::a00:5]/", f"refused: 64:ff9b::a00:5 is {INSIDE}"),
    ("6to4", "http://[2002:a00:5::]/", f"refused: 2002:a00:5:: is {INSIDE}"),
    (
        "no such host",
        "http://no-such-host.invalid/",
        "refused: no-such-host.invalid can't be found",
    ),
    ("redirect to metadata", "/to-metadata", "refused: 169.254.169.254 is a link-local"),
    ("redirect to mapped IPv6", "/to-mapped", f"refused: ::ffff:10.0.0.5 is {INSIDE}"),
    ("redirect to ftp:", "/to-ftp", "refused: “ftp:” URLs are not fetched; only http and https."),
    ("redirect loop", "/loop-a", "refused: the page redirects in a loop"),
    ("10 redirects", "/hop/0", "refused: more than 5 redirects"),
    ("gzip bomb", "/bomb", f"refused: the page is larger once decompressed than {LIMIT}"),
    ("announced 50 MB", "/huge", f"refused: the page is 50.0 MB, over {LIMIT}"),
    ("endless body", "/endless", f"refused: the page is larger than {LIMIT}"),
    (
        "silent server",
        "/slow",
        "refused: 127.0.0.1 stopped sending for more than 0.5 s (read timed out).",
    ),
    ("dripping server", "/drip", "refused: {site}/drip took longer than 1.5 s to send the page."),
    ("404", "/missing", "refused: {site}/missing answered 404 Not Found."),
    ("500", "/broken", "refused: {site}/broken answered 500 Internal Server Error."),
    ("image", "/png", f"refused: the page is an image (image/png), not {WANTED}."),
    ("zip archive", "/zip", f"refused: the page is a zip archive (application/zip), not {WANTED}."),
    ("no content type", "/no-type", "refused: {site}/no-type doesn't say what it sent (no type)."),
    (
        "HTML that is binary",
        "/lying-html",
        "refused: {site}/lying-html says it sent text/html, but the bytes are binary data.",
    ),
    (
        "PDF that is not one",
        "/lying-pdf",
        "refused: {site}/lying-pdf says it sent a PDF, but the bytes are not one.",
    ),
]


@pytest.fixture(autouse=True)
def _committed(reference_data):
    """Worker processes see only committed rows."""


def test_every_refusal_is_a_failed_snapshot_with_its_reason_and_the_worker_goes_on(
    worker_env, website, reviewer
):
    website.routes["/lying-html"] = answer(body=b"MZ\x90\x00\x03\x00\x00\x00 not a page")
    website.routes["/lying-pdf"] = answer(
        body=b"<html>surprise</html>", content_type="application/pdf"
    )
    claim = a_claim()
    sources = {}
    for what, address, _ in CORPUS:
        url = website.url(address) if address.startswith("/") else address
        sources[what] = review.claim_add_source(
            actor=reviewer, claim=claim, url=url, title=what, stance="context"
        )
    good = review.claim_add_source(
        actor=reviewer,
        claim=claim,
        url=website.url("/pages/dw.com.uncork.html"),
        title="good",
        stance="refutes",
    )

    run_batch(worker_env | website.environment(), FACTCHECK_SNAPSHOT_MAX_BYTES=str(2 * 1024 * 1024))

    snapshots = {what: SourceSnapshot.objects.get(source=sources[what]) for what in sources}
    # The refusal corpus and its results, for the note (pytest -s shows it).
    print("\n".join(f"{what:<24} {s.outcome:<7} {s.failure}" for what, s in snapshots.items()))
    for what, _, reason in CORPUS:
        snapshot = snapshots[what]
        assert snapshot.outcome == "failed", what
        expected = reason.replace("{site}", website.url("").rstrip("/"))
        assert snapshot.failure.startswith(expected), (what, snapshot.failure)
        assert "\n" not in snapshot.failure
        assert not snapshot.file.name, what  # nothing of a refused page is kept
        assert not snapshot.text
    assert SourceSnapshot.objects.get(source=good).outcome == "ok"
    failed = AuditEvent.objects.filter(action="source.capture_failed")
    assert failed.count() == len(CORPUS)
    assert AuditEvent.objects.filter(action="source.captured").count() == 1
