"""Print the claims most similar to a text, across all articles, best first."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims.search import matching


class Command(BaseCommand):
    help = (
        "Print the claims most similar to TEXT across all articles, best first: article "
        "slug, claim ordinal, status, rating (if any) and similarity (0..1; see "
        "claims/search/matching.py). --json prints a list of objects with the keys "
        "article, ordinal, text, status, rating, score."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("text", help="The claim to look for, in quotes.")
        parser.add_argument("--json", action="store_true", help="Print JSON.")
        parser.add_argument("--limit", type=int, default=10, help="At most this many (10).")
        parser.add_argument(
            "--threshold",
            type=float,
            default=None,
            help="Only from this similarity (default FACTCHECK_MATCH_THRESHOLD).",
        )

    def handle(self, *args, **options) -> None:
        text, limit = options["text"].strip(), options["limit"]
        if not text:
            raise CommandError("Give the text of a claim to look for.")
        if limit < 1:
            raise CommandError("--limit must be at least 1.")
        threshold = options["threshold"]
        if threshold is not None and not 0 <= threshold <= 1:
            raise CommandError("--threshold must be between 0 and 1.")
        found = matching.similar(text, checked_only=False, limit=limit, threshold=threshold)
        rows = [
            {
                "article": s.claim.article.slug,
                "ordinal": s.claim.ordinal,
                "text": s.claim.wording,
                "status": s.claim.status,
                "rating": v.rating.label if (v := getattr(s.claim, "verdict", None)) else None,
                "score": s.score,
            }
            for s in found
        ]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        if not rows:
            self.stdout.write("No similar claim found.")
        for row in rows:
            rating = f" · {row['rating']}" if row["rating"] else ""
            self.stdout.write(
                f"{row['score']:.2f}  {row['article']} #{row['ordinal']} "
                f"({row['status']}{rating}): {row['text']}"
            )
