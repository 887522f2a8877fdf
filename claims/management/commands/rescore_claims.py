"""Re-score existing claims with the current check-worthiness scorer."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims.models import Article
from claims.scoring import rescoring


class Command(BaseCommand):
    help = (
        "Re-score claims not yet scored by the current scorer (all articles, or those "
        "named by slug). Claims a person dismissed or restored are never changed; see "
        "claims/scoring/rescoring.py for what else keeps its status. One audit event "
        "per claim changed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slugs", nargs="*", metavar="SLUG", help="Only these articles.")

    def handle(self, *args, **options) -> None:
        articles = None
        if slugs := options["slugs"]:
            found = {a.slug: a for a in Article.objects.filter(slug__in=slugs)}
            if missing := [s for s in slugs if s not in found]:
                raise CommandError(f"No article with slug {', '.join(missing)}.")
            articles = [found[s] for s in slugs]
        result = rescoring.claims_rescore(articles=articles)
        self.stdout.write(
            f"Re-scored {result.rescored} claims in {len(result.articles)} articles "
            f"({result.restored} back as check-worthy, {result.dismissed} dismissed as not "
            f"check-worthy); {result.kept_by_person} left as a person decided, "
            f"{result.current} already current."
        )
