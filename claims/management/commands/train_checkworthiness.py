"""Retrain the check-worthiness model and rewrite claims/scoring/weights.json."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims.scoring import labelled, model


class Command(BaseCommand):
    help = (
        "Train the check-worthiness model on the shipped ClaimBuster training data (plus "
        "any --extra-training TSV, e.g. from export_checkworthiness_labels), choose its "
        "settings and threshold on the dev set, and write the weights file. Needs the "
        "dev extra (scikit-learn)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--extra-training",
            action="append",
            default=[],
            metavar="PATH",
            help="Another TSV (Sentence_id, Text, class_label) to train on; may repeat.",
        )
        parser.add_argument(
            "--out", default=str(model.WEIGHTS_PATH), help="Where to write the weights."
        )

    def handle(self, *args, **options) -> None:
        from claims.scoring import training

        try:
            import sklearn  # noqa: F401
        except ImportError:
            raise CommandError("Training needs scikit-learn: pip install -e '.[dev]'.") from None
        try:
            training.train(
                extra=[Path(p) for p in options["extra_training"]],
                out=Path(options["out"]),
                log=self.stdout.write,
            )
        except labelled.LabelledDataError as error:
            raise CommandError(str(error)) from None
