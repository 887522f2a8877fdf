"""`make bench`, issue 17: "checked before" matching and search with many claims.

    .venv/bin/python -m bench.matching                          # 100,000 claims
    BENCH_MATCH_CLAIMS=5000 .venv/bin/python -m bench.matching  # a quick look
    BENCH_TINY=1 …                       # 2,000 claims, 1 s a query; budgets reported only
    DATABASE_URL=postgres://… .venv/bin/python -m bench.matching

Builds its own database (as bench.run does: a temporary SQLite file, or a fresh
PostgreSQL database dropped afterwards) holding BENCH_MATCH_CLAIMS claims in articles
of 1,000 sentences imported by the import service (sentences, scores, search entries),
a third of them given a verdict (proposed or approved; made in bulk, not through the
review services, which would take hours; the search entries are then rebuilt by
`reindex_search`'s code). Then measures, on this machine:

- matching one new claim (`matching.similar`, in-process): the median and worst of 50
  new claims, budget ≤ 50 ms median;
- a desk search through HTTP (gunicorn, production settings, wrk with one connection
  so its latency is one request's): two queries and one filtered, budget ≤ 100 ms p50;
- importing an article of 50 check-worthy claims, then matching its claims (what the
  worker does after the import), against the import alone: budget ≤ 2×; and the same
  with 50 claims made like the checked ones (reported, the worst case for matching).

Prints a table, writes bench/results-matching.json (tiny: results-matching-tiny.json;
BENCH_MATCH_OUT to change), exits 1 if a budget is missed (not in tiny mode).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.run import close_connections, create_database, env_int, log, production_env
from bench.serve import ROOT, BenchError, Load, Server, log_in, wrk

MATCH_MAX_MS = 50.0
SEARCH_MAX_P50_MS = 100.0
IMPORT_WITH_MATCHING_MAX = 2.0
CLAIMS_PER_ARTICLE = 1_000
CHECKED_SHARE = 3  # one claim in three has a verdict

ACTORS = (
    "The health minister|The mayor|The finance ministry|The opposition leader|The union|"
    "The central bank|The police chief|The education secretary|A government spokesperson|"
    "The prime minister|The regional governor|The transport authority|The energy regulator|"
    "The statistics office|The chamber of commerce|The housing charity|The army|"
    "The environment agency|The hospital trust|The football association"
).split("|")
CHANGES = "rose|fell|increased|dropped|doubled|grew|declined|climbed|halved|jumped".split("|")
THINGS = (
    "unemployment|hospital waiting lists|violent crime|house prices|rents|energy bills|"
    "food prices|teacher numbers|police numbers|school places|bus fares|rail journeys|"
    "carbon emissions|plastic recycling|electric car sales|measles cases|obesity rates|"
    "smoking rates|wages|pensions|tax receipts|public debt|defence spending|aid spending|"
    "immigration|emigration|birth rates|road deaths|prison places|nurse vacancies|"
    "broadband coverage|wind power output|coal imports|tourist arrivals|exports|"
    "factory output|homelessness|child poverty|university fees|water leaks"
).split("|")
PLACES = (
    "Exampleton|the capital|the north|the coastal region|rural areas|the valley|"
    "the border provinces|the islands|the southern cities|the old industrial towns|"
    "Northshire|Lakeside|Riverton|Hillford|Port Amber|Greenvale|Stonebridge|Westmoor"
).split("|")
VERBS = "said|claimed|announced|told reporters|insisted|warned|wrote|confirmed".split("|")


def sentence(rng: random.Random) -> str:
    return (
        f"{rng.choice(ACTORS)} {rng.choice(VERBS)} that {rng.choice(THINGS)} in "
        f"{rng.choice(PLACES)} {rng.choice(CHANGES)} by {rng.randint(2, 60)}% "
        f"between {rng.randint(1995, 2015)} and {rng.randint(2016, 2025)}."
    )


def article_text(n: int, seed: int) -> str:
    rng = random.Random(seed)
    sentences = [sentence(rng) for _ in range(n)]
    return f"Report {seed} of the week\n\n" + "\n\n".join(
        " ".join(sentences[i : i + 5]) for i in range(0, n, 5)
    )


def build(claims: int, desk) -> None:
    from django.db import transaction
    from django.utils import timezone

    from claims.importing import article_import
    from claims.models import Claim, ClaimStatus, Rating, Verdict
    from claims.search.indexing import reindex_all

    articles = max(1, claims // CLAIMS_PER_ARTICLE)
    for number in range(articles):
        article_import(data=article_text(CLAIMS_PER_ARTICLE, seed=number), title=f"Bench {number}")
        if number % 10 == 9:
            log(f"imported {number + 1}/{articles} articles")
    ratings = list(Rating.objects.filter(is_retired=False))
    now = timezone.now()
    ids = list(Claim.objects.check_worthy().order_by("pk").values_list("pk", flat=True))
    ids = ids[::CHECKED_SHARE]
    for start in range(0, len(ids), 5_000):
        chunk = ids[start : start + 5_000]
        with transaction.atomic():
            Verdict.objects.bulk_create(
                Verdict(
                    claim_id=pk,
                    rating=ratings[pk % len(ratings)],
                    summary="Bench summary of the verdict.",
                    rationale="The official figures say otherwise; see the sources.",
                    proposed_by=desk.reviewer,
                    proposed_at=now,
                )
                for pk in chunk
            )
            Claim.objects.filter(pk__in=chunk).update(status=ClaimStatus.PROPOSED)
    log(f"{len(ids):,} claims given a verdict; rebuilding the search entries")
    started = time.perf_counter()
    entries = reindex_all()
    log(f"{entries:,} search entries in {time.perf_counter() - started:.0f} s")
    settle()


def settle() -> None:
    """On PostgreSQL, what autovacuum does to a desk's database some time after a bulk
    load: the rows the vectors' updates left behind cleared, the GIN indexes' pending
    entries merged, the planner's statistics gathered. Timed straight after the load,
    matching's queries walked those leftovers (2.2× one run, 1.7× another)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def time_matching(runs: int = 50) -> dict:
    from claims.search import matching

    rng = random.Random(4242)
    timings, cpu, found = [], [], 0
    matching.similar(sentence(rng))  # warm the caches every later call finds warm too
    for _ in range(runs):
        text = sentence(rng)
        started, started_cpu = time.perf_counter(), time.process_time()
        result = matching.similar(text)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        found += bool(result)
    return {
        "runs": runs,
        "median_ms": statistics.median(timings),
        # This process's CPU: on SQLite all the work, on PostgreSQL without the server's.
        "cpu_median_ms": statistics.median(cpu),
        "p90_ms": statistics.quantiles(timings, n=10)[-1],
        "max_ms": max(timings),
        "with_a_match": found,
    }


def time_import_with_matching(rounds: int = 5, *, like_earlier: bool = False) -> dict:
    """The best of `rounds` imports of an article of 50 check-worthy claims, alone and
    followed by matching its claims (the worker's task, run here in-process); and the
    medians of this process's CPU time for each (on SQLite all the work: steadier than
    the clock on a busy machine; on PostgreSQL without the server's). With
    `like_earlier`, the claims are made like the checked ones (the same generator): each
    has many candidates to score, the worst case, reported beside the budget's case."""
    from bench.data import checkworthy_article
    from claims.importing import article_import
    from claims.search.matching import article_match

    rng = random.Random(77)
    plain, matched, plain_cpu, matching_cpu = [], [], [], []
    for round_ in range(rounds):
        if like_earlier:
            text = "\n\n".join(" ".join(sentence(rng) for _ in range(5)) for _ in range(10))
        else:
            text = checkworthy_article(50).replace("Exampleton", f"Exampleton {round_}")
        started, started_cpu = time.perf_counter(), time.process_time()
        article = article_import(data=text).article
        imported, imported_cpu = time.perf_counter() - started, time.process_time()
        article_match(article=article)
        plain.append(imported)
        matched.append(time.perf_counter() - started)
        plain_cpu.append(imported_cpu - started_cpu)
        matching_cpu.append(time.process_time() - imported_cpu)
    best_plain, best_matched = min(plain), min(matched)
    import_cpu, match_cpu = statistics.median(plain_cpu), statistics.median(matching_cpu)
    return {
        "import_s": best_plain,
        "import_and_matching_s": best_matched,
        "ratio": best_matched / best_plain,
        "import_cpu_s": import_cpu,
        "matching_cpu_s": match_cpu,
        "cpu_ratio": (import_cpu + match_cpu) / import_cpu,
        "claims_matched": article.claims.filter(matches__isnull=False).distinct().count(),
    }


def time_search(desk, seconds: int) -> dict:
    from django.conf import settings

    from bench.data import PASSWORD

    server = Server(workers=2, env=dict(os.environ))
    try:
        cookie = log_in(
            server.base, desk.reviewer.get_username(), PASSWORD, settings.SESSION_COOKIE_NAME
        )
        load = Load(seconds=seconds, connections=1, threads=1)
        queries = {
            "desk search, one word": "/review/search/?q=unemployment",
            "desk search, three words": "/review/search/?q=hospital+waiting+northshire",
            "desk search, filtered": "/review/search/?q=rents+capital&status=proposed",
        }
        results = {}
        for label, path in queries.items():
            log(f"loading {label}")
            results[label] = {"path": path} | wrk(server.base + path, load, cookie).__dict__
        return results
    finally:
        server.stop()


def main() -> int:
    tiny = os.environ.get("BENCH_TINY", "").strip() not in {"", "0"}
    claims = env_int("BENCH_MATCH_CLAIMS", 2_000 if tiny else 100_000)
    seconds = env_int("BENCH_SECONDS", 1 if tiny else 5)
    name = "results-matching-tiny.json" if tiny else "results-matching.json"
    out = Path(os.environ.get("BENCH_MATCH_OUT") or ROOT / "bench" / name)
    workdir = tempfile.mkdtemp(prefix="factcheck-bench-matching-")
    database_url, drop_database = create_database(workdir)
    os.environ.update(production_env(database_url))
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from bench.data import make_desk

        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        desk = make_desk()
        started = time.perf_counter()
        build(claims, desk)
        log(f"data in {time.perf_counter() - started:.0f} s; timing matching")
        report = {
            "database": connection.vendor,
            "claims": claims,
            "matching": time_matching(),
            "import": time_import_with_matching(),
            "import_like_earlier": time_import_with_matching(like_earlier=True),
            "search": time_search(desk, seconds),
        }
    except BenchError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 2
    finally:
        close_connections()
        drop_database()
        shutil.rmtree(workdir, ignore_errors=True)
    m, i = report["matching"], report["import"]
    budgets = [
        (
            f"matching one new claim ≤ {MATCH_MAX_MS:.0f} ms (median)",
            m["median_ms"] <= MATCH_MAX_MS,
        ),
        (
            f"import of 50 claims with matching ≤ {IMPORT_WITH_MATCHING_MAX}× without",
            i["ratio"] <= IMPORT_WITH_MATCHING_MAX,
        ),
    ] + [
        (f"{label} ≤ {SEARCH_MAX_P50_MS:.0f} ms p50", r["p50_ms"] <= SEARCH_MAX_P50_MS)
        for label, r in report["search"].items()
    ]
    report["budgets"] = [{"rule": rule, "ok": ok} for rule, ok in budgets]
    report["budgets_enforced"] = not tiny
    print(f"Matching and search with {claims:,} claims on {report['database']}")
    print(
        f"matching one claim: median {m['median_ms']:.1f} ms (CPU {m['cpu_median_ms']:.1f} ms), "
        f"p90 {m['p90_ms']:.1f} ms, max {m['max_ms']:.1f} ms "
        f"({m['with_a_match']}/{m['runs']} found a match)"
    )
    for label, i in (
        ("", report["import"]),
        (" like earlier checks", report["import_like_earlier"]),
    ):
        print(
            f"import of 50 claims{label}: {i['import_s']:.3f} s, with matching "
            f"{i['import_and_matching_s']:.3f} s ({i['ratio']:.2f}×; "
            f"{i['claims_matched']} claims with a match)"
        )
    for label, r in report["search"].items():
        print(
            f"{label}: p50 {r['p50_ms']:.1f} ms, p99 {r['p99_ms']:.1f} ms, "
            f"{r['requests_per_s']:.1f} req/s"
        )
    for rule, ok in budgets:
        print(f"  {'ok  ' if ok else 'MISS'}  {rule}")
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nWrote {out}")
    return 0 if tiny or all(ok for _, ok in budgets) else 1


if __name__ == "__main__":
    sys.exit(main())
