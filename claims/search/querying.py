"""The search boxes: the desk's (`/review/search/`) and the public's (`/checks/search/`).

A search is the query's words, all of which a result must hold (the last one also as
the start of a word), ranked by the engine, one page at a time, each result with a
snippet of its text around the words found. The desk finds articles, claims, verdicts,
sources and, for desk members only, notes, under filters; the public only what the
latest standing publication of each article shows (`EntryKind.PUBLISHED`).

The desk's results are entries (`SearchEntry`) and claims, each indexed where it is
(`claims/search/indexing.py`), ranked together. A page costs a constant number of
queries whatever the number of hits: the engine's ranked page with the total (one for
the entries, one for the claims), then the page's entries and claims with what they
show (one each).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet

from ..models import Claim, EntryKind, SearchEntry
from . import engine, text

PAGE_SIZE = 20
# The words of a query that count; more are ignored (and a query this long is a paste).
MAX_WORDS = 12


@dataclass(frozen=True)
class Hit:
    entry: SearchEntry
    snippet: text.Snippet

    @property
    def url(self) -> str:
        return self.entry.get_absolute_url()


def query_words(query: str) -> list[str]:
    """The words of `query` the engine is asked for, in order, stopwords left out unless
    the query is nothing but stopwords ("to be or not to be")."""
    words = text.tokens(query)
    content = [w for w in words if w not in text.STOPWORDS]
    return list(dict.fromkeys(content or words))[:MAX_WORDS]


# A hit as the engine gives it: ("entry", SearchEntry pk) or ("claim", Claim pk).
Found = tuple[str, int]


class _Ranked:
    """The ranked hits as Django's Paginator reads them: `count()` and a slice, each
    asked of the engine once per page."""

    def __init__(
        self,
        words: list[str],
        entries: QuerySet[SearchEntry],
        claims: QuerySet[Claim] | None,
        **options: Any,
    ):
        self.words, self.entries, self.claims, self.options = words, entries, claims, options
        self._fetched: tuple[int, int, list[Found], int] | None = None

    def _fetch(self, offset: int, limit: int) -> tuple[list[Found], int]:
        if self._fetched is None or self._fetched[:2] != (offset, limit):
            ids, total = engine.search(
                self.words, self.entries, self.claims, offset=offset, limit=limit, **self.options
            )
            self._fetched = (offset, limit, ids, total)
        return self._fetched[2], self._fetched[3]

    def prefetch(self, number: int) -> None:
        """Ask for page `number` now, so that counting and slicing need no other query."""
        self._fetch((max(number, 1) - 1) * PAGE_SIZE, PAGE_SIZE)

    def count(self) -> int:
        assert self._fetched is not None, "prefetch() a page first"
        return self._fetched[3]

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[Found]:
        assert isinstance(index, slice)
        start = index.start or 0
        stop = index.stop if index.stop is not None else start + PAGE_SIZE
        if self._fetched is not None:
            offset, limit, ids, _ = self._fetched
            if offset <= start and stop <= offset + limit:  # the last page is shorter
                return ids[start - offset : stop - offset]
        ids, _ = self._fetch(start, stop - start)
        return ids


def _page(ranked: _Ranked, number: str | None, query: str) -> Page:
    asked = int(number) if number and number.isdigit() else 1
    ranked.prefetch(asked)
    # _Ranked has what Paginator reads (count and slices), not a sequence's every method.
    page: Page = Paginator(ranked, PAGE_SIZE).get_page(asked)  # type: ignore[arg-type]
    found = list(page.object_list)
    shown = _entries([pk for where, pk in found if where == "entry"])
    shown |= _claims_as_entries([pk for where, pk in found if where == "claim"])
    wanted = text.query_terms(query)
    page.object_list = [
        Hit(shown[hit], text.snippet(shown[hit].text, wanted)) for hit in found if hit in shown
    ]
    return page


def _entries(ids: list[int]) -> dict[Found, SearchEntry]:
    if not ids:
        return {}
    entries = SearchEntry.objects.filter(pk__in=ids).select_related(
        "article", "claim__verdict__rating", "claim__assignee"
    )
    return {("entry", e.pk): e for e in entries.defer("article__body", "vector", "claim__reasons")}


def _claims_as_entries(ids: list[int]) -> dict[Found, SearchEntry]:
    """The claims found, each shown as an entry of the kind CLAIM (unsaved): a result
    reads the same whatever holds its index."""
    if not ids:
        return {}
    claims = Claim.objects.filter(pk__in=ids).select_related(
        "article", "verdict__rating", "assignee"
    )
    return {
        ("claim", c.pk): SearchEntry(
            kind=EntryKind.CLAIM,
            object_id=c.pk,
            article=c.article,
            claim=c,
            title=c.article.title,
            text=engine.claim_text(c.wording, c.text),
            dated=c.created_at,
        )
        for c in claims.defer("article__body", "reasons", "search_vector")
    }


def desk_search(
    query: str, filters: dict[str, Any], *, notes: bool, page: str | None = None
) -> Page:
    """A page of the desk's results for `query` under `filters` (SearchForm's cleaned
    data); notes only when `notes` (the reader is on the desk)."""
    kinds = [k for k in EntryKind.desk() if notes or k != EntryKind.NOTE]
    entries, claims = SearchEntry.objects.all(), Claim.objects.all()
    conditions = _conditions(filters)
    if conditions:
        entries = entries.filter(conditions, kind__in=kinds)
        claims = claims.filter(_conditions(filters, on_claim=True))
    ranked = _Ranked(
        query_words(query),
        entries,
        claims,
        kinds=[str(k) for k in kinds],
        filtered=bool(conditions),
    )
    return _page(ranked, page, query)


def _conditions(filters: dict[str, Any], *, on_claim: bool = False) -> Q:
    """The filters as conditions on entries (or, `on_claim`, on claims): a claim's
    status, its verdict's rating, a reviewer (who has it, who proposed or approved its
    verdict), when the text was written and the article. Filters about a claim leave
    out the articles' own entries."""
    claim = "" if on_claim else "claim__"
    q = Q()
    if status := filters.get("status"):
        q &= Q(**{f"{claim}status": status})
    if rating := filters.get("rating"):
        q &= Q(**{f"{claim}verdict__rating__slug": rating})
    if reviewer := filters.get("reviewer"):
        q &= (
            Q(**{f"{claim}assignee": reviewer})
            | Q(**{f"{claim}verdict__proposed_by": reviewer})
            | Q(**{f"{claim}verdict__approved_by": reviewer})
        )
    dated = "created_at" if on_claim else "dated"
    if since := filters.get("since"):
        q &= Q(**{f"{dated}__gte": _start_of(since)})
    if until := filters.get("until"):
        q &= Q(**{f"{dated}__lt": _start_of(until + dt.timedelta(days=1))})
    if article := filters.get("article"):
        q &= Q(article__slug=article)
    return q


def _start_of(day: dt.date) -> dt.datetime:
    from django.utils import timezone

    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def public_search(query: str, *, page: str | None = None) -> Page:
    """A page of published verdicts for `query`: only what the latest standing
    publication of an article shows (never notes, drafts or unapproved verdicts)."""
    ranked = _Ranked(
        query_words(query),
        SearchEntry.objects.all(),
        None,
        kinds=[str(EntryKind.PUBLISHED)],
        filtered=False,
    )
    return _page(ranked, page, query)
