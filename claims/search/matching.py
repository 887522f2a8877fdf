""" "Checked before": earlier checked claims of other articles like a new one.

Two steps, each cheap and explainable:
1. the database's index of the checked claims' terms (`MatchEntry`, the scorer's own
   terms) retrieves candidates: the claims holding two (or one) of the new claim's
   rarest terms and light enough to reach the threshold, just enough of them that
   every claim that could score at or above it does (`text.probe`; nothing asked when
   none could); an article's claims asking for pairs in one query (`_paired`), those
   asking for single terms the engine's best `CANDIDATES` each;
2. each candidate's stored terms are scored in Python by `text.similarity` (shared
   terms, numbers read one way, a few synonyms), and those at or above
   `FACTCHECK_MATCH_THRESHOLD` are kept, best first, at most `FACTCHECK_MATCH_LIMIT`.

A claim's stored matches (`ClaimMatch`) are found again when its article is imported
(in the background worker) and whenever a reviewer asks. A match marked as wrong stays
hidden. Reusing a match adds the earlier public verdict page as a source and hands the
earlier verdict to the verdict form as a draft: it still needs evidence and sign-off.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from math import inf
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from .. import audit, review
from ..access import ClaimAbilities
from ..models import (
    Article,
    AuditAction,
    Claim,
    ClaimMatch,
    ClaimStatus,
    EntryKind,
    SearchEntry,
    Source,
    Stance,
)
from . import engine, text

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# How many candidates the index hands to the scorer, best first.
CANDIDATES = 50
# Fewer candidates than this are all scored, unranked.
UNRANKED = 200
# How many of a claim's words `find_similar` asks the desk's index for (the longest).
ANY_WORDS = 8


@dataclass(frozen=True)
class Similar:
    claim: Claim
    score: float


def _threshold(threshold: float | None) -> float:
    return settings.FACTCHECK_MATCH_THRESHOLD if threshold is None else threshold


def _found(
    wanted: dict[int, frozenset[str]], *, exclude_article: int | None, threshold: float
) -> dict[int, dict[int, float]]:
    """{key: {claim pk: similarity}} of the checked claims like each of `wanted` (the
    terms of new claims, by key) at or above `threshold`, none of `exclude_article`.

    The terms' counts in one query for all; then the index once for all the claims
    asking for pairs of terms (`_paired`), and once for each asking for single terms
    (they hold common terms: the engine's best first). None for a claim no earlier
    claim could match."""
    frequency = engine.frequencies(set().union(*wanted.values()))
    probes = {key: text.probe(terms, frequency, threshold) for key, terms in wanted.items()}
    paired = {key: p for key, p in probes.items() if p.shared == 2 and p.terms}
    found = _paired(wanted, paired, exclude_article, threshold)
    for key, probe in probes.items():
        if key not in found:
            found[key] = _scored(wanted[key], _candidates(probe, exclude_article), threshold)
    return found


def _paired(
    wanted: dict[int, frozenset[str]],
    probes: dict[int, text.Probe],
    exclude_article: int | None,
    threshold: float,
) -> dict[int, dict[int, float]]:
    """What `_found` finds for the claims of `probes` (each asking for pairs of terms),
    in one query: the claims holding any of their pairs (light enough), each scored
    against the new claims that asked for a pair it holds. The same claims as a query
    for each (a pair several new claims ask for is asked once); {} (for `_found` to
    ask one by one) when they come to `UNRANKED` a claim or more, as `_candidates`
    would rank them."""
    if not probes:
        return {}
    asking: dict[tuple[str, ...], dict[int, float]] = {}
    for key, probe in probes.items():
        for pair, heaviest in probe.asks().items():
            asking.setdefault(tuple(sorted(pair)), {})[key] = heaviest
    asks = {pair: max(keys.values()) for pair, keys in asking.items()}
    limit = UNRANKED * len(probes)
    rows = engine.candidates(asks, exclude_article=exclude_article, limit=limit, ranked=False)
    if len(rows) == limit:
        return {}
    asked = {term for pair in asking for term in pair}
    scorers = {key: text.Scorer(wanted[key]) for key in probes}
    found: dict[int, dict[int, float]] = {key: {} for key in probes}
    for claim_id, terms, weight in rows:
        mine = sorted(asked.intersection(terms.split()))
        # None: the engine read a term otherwise than Python; scored for every claim.
        held = [asking[p] for p in combinations(mine, 2) if p in asking]
        held = held or [dict.fromkeys(probes, inf)]
        keys = {key for ask in held for key, heaviest in ask.items() if weight <= heaviest}
        for key in keys:
            if (score := _score(scorers[key], terms)) >= threshold:
                found[key][claim_id] = score
    return found


def _candidates(probe: text.Probe, exclude_article: int | None) -> list[tuple[int, str, float]]:
    """Claims holding two rare terms are few as a rule: all of them, unranked (ranking
    is most of the query's cost), unless there are `UNRANKED` or more; then, like claims
    holding one, the `CANDIDATES` the engine ranks best."""
    asks = probe.asks()
    if probe.shared == 2:
        rows = engine.candidates(
            asks, exclude_article=exclude_article, limit=UNRANKED, ranked=False
        )
        if len(rows) < UNRANKED:
            return rows
    return engine.candidates(asks, exclude_article=exclude_article, limit=CANDIDATES)


def _score(scorer: text.Scorer, terms: str) -> float:
    """`scorer`'s score of a match entry's terms: its best line's."""
    return max(map(scorer.line, terms.split("\n")))


def _scored(
    wanted: frozenset[str], rows: list[tuple[int, str, float]], threshold: float
) -> dict[int, float]:
    scorer = text.Scorer(wanted)
    found: dict[int, float] = {}
    for claim_id, terms, _weight in rows:
        if (score := _score(scorer, terms)) >= threshold:
            found[claim_id] = score
    return found


def _any_scores(claim_text: str, wanted: frozenset[str], threshold: float) -> dict[int, float]:
    """Scores against every claim, checked or not (`find_similar`): the desk's index
    finds those sharing two of the claim's longest words (and the head word of each
    synonym group they belong to: "rose" asks for "increase" too)."""
    words = text.content_words(claim_text)
    heads = {text.SYNONYMS[w] for w in words if w in text.SYNONYMS}
    asked = [*words, *sorted(heads - set(words))][:ANY_WORDS]
    found: dict[int, float] = {}
    for claim_id, written in engine.claims_sharing(asked, CANDIDATES):
        score = max(text.similarity(wanted, text.terms(line)) for line in written.split("\n"))
        if score >= threshold and score > found.get(claim_id, -1):
            found[claim_id] = score
    return found


def scores(
    claim_text: str,
    *,
    checked_only: bool = True,
    exclude_article: int | None = None,
    threshold: float | None = None,
) -> dict[int, float]:
    """{claim pk: similarity} of the claims like `claim_text` at or above `threshold`:
    with `checked_only`, only those with a proposed or approved verdict (approved
    includes every published one); without, of every claim (its sentence's article
    too). Two queries: the terms' counts, and the index."""
    wanted, threshold = text.terms(claim_text), _threshold(threshold)
    if not checked_only:
        return _any_scores(claim_text, wanted, threshold)
    return _found({0: wanted}, exclude_article=exclude_article, threshold=threshold)[0]


def similar(
    claim_text: str,
    *,
    checked_only: bool = True,
    exclude_article: int | None = None,
    limit: int | None = None,
    threshold: float | None = None,
) -> list[Similar]:
    """The claims like `claim_text`, best first, at most `limit` (see `scores`)."""
    limit = settings.FACTCHECK_MATCH_LIMIT if limit is None else limit
    found = scores(
        claim_text, checked_only=checked_only, exclude_article=exclude_article, threshold=threshold
    )
    best = sorted(found, key=lambda pk: (-found[pk], pk))[:limit]
    if not best:
        return []
    rows = Claim.objects.filter(pk__in=best).select_related("article", "verdict__rating")
    claims = {c.pk: c for c in rows.defer("article__body", "reasons")}
    return [Similar(claims[pk], found[pk]) for pk in best if pk in claims]


def _looked_up(claims: list[Claim]) -> dict[int, dict[int, float]]:
    """{claim pk: {earlier pk: score}} for `claims` (of one article): what the index
    finds for them now (see `_found` for its queries). It only reads."""
    return _found(
        {c.pk: text.terms(c.wording) for c in claims},
        exclude_article=claims[0].article_id if claims else None,
        threshold=_threshold(None),
    )


def _store(claims: list[Claim], everything: dict[int, dict[int, float]]) -> list[Claim]:
    """Store what was found for `claims` (`_looked_up`); the claims whose matches
    changed. Matches marked as wrong stay, hidden; the others are replaced by what was
    found. A few queries."""
    limit = settings.FACTCHECK_MATCH_LIMIT
    stored: dict[int, dict[int, ClaimMatch]] = {c.pk: {} for c in claims}
    for match in ClaimMatch.objects.filter(claim__in=claims):
        stored[match.claim_id][match.earlier_id] = match
    gone, new, changed = [], [], []
    for claim in claims:
        found = everything[claim.pk]
        found = {pk: found[pk] for pk in sorted(found, key=lambda pk: (-found[pk], pk))[:limit]}
        mine = stored[claim.pk]
        lost = [m.pk for e, m in mine.items() if e not in found and m.rejected_at is None]
        added = [
            ClaimMatch(claim=claim, earlier_id=e, score=score)
            for e, score in found.items()
            if e not in mine
        ]
        for earlier, score in found.items():
            kept = mine.get(earlier)
            if kept is not None and kept.score != score:
                kept.score = score
                kept.save(update_fields=["score"])
        gone += lost
        new += added
        if lost or added:
            changed.append(claim)
    if gone:
        ClaimMatch.objects.filter(pk__in=gone).delete()
    if new:
        ClaimMatch.objects.bulk_create(new)
    return changed


def article_match(*, article: Article, actor: User | None = None) -> int:
    """Find the matches of every check-worthy claim of `article` (the background task
    after an import); one audit event lists what was found, if anything changed. How
    many claims have a match now."""
    claims = (
        Claim.objects.filter(article=article)
        .check_worthy()
        .only("id", "article_id", "ordinal", "wording")
        .order_by("ordinal")
    )
    # Looked up before the transaction, which only stores: on SQLite a transaction takes
    # the database's one write lock when it begins (transaction_mode IMMEDIATE), so a long
    # lookup inside it kept every other writer waiting; an import answered "database is
    # locked". The claims are read again inside, and only those looked up are stored.
    found = _looked_up(list(claims))
    with transaction.atomic():
        changed = _store([c for c in claims if c.pk in found], found)
        if changed:
            _record(actor, article, changed)
        return (
            ClaimMatch.objects.shown()
            .filter(claim__article=article)
            .values("claim")
            .distinct()
            .count()
        )


def _record(actor: User | None, article: Article, claims: list[Claim]) -> None:
    found: dict[str, list[int]] = {str(c.ordinal): [] for c in claims}
    rows = ClaimMatch.objects.shown().filter(claim__in=claims).order_by("-score")
    for ordinal, earlier in rows.values_list("claim__ordinal", "earlier_id"):
        found[str(ordinal)].append(earlier)
    audit.record(
        actor=actor,
        action=AuditAction.ARTICLE_MATCHED,
        article=article,
        obj=article,
        after={"matches": found},
    )


def claim_find_matches(*, actor: User, claim: Claim) -> list[ClaimMatch]:
    """A reviewer asks for `claim`'s matches now (its wording may have changed since)."""
    with transaction.atomic():
        claim = review.locked(claim)
        ClaimAbilities(actor, claim).find_matches.require()
        if _store([claim], _looked_up([claim])):
            _record(actor, claim.article, [claim])
        return list(ClaimMatch.objects.shown().filter(claim=claim))


# --- reusing and rejecting ----------------------------------------------------------------


@dataclass(frozen=True)
class Draft:
    """What reuse hands the verdict form: the earlier verdict, for the reviewer to edit."""

    rating: int
    summary: str
    rationale: str


def draft_of(match: ClaimMatch) -> Draft | None:
    verdict = getattr(match.earlier, "verdict", None)
    if verdict is None:
        return None
    return Draft(verdict.rating_id, verdict.summary, verdict.rationale)


def public_page(claim: Claim) -> str:
    """The path of `claim`'s public verdict page, or "" when no standing publication shows it."""
    if SearchEntry.objects.filter(kind=EntryKind.PUBLISHED, object_id=claim.pk).exists():
        return reverse("public:claim", args=[claim.article.slug, claim.ordinal])
    return ""


def _locked_match(match: ClaimMatch) -> ClaimMatch:
    return (
        ClaimMatch.objects.select_for_update(of=("self",))
        .select_related("earlier__article", "earlier__verdict__rating")
        .get(pk=match.pk)
    )


def match_reuse(
    *, actor: User, match: ClaimMatch, site: str, stance: str = Stance.CONTEXT
) -> tuple[Source | None, Draft]:
    """Reuse an earlier check: its public verdict page becomes a source of the claim
    (with `stance`), and its rating, summary and rationale are the verdict form's draft.
    Nothing is proposed or published by this alone. `site` is the address the public
    pages are served from ("https://checks.example"), for the source's URL.

    An earlier verdict that isn't published has no public page: only the draft is
    handed over (the audit event says so)."""
    if stance not in Stance.values:
        raise ValidationError({"stance": "Choose supports, refutes or context."})
    with transaction.atomic():
        match = _locked_match(match)
        claim = review.locked(match.claim)
        ClaimAbilities(actor, claim).reuse_match.require()
        if match.rejected_at is not None:
            raise ValidationError("This match was marked as wrong; it can't be reused.")
        draft = draft_of(match)
        if draft is None:
            raise ValidationError("The earlier claim has no verdict any more; nothing to reuse.")
        earlier, verdict = match.earlier, match.earlier.verdict
        source = None
        if path := public_page(earlier):
            url = site.rstrip("/") + path
            if claim.sources.filter(url=url).exists():
                raise ValidationError("This earlier check is a source of this claim already.")
            source = review.claim_add_source(
                actor=actor,
                claim=claim,
                url=url,
                title=f"Earlier check: {verdict.rating.label}: {verdict.summary}"[:500],
                publisher=settings.FACTCHECK_ORGANISATION,
                published_on=timezone.localdate(),
                excerpt=verdict.summary,
                stance=stance,
            )
        audit.record(
            actor=actor,
            action=AuditAction.MATCH_REUSED,
            claim=claim,
            obj=match,
            after={
                "earlier": earlier.pk,
                "source": source.pk if source else None,
                "rating": verdict.rating_id,
                "summary": verdict.summary,
            },
        )
    return source, draft


def match_reject(*, actor: User, match: ClaimMatch) -> ClaimMatch:
    """Mark a match as wrong: it is hidden, and stays so when matching runs again."""
    with transaction.atomic():
        match = _locked_match(match)
        claim = review.locked(match.claim)
        ClaimAbilities(actor, claim).reject_match.require()
        if match.rejected_at is not None:
            raise ValidationError("This match is marked as wrong already.")
        match.rejected_by, match.rejected_at = actor, timezone.now()
        match.save(update_fields=["rejected_by", "rejected_at"])
        audit.record(
            actor=actor,
            action=AuditAction.MATCH_REJECTED,
            claim=claim,
            obj=match,
            after={"earlier": match.earlier_id, "score": match.score},
        )
    return match


def shown_matches(claim: Claim) -> list[ClaimMatch]:
    """The claim page's matches: each earlier claim with its article, verdict and rating,
    who proposed it and whether it is published (`public_url`), in two queries."""
    matches = list(
        ClaimMatch.objects.shown()
        .filter(claim=claim)
        .select_related(
            "earlier__article", "earlier__verdict__rating", "earlier__verdict__proposed_by"
        )
        .defer("earlier__article__body", "earlier__reasons")
        .order_by("-score", "id")
    )
    published = set(
        SearchEntry.objects.filter(
            kind=EntryKind.PUBLISHED, object_id__in=[m.earlier_id for m in matches]
        ).values_list("object_id", flat=True)
    )
    for match in matches:
        earlier = match.earlier
        match.public_url = (
            reverse("public:claim", args=[earlier.article.slug, earlier.ordinal])
            if earlier.pk in published
            else ""
        )
    return matches


CHECKED_STATUSES = [ClaimStatus.PROPOSED, ClaimStatus.APPROVED]
