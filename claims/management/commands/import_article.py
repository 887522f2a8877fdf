from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from claims.fetching import FetchRefused
from claims.importing import ImportRejected, article_import
from claims.url_import import article_import_from_url


class Command(BaseCommand):
    help = (
        "Import a news article (.txt, .md or .html, or an http(s) URL, fetched through "
        "the app's guarded fetcher) and split it into claims."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path", help="The article file (.txt, .md, .html or .htm), or its http(s) URL."
        )
        parser.add_argument("--title", default="")
        parser.add_argument("--publisher", default="")
        parser.add_argument("--author", default="")
        parser.add_argument("--url", default="", help="Where the article was originally published.")
        parser.add_argument("--published-on", default="", help="Original date, YYYY-MM-DD.")
        parser.add_argument("--language", default="en", help="Language code, e.g. en or pt-BR.")

    def handle(self, *args, **options):
        if options["path"].lower().startswith(("http://", "https://")):
            return self.handle_url(options)
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        try:
            result = article_import(
                data=path.read_bytes(),
                filename=path.name,
                title=options["title"],
                publisher=options["publisher"],
                author=options["author"],
                url=options["url"],
                published_on=options["published_on"],
                language=options["language"],
            )
        except ImportRejected as error:
            raise CommandError(str(error)) from None
        self.report(result)

    def handle_url(self, options):
        """Fetch and import at once, in this process (the web form queues it instead)."""
        try:
            result = article_import_from_url(
                url=options["path"],
                actor=None,
                title=options["title"],
                publisher=options["publisher"],
                author=options["author"],
                published_on=options["published_on"],
                language=options["language"],
            )
        except (FetchRefused, ImportRejected) as error:
            raise CommandError(str(error)) from None
        self.report(result)

    def report(self, result):
        article = result.article
        if not result.created:
            self.stdout.write(
                f"Already imported as “{article.title}” ({article.slug}); nothing new."
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported “{article.title}” ({article.slug}): {result.claim_count} sentences, "
                f"{result.dismissed_count} of them dismissed as not check-worthy."
            )
        )
