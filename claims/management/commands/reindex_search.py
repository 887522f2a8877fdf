"""Rebuild the search entries of every article from scratch."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from claims.search.indexing import reindex_all


class Command(BaseCommand):
    help = (
        "Rebuild the search index (claims.SearchEntry) of every article, its claims, "
        "verdicts, sources, notes and publications. The services keep it in step; this "
        "is for a database restored from elsewhere or a change to what is indexed."
    )

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"Indexed {reindex_all():,} entries.")
