"""The cold cost of each workspace page and panel, in-process: every request renders the
page from the database (nothing cached), through Django's test client, as a reviewer
with a real session. The median of `runs` requests, beside /healthz in the same run.

    DJANGO_SETTINGS_MODULE=factcheck.settings python -m bench.inprocess  (after `make bench`
    has built its data: see bench/run.py, which calls `measure`)
"""

from __future__ import annotations

import statistics
import time

PANELS = ["assignment", "wording", "sources", "verdict", "signoff", "notes", "timeline"]


def _median_ms(client, url: str, runs: int, **headers) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url, headers=headers)
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
    return statistics.median(timings)


def measure(dataset, *, runs: int = 30) -> dict[str, dict]:
    """{key: {label, ms, to_floor}} for /healthz, the claim page, each of its panels
    and the boards of the small and the large article."""
    from django.core.cache import cache
    from django.test import Client

    from bench.serve import HOST

    client = Client(HTTP_HOST=HOST)
    client.force_login(dataset.desk.reviewer)
    claim = dataset.reviewed_claim.get_absolute_url()
    pages = {
        "healthz": ("/healthz", "/healthz (the floor)", {}),
        "claim": (claim, "reviewer claim page", {}),
        "board_small": (
            dataset.small.get_absolute_url(),
            f"board, {dataset.small.claims.count()} claims",
            {},
        ),
        "board_large": (
            dataset.large.get_absolute_url(),
            f"board, {dataset.large.claims.count()} claims",
            {},
        ),
    }
    for panel in PANELS:
        pages[f"panel_{panel}"] = (
            f"{claim}?panel={panel}",
            f"{panel} panel",
            {"HX-Request": "true"},
        )
    results = {}
    for key, (url, label, headers) in pages.items():
        cache.clear()
        _median_ms(client, url, 3, **headers)  # the CSRF cookie set, templates loaded
        results[key] = {"label": label, "path": url, "ms": _median_ms(client, url, runs, **headers)}
    floor = results["healthz"]["ms"]
    for result in results.values():
        result["to_floor"] = result["ms"] / floor
    return results
