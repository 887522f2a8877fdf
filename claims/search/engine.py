"""The database's own text search, one interface over two engines.

- PostgreSQL: full-text search (`django.contrib.postgres.search`) over each entry's
  `vector`, the text parsed in its article's language configuration and GIN-indexed;
  for matching also trigram similarity (`pg_trgm`, a GIN trigram index on the claims'
  text) when full-text finds too few candidates: it finds claims written with other
  word forms the stemmer doesn't join.
- SQLite: an FTS5 table over the entries (Porter stemmer, accents folded), kept in step
  by triggers (migration 0015). Django's ORM has no FTS5, so the few statements that
  ask it are here, and only here.

Callers hand over words (never raw query syntax: every word is quoted or passed as a
parameter) and querysets of entries; they get ids back, best first.
"""

from __future__ import annotations

from functools import reduce
from itertools import combinations
from operator import or_

from django.contrib.postgres.lookups import TrigramSimilar
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Count, F, QuerySet, Value, Window
from django.db.models.expressions import RawSQL

from ..languages import text_search_config
from ..models import Article, ClaimStatus, EntryKind, SearchEntry

FTS_TABLE = "claims_searchentry_fts"
# Matching asks the index by this many of a claim's words (the longest: rarer, as a rule).
RETRIEVAL_WORDS = 8
CHECKED = [ClaimStatus.PROPOSED, ClaimStatus.APPROVED]


def postgres() -> bool:
    return connection.vendor == "postgresql"


def refresh_vectors(entries: QuerySet[SearchEntry]) -> None:
    """Parse the entries' text into `vector` on PostgreSQL (SQLite's triggers did it)."""
    if postgres():
        entries.update(vector=SearchVector("text", config=F("config")))


def tags(entry: SearchEntry, *, checked: bool = False) -> str:
    """The words SQLite's index filters on (SearchEntry.tags)."""
    return f"k{entry.kind} a{entry.article_id}" + (" checked" if checked else "")


def _quoted(words: list[str]) -> list[str]:
    # FTS5 strings are quoted with "; a word made of \w characters holds none, but be sure.
    return ['"' + w.replace('"', '""') + '"' for w in words]


def _configs() -> list[str]:
    """The text search configurations of the desk's languages (one query)."""
    used = Article.objects.order_by().values_list("language", flat=True).distinct()
    return sorted({text_search_config(tag) for tag in used} | {"simple"})


# --- matching ---------------------------------------------------------------------------


def _shared(words: list[str]) -> str:
    """An FTS5 query for entries sharing at least two of `words` (one if there is only
    one): far fewer hits to rank than any one word, and a paraphrase shares several."""
    quoted = _quoted(words[:RETRIEVAL_WORDS])
    if len(quoted) < 3:
        return " OR ".join(quoted)
    return " OR ".join(f"({a} AND {b})" for a, b in combinations(quoted, 2))


def candidates(
    text: str, words: list[str], *, checked_only: bool, exclude_article: int | None, limit: int
) -> list[tuple[int, str]]:
    """(claim id, text) of the claim entries sharing at least two of the longest `words`
    of `text` (on PostgreSQL also those with many of its trigrams), best first by the
    engine's own rank; at most `limit` of each."""
    if not words:
        return []
    if postgres():
        return _pg_candidates(text, words, checked_only, exclude_article, limit)
    query = "tags:kclaim AND (" + _shared(words) + ")"
    if checked_only:
        query = "tags:checked AND " + query
    if exclude_article is not None:
        query += f" NOT tags:a{int(exclude_article)}"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT e.claim_id, e.text FROM {FTS_TABLE} JOIN claims_searchentry e ON e.id = "
            f"{FTS_TABLE}.rowid WHERE {FTS_TABLE} MATCH %s ORDER BY {FTS_TABLE}.rank LIMIT %s",
            [query, limit],
        )
        return cursor.fetchall()


def _pg_candidates(
    text: str, words: list[str], checked_only: bool, exclude_article: int | None, limit: int
) -> list[tuple[int, str]]:
    entries = SearchEntry.objects.filter(kind=EntryKind.CLAIM)
    if checked_only:
        entries = entries.filter(claim__status__in=CHECKED)
    if exclude_article is not None:
        entries = entries.exclude(article_id=exclude_article)
    kept = words[:RETRIEVAL_WORDS]
    pairs = [f"({a} & {b})" for a, b in combinations(kept, 2)] if len(kept) > 2 else kept
    raw = " | ".join(pairs)
    query = reduce(or_, (SearchQuery(raw, config=c, search_type="raw") for c in _configs()))
    by_words = list(
        entries.filter(vector=query)
        .annotate(rank=SearchRank(F("vector"), query))
        .order_by("-rank")
        .values_list("claim_id", "text")[:limit]
    )
    if len(by_words) == limit:
        return by_words
    # Too few claims share two words: those with many trigrams in common (other word
    # forms, compounds, typing errors). Only then, since a sentence's trigrams make this
    # query the slower one by far.
    by_trigrams = entries.filter(TrigramSimilar(F("text"), Value(text))).values_list(
        "claim_id", "text"
    )[:limit]
    return list(dict.fromkeys([*by_words, *by_trigrams]))


# --- searching --------------------------------------------------------------------------


def search(
    words: list[str],
    entries: QuerySet[SearchEntry],
    *,
    kinds: list[str],
    filtered: bool,
    offset: int,
    limit: int,
) -> tuple[list[int], int]:
    """The ids of `entries` of `kinds` holding every one of `words` (the last also as a
    prefix), best first, from `offset`; and how many there are in all. One query.

    `filtered`: whether `entries` has other conditions than its kinds (on SQLite the
    index then checks each hit against them; without, it filters by kind itself)."""
    if not words:
        return [], 0
    if postgres():
        return _pg_search(words, entries.filter(kind__in=kinds), offset, limit)
    quoted = _quoted(words)
    quoted[-1] += "*"
    # The kinds are read from the entries' table, hit by hit: asking the index for them
    # ("tags:kclaim OR …") would walk every entry's tag.
    marks = ", ".join(["%s"] * len(kinds))
    sql = (
        f"SELECT {FTS_TABLE}.rowid, count(*) OVER () FROM {FTS_TABLE} JOIN claims_searchentry e"
        f" ON e.id = {FTS_TABLE}.rowid WHERE {FTS_TABLE} MATCH %s AND e.kind IN ({marks})"
        f" {{extra}} ORDER BY {FTS_TABLE}.rank LIMIT %s OFFSET %s"
    )
    params: list = [" AND ".join(quoted), *kinds]
    extra = ""
    if filtered:
        # Each hit is checked against the filters (a lookup by its id), rather than the
        # filters' every entry listed first (or, worse, the index asked once per id).
        hit = entries.filter(pk=RawSQL("e.id", ())).values("id")
        subquery, sub_params = hit.query.sql_with_params()
        extra = f"AND EXISTS ({subquery})"
        params += list(sub_params)
    with connection.cursor() as cursor:
        cursor.execute(sql.format(extra=extra), [*params, limit, offset])
        rows = cursor.fetchall()
    return [row[0] for row in rows], rows[0][1] if rows else 0


def _pg_search(
    words: list[str], entries: QuerySet[SearchEntry], offset: int, limit: int
) -> tuple[list[int], int]:
    raw = " & ".join(words) + ":*"
    query = reduce(or_, (SearchQuery(raw, config=c, search_type="raw") for c in _configs()))
    rows = list(
        entries.filter(vector=query)
        .annotate(rank=SearchRank(F("vector"), query), total=Window(Count("id")))
        .order_by("-rank", "-id")
        .values_list("id", "total")[offset : offset + limit]
    )
    return [row[0] for row in rows], rows[0][1] if rows else 0
