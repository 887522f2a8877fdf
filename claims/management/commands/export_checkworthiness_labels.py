"""Write the desk's dismiss/restore decisions as labelled sentences (TSV)."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims.scoring import labelled
from claims.scoring.desk_labels import desk_labels


class Command(BaseCommand):
    help = (
        "Write every claim a person dismissed (No) or restored (Yes), by its last such "
        "decision, as Sentence_id, Text, class_label: the format evaluate_checkworthiness "
        "reads and train_checkworthiness --extra-training takes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", metavar="PATH", help="A file to write (default: stdout).")

    def handle(self, *args, **options) -> None:
        rows = list(desk_labels())
        if options["out"]:
            path = Path(options["out"])
            try:
                with path.open("w", encoding="utf-8", newline="") as out:
                    labelled.write(rows, out)
            except OSError as error:
                raise CommandError(f"{path} can't be written: {error.strerror}.") from None
            sys.stderr.write(f"Wrote {len(rows)} labelled sentences to {path}.\n")
        else:
            labelled.write(rows, self.stdout)
