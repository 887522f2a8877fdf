"""The cost of each workspace page and panel, in-process: through Django's test client,
as a reviewer with a real session, nothing between the client and the view. The median
of `runs` requests, beside /healthz and an empty workspace view in the same run.

Each request is timed in CPU time (`time.process_time`), as the budgets are stated:
the wall clock also counts whatever else the machine runs meanwhile (the wrk rounds
keep the ratios to the floor for that).

Two figures per page:
- cold: the cache is emptied before every request, so the shared fragments of the claim
  page ({% cache %}: its timeline, the rating definitions, the empty source form) are
  rendered too. This is what the first reader after a change pays; the budgets are on it.
- shared: those fragments are in the cache, as for every later reader of the same claim.

    DJANGO_SETTINGS_MODULE=factcheck.settings python -m bench.inprocess  (after `make bench`
    has built its data: see bench/run.py, which calls `measure`)
"""

from __future__ import annotations

import statistics
import time

PANELS = [
    "assignment",
    "wording",
    "sources",
    "matches",
    "verdict",
    "signoff",
    "notes",
    "timeline",
]


def _median_ms(client, url: str, runs: int, *, cold: bool, **headers) -> float:
    from django.core.cache import cache

    timings = []
    for _ in range(runs):
        if cold:
            cache.clear()
        started = time.process_time()
        response = client.get(url, headers=headers)
        timings.append((time.process_time() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
    return statistics.median(timings)


def measure(dataset, *, runs: int = 30) -> dict[str, dict]:
    """{key: {label, path, ms, shared_ms, to_floor}} for /healthz, the empty workspace
    view, the claim page, each of its panels and the boards of the small and the large
    article. `to_floor` is the cold figure over /healthz's."""
    from django.test import Client, override_settings

    from bench.serve import HOST

    client = Client(HTTP_HOST=HOST)
    client.force_login(dataset.desk.reviewer)
    claim = dataset.reviewed_claim.get_absolute_url()
    htmx = {"HX-Request": "true"}
    pages = {
        "healthz": ("/healthz", "/healthz (the floor)", {}),
        "desk_floor": (
            "/bench/desk-floor",
            "an empty workspace view (session, user, permissions)",
            {},
        ),
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
        pages[f"panel_{panel}"] = (f"{claim}?panel={panel}", f"{panel} panel", htmx)
    results = {}
    with override_settings(ROOT_URLCONF="bench.urls"):
        for key, (url, label, headers) in pages.items():
            _median_ms(client, url, 3, cold=True, **headers)  # the CSRF cookie set
            results[key] = {
                "label": label,
                "path": url,
                "ms": _median_ms(client, url, runs, cold=True, **headers),
                "shared_ms": _median_ms(client, url, runs, cold=False, **headers),
            }
    floor = results["healthz"]["ms"]
    for result in results.values():
        result["to_floor"] = result["ms"] / floor
    return results
