"""How HTML pages come through the importer: per page, its paragraphs and headings, its
claims, how many stay open, how many are dismissed and how many as boilerplate.

Each page is imported with the real import service inside a transaction that is rolled
back, so the report leaves the database as it found it (`scripts/intake-report` runs it
against a throwaway SQLite database)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from claims import boilerplate, extraction
from claims.importing import PARAGRAPH, ImportRejected, article_import
from claims.models import ClaimStatus

COLUMNS = ("page", "mode", "paragraphs", "headings", "claims", "open", "dismissed", "boilerplate")


class _RollBack(Exception):
    pass


class Command(BaseCommand):
    help = "Import HTML pages (rolled back) and print their structure and claims as a table."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("paths", nargs="+", help="HTML files")
        parser.add_argument(
            "--reasons", action="store_true", help="Also list the boilerplate reasons per page."
        )

    def handle(self, *args: Any, paths: list[str], reasons: bool, **options: Any) -> None:
        rows = [self._row(Path(path), reasons) for path in sorted(paths)]
        self.stdout.write("| " + " | ".join(COLUMNS) + " |")
        self.stdout.write("|" + "---|" * len(COLUMNS))
        for row in rows:
            self.stdout.write("| " + " | ".join(str(cell) for cell in row) + " |")
        counted = [row[2:] for row in rows if isinstance(row[2], int)]
        totals = [sum(int(str(cells[i])) for cells in counted) for i in range(6)]
        self.stdout.write("| all pages | | " + " | ".join(map(str, totals)) + " |")

    def _row(self, path: Path, reasons: bool) -> list[object]:
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        data = path.read_bytes()
        found = extraction.extract(data.decode("utf-8", errors="replace"))
        row: list[object] = [path.name, found.mode]
        try:
            with transaction.atomic():
                result = article_import(data=data, filename=path.name)
                article = result.article
                claims = list(article.claims.all())
                paragraphs = len(PARAGRAPH.findall(article.body))
                headings = sum(claim.is_heading for claim in claims)
                dismissed = [c for c in claims if c.status == ClaimStatus.DISMISSED]
                kinds = Counter(
                    c.dismissed_reason.removeprefix(boilerplate.PREFIX)
                    for c in dismissed
                    if c.dismissed_reason.startswith(boilerplate.PREFIX)
                )
                row += [
                    paragraphs,
                    headings,
                    len(claims),
                    len(claims) - len(dismissed),
                    len(dismissed),
                    sum(kinds.values()),
                ]
                if reasons and kinds:
                    detail = ", ".join(f"{kind} {n}" for kind, n in sorted(kinds.items()))
                    self.stderr.write(f"{path.name}: {detail}")
                raise _RollBack
        except _RollBack:
            pass
        except ImportRejected as error:
            row += ["rejected: " + str(error).split(": ", 1)[-1], "", "", "", "", ""]
        return row
