from django.apps import AppConfig
from django.contrib.auth import get_user_model
from django.db.models.signals import post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = _("Fact-checking")

    def ready(self):
        from . import logins  # noqa: F401  (connects the lockout receiver)
        from .people import names_changed

        post_migrate.connect(index_existing_articles, sender=self)
        # A person renamed: fragments that show names are keyed anew (claims/people.py).
        post_save.connect(names_changed, sender=get_user_model())


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
