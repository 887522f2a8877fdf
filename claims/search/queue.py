"""Queueing the matching of an article's claims for the background worker."""

from __future__ import annotations

from functools import partial

from django.db import transaction

from ..models import Article


def match_enqueue(article: Article) -> None:
    """Queue the matching of `article`'s claims once the transaction that made them
    commits (claims/tasks.py `match_article`; the worker runs it)."""
    from ..tasks import match_article  # the tasks module imports the importer

    transaction.on_commit(partial(match_article.enqueue, article.pk))
