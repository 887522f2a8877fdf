"""Rendered workspace pages, kept per reader until anything they show changes.

A claim page costs about 30 ms to build: fifteen queries, a dozen forms, the timeline;
an article's board about 25. Reviewers reload them far more often than anyone changes
them, so the rendered page is cached under a key that names everything it shows:

- the page, its query string and the reader (forms and buttons depend on who looks);
- the article's latest audit event: every change to review data writes one in the
  same transaction, so any change to the article or its claims makes a new key;
- the directory stamp: users, groups, permissions and ratings, which no audit event
  describes; signals raise it on every change (`CacheStamp`).

Checking costs one query beyond the session and the user; a change renders afresh on
the next view. Pages are stored with a placeholder where the CSRF token goes, and each
answer gets a freshly masked token. Pages with a flash message are never cached.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable

from django.contrib import messages
from django.core.cache import cache
from django.db import connection
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.crypto import salted_hmac

from .models import Article, AuditEvent, CacheStamp, Claim

# Long enough to matter, short enough that the cache never holds much that is dead.
PAGE_SECONDS = 600


@functools.cache
def csrf_placeholder() -> str:
    """What a cached page carries instead of a CSRF token: the same in every process of
    a deployment (they may share a cache), and not guessable from outside."""
    return salted_hmac("claims.deskcache", "csrf", algorithm="sha256").hexdigest()


def claim_stamp(claim_pk: int) -> str | None:
    """`<seq>.<directory>` for the claim's article; None if there is no such claim."""
    return _stamp(f"SELECT article_id FROM {Claim._meta.db_table} WHERE id = %s", claim_pk)


def article_stamp(slug: str) -> str | None:
    """`<seq>.<directory>` for the article; None if there is no such article."""
    return _stamp(f"SELECT id FROM {Article._meta.db_table} WHERE slug = %s", slug)


def _stamp(article_id_sql: str, param) -> str | None:
    events, stamps = AuditEvent._meta.db_table, CacheStamp._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT ({article_id_sql}),"
            f" (SELECT MAX(seq) FROM {events} WHERE article_id = ({article_id_sql})),"
            f" (SELECT value FROM {stamps} WHERE name = %s)",
            [param, param, CacheStamp.DIRECTORY],
        )
        article, seq, directory = cursor.fetchone()
    return None if article is None else f"{seq or 0}.{directory or 0}"


def cached_page(
    request: HttpRequest, *, key: str, stamp: str | None, render: Callable[[dict], HttpResponse]
) -> HttpResponse:
    """The page under `key` for this reader at `stamp`, rendered by `render(extra_context)`
    on a miss. Only a 200 without a flash message is kept."""
    token = get_token(request)
    placeholder = csrf_placeholder()
    # Hashed: a query string can be long, and memcached takes keys of 250 bytes at most.
    page = hashlib.sha256(key.encode()).hexdigest()
    full_key = f"desk:{page}:u{request.user.pk}@{stamp}"
    flash = len(messages.get_messages(request)) > 0
    html = None if stamp is None or flash else cache.get(full_key)
    if html is None:
        response = render({"csrf_token": placeholder})
        if response.status_code != 200:
            return response
        html = response.content.decode(response.charset)
        if stamp is not None and not flash:
            cache.set(full_key, html, PAGE_SECONDS)
    return HttpResponse(html.replace(placeholder, token))


def raise_directory_stamp(**_signal) -> None:
    """Receiver: users, groups, permissions or ratings changed (see ClaimsConfig.ready)."""
    if set(_signal.get("update_fields") or ()) == {"last_login"}:
        return  # every login saves the user; nothing a page shows has changed
    stamps = CacheStamp.objects.filter(name=CacheStamp.DIRECTORY)
    if not stamps.update(value=F("value") + 1):
        CacheStamp.objects.get_or_create(name=CacheStamp.DIRECTORY, defaults={"value": 1})
