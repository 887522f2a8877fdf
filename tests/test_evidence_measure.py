"""How fast one worker captures sources, and the storage they take (the figures in the
README's Performance section). Slow: `pytest -m slow tests/test_evidence_measure.py -s`;
CAPTURE_SOURCES sets how many (default 300). Speed is printed, never asserted.

The sources are the 19 real news pages of tests/data/pages/ served by the local website,
each made distinct by a line of its own (so the storage is not shared between them, as
it is for the same bytes), a source per claim of a few articles."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db.models import Sum
from django.db.models.functions import Length

from claims import review
from claims.models import SourceSnapshot
from tests.factories import ArticleFactory
from tests.website import PAGES
from tests.workers import run_batch

pytestmark = pytest.mark.slow


def distinct_pages(request) -> None:
    """/src/<n>: page n % 19 with a comment naming n, so every source has its own bytes."""
    n = int(request.path.rsplit("/", 1)[1])
    names = sorted(p.name for p in PAGES.glob("*.html"))
    body = (PAGES / names[n % len(names)]).read_bytes() + f"\n<!-- source {n} -->\n".encode()
    request.send_response(200)
    request.send_header("Content-Type", "text/html; charset=utf-8")
    request.send_header("Content-Length", str(len(body)))
    request.end_headers()
    request.wfile.write(body)


def test_captures_per_second_with_one_worker_and_storage_per_thousand_sources(
    reference_data, worker_env, website, reviewer
):
    count = int(os.environ.get("CAPTURE_SOURCES", "300"))
    website.routes["/src/*"] = distinct_pages
    claims = []
    while len(claims) < count:
        claims.extend(ArticleFactory().claims.check_worthy())
    for n, claim in enumerate(claims[:count]):
        review.claim_add_source(
            actor=reviewer,
            claim=claim,
            url=website.url(f"/src/{n}"),
            title=f"Source {n}",
            stance="context",
        )

    started = time.perf_counter()
    run_batch(worker_env | website.environment())
    wall = time.perf_counter() - started

    snapshots = SourceSnapshot.objects.ok()
    assert snapshots.count() == count
    first = snapshots.order_by("fetched_at").first().fetched_at
    last = snapshots.order_by("-fetched_at").first().fetched_at
    files = [Path(settings.MEDIA_ROOT) / name for name in snapshots.values_list("file", flat=True)]
    stored = sum(path.stat().st_size for path in files)
    text = snapshots.aggregate(n=Sum(Length("text")))["n"]
    per_thousand = 1000 / count
    print(
        f"\n{count} captures by one worker: {wall:.1f} s with the worker's start "
        f"({count / wall:.1f}/s); {count / (last - first).total_seconds():.1f}/s from the "
        f"first fetch to the last.\nStorage per 1,000 sources: "
        f"{stored * per_thousand / 1e6:.1f} MB of bytes in the storage, "
        f"{text * per_thousand / 1e6:.1f} MB of readable text "
        f"in the database (mean page {stored / count / 1024:.0f} KB)."
    )
