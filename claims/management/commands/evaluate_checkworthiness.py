"""Measure the check-worthiness scorer on labelled sentences (a CheckThat!-style TSV)."""

from __future__ import annotations

import json
import math
from collections.abc import Callable

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims import checkworthiness
from claims.scoring import evaluation, features, labelled, model

MODELS = ("app", "full", "cues", "neutral", "heuristic")


def _scorer(name: str, language: str) -> Callable[[str], float]:
    """The app's scorer, or one of the weights file's models, or the old heuristic."""
    if name == "app":
        return lambda text: checkworthiness.assess(text, language=language)[0]
    if name == "heuristic":
        return lambda text: checkworthiness.heuristic_assess(text)[0]
    linear = model.load().models[name]
    lang = features.language_of(language if name != "neutral" else "und")
    return lambda text: round(model.sigmoid(model.logit(text, lang, linear)), 3)


class Command(BaseCommand):
    help = (
        "Score the sentences of a TSV (Sentence_id, Text, class_label Yes/No) and print "
        "precision, recall and F1 of Yes at the app's threshold, ROC-AUC, the best "
        "threshold's F1 and the confusion matrix."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", metavar="PATH.tsv")
        parser.add_argument("--json", action="store_true", help="One JSON object.")
        parser.add_argument(
            "--model",
            choices=MODELS,
            default="app",
            help="app (default: what imports use), one model of the weights file, or the "
            "keyword heuristic the app used before.",
        )
        parser.add_argument("--language", default="en", help="BCP-47 tag of the sentences.")

    def handle(self, *args, **options) -> None:
        try:
            rows = labelled.read(options["path"])
        except labelled.LabelledDataError as error:
            raise CommandError(str(error)) from None
        score = _scorer(options["model"], options["language"])
        scores = [score(row.text) for row in rows]
        labels = [row.worthy for row in rows]
        threshold = settings.FACTCHECK_CHECKWORTHY_THRESHOLD
        matrix = evaluation.confusion(scores, labels, threshold)
        auc = evaluation.roc_auc(scores, labels)
        if options["json"]:
            result = {
                "precision": round(matrix.precision, 4),
                "recall": round(matrix.recall, 4),
                "f1": round(matrix.f1, 4),
                "auc": None if math.isnan(auc) else round(auc, 4),
                "threshold": threshold,
                "n": len(rows),
            }
            self.stdout.write(json.dumps(result))
            return
        best, best_f1 = evaluation.best_threshold(scores, labels)
        self.stdout.write(
            "\n".join(
                [
                    f"sentences   {len(rows)} ({sum(labels)} Yes, {len(rows) - sum(labels)} No)",
                    f"threshold   {threshold:.3f} (the app's)",
                    f"precision   {matrix.precision:.4f}",
                    f"recall      {matrix.recall:.4f}",
                    f"F1          {matrix.f1:.4f}",
                    "ROC-AUC     "
                    + ("n/a (needs both labels)" if math.isnan(auc) else f"{auc:.4f}"),
                    f"best F1     {best_f1:.4f} at threshold {best:.3f}",
                    "confusion   predicted Yes  predicted No",
                    f"  Yes       {matrix.tp:13}  {matrix.fn:12}",
                    f"  No        {matrix.fp:13}  {matrix.tn:12}",
                ]
            )
        )
