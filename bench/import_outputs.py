"""What the importer makes of fixed inputs, as one fingerprint each: for checking that a
change meant to make importing cheaper changes nothing it makes.

    python -m bench.import_outputs write BEFORE.json    # on the code before the change
    python -m bench.import_outputs compare BEFORE.json  # after it: "same", or which differ

The inputs: the shared HTML pages beside the checkout (../shared/corpus/html, or the copies
in tests/data/pages), the seed, the bench's synthetic texts and HTML page at their sizes,
and the sentences the scorer is trained and tuned on (claims/scoring/data). The
fingerprint covers the body, its language and metadata, and each claim's span,
paragraph, heading flag, quote context, score, reasons, status and dismissal reason.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED_PAGES = ROOT.parent / "shared" / "corpus" / "html"
CLAIM_FIELDS = ["start", "end", "paragraph", "is_heading", "quote_prefix", "quote_suffix"]
CLAIM_FIELDS += ["text", "score", "reasons", "status", "dismissed_reason"]
TSVS = ROOT / "claims" / "scoring" / "data"  # the scorer's training and dev sets


def claims_of(data: bytes | str, *, filename: str = "", language: str = "") -> dict:
    from claims import importing, languages
    from claims.models import Article

    try:
        body, found = importing.read(data, filename=filename)
    except importing.ImportRejected as error:
        return {"rejected": str(error)}
    language = languages.choose(given=language, page=found.get("language", ""), text=body)
    article = Article(body=body, language=language)
    claims = importing._claims(article, importing.split_sentences(body, language))
    return {
        "body": hashlib.sha256(body.encode()).hexdigest(),
        "found": found,
        "language": language,
        "claims": [[getattr(claim, name) for name in CLAIM_FIELDS] for claim in claims],
    }


def scored_sentences() -> list:
    from claims import checkworthiness

    scored = []
    for path in sorted(TSVS.glob("*.tsv")):
        with path.open(newline="", encoding="utf-8") as rows:
            for row in csv.DictReader(rows, delimiter="\t"):
                scored.append(checkworthiness.assess(row["Text"], language="en"))
    return scored


def inputs() -> dict[str, Callable[[], object]]:
    from bench.data import synthetic_article, synthetic_html

    pages = SHARED_PAGES if SHARED_PAGES.is_dir() else ROOT / "tests" / "data" / "pages"
    found: dict[str, Callable[[], object]] = {}
    for path in sorted(pages.glob("*.html")):
        found[path.name] = partial(claims_of, path.read_bytes(), filename=path.name)
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        found[path.name] = partial(claims_of, path.read_bytes(), filename=path.name, language="en")
    for size in (5_000, 100_000, 1_000_000):
        for seed in (1, 2, 101):
            text = synthetic_article(size, seed=seed)
            found[f"synthetic text, {size:,} bytes, seed {seed}"] = partial(
                claims_of, text, language="en"
            )
    for seed in (1_000, 1_001):
        page = synthetic_html(500_000, seed=seed).encode()
        found[f"synthetic HTML page, 500,000 bytes, seed {seed}"] = partial(
            claims_of, page, filename="page.html"
        )
    found["check-worthiness TSVs"] = scored_sentences
    return found


def fingerprints() -> dict[str, str]:
    return {
        name: hashlib.sha256(json.dumps(make(), sort_keys=True, default=str).encode()).hexdigest()
        for name, make in inputs().items()
    }


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in {"write", "compare"}:
        print("usage: python -m bench.import_outputs write|compare FILE.json", file=sys.stderr)
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    import django

    django.setup()
    mode, path = argv[0], Path(argv[1])
    if mode == "compare" and not path.is_file():
        print(f"{path}: no such file; write it on the code before the change", file=sys.stderr)
        return 2
    found = fingerprints()
    if mode == "write":
        path.write_text(json.dumps(found, indent=1) + "\n")
        print(f"wrote {len(found)} fingerprints to {path}")
        return 0
    before = json.loads(path.read_text())
    differ = [name for name in found.keys() | before.keys() if before.get(name) != found.get(name)]
    print("same" if not differ else "different: " + "; ".join(sorted(differ)))
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
