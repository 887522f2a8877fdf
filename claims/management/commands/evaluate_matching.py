"""Precision and recall of "checked before" matching on our own paraphrase pairs."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from claims.search import evaluation


class Command(BaseCommand):
    help = (
        "Run matching over the paraphrase pairs and near misses of "
        "claims/search/evaluation.py through the real index (in a transaction rolled "
        "back afterwards) and print precision and recall at a few thresholds, the "
        "configured one (FACTCHECK_MATCH_THRESHOLD) marked, with what it misses and "
        "what it wrongly matches."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--verbose-pairs", action="store_true", help="List every miss.")

    def handle(self, *args, **options) -> None:
        found = evaluation.scores()
        current = settings.FACTCHECK_MATCH_THRESHOLD
        positives = sum(bool(q.expected) for q in evaluation.QUERIES)
        self.stdout.write(
            f"{len(evaluation.EARLIER)} earlier claims; {positives} paraphrases, "
            f"{len(evaluation.QUERIES) - positives} near misses."
        )
        for threshold in sorted({0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, current}):
            r = evaluation.evaluate(found, threshold)
            mark = "  ← FACTCHECK_MATCH_THRESHOLD" if threshold == current else ""
            self.stdout.write(
                f"threshold {threshold:.2f}: precision {r.precision:.2f} recall "
                f"{r.recall:.2f} (tp {r.true_positives}, fp {r.false_positives}, "
                f"fn {r.false_negatives}){mark}"
            )
        result = evaluation.evaluate(found, current)
        for line in result.misses:
            self.stdout.write(f"  missed: {line}")
        for line in result.wrong:
            self.stdout.write(f"  wrong:  {line}")
