"""`make bench` in tiny mode, so the benchmark cannot rot. Speed is never asserted here.

Runs the real thing: its own database (SQLite, or PostgreSQL when DATABASE_URL names
one), gunicorn on loopback and wrk, which must be installed (`apt-get install wrk`).
"""

import json
import os
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = {
    "healthz",
    "public_article_warm",
    "public_article_cold",
    "public_article_warm_large",
    "public_article_cold_large",
    "public_claim",
    "board_small",
    "board_large",
    "reviewer_claim",
    "reviewer_claim_304",
    "board_large_304",
}
IN_PROCESS = {"healthz", "desk_floor", "claim", "board_small", "board_large"} | {
    f"panel_{panel}"
    for panel in (
        "assignment",
        "wording",
        "sources",
        "matches",
        "verdict",
        "signoff",
        "notes",
        "timeline",
    )
}


def run_tiny_bench(out: Path) -> subprocess.CompletedProcess:
    env = os.environ | {
        "BENCH_TINY": "1",
        "BENCH_OUT": str(out),
        "BENCH_MATCH_OUT": str(out.with_name("matching.json")),
        "BENCH_ROUNDS": "2",
    }
    return subprocess.run(
        ["make", "--no-print-directory", "bench"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.mark.slow
def test_make_bench_in_tiny_mode_measures_every_page_and_reports_the_budgets(tmp_path):
    out = tmp_path / "results.json"
    result = run_tiny_bench(out)
    assert result.returncode == 0, result.stdout + result.stderr

    report = json.loads(out.read_text())
    postgres = urlsplit(os.environ.get("DATABASE_URL", "")).scheme.startswith("postgres")
    assert report["database"] == ("postgresql" if postgres else "sqlite")
    assert (report["tiny"], report["budgets_enforced"], report["workers"]) == (True, False, 2)
    assert set(report["pages"]) == PAGES
    assert report["rounds"] == 2
    for page in report["pages"].values():
        assert len(page["rounds"]) == 2
        assert page["requests"] == max(measured["requests"] for measured in page["rounds"])
        assert page["requests"] > 0
        assert 0 < page["p50_ms"] <= page["p99_ms"]
        assert (
            page["rps_to_floor"]
            == page["requests_per_s"] / report["pages"]["healthz"]["requests_per_s"]
        )
    assert report["pages"]["board_large"]["label"] == "board, 20 claims"
    assert set(report["in_process"]) == IN_PROCESS
    for page in report["in_process"].values():
        assert page["ms"] > 0
        assert page["shared_ms"] > 0
        assert page["to_floor"] == page["ms"] / report["in_process"]["healthz"]["ms"]
    assert [row["bytes"] > 0 and row["claims"] > 0 for row in report["imports"]] == [True, True]
    assert [len(row["runs"]) for row in report["imports"]] == [2, 2]
    # Both through the queue's form; the larger one past it, to the background worker.
    assert [row["by"] for row in report["imports"]] == ["web request", "worker"]
    assert [row["seconds"] == min(row["runs"]) for row in report["imports"]] == [True, True]
    # The trail holds the generated events and an event for each import, and one for each
    # article whose claims the worker matched with earlier checks (the data's articles'
    # matching tasks wait in the queue until the timed imports start a worker).
    assert report["verify_audit"]["events"] >= report["data"]["audit_events"] + 4
    html = report["html_import"]
    assert html["bytes"] > 40_000
    assert html["claims"] > 0
    assert html["seconds"] == min(html["runs"])
    assert len(report["budgets"]) == 9
    assert all(isinstance(budget["ok"], bool) for budget in report["budgets"])
    assert "Budgets (tiny mode: reported, not enforced):" in result.stdout
    matching = json.loads(out.with_name("matching.json").read_text())
    assert (matching["claims"], matching["budgets_enforced"]) == (2_000, False)
    assert matching["matching"]["runs"] == 50
    assert matching["matching"]["median_ms"] > 0
    assert matching["import"]["ratio"] > 1
    assert matching["import_like_earlier"]["ratio"] > 1
    assert "import of 50 claims like earlier checks:" in result.stdout
    assert set(matching["search"]) == {
        "desk search, one word",
        "desk search, three words",
        "desk search, filtered",
    }
    assert all(r["requests"] > 0 for r in matching["search"].values())
    assert "Matching and search with 2,000 claims" in result.stdout
    assert "| /healthz (the floor)" in result.stdout
