"""The search index: what each thing the search boxes find says, written in the
transaction of every change to that text.

A claim is indexed on its own row: on SQLite an FTS5 index over the claims table's text
and wording, kept in step by triggers (migration 0025); on PostgreSQL its
`search_vector`, written here. Everything else the desk finds (an article's details, a
verdict, a source, a note) and what the public finds (a published claim) has an entry
(`SearchEntry`), written here.

The services call, inside their own transaction and after their change:
- `article_reindex(article)` on import and on a change of language (the article, its
  claims and everything on them, in the article's new language);
- `claim_reindex(claim)` after any change to a claim or its verdict (its status too: a
  claim with a proposed or approved verdict is one matching compares);
- `source_index(source)`, `source_unindex(source)` and `note_index(note)` when a source
  or a note comes or goes (neither is ever edited);
- `rating_reindex(rating)` after a rating's label changed (its verdicts' entries hold it);
- `published_reindex(article)` after a publication or retraction: what the public
  search finds is what the latest standing publication shows, nothing else.

Each rewrites the entries it owns whole (delete, then insert), so there is no partial
update to get wrong, and each owns only what its change can reach, so a change costs the
same on a claim with two sources or two hundred. `manage.py reindex_search` rebuilds everything.

Matching reads an index of its own (`MatchEntry`, with `MatchTerm`'s counts): the terms
of the checked claims only, rewritten by `claim_reindex` when a claim's wording or
whether it is checked changes.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable

from django.contrib.postgres.search import SearchVector
from django.db import transaction
from django.db.models import F, Prefetch, QuerySet

from ..languages import text_search_config
from ..models import (
    Article,
    Claim,
    EntryKind,
    MatchEntry,
    MatchTerm,
    Note,
    Publication,
    SearchEntry,
    Source,
)
from ..snapshot import load
from . import engine, text

CLAIM_KINDS = [EntryKind.VERDICT, EntryKind.SOURCE, EntryKind.NOTE]


def _entry(kind: EntryKind, obj_id: int, article: Article, **fields) -> SearchEntry:
    entry = SearchEntry(
        kind=kind,
        object_id=obj_id,
        article_id=article.pk,
        config=text_search_config(article.language),
        **fields,
    )
    entry.tags = engine.tags(entry)
    return entry


def _words_of(url: str) -> str:
    """A URL's words ("news example com ledger"): PostgreSQL's parser reads a URL as one
    token, so its words are indexed beside it for a search by any of them."""
    return re.sub(r"[\W_]+", " ", url).strip()


def _lines(*parts: str | None) -> str:
    return "\n".join(p for p in parts if p)


def article_entry(article: Article) -> SearchEntry:
    return _entry(
        EntryKind.ARTICLE,
        article.pk,
        article,
        title=article.title[:500],
        text=_lines(article.title, article.publisher, article.author, article.url),
        dated=article.imported_at,
    )


def verdict_entry(article: Article, claim: Claim) -> SearchEntry | None:
    """The entry of `claim`'s verdict (with its rating fetched), if it has one."""
    verdict = getattr(claim, "verdict", None)
    if verdict is None:
        return None
    return _entry(
        EntryKind.VERDICT,
        verdict.pk,
        article,
        claim=claim,
        title=verdict.rating.label,
        text=_lines(verdict.rating.label, verdict.summary, verdict.rationale),
        dated=verdict.proposed_at,
    )


def source_entry(article: Article, source: Source) -> SearchEntry:
    return _entry(
        EntryKind.SOURCE,
        source.pk,
        article,
        claim_id=source.claim_id,
        title=source.title[:500],
        text=_lines(
            source.title, source.publisher, source.url, _words_of(source.url), source.excerpt
        ),
        dated=source.added_at,
    )


def note_entry(article: Article, note: Note) -> SearchEntry:
    return _entry(
        EntryKind.NOTE,
        note.pk,
        article,
        claim_id=note.claim_id,
        text=note.body,
        dated=note.created_at,
    )


def claim_entries(article: Article, claim: Claim) -> Iterable[SearchEntry]:
    """The entries of what is on one claim (with `verdict`, `sources` and `notes`
    fetched); the claim itself is indexed on its row."""
    if (entry := verdict_entry(article, claim)) is not None:
        yield entry
    for source in claim.sources.all():
        yield source_entry(article, source)
    for note in claim.notes.all():
        yield note_entry(article, note)


def _claims_with_everything():
    return Claim.objects.select_related("verdict__rating").prefetch_related(
        Prefetch("sources", Source.objects.order_by("id")),
        Prefetch("notes", Note.objects.order_by("id")),
    )


def _write(entries: list[SearchEntry]) -> None:
    created = SearchEntry.objects.bulk_create(entries, batch_size=500)
    if created and engine.postgres():
        engine.refresh_vectors(SearchEntry.objects.filter(pk__in=[e.pk for e in created]))


def _claim_vectors(claims: QuerySet[Claim], article: Article) -> None:
    """The claims' words parsed into their vectors on PostgreSQL, in `article`'s
    language's configuration, in one statement (SQLite's triggers indexed them)."""
    if engine.postgres():
        config = text_search_config(article.language)
        claims.update(search_vector=SearchVector("wording", "text", config=config))


def article_reindex(article: Article, *, imported: bool = False) -> None:
    """Rewrite the desk's entries of `article`, its claims and all on them. `imported`:
    its claims were just made by an import (nothing on them yet, so nothing to read)."""
    _claim_vectors(Claim.objects.filter(article=article), article)
    if imported:
        _write([article_entry(article)])
        return
    SearchEntry.objects.filter(article=article, kind__in=EntryKind.desk()).delete()
    entries = [article_entry(article)]
    for claim in _claims_with_everything().filter(article=article).order_by("ordinal"):
        entries.extend(claim_entries(article, claim))
    _write(entries)


def article_details_reindex(article: Article) -> None:
    """After an editor corrects the article's details: its own entry again."""
    SearchEntry.objects.filter(article=article, kind=EntryKind.ARTICLE).delete()
    _write([article_entry(article)])


def claim_reindex(claim: Claim, *, reworded: bool = False) -> None:
    """After a change to a claim or its verdict: rewrite its verdict's entry, its vector
    on PostgreSQL if it was `reworded` (nothing else changes its words), and its match
    entry if its terms or whether it is checked changed. Its sources' and notes' entries
    are their own (`source_index`, `note_index`): a change to the claim leaves their
    words as they were, so a claim with hundreds of them costs no more to change."""
    SearchEntry.objects.filter(claim_id=claim.pk, kind=EntryKind.VERDICT).delete()
    claim = (
        Claim.objects.select_related("article", "match_entry", "verdict__rating")
        .defer("article__body")
        .get(pk=claim.pk)
    )
    if reworded:
        _claim_vectors(Claim.objects.filter(pk=claim.pk), claim.article)
    if (entry := verdict_entry(claim.article, claim)) is not None:
        _write([entry])
    old = getattr(claim, "match_entry", None)
    new = match_entry(claim)
    if (old and old.terms) != (new and new.terms):
        _match_write({claim.pk: old.terms} if old else {}, [new] if new else [])


def source_index(source: Source, article: Article) -> None:
    """A source just attached to a claim of `article`: its entry."""
    _write([source_entry(article, source)])


def source_unindex(source: Source) -> None:
    """A source being detached: its entry goes."""
    SearchEntry.objects.filter(kind=EntryKind.SOURCE, object_id=source.pk).delete()


def note_index(note: Note, article: Article) -> None:
    """A note just added to a claim of `article`: its entry."""
    _write([note_entry(article, note)])


def rating_reindex(rating_id: int) -> None:
    """After a rating's label changed: the entries of the verdicts that use it, which
    hold its label."""
    claims = Claim.objects.filter(verdict__rating_id=rating_id)
    SearchEntry.objects.filter(kind=EntryKind.VERDICT, claim__in=claims).delete()
    entries = (
        verdict_entry(claim.article, claim)
        for claim in claims.select_related("article", "verdict__rating").order_by("pk")
    )
    _write([entry for entry in entries if entry is not None])


# --- the matching index -------------------------------------------------------------------


def match_entry(claim: Claim) -> MatchEntry | None:
    """The match entry of `claim` (with its verdict fetched), or None if it has no
    proposed or approved verdict: matching compares new claims with those only."""
    if getattr(claim, "verdict", None) is None or claim.status not in engine.CHECKED:
        return None
    return _match_entry(claim)


def _match_entry(claim: Claim) -> MatchEntry:
    lines = [claim.wording] if claim.wording == claim.text else [claim.wording, claim.text]
    terms = text.indexed(*lines)
    return MatchEntry(
        claim_id=claim.pk,
        article_id=claim.article_id,
        terms=terms,
        weight=text.indexed_weight(terms),
    )


def _held(terms: str) -> set[str]:
    return set(terms.split())


def _match_write(old: dict[int, str], new: list[MatchEntry]) -> None:
    """Replace the match entries of the claims in `old` ({claim pk: its terms}) by `new`,
    and count the terms again by the difference."""
    if old:
        MatchEntry.objects.filter(pk__in=old).delete()
    MatchEntry.objects.bulk_create(new, batch_size=500)
    engine.refresh_match_vectors(MatchEntry.objects.filter(pk__in=[e.pk for e in new]))
    change: Counter[str] = Counter()
    for terms in old.values():
        change.subtract(_held(terms))
    for entry in new:
        change.update(_held(entry.terms))
    by_step: dict[int, list[str]] = defaultdict(list)
    for term, step in sorted(change.items()):
        if step:
            by_step[step].append(term)
    if not by_step:
        return
    changed = sorted(t for step in by_step.values() for t in step)
    MatchTerm.objects.bulk_create(
        [MatchTerm(term=t, claims=0) for t in changed if change[t] > 0], ignore_conflicts=True
    )
    # The rows locked in one order (no deadlock between two transactions counting some
    # of the same terms), then an addition in the database, not a count read and
    # written back: two transactions counting the same term both count.
    list(MatchTerm.objects.filter(term__in=changed).order_by("term").select_for_update())
    for step, stepped in by_step.items():
        MatchTerm.objects.filter(term__in=stepped).update(claims=F("claims") + step)


def match_index_as_checked(claims: Iterable[Claim]) -> None:
    """Index `claims` for matching as if they were checked, whatever their status: the
    evaluation's earlier claims, in a transaction it rolls back."""
    _match_write({}, [_match_entry(claim) for claim in claims])


def checked_claims() -> QuerySet[Claim]:
    """The claims matching compares with: those with a proposed or approved verdict."""
    return Claim.objects.filter(status__in=engine.CHECKED, verdict__isnull=False)


def match_rebuild() -> int:
    """Every match entry and term count again, from the claims: `reindex_search`, and
    a database that has checked claims but no match entries yet. How many entries."""
    with transaction.atomic():
        MatchEntry.objects.all().delete()
        MatchTerm.objects.all().delete()
        counts: Counter[str] = Counter()
        batch: list[MatchEntry] = []
        for claim in checked_claims().only("id", "article_id", "wording", "text").iterator(2000):
            entry = _match_entry(claim)
            counts.update(_held(entry.terms))
            batch.append(entry)
        MatchEntry.objects.bulk_create(batch, batch_size=1000)
        engine.refresh_match_vectors(MatchEntry.objects.all())
        MatchTerm.objects.bulk_create(
            [MatchTerm(term=t, claims=n) for t, n in counts.items()], batch_size=1000
        )
        return len(batch)


def published_reindex(article: Article) -> None:
    """The public entries of `article`: one per claim its latest publication shows, from
    that snapshot; none while it is retracted (or was never published)."""
    SearchEntry.objects.filter(article=article, kind=EntryKind.PUBLISHED).delete()
    latest = article.publications.order_by("-version").first()
    if latest is None or latest.retracted_at is not None:
        return
    _write(list(published_entries(article, latest)))


def published_entries(article: Article, publication: Publication) -> Iterable[SearchEntry]:
    snapshot = load(publication.snapshot)
    ids = dict(
        Claim.objects.filter(
            article=article, ordinal__in=[c.ordinal for c in snapshot.claims]
        ).values_list("ordinal", "pk")
    )
    for claim in snapshot.claims:
        sources = [_lines(s.title, s.publisher) for s in claim.sources]
        yield _entry(
            EntryKind.PUBLISHED,
            ids[claim.ordinal],
            article,
            claim_id=ids[claim.ordinal],
            title=f"{claim.rating.label}: {claim.summary}"[:500],
            text=_lines(
                claim.wording,
                claim.rating.label,
                claim.summary,
                claim.rationale,
                snapshot.article.title,
                *sources,
            ),
            dated=publication.published_at,
        )


def reindex_all() -> int:
    """Every entry and the claims' index again, from scratch: `manage.py reindex_search`.
    How many entries there are."""
    with transaction.atomic():
        SearchEntry.objects.all().delete()
        engine.rebuild_claims_index()
        for article in Article.objects.defer("body").iterator(chunk_size=100):
            article_reindex(article)
            published_reindex(article)
        match_rebuild()
        return SearchEntry.objects.count()
