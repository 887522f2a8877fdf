import json

from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder

from claims.exporting import article_export
from claims.models import Article


class Command(BaseCommand):
    help = "Print an article, its claims, verdicts and sources as JSON."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument(
            "--include-notes", action="store_true", help="Also export internal reviewer notes."
        )

    def handle(self, *args, slug, include_notes, **options):
        article = Article.objects.filter(slug=slug).first()
        if article is None:
            raise CommandError(f"No article with the slug {slug!r}.")
        data = article_export(article, include_notes=include_notes)
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder))
