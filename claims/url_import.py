"""Importing an article from its URL: fetch the page (claims/fetching.py), read it as
text, and import it (claims/importing.py) with the page as fetched kept beside it
(`ArticleCapture`), in the import's one transaction.

The background worker runs it for the queue's import form (claims/jobs.py), and
`manage.py import_article URL` runs it at once. A page that can't be fetched raises
`FetchRefused`; one that can't be imported raises `ImportRejected`; either way nothing
is written.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
from collections.abc import Callable
from pathlib import PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings

from .access import require_unless_system
from .fetching import Fetched, fetch
from .importing import ImportRejected, ImportResult, Progress, article_import
from .models import ArticleCapture, JobStage

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# Told when the import moves on to its next stage (the queue shows it to editors).
StageChanged = Callable[[JobStage], None]

# A page that names its encoding only inside itself: <meta charset="…"> or the older
# <meta http-equiv="Content-Type" content="text/html; charset=…">, in its first bytes.
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]{1,40})""")


def article_import_from_url(
    *,
    url: str,
    actor: User | None,
    stage: StageChanged | None = None,
    progress: Progress | None = None,
    title: str = "",
    publisher: str = "",
    author: str = "",
    published_on: str | dt.date | None = None,
    language: str = "",
) -> ImportResult:
    """Fetch `url` and import the article in it (the same text again finds the existing
    article, created=False, and keeps its first capture).

    Title, publisher, author and date left empty are taken from the page; the article's
    URL is the page's address after redirects."""
    # Before any fetch.
    require_unless_system(actor, "claims.import_article", "Only editors can import articles.")
    _tell(stage, JobStage.FETCHING)
    page = fetch(url, max_bytes=settings.FACTCHECK_IMPORT_MAX_BYTES)
    _tell(stage, JobStage.EXTRACTING)
    splitting = False

    def split(done: int, total: int, sentences: int) -> None:
        nonlocal splitting
        if not splitting:
            splitting = True
            _tell(stage, JobStage.SPLITTING)
        if progress is not None:
            progress(done, total, sentences)

    name = page_filename(page)
    return article_import(
        data=page_text(page, name=name),
        filename=name,
        actor=actor,
        title=title,
        publisher=publisher,
        author=author,
        url=page.final_url,
        published_on=published_on,
        language=language,
        progress=split,
        capture=capture_of(page),
    )


def capture_of(page: Fetched) -> ArticleCapture:
    """The page as fetched, as the article keeps it (unsaved: the import saves it)."""
    return ArticleCapture(
        requested_url=page.url,
        final_url=page.final_url,
        status=page.status,
        content_type=page.content_type,
        charset=page.charset[:40],
        body=page.body,
        size=len(page.body),
        sha256=page.sha256,
        fetched_at=page.fetched_at,
        elapsed=page.elapsed,
    )


def page_filename(page: Fetched) -> str:
    """A file name for the importer: the address's last segment, with the suffix that
    tells it how to read the page ("massy-stores.html"; the host for a site's front page)."""
    parts = urlsplit(page.final_url)
    stem = PurePosixPath(parts.path).stem or (parts.hostname or "page")
    suffix = ".html" if page.content_type == "text/html" else ".txt"
    return f"{stem[:100]}{suffix}"


def page_text(page: Fetched, *, name: str) -> bytes | str:
    """The page as text when it names an encoding other than UTF-8 (in its Content-Type
    header or a <meta> element); otherwise its bytes, which the importer reads as UTF-8
    (and refuses, with the reason, if they are not)."""
    charset = page.charset
    if not charset and page.content_type == "text/html":
        found = _META_CHARSET.search(page.body[:4096])
        charset = found.group(1).decode("ascii").lower() if found else ""
    try:
        codec = codecs.lookup(charset).name if charset else "utf-8"
    except LookupError:
        raise ImportRejected(
            f"{name}: the page says its text is in “{charset}”, an encoding not known here."
        ) from None
    if codec == "utf-8":
        return page.body
    try:
        return page.body.decode(codec)
    except UnicodeDecodeError as error:
        raise ImportRejected(
            f"{name}: the page says its text is {charset}, but byte {error.start} "
            f"can't be read as {charset}."
        ) from None


def _tell(stage: StageChanged | None, reached: JobStage) -> None:
    if stage is not None:
        stage(reached)
