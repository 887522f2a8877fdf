"""Time the importer on synthetic articles of about 100 KB and 1 MB.

    make bench            # or: .venv/bin/python bench/import_speed.py [--sizes 100000 1000000]

Uses its own throwaway database: a temporary SQLite file, or DATABASE_URL when set
(a test database is created and dropped there). Prints a table and writes
bench/results-import.json. Not a test: speed is measured here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SUBJECTS = [
    "The ministry",
    "Mayor Jane Doe",
    "The regional council",
    "Officials in Daraa",
    "The United Nations",
    "A spokesperson for the army",
    "Local residents",
    "Critics",
]
VERBS = ["said", "announced", "denied", "confirmed", "claimed", "warned", "argued"]
OBJECTS = [
    "that {n} people had been displaced since {month}",
    "that the budget rose by {n}% in {year}",
    "that {n} schools would reopen by {month}",
    "the plan ought to be abandoned",
    "that the ceasefire was, in effect, over",
    "that about {n} trucks crossed the border on {day}",
]
MONTHS = ["January", "March", "May", "July", "September", "November"]
DAYS = ["Monday", "Tuesday", "Friday", "Sunday"]


def synthetic_article(size: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    paragraphs, total = [], 0
    while total < size:
        sentences = []
        for _ in range(rng.randint(2, 6)):
            obj = rng.choice(OBJECTS).format(
                n=rng.randint(2, 9000),
                month=rng.choice(MONTHS),
                year=rng.randint(1990, 2025),
                day=rng.choice(DAYS),
            )
            sentences.append(f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {obj}.")
        if rng.random() < 0.1:
            paragraphs.append(f"Section {len(paragraphs) + 1} of the report")
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        total += len(paragraph) + 2
    return "\n\n".join(paragraphs)[:size].rsplit(".", 1)[0] + "."


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--out", default=str(ROOT / "bench" / "results-import.json"))
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="factcheck-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-not-for-production")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3")
    os.environ["FACTCHECK_IMPORT_MAX_BYTES"] = str(max(args.sizes) * 2)

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    from claims.importing import article_import

    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        rows = []
        for n, size in enumerate(args.sizes):
            text = synthetic_article(size, seed=n + 1)
            started = time.perf_counter()
            result = article_import(data=text.encode(), filename=f"bench-{size}.txt")
            seconds = time.perf_counter() - started
            rows.append(
                {
                    "bytes": len(text.encode()),
                    "claims": result.claim_count,
                    "dismissed": result.dismissed_count,
                    "seconds": round(seconds, 3),
                }
            )
        vendor = connection.vendor
    finally:
        teardown_databases(old_config, verbosity=0)

    print(f"Import speed on {vendor}")
    print(f"{'bytes':>10} {'claims':>7} {'dismissed':>9} {'seconds':>8} {'× first':>8}")
    for row in rows:
        ratio = row["seconds"] / rows[0]["seconds"]
        row["ratio_to_first"] = round(ratio, 2)
        print(
            f"{row['bytes']:>10} {row['claims']:>7} {row['dismissed']:>9} "
            f"{row['seconds']:>8.2f} {ratio:>8.1f}"
        )
    Path(args.out).write_text(json.dumps({"database": vendor, "imports": rows}, indent=2) + "\n")
    print(f"Wrote {args.out}")


if __name__ == "__main__":
    main()
