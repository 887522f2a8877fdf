"""The database's own text search, one interface over two engines.

- PostgreSQL: full-text search (`django.contrib.postgres.search`, through the ORM): the
  desk's and the public's entries' `vector` and the claims' `search_vector` (the text
  parsed in its article's language configuration, GIN-indexed); for matching the
  checked claims' `vector` (their terms, `simple` configuration, GIN-indexed).
- SQLite: FTS5 tables over the same (Porter stemmer and folded accents for the search
  boxes; the scorer's terms as they are for matching), kept in step by triggers
  (migrations 0015, 0022 and 0025). Django's ORM has no FTS5, so the few statements that ask
  it are here, and only here.

Callers hand over words or terms (never raw query syntax: every word is quoted or
passed as a parameter) and querysets of entries or claims; they get ids back, best first.
"""

from __future__ import annotations

from collections import Counter
from functools import reduce
from itertools import combinations
from operator import and_, or_

from django.contrib.postgres.search import (
    CombinedLexeme,
    Lexeme,
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.db import connection
from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.expressions import RawSQL

from ..languages import text_search_config
from ..models import Article, Claim, ClaimStatus, MatchEntry, MatchTerm, SearchEntry

FTS_TABLE = "claims_searchentry_fts"
CLAIM_FTS_TABLE = "claims_claim_fts"
MATCH_FTS_TABLE = "claims_matchentry_fts"
CHECKED = [ClaimStatus.PROPOSED, ClaimStatus.APPROVED]
# Heavier than any claim: "no limit" as a number SQLite compares with.
MAX_WEIGHT = 1e9


def postgres() -> bool:
    return connection.vendor == "postgresql"


def refresh_vectors(entries: QuerySet[SearchEntry]) -> None:
    """Parse the entries' text into `vector` on PostgreSQL (SQLite's triggers did it)."""
    if postgres():
        entries.update(vector=SearchVector("text", config=F("config")))


def refresh_match_vectors(entries: QuerySet[MatchEntry]) -> None:
    """The match entries' terms into `vector` on PostgreSQL (SQLite's triggers did it)."""
    if postgres():
        entries.update(vector=SearchVector("terms", config="simple"))


def tags(entry: SearchEntry) -> str:
    """The words SQLite's index filters on (SearchEntry.tags)."""
    return f"k{entry.kind} a{entry.article_id}"


def _quoted(words: list[str]) -> list[str]:
    # FTS5 strings are quoted with "; a word made of \w characters holds none, but be sure.
    return ['"' + w.replace('"', '""') + '"' for w in words]


def _configs() -> list[str]:
    """The text search configurations of the desk's languages (one query)."""
    used = Article.objects.order_by().values_list("language", flat=True).distinct()
    return sorted({text_search_config(tag) for tag in used} | {"simple"})


# --- matching ---------------------------------------------------------------------------


def frequencies(terms: set[str]) -> dict[str, int]:
    """How many checked claims hold each of `terms` (those none holds are left out)."""
    if not terms:
        return {}
    return dict(
        MatchTerm.objects.filter(term__in=terms, claims__gt=0).values_list("term", "claims")
    )


def candidates(
    asks: dict[tuple[str, ...], float],
    *,
    exclude_article: int | None,
    limit: int,
    ranked: bool = True,
) -> list[tuple[int, str, float]]:
    """(claim id, its terms, its weight) of the checked claims holding the one or two
    terms of a set of `asks` and weighing at most what it allows ({set: most weight}),
    at most `limit`, none of article `exclude_article`; with `ranked`, best first by
    the engine's rank (bm25 on SQLite, ts_rank on PostgreSQL), which costs a
    computation for every hit. One query.

    The sets are asked by weight, and those sharing a term as one ("a" and any of "b",
    "c"): the index reads each term's list of claims once for its weight, not once for
    each set it is in. Single terms are asked together, at the most weight any of them
    allows (looser, never missing one): one scan of the index for all. On PostgreSQL
    each is a condition of its own, OR'ed: the GIN index is scanned once for each and
    the hits joined (a bitmap OR), where one text query OR'ing every pair would be
    checked whole against each hit."""
    if not asks:
        return []
    singles = [held for held in asks if len(held) == 1]
    single_weight = max((asks[held] for held in singles), default=0.0)
    by_weight: dict[float, list[tuple[str, ...]]] = {}
    for held, heaviest in asks.items():
        heaviest = single_weight if len(held) == 1 else heaviest
        by_weight.setdefault(min(heaviest, MAX_WEIGHT), []).append(held)
    asked = {weight: _factored(sets) for weight, sets in by_weight.items()}
    if postgres():
        return _pg_candidates(asked, exclude_article, limit, ranked)
    part = (
        f"SELECT e.claim_id, e.terms, e.weight{{rank}} FROM {MATCH_FTS_TABLE}"
        f" JOIN claims_matchentry e ON e.claim_id = {MATCH_FTS_TABLE}.rowid"
        f" WHERE {MATCH_FTS_TABLE} MATCH %s AND e.article_id != %s AND e.weight <= %s"
    )
    rank = f", {MATCH_FTS_TABLE}.rank AS rank" if ranked else ""
    sql = " UNION ALL ".join([part.format(rank=rank)] * len(asked))
    order = "ORDER BY rank" if ranked else ""
    sql = f"SELECT claim_id, terms, weight FROM ({sql}) {order} LIMIT %s"
    params: list = []
    for weight, factors in asked.items():
        params += [_fts_factors(factors), exclude_article or 0, weight]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit])
        return cursor.fetchall()


# A claim holding `required` (None: nothing required) and any one of the others.
Factor = tuple[str | None, list[str]]


def _factored(sets: list[tuple[str, ...]]) -> list[Factor]:
    """`sets` (of one or two terms) as factors, the terms in most pairs first:
    [(None, ["d", "e"]), ("a", ["b", "c"])] is "d", "e", "a and b" or "a and c"."""
    singles = [held[0] for held in sets if len(held) == 1]
    factors: list[Factor] = [(None, singles)] if singles else []
    pairs = [held for held in sets if len(held) == 2]
    while pairs:
        counts = Counter(term for pair in pairs for term in pair)
        common = max(sorted(counts), key=counts.__getitem__)
        others = sorted(b if a == common else a for a, b in pairs if common in (a, b))
        factors.append((common, others))
        pairs = [pair for pair in pairs if common not in pair]
    return factors


def _fts_factors(factors: list[Factor]) -> str:
    """An FTS5 query for the rows holding any of `factors`."""

    def factor(required: str | None, others: list[str]) -> str:
        any_of = "(" + " OR ".join(_quoted(others)) + ")"
        return f"({_quoted([required])[0]} AND {any_of})" if required else any_of

    return " OR ".join(factor(*each) for each in factors)


def _pg_candidates(
    asked: dict[float, list[Factor]], exclude_article: int | None, limit: int, ranked: bool
) -> list[tuple[int, str, float]]:
    def lexemes(required: str | None, others: list[str]) -> Lexeme | CombinedLexeme:
        any_of = reduce(or_, map(Lexeme, others))
        return Lexeme(required) & any_of if required else any_of

    held = {weight: [lexemes(*factor) for factor in factors] for weight, factors in asked.items()}
    conditions = [
        Q(weight__lte=weight)
        & reduce(or_, (Q(vector=SearchQuery(each, config="simple")) for each in factors))
        for weight, factors in held.items()
    ]
    entries = MatchEntry.objects.filter(reduce(or_, conditions))
    if exclude_article is not None:
        entries = entries.exclude(article_id=exclude_article)
    if ranked:
        every = [factor for factors in held.values() for factor in factors]
        query = SearchQuery(reduce(or_, every), config="simple")
        entries = entries.annotate(rank=SearchRank(F("vector"), query)).order_by("-rank", "pk")
    return list(entries.values_list("claim_id", "terms", "weight")[:limit])


def _any_of(sets: list[tuple[str, ...]]) -> str:
    """An FTS5 query for the rows holding every word of any of `sets`."""
    return " OR ".join("(" + " AND ".join(_quoted(list(held))) + ")" for held in sets)


def claims_sharing(words: list[str], limit: int) -> list[tuple[int, str]]:
    """(claim id, its wording and sentence as lines) of the claims of any status sharing
    at least two of `words` (one if there are fewer than three), from the desk's index
    of claims, best first by the engine's rank; at most `limit`. One query."""
    if not words:
        return []
    pairs: list[tuple[str, ...]] = (
        list(combinations(words, 2)) if len(words) > 2 else [(w,) for w in words]
    )
    if postgres():
        lexemes = reduce(or_, (reduce(and_, map(Lexeme, held)) for held in pairs))
        query = reduce(or_, (SearchQuery(lexemes, config=c) for c in _configs()))
        rows = (
            Claim.objects.filter(search_vector=query)
            .annotate(rank=SearchRank(F("search_vector"), query))
            .order_by("-rank", "pk")
            .values_list("pk", "wording", "text")[:limit]
        )
    else:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT c.id, c.wording, c.text FROM {CLAIM_FTS_TABLE} JOIN claims_claim c"
                f" ON c.id = {CLAIM_FTS_TABLE}.rowid WHERE {CLAIM_FTS_TABLE} MATCH %s"
                f" ORDER BY {CLAIM_FTS_TABLE}.rank LIMIT %s",
                [_any_of(pairs), limit],
            )
            rows = cursor.fetchall()
    return [(pk, claim_text(wording, text)) for pk, wording, text in rows]


def claim_text(wording: str, text: str) -> str:
    """What the index holds of a claim, as lines: its wording, and its sentence when the
    reviewers reworded it."""
    return text if wording == text else f"{wording}\n{text}"


def rebuild_claims_index() -> None:
    """The claims' index made again from the claims (SQLite; on PostgreSQL the vectors
    are written with each article's entries)."""
    if not postgres():
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {CLAIM_FTS_TABLE}({CLAIM_FTS_TABLE}) VALUES ('rebuild')")


# --- searching --------------------------------------------------------------------------

# A hit: where it is ("entry": a SearchEntry, "claim": a Claim), its id, and its score
# (higher is better: PostgreSQL's ts_rank, SQLite's bm25 negated).
Hit = tuple[str, int, float]


def search(
    words: list[str],
    entries: QuerySet[SearchEntry],
    claims: QuerySet[Claim] | None,
    *,
    kinds: list[str],
    filtered: bool,
    offset: int,
    limit: int,
) -> tuple[list[tuple[str, int]], int]:
    """The hits holding every one of `words` (the last also as a prefix) among `entries`
    of `kinds` and `claims` (None: no claims), best first, from `offset`, as (where,
    id); and how many there are in all. One query for each of the two.

    `filtered`: whether `entries` and `claims` have conditions (on SQLite the index then
    checks each hit against them; without, the entries' index filters by kind itself).
    Each is asked for its best `offset + limit`, and the two lists are merged by score."""
    if not words:
        return [], 0
    wanted = offset + limit
    if postgres():
        query = _pg_query(words)
        found, total = _pg_ranked("entry", entries.filter(kind__in=kinds), "vector", query, wanted)
        if claims is not None:
            more, counted = _pg_ranked("claim", claims, "search_vector", query, wanted)
            found, total = found + more, total + counted
    else:
        match = _fts_match(words)
        found, total = _fts_entries(match, entries, kinds, filtered, wanted)
        if claims is not None:
            more, counted = _fts_claims(match, claims, filtered, wanted)
            found, total = found + more, total + counted
    found.sort(key=lambda hit: (-hit[2], hit[0], -hit[1]))
    return [(where, pk) for where, pk, _ in found[offset:wanted]], total


def _fts_match(words: list[str]) -> str:
    quoted = _quoted(words)
    quoted[-1] += "*"
    return " AND ".join(quoted)


def _fts_entries(
    match: str, entries: QuerySet[SearchEntry], kinds: list[str], filtered: bool, limit: int
) -> tuple[list[Hit], int]:
    # The kinds are read from the entries' table, hit by hit: asking the index for them
    # ("tags:kclaim OR …") would walk every entry's tag.
    marks = ", ".join(["%s"] * len(kinds))
    sql = (
        f"SELECT {FTS_TABLE}.rowid, {FTS_TABLE}.rank, count(*) OVER () FROM {FTS_TABLE}"
        f" JOIN claims_searchentry e ON e.id = {FTS_TABLE}.rowid WHERE {FTS_TABLE} MATCH %s"
        f" AND e.kind IN ({marks}) {{extra}} ORDER BY {FTS_TABLE}.rank LIMIT %s"
    )
    return _fts_ranked("entry", sql, [match, *kinds], entries, "e.id", filtered, limit)


def _fts_claims(
    match: str, claims: QuerySet[Claim], filtered: bool, limit: int
) -> tuple[list[Hit], int]:
    sql = (
        f"SELECT {CLAIM_FTS_TABLE}.rowid, {CLAIM_FTS_TABLE}.rank, count(*) OVER ()"
        f" FROM {CLAIM_FTS_TABLE} WHERE {CLAIM_FTS_TABLE} MATCH %s {{extra}}"
        f" ORDER BY {CLAIM_FTS_TABLE}.rank LIMIT %s"
    )
    rowid = f"{CLAIM_FTS_TABLE}.rowid"
    return _fts_ranked("claim", sql, [match], claims, rowid, filtered, limit)


def _fts_ranked(
    where: str, sql: str, params: list, rows: QuerySet, hit_id: str, filtered: bool, limit: int
) -> tuple[list[Hit], int]:
    extra = ""
    if filtered:
        # Each hit is checked against the filters (a lookup by its id), rather than the
        # filters' every row listed first (or, worse, the index asked once per id).
        hit = rows.filter(pk=RawSQL(hit_id, ())).values("id")
        subquery, sub_params = hit.query.sql_with_params()
        extra = f"AND EXISTS ({subquery})"
        params = params + list(sub_params)
    with connection.cursor() as cursor:
        cursor.execute(sql.format(extra=extra), [*params, limit])
        found = cursor.fetchall()
    return [(where, pk, -rank) for pk, rank, _ in found], found[0][2] if found else 0


def _pg_query(words: list[str]) -> SearchQuery:
    """Every word, the last also as the start of one; in each language's configuration."""
    lexemes = reduce(and_, [*map(Lexeme, words[:-1]), Lexeme(words[-1], prefix=True)])
    return reduce(or_, (SearchQuery(lexemes, config=c) for c in _configs()))


def _pg_ranked(
    where: str, rows: QuerySet, vector: str, query: SearchQuery, limit: int
) -> tuple[list[Hit], int]:
    found = list(
        rows.filter(**{vector: query})
        .annotate(rank=SearchRank(F(vector), query), total=Window(Count("id")))
        .order_by("-rank", "-id")
        .values_list("id", "rank", "total")[:limit]
    )
    return [(where, pk, rank) for pk, rank, _ in found], found[0][2] if found else 0
