"""`make bench`: the app under real load, as ratios against a trivial view, and its budgets.

    make bench                # full run, a few minutes; budgets enforced
    make bench BENCH_TINY=1   # seconds: small data, 1 s per page; budgets reported only
    .venv/bin/python -m bench.run   # the same without make

Builds its own database (a temporary SQLite file, or a fresh PostgreSQL database on the
server named by DATABASE_URL, dropped afterwards) with synthetic data made by the
services, serves the app with gunicorn and production settings on 127.0.0.1 and loads
each page with wrk. Also times imports through the queue's form (the large one run by
the background worker) and `verify_audit`. Prints a table, writes
bench/results.json (tiny: results-tiny.json; BENCH_OUT to change) and exits 1 if a budget is missed.

BENCH_WORKERS (default 2) gunicorn workers; BENCH_SECONDS and BENCH_CONNECTIONS per page;
BENCH_ROUNDS (default 2, tiny 1) how often every page is loaded and every import size
imported, the best round counting. BENCH_PART=imports times the imports alone (the text
imports through the form and the worker, and the HTML page), on a database holding only
the desk's users: a minute instead of ten, to compare import speed before and after a
change; its budgets are the import budgets.
"""

from __future__ import annotations

import json
import os
import platform
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit

from bench.serve import (
    HOST,
    ROOT,
    BenchError,
    Load,
    Server,
    Worker,
    csrf_token,
    etag_of,
    fetch,
    log_in,
    post_form,
    wrk,
)


@dataclass(frozen=True)
class Scale:
    articles: int
    large_claims: int
    small_claims: int
    events: int
    import_sizes: tuple[int, int]
    html_size: int
    load: Load
    rounds: int
    in_process_runs: int


FULL = Scale(
    200,
    1_000,
    10,
    100_000,
    (100_000, 1_000_000),
    500_000,
    Load(10, 8, 2),
    rounds=2,
    in_process_runs=30,
)
TINY = Scale(5, 20, 10, 1_500, (5_000, 50_000), 50_000, Load(1, 4, 2), rounds=1, in_process_runs=3)

# The budgets, as ratios measured in the same run (see issue 7 and README, "Performance").
WARM_PAGE_MIN = 0.8
UNCHANGED_PAGE_MIN = 0.5  # a 304 for an unchanged workspace page, × the floor's req/s
CLAIM_PAGE_MAX_MS = 10.0  # in-process, cold
PANEL_MAX_MS = 3.0
LARGE_BOARD_MAX = 1.5  # in-process, cold: the 1,000-claim board against the 10-claim one
LARGE_IMPORT_MAX_SECONDS = 4.0  # issue 14: a 1 MB article, on this machine
LARGE_IMPORT_MAX_RATIO = 11.0
HTML_IMPORT_MAX_SECONDS = 1.5  # issue 14: a 500 KB page, extraction included
VERIFY_MIN_EVENTS_PER_S = 100_000


def log(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise BenchError(f"{name}={raw!r} must be a whole number of at least 1")
    return int(raw)


# --- the database ----------------------------------------------------------------------


def create_database(workdir: str) -> tuple[str, callable]:
    """A fresh database URL and how to drop it: PostgreSQL if DATABASE_URL names one."""
    base = os.environ.get("DATABASE_URL", "")
    if urlsplit(base).scheme not in {"postgres", "postgresql"}:
        return f"sqlite:///{workdir}/bench.sqlite3", lambda: None
    import psycopg
    from psycopg import sql

    name = f"factcheck_bench_{os.getpid()}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))

    def drop() -> None:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )

    return urlsplit(base)._replace(path=f"/{name}").geturl(), drop


def production_env(database_url: str) -> dict[str, str]:
    """Settings for this process and gunicorn: production, but plain HTTP on loopback."""
    return {
        "DJANGO_SETTINGS_MODULE": "factcheck.settings",
        "DJANGO_DEBUG": "0",
        # Loopback speaks plain HTTP: no redirect to https://, no secure-only cookies.
        "DJANGO_HTTPS": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_LOG_LEVEL": "WARNING",
        "FACTCHECK_DEMO": "0",
        # The data's sources are made-up addresses nothing fetches: verdicts may rest on
        # sources without a snapshot, and no link check is queued.
        "FACTCHECK_REQUIRE_SNAPSHOTS": "0",
        "FACTCHECK_LINK_CHECK_HOURS": "0",
        "DATABASE_URL": database_url,
        "PYTHONPATH": str(ROOT),
    }


def close_connections() -> None:
    """Let go of the database before it is dropped (a no-op if Django never started)."""
    from django.conf import settings

    if settings.configured:
        from django.db import connections

        for conn in connections.all():
            conn.close()
            if hasattr(conn, "close_pool"):  # PostgreSQL's pool keeps its connections open
                conn.close_pool()


# --- measurements ----------------------------------------------------------------------


# How long the worker may take no task while one waits before the bench restarts it.
STUCK_SECONDS = 60


def wait_for_idle_worker(worker: Worker, timeout: float = 600) -> None:
    """Until the worker's queue is empty: the matching queued by the data's articles and
    by earlier imports runs before an import is timed, not during it."""
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    busy = [TaskResultStatus.READY, TaskResultStatus.RUNNING]
    deadline = time.monotonic() + timeout
    while DBTaskResult.objects.filter(status__in=busy).exists():
        if time.monotonic() > deadline:
            raise BenchError(f"the worker's queue was still busy after {timeout:.0f} s")
        unmoved(worker)
        time.sleep(0.05)


def unmoved(worker: Worker) -> None:
    """Restart the worker if a task has waited STUCK_SECONDS with none started since and
    none running (a long task, such as matching a large article, is not a stuck worker)."""
    from django.db.models import Max
    from django.tasks import TaskResultStatus
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    results = DBTaskResult.objects
    oldest = results.filter(status=TaskResultStatus.READY).order_by("enqueued_at").first()
    if oldest is None or results.filter(status=TaskResultStatus.RUNNING).exists():
        return
    last_start = results.aggregate(at=Max("started_at"))["at"] or oldest.enqueued_at
    since = (timezone.now() - max(oldest.enqueued_at, last_start)).total_seconds()
    if since > STUCK_SECONDS and worker.running_for() > STUCK_SECONDS:
        worker.restart_stuck(min(since, worker.running_for()))


def time_imports(sizes: tuple[int, int], runs: int, desk) -> list[dict]:
    """Each size imported `runs` times (a new text each time) through the queue's form,
    as an editor does, the quickest run counting: from the POST until its claims are
    stored, by the web request for a small text, by the background worker for a large
    one (over FACTCHECK_BACKGROUND_IMPORT_BYTES). Each starts with the worker idle."""
    from django.conf import settings

    from bench.data import PASSWORD, synthetic_article
    from claims.models import Article, Job, JobStatus

    server, worker = Server(workers=1, env=dict(os.environ)), Worker(env=dict(os.environ))
    try:
        username = desk.editor.get_username()
        cookie = log_in(server.base, username, PASSWORD, settings.SESSION_COOKIE_NAME)
        rows = []
        for number, size in enumerate(sizes, start=1):
            timings: list[float] = []
            waits: list[float] = []
            running: list[float] = []
            cpu: list[float] = []  # the worker's CPU time for the import
            for run in range(runs):
                text = synthetic_article(size, seed=number + 100 * run)
                wait_for_idle_worker(worker)
                # The editor has the queue's page open: the time runs from sending the form.
                token = csrf_token(f"{server.base}/review/", cookie)
                worker_cpu = worker.cpu_seconds()
                started = time.perf_counter()
                post_form(
                    f"{server.base}/review/", {"text": text, "language": "en"}, cookie, token=token
                )
                background = len(text.encode()) > settings.FACTCHECK_BACKGROUND_IMPORT_BYTES
                if background:
                    job = Job.objects.latest("pk")
                    while job.status in JobStatus.active():
                        time.sleep(0.02)
                        unmoved(worker)
                        job.refresh_from_db(fields=["status", "error"])
                    if job.status != JobStatus.DONE:
                        raise BenchError(f"the worker's import ended {job.status}: {job.error}")
                timings.append(time.perf_counter() - started)
                article = Article.objects.latest("pk")
                if background:  # how long the job waited for the worker, and ran
                    job.refresh_from_db(fields=["created_at", "started_at", "finished_at"])
                    waits.append((job.started_at - job.created_at).total_seconds())
                    running.append((job.finished_at - job.started_at).total_seconds())
                    if worker_cpu is not None and (now := worker.cpu_seconds()) is not None:
                        cpu.append(now - worker_cpu)
            rows.append(
                {
                    "bytes": len(text.encode()),
                    "claims": article.claims.count(),
                    "seconds": min(timings),
                    "runs": timings,
                    "by": "worker" if background else "web request",
                }
                | (
                    {
                        "job_waited": waits,
                        "job_ran": running,
                        "job_cpu": cpu,
                        "worker_restarts": worker.restarts,
                    }
                    if background
                    else {}
                )
            )
    finally:
        worker.stop()
        server.stop()
    return rows


def time_html_import(size: int, runs: int) -> dict:
    """A news page of about `size` bytes (bench.data.synthetic_html: menus, related links
    and a footer around the article) imported `runs` times, a new page each time, by the
    import service in this process: extraction, language, sentences, scores, storing.
    The quickest run counts."""
    from bench.data import synthetic_html
    from claims.importing import article_import

    timings, cpu, claims, page = [], [], 0, ""
    for run in range(runs):
        page = synthetic_html(size, seed=1_000 + run)
        started, cpu_started = time.perf_counter(), time.process_time()
        result = article_import(data=page.encode(), filename=f"page-{run}.html")
        timings.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
        claims = result.claim_count
    return {
        "bytes": len(page.encode()),
        "claims": claims,
        "seconds": min(timings),
        "runs": timings,
        "cpu_runs": cpu,  # CPU time: what the shared machine's load does not add to
    }


def time_verify(runs: int = 3) -> dict:
    """`manage.py verify_audit`, the median of `runs`."""
    from django.core.management import call_command

    timings = []
    for _ in range(runs):
        out = StringIO()
        started = time.perf_counter()
        call_command("verify_audit", stdout=out)
        timings.append(time.perf_counter() - started)
    events = int(out.getvalue().split("intact: ")[1].split(" events")[0])
    seconds = statistics.median(timings)
    return {"events": events, "seconds": seconds, "events_per_s": events / seconds}


@dataclass(frozen=True)
class Page:
    key: str
    label: str
    server: Server
    path: str
    cookie: str = ""
    headers: dict[str, str] | None = None


def url_of(page: Page) -> str:
    return f"{page.server.base}{page.path}"


def measure_pages(dataset, *, workers: int, load: Load, rounds: int) -> dict[str, dict]:
    from django.conf import settings

    from bench.data import PASSWORD

    env = dict(os.environ)
    warm = Server(workers=workers, env=env)
    try:
        cold = Server(workers=workers, env=env | {"DJANGO_SETTINGS_MODULE": "bench.cold_settings"})
    except BenchError:
        warm.stop()
        raise
    try:
        username = dataset.desk.reviewer.get_username()
        cookie = log_in(warm.base, username, PASSWORD, settings.SESSION_COOKIE_NAME)
        claim = dataset.reviewed_claim
        pages = [Page("healthz", "/healthz (the floor)", warm, "/healthz")]
        # The budget is on the 10-claim article, a usual size; 1,000 claims make a long first
        # page (the article with 1,000 marks and 50 of the verdict cards).
        for size, article in (("", dataset.small), ("_large", dataset.large)):
            n = f"{article.claims.count()} claims"
            path = f"/checks/{article.slug}/"
            pages.append(
                Page(f"public_article_warm{size}", f"public article, warm, {n}", warm, path)
            )
            pages.append(
                Page(f"public_article_cold{size}", f"public article, cold, {n}", cold, path)
            )
        public_claim = f"/checks/{dataset.large.slug}/claims/{claim.ordinal}/"
        pages.append(Page("public_claim", "public claim page, warm", warm, public_claim))
        # Workspace pages are rendered on every request (no cache holds them); a browser
        # that has the current page gets a 304 from its ETag.
        for size, article in (("small", dataset.small), ("large", dataset.large)):
            label = f"board, {article.claims.count()} claims"
            pages.append(Page(f"board_{size}", label, warm, article.get_absolute_url(), cookie))
        url = claim.get_absolute_url()
        pages.append(Page("reviewer_claim", "reviewer claim page", warm, url, cookie))
        unchanged = {"reviewer_claim_304": ("reviewer claim page", url)}
        unchanged["board_large_304"] = (label, dataset.large.get_absolute_url())
        for key, (what, path) in unchanged.items():
            label = f"{what}, unchanged (304)"
            etag = etag_of(f"{warm.base}{path}", cookie)
            pages.append(Page(key, label, warm, path, cookie, {"If-None-Match": etag}))
        results = {}
        for page in pages:
            url = url_of(page)
            for _ in range(4 * workers):  # every worker has rendered (and cached) it
                body = fetch(url, page.cookie)
            results[page.key] = {"label": page.label, "path": page.path, "bytes": len(body)}
            results[page.key]["rounds"] = []
        # Every page, the floor too, is loaded in each round; the round with the most
        # requests counts. Whatever else runs on the machine only ever slows a round.
        for number in range(1, rounds + 1):
            for page in pages:
                result = results[page.key]
                log(f"round {number}/{rounds}: {page.label}, {result['bytes']:,} bytes")
                result["rounds"].append(asdict(wrk(url_of(page), load, page.cookie, page.headers)))
        for result in results.values():
            result |= max(result["rounds"], key=lambda measured: measured["requests"])
    finally:
        warm.stop()
        cold.stop()
    floor = results["healthz"]
    for result in results.values():
        result["rps_to_floor"] = result["requests_per_s"] / floor["requests_per_s"]
        result["p50_to_floor"] = result["p50_ms"] / floor["p50_ms"]
    return results


# --- budgets and report ------------------------------------------------------------------


@dataclass(frozen=True)
class Budget:
    rule: str
    measured: str
    ok: bool


def budgets(
    pages: dict, inproc: dict, imports: list[dict], verify: dict, html: dict
) -> list[Budget]:
    warm = pages["public_article_warm"]["rps_to_floor"]
    unchanged = pages["reviewer_claim_304"]["rps_to_floor"]
    claim_ms = inproc["claim"]["ms"]
    panel = max((r for k, r in inproc.items() if k.startswith("panel_")), key=lambda r: r["ms"])
    board = inproc["board_large"]["ms"] / inproc["board_small"]["ms"]
    return [
        Budget(
            f"public article, warm ≥ {WARM_PAGE_MIN}× floor req/s",
            f"{warm:.2f}×",
            warm >= WARM_PAGE_MIN,
        ),
        Budget(
            f"unchanged claim page (304) ≥ {UNCHANGED_PAGE_MIN}× floor req/s",
            f"{unchanged:.2f}×",
            unchanged >= UNCHANGED_PAGE_MIN,
        ),
        Budget(
            f"claim page, cold, in-process ≤ {CLAIM_PAGE_MAX_MS:.0f} ms",
            f"{claim_ms:.1f} ms",
            claim_ms <= CLAIM_PAGE_MAX_MS,
        ),
        Budget(
            f"every panel refresh, in-process ≤ {PANEL_MAX_MS:.0f} ms",
            f"{panel['label']}: {panel['ms']:.1f} ms",
            panel["ms"] <= PANEL_MAX_MS,
        ),
        Budget(
            f"{inproc['board_large']['label']}, cold, in-process ≤ {LARGE_BOARD_MAX}× "
            f"{inproc['board_small']['label']}",
            f"{board:.2f}×",
            board <= LARGE_BOARD_MAX,
        ),
        *import_budgets(imports, html),
        Budget(
            f"verify_audit ≥ {VERIFY_MIN_EVENTS_PER_S:,} events/s",
            f"{verify['events_per_s']:,.0f} events/s",
            verify["events_per_s"] >= VERIFY_MIN_EVENTS_PER_S,
        ),
    ]


def import_budgets(imports: list[dict], html: dict) -> list[Budget]:
    small, large = imports
    ratio = large["seconds"] / small["seconds"]
    large_import = f"import of {large['bytes']:,} bytes"
    return [
        Budget(
            f"{large_import} ≤ {LARGE_IMPORT_MAX_SECONDS:.0f} s",
            f"{large['seconds']:.2f} s",
            large["seconds"] <= LARGE_IMPORT_MAX_SECONDS,
        ),
        Budget(
            f"{large_import} ≤ {LARGE_IMPORT_MAX_RATIO:.0f}× {small['bytes']:,} bytes",
            f"{ratio:.1f}×",
            ratio <= LARGE_IMPORT_MAX_RATIO,
        ),
        Budget(
            f"HTML page of {html['bytes']:,} bytes imported (extraction included) "
            f"≤ {HTML_IMPORT_MAX_SECONDS} s",
            f"{html['seconds']:.2f} s",
            html["seconds"] <= HTML_IMPORT_MAX_SECONDS,
        ),
    ]


def table(report: dict) -> str:
    lines = [
        f"Factcheck benchmark on {report['database']}: {report['workers']} gunicorn workers, "
        f"wrk {report['load']['seconds']} s × {report['load']['connections']} connections per page,"
        f" best of {report['rounds']} round(s)" + (" (tiny mode)" if report["tiny"] else ""),
        f"{report['cpus']} CPUs, 1-minute load average {report['load_average']['at_start']:.1f} "
        f"at the start, {report['load_average']['at_end']:.1f} at the end",
        "",
        f"| {'page':<34} | {'req/s':>8} | {'× floor':>7} | {'p50 ms':>7} | {'p99 ms':>7} |",
        f"|{'-' * 36}|{'-' * 10}:|{'-' * 8}:|{'-' * 8}:|{'-' * 8}:|".replace("-:", ":"),
    ]
    for page in report["pages"].values():
        rate, ratio = page["requests_per_s"], page["rps_to_floor"]
        lines.append(
            f"| {page['label']:<34} | {rate:>8.1f} | {ratio:>7.2f} "
            f"| {page['p50_ms']:>7.2f} | {page['p99_ms']:>7.2f} |"
        )
    lines += [
        "",
        "In-process (Django's test client, CPU time, median of "
        f"{report['in_process_runs']} requests; cold: the cache emptied before each; "
        "shared: the claim page's shared fragments cached):",
        "",
        f"| {'page':<52} | {'cold ms':>8} | {'× floor':>7} | {'shared ms':>9} |",
        f"|{'-' * 54}|{'-' * 9}:|{'-' * 8}:|{'-' * 10}:|",
    ]
    for page in report["in_process"].values():
        lines.append(
            f"| {page['label']:<52} | {page['ms']:>8.2f} | {page['to_floor']:>7.1f} "
            f"| {page['shared_ms']:>9.2f} |"
        )
    lines.append("")
    lines += import_lines(report)
    verify = report["verify_audit"]
    lines.append(
        f"verify_audit: {verify['events']:,} events in {verify['seconds']:.2f} s "
        f"= {verify['events_per_s']:,.0f} events/s"
    )
    lines += budget_lines(report)
    return "\n".join(lines)


def import_lines(report: dict) -> list[str]:
    lines = []
    small = report["imports"][0]
    for row in report["imports"]:
        lines.append(
            f"import {row['bytes']:>9,} bytes: {row['claims']:>5} claims "
            f"in {row['seconds']:6.2f} s ({row['seconds'] / small['seconds']:.1f}× the first), "
            f"through the form and the {row['by']}"
        )
        if "job_ran" in row:
            waited = ", ".join(f"{w:.2f}" for w in row["job_waited"])
            ran = ", ".join(f"{r:.2f}" for r in row["job_ran"])
            cpu = ", ".join(f"{c:.2f}" for c in row["job_cpu"]) or "not measured"
            lines.append(
                f"  the worker's job per run: waited {waited} s, ran {ran} s, CPU time {cpu} s"
            )
    html = report["html_import"]
    lines.append(
        f"import of an HTML page of {html['bytes']:,} bytes: {html['claims']:>5} claims "
        f"in {html['seconds']:6.2f} s, extraction included (the import service, in-process)"
    )
    if "cpu_runs" in html:
        cpu = ", ".join(f"{c:.2f}" for c in html["cpu_runs"])
        lines.append(f"  its CPU time per run: {cpu} s")
    return lines


def budget_lines(report: dict) -> list[str]:
    lines = [""]
    enforced = "" if report["budgets_enforced"] else " (tiny mode: reported, not enforced)"
    lines.append(f"Budgets{enforced}:")
    for budget in report["budgets"]:
        lines.append(
            f"  {'ok  ' if budget['ok'] else 'MISS'}  {budget['rule']}: {budget['measured']}"
        )
    return lines


def run(scale: Scale, *, workers: int, tiny: bool) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench import data, inprocess

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    load_before = os.getloadavg()
    started = time.perf_counter()
    dataset = data.build(
        articles=scale.articles,
        large_claims=scale.large_claims,
        small_claims=scale.small_claims,
        events=scale.events,
    )
    data_seconds = time.perf_counter() - started
    # Adding the sources queued their captures; the import timings must not wait on them.
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(task_path="claims.tasks.capture_source").delete()
    log(f"data: {dataset.events:,} audit events in {data_seconds:.0f} s; timing imports")
    imports = time_imports(scale.import_sizes, runs=scale.rounds, desk=dataset.desk)
    log("timing verify_audit")
    verify = time_verify()
    log("timing an HTML import")
    html = time_html_import(scale.html_size, runs=scale.rounds)
    log("timing workspace pages and panels in-process")
    inproc = inprocess.measure(dataset, runs=scale.in_process_runs)
    pages = measure_pages(dataset, workers=workers, load=scale.load, rounds=scale.rounds)
    return {
        "database": connection.vendor,
        "tiny": tiny,
        "workers": workers,
        "cpus": os.cpu_count(),
        # Other processes on the machine slow every figure; the ratios suffer less.
        "load_average": {"at_start": load_before[0], "at_end": os.getloadavg()[0]},
        "python": platform.python_version(),
        "load": asdict(scale.load),
        "rounds": scale.rounds,
        "in_process_runs": scale.in_process_runs,
        "data": {
            "articles": scale.articles,
            "large_claims": scale.large_claims,
            "small_claims": scale.small_claims,
            "audit_events": dataset.events,
            "seconds": data_seconds,
        },
        "pages": pages,
        "in_process": inproc,
        "imports": imports,
        "html_import": html,
        "verify_audit": verify,
        "budgets": [asdict(b) for b in budgets(pages, inproc, imports, verify, html)],
        "budgets_enforced": not tiny,
    }


def run_imports(scale: Scale, *, tiny: bool) -> dict:
    """BENCH_PART=imports: the imports alone, on a database with the desk's users only."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench import data

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    load_before = os.getloadavg()
    log("timing imports")
    imports = time_imports(scale.import_sizes, runs=scale.rounds, desk=data.make_desk())
    log("timing an HTML import")
    html = time_html_import(scale.html_size, runs=scale.rounds)
    return {
        "database": connection.vendor,
        "part": "imports",
        "tiny": tiny,
        "cpus": os.cpu_count(),
        "load_average": {"at_start": load_before[0], "at_end": os.getloadavg()[0]},
        "python": platform.python_version(),
        "rounds": scale.rounds,
        "imports": imports,
        "html_import": html,
        "budgets": [asdict(b) for b in import_budgets(imports, html)],
        "budgets_enforced": not tiny,
    }


def imports_table(report: dict) -> str:
    lines = [
        f"Factcheck imports on {report['database']}, best of {report['rounds']} run(s)"
        + (" (tiny mode)" if report["tiny"] else ""),
        f"{report['cpus']} CPUs, 1-minute load average {report['load_average']['at_start']:.1f} "
        f"at the start, {report['load_average']['at_end']:.1f} at the end",
        "",
    ]
    return "\n".join(lines + import_lines(report) + budget_lines(report))


PARTS = {"", "imports"}


def main() -> int:
    tiny = os.environ.get("BENCH_TINY", "").strip() not in {"", "0"}
    part = os.environ.get("BENCH_PART", "").strip()
    if part not in PARTS:
        print(f"bench: BENCH_PART={part!r} must be empty (everything) or imports", file=sys.stderr)
        return 2
    base = TINY if tiny else FULL
    try:
        load = Load(
            seconds=env_int("BENCH_SECONDS", base.load.seconds),
            connections=env_int("BENCH_CONNECTIONS", base.load.connections),
            threads=base.load.threads,
        )
        rounds = env_int("BENCH_ROUNDS", base.rounds)
        scale = Scale(**(asdict(base) | {"load": load, "rounds": rounds}))
        workers = env_int("BENCH_WORKERS", 2)
    except BenchError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 2
    name = "results" + (f"-{part}" if part else "") + ("-tiny" if tiny else "")
    default_out = ROOT / "bench" / f"{name}.json"
    out = Path(os.environ.get("BENCH_OUT") or default_out)
    workdir = tempfile.mkdtemp(prefix="factcheck-bench-")
    try:
        database_url, drop_database = create_database(workdir)
    except Exception as error:
        print(f"bench: could not create the benchmark database: {error}", file=sys.stderr)
        return 2
    os.environ.update(production_env(database_url))
    if tiny:  # as in the full run, the larger import goes to the worker, the smaller not
        os.environ["FACTCHECK_BACKGROUND_IMPORT_BYTES"] = str(sum(scale.import_sizes) // 2)
    try:
        if part == "imports":
            report = run_imports(scale, tiny=tiny)
        else:
            report = run(scale, workers=workers, tiny=tiny)
    except BenchError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 2
    finally:
        close_connections()
        drop_database()
        shutil.rmtree(workdir, ignore_errors=True)
    print(imports_table(report) if part else table(report))
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nWrote {out}")
    missed = [b for b in report["budgets"] if not b["ok"]]
    if missed and report["budgets_enforced"]:
        print(f"FAILED: {len(missed)} budget(s) missed: " + "; ".join(b["rule"] for b in missed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
