from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = _("Fact-checking")

    def ready(self):
        from . import logins  # noqa: F401  (connects the lockout receiver)

        post_migrate.connect(index_existing_articles, sender=self)


def index_existing_articles(sender, using="default", **kwargs) -> None:
    """Search entries for the articles a database had before search existed (or restored
    without them). Once every migration has run, so the app's indexing code meets the
    tables it knows (a migration running it would break on the next added column).
    Likewise matching's index, for a database from before it (migration 0022)."""
    from .models import Article, MatchEntry, SearchEntry
    from .search.indexing import checked_claims, match_rebuild, reindex_all

    if Article.objects.using(using).exists() and not SearchEntry.objects.using(using).exists():
        reindex_all()
    elif checked_claims().using(using).exists() and not MatchEntry.objects.using(using).exists():
        match_rebuild()
