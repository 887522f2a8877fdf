"""A claim's words as matching compares them, the 0..1 similarity of two claims, and
the highlighted snippets of search results. Pure Python: the same on every database.

A claim becomes a set of *terms*: its words lower-cased, stripped of a light English
suffix ("increased" and "increases" are both "increas"), with the commonest words
and verbs of attribution ("said", "claims") left out, a few synonyms folded together
("rose", "grew", "went up" are all "increase") and numbers written one way ("1,000",
"one thousand" and "1000" are all "#1000"; "3.5 million" is "#3500000"; "per cent"
and "%" are "percent"). Two claims are as similar as the weighted share of terms they
have in common (Dice's coefficient, numbers weighing double); numbers that disagree
halve it, since "unemployment is 5%" and "unemployment is 7%" are different claims.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from itertools import combinations
from math import inf

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# A number as written (1,000 · 3.5 · 12), or a run of letters.
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+")
_THOUSANDS = re.compile(r"^\d{1,3}(?:,\d{3})+$")

STOPWORDS = frozenset(
    """
    a about above after again against all also am an and any are as at be been before
    being below between both but by can could did do does doing down during each few for
    from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my myself no nor not now of off on once only
    or other our ours ourselves out over own same she should so some such than that the
    their theirs them themselves then there these they this those through to too under
    until up very was we were what when where which while who whom why will with would you
    your yours yourself yourselves than per cent its it's s t last this year years ago
    according say says said saying claim claims claimed state states stated told tell
    tells insist insists insisted argue argues argued suggest suggests suggested report
    reports reported show shows showed shown new one's mr mrs ms dr
    """.split()
)
# Words that say the same for the purpose of "was this checked before" (after lower-casing).
SYNONYMS = {
    **dict.fromkeys(
        "rose risen rise rises rising increased increase increases increasing grew grown "
        "grow grows growing climbed climb climbs soared soar jumped jump jumps surged "
        "higher up".split(),
        "increase",
    ),
    **dict.fromkeys(
        "fell fallen fall falls falling dropped drop drops decreased decrease decreases "
        "declined decline declines shrank shrunk shrink plunged plunge slumped lower "
        "down reduced reduce cut cuts".split(),
        "decrease",
    ),
    **dict.fromkeys("doubled double doubles doubling twice".split(), "double"),
    **dict.fromkeys("tripled triple trebled".split(), "triple"),
    **dict.fromkeys("percent percentage pct %".split(), "percent"),
    **dict.fromkeys("children child kids kid youngsters".split(), "child"),
    **dict.fromkeys("nation country countries nations".split(), "country"),
    **dict.fromkeys("government administration govt".split(), "government"),
    **dict.fromkeys("jobless unemployment unemployed".split(), "unemployment"),
    **dict.fromkeys("killed died dead deaths death fatalities".split(), "death"),
    **dict.fromkeys("doctors physicians doctor physician".split(), "doctor"),
    **dict.fromkeys("cars vehicles car vehicle".split(), "car"),
    **dict.fromkeys("homes houses home house housing".split(), "home"),
    **dict.fromkeys("spending spend spent spends expenditure".split(), "spend"),
    **dict.fromkeys("money funds funding cash".split(), "money"),
    **dict.fromkeys("prices price cost costs".split(), "price"),
    **dict.fromkeys("vaccine vaccines vaccination vaccinations jab jabs".split(), "vaccine"),
}
_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "dozen": 12,
}
_SCALES = {
    "thousand": 1_000,
    "k": 1_000,
    "million": 1_000_000,
    "m": 1_000_000,
    "mn": 1_000_000,
    "billion": 1_000_000_000,
    "bn": 1_000_000_000,
    "trillion": 1_000_000_000_000,
}
NUMBER_WEIGHT = 2.0
# Numbers on both sides and none in common: the claims are about different figures.
NUMBER_CONFLICT = 0.5


def stem(word: str) -> str:
    """A light English suffix stripper: enough to match "increases" with "increased"
    and "tax" with "taxes" (not Porter's algorithm, but close for common endings).
    Other languages' words are only lower-cased."""
    if len(word) <= 3 or not word.isascii():
        return word
    for suffix, replacement, shortest in (
        ("ies", "y", 5),
        ("sses", "ss", 5),
        ("xes", "x", 4),
        ("ing", "", 6),
        ("ed", "", 5),
        ("ly", "", 6),
        ("es", "e", 5),
        ("s", "", 4),
    ):
        if word.endswith(suffix) and len(word) >= shortest:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                break
            word = word[: len(word) - len(suffix)] + replacement
            if suffix in ("ing", "ed") and len(word) > 3 and word[-1] == word[-2]:
                word = word[:-1]  # "stopped" → "stop"
            break
    return word.removesuffix("e") if len(word) > 4 else word


def _number(token: str) -> float | None:
    if not token[0].isdigit():
        return None
    if _THOUSANDS.match(token):
        return float(token.replace(",", ""))
    try:
        return float(token.replace(",", "."))
    except ValueError:  # "1.2.3": a version or a date, not one number
        return None


def _written(value: float) -> str:
    return f"#{int(value)}" if value == int(value) else f"#{value:.6g}"


def tokens(text: str) -> list[str]:
    """The words and numbers of `text`, lower-cased, in order ("%" becomes "percent")."""
    text = unicodedata.normalize("NFKC", text).lower().replace("%", " percent ")
    text = text.replace("per cent", "percent")
    return _TOKEN.findall(text)


def _numbers_read(words: list[str]) -> list[str]:
    """`words` with numbers written in words or digits read as one value each:
    "3.5 million" and "three and a half million" are not both handled (only the first),
    "twenty five" → "#25", "two thousand" → "#2000", "1,000" → "#1000"."""
    out: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        value = _number(word)
        if value is None and word in _UNITS:
            value = float(_UNITS[word])
            while i + 1 < len(words) and words[i + 1] in _UNITS:
                nxt = _UNITS[words[i + 1]]
                value = value * nxt if nxt == 100 else value + nxt
                i += 1
        if value is None:
            out.append(word)
            i += 1
            continue
        while i + 1 < len(words) and words[i + 1] in _SCALES:
            value *= _SCALES[words[i + 1]]
            i += 1
        out.append(_written(value))
        i += 1
    return out


@cache
def term(word: str) -> str:
    """The term a single (lower-cased) word stands for: a synonym's head word, or its
    stem; "" for a stopword."""
    if word in SYNONYMS:
        return SYNONYMS[word]
    if word in STOPWORDS:
        return ""
    return stem(word)


@lru_cache(maxsize=20_000)
def terms(text: str) -> frozenset[str]:
    """What matching compares: the claim's terms (see the module's docstring). Cached:
    the same earlier claims are candidates for many new ones."""
    found = set()
    for word in _numbers_read(tokens(text)):
        if word.startswith("#"):
            found.add(word)
        elif len(word) > 1 and (t := term(word)):
            found.add(t)
    return frozenset(found)


def content_words(text: str, limit: int = 24) -> list[str]:
    """The words worth asking the search engine for, as written (its own stemmer reads
    them), longest first: no stopwords, no single letters, at most `limit`."""
    seen: dict[str, None] = {}
    for word in tokens(text):
        if len(word) > 1 and (word.isdigit() or word not in STOPWORDS):
            seen.setdefault(word)
    return sorted(seen, key=len, reverse=True)[:limit]


def indexed(*lines: str) -> str:
    """The terms of each of `lines`, space-separated, a line each (an empty line's
    left out): what the matching index holds of a claim (`MatchEntry.terms`)."""
    written = (" ".join(sorted(terms(line))) for line in lines)
    return "\n".join(dict.fromkeys(w for w in written if w))


def weight(t: str) -> float:
    return NUMBER_WEIGHT if t.startswith("#") else 1.0


def line_weight(line: str) -> float:
    """The weight of one line of `indexed` (its terms, each once, space-separated)."""
    return len(line.split()) + (NUMBER_WEIGHT - 1) * line.count("#")


def indexed_weight(indexed_terms: str) -> float:
    """The lightest line's weight of what `indexed` wrote (`MatchEntry.weight`): a claim
    too heavy to reach a threshold is passed over by the index (`Probe.max_weight`)."""
    return min(map(line_weight, indexed_terms.split("\n")), default=0.0)


def _weighed(terms: Iterable[str]) -> float:
    return sum(NUMBER_WEIGHT if t[0] == "#" else 1.0 for t in terms)


def _score(common: float, weight_a: float, weight_b: float, numbers_disagree: bool) -> float:
    score = 2 * common / (weight_a + weight_b)
    return round(score * NUMBER_CONFLICT if numbers_disagree else score, 4)


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """How alike two claims' terms are, 0 (nothing in common) to 1 (the same terms)."""
    return Scorer(a).score(b)


class Scorer:
    """`similarity` of one claim's terms to many others'."""

    def __init__(self, wanted: frozenset[str]):
        self.wanted, self.weight = wanted, _weighed(wanted)
        self.numbers = any(t[0] == "#" for t in wanted)

    def score(self, terms: frozenset[str]) -> float:
        if not self.wanted or not terms:
            return 0.0
        return self._of(self.wanted & terms, _weighed(terms), any(t[0] == "#" for t in terms))

    def line(self, line: str) -> float:
        """The score of one line of `indexed` (its terms, each once), read as it is."""
        held = line.split()
        if not self.wanted or not held:
            return 0.0
        return self._of(self.wanted.intersection(held), line_weight(line), "#" in line)

    def _of(self, common: frozenset[str] | set[str], weight: float, numbers: bool) -> float:
        shared_number = any(t[0] == "#" for t in common)
        disagree = self.numbers and numbers and not shared_number
        return _score(_weighed(common), self.weight, weight, disagree)


# Asked in pairs up to this many terms (10 pairs); more, and one at a time.
PAIRED_TERMS = 5


@dataclass(frozen=True)
class Probe:
    """What to ask the index for: claims holding at least `shared` (1 or 2) of `terms`;
    those holding a set of them only if they weigh at most what that set allows."""

    terms: list[str]
    shared: int
    # The heaviest claim each term is asked for (`terms` are rarest first: this falls).
    heaviest: dict[str, float] = field(default_factory=dict)

    def sets(self) -> list[tuple[str, ...]]:
        """The sets of terms a claim holding any one of is a candidate."""
        if self.shared == 2:
            return list(combinations(self.terms, 2))
        return [(t,) for t in self.terms]

    def asks(self) -> dict[tuple[str, ...], float]:
        """{set of terms: the heaviest claim holding it that could match}."""
        return {held: min(self.heaviest.get(t, inf) for t in held) for held in self.sets()}


def probe(wanted: frozenset[str], frequency: dict[str, int], threshold: float) -> Probe:
    """The terms of `wanted` to ask the index for, such that every claim scoring at
    least `threshold` against `wanted` holds two of them (or, when that would take too
    many, one): no other claim need be read. No terms when no claim can (the terms no
    claim holds weigh too much). `frequency`: how many claims hold each term (a term
    missing holds none).

    Why: a claim B with score s = 2C / (W + W_B) ≥ t, C the weight it shares with the
    new claim's W, shares C ≥ t·(W + W_B)/2, and since C ≤ W_B, C ≥ t·W/(2 − t): the
    terms it lacks weigh at most W − C. Terms taken rarest first until they weigh more
    than that hold one B has; until they weigh more than that and their heaviest, two
    (prefix filtering). Conflicting numbers only lower a score.

    The heavier B, the more it must share, the fewer terms it may lack: the later terms
    are asked only for the lighter claims (`Probe.heaviest`; length filtering). And B
    can share only terms some checked claim holds, weighing H in all, so no claim
    heavier than 2·H/t − W is asked for. A new claim whose names and words no checked
    claim has is like only the light claims that hold most of the rest; the long ones
    sharing a common term or two (a year, "percent") are not read."""
    total = sum(map(weight, wanted))
    t = max(threshold - 0.001, 0.0)  # scores are rounded to 4 places
    room = total - t * total / (2 - t)
    rarest = sorted(wanted, key=lambda w: (frequency.get(w, 0), w))
    held_weight = sum(weight(w) for w in wanted if frequency.get(w, 0))
    lightest = t * total / (2 - t)  # B weighs at least what it must share

    def heaviest_claim(lacking: float) -> float:
        """The heaviest B that may lack terms weighing `lacking`: W − t·(W + W_B)/2 ≥ it."""
        if not t:
            return inf
        return min(2 * (total - lacking) / t - total, 2 * held_weight / t - total)

    def prefix(shared: int) -> tuple[list[str], dict[str, float]] | None:
        taken, heaviest = 0.0, 0.0
        held: list[str] = []
        bounds: dict[str, float] = {}
        for term_ in rarest:
            lacking = taken - (heaviest if shared == 2 else 0)
            if lacking > room:
                return held, bounds
            taken += weight(term_)
            heaviest = max(heaviest, weight(term_))
            if frequency.get(term_, 0) and (bound := heaviest_claim(lacking)) >= lightest:
                held.append(term_)
                bounds[term_] = bound
        return (held, bounds) if taken > room + (heaviest if shared == 2 else 0) else None

    pairs = prefix(2)
    if pairs is not None and len(pairs[0]) <= PAIRED_TERMS:
        return Probe(pairs[0] if len(pairs[0]) >= 2 else [], 2, pairs[1])
    single = prefix(1)
    if single is None:  # a threshold of 0: any claim at all; those sharing a term
        single = [w for w in rarest if frequency.get(w, 0)], {}
    return Probe(single[0], 1, single[1])


# --- snippets --------------------------------------------------------------------------

SNIPPET_CHARS = 240


@dataclass(frozen=True)
class Snippet:
    html: SafeString
    hits: int


def snippet(text: str, query_terms: Iterable[str], size: int = SNIPPET_CHARS) -> Snippet:
    """Up to `size` characters of `text` around its first word matching the query, the
    matching words in <mark>; everything else escaped."""
    wanted = set(query_terms)
    spans = [
        m.span()
        for m in re.finditer(r"\w+", text)
        if (w := m.group().lower()) in wanted or term(w) in wanted or stem(w) in wanted
    ]
    start = 0
    if spans and spans[0][0] > size // 3:
        start = text.rfind(" ", 0, spans[0][0] - size // 3) + 1
    end = min(len(text), start + size)
    if end < len(text):
        end = max(text.rfind(" ", start, end), start + size // 2)
    parts: list[str] = []
    at = start
    for s, e in spans:
        if s < start or e > end:
            continue
        parts.append(escape(text[at:s]))
        parts.append(f"<mark>{escape(text[s:e])}</mark>")
        at = e
    parts.append(escape(text[at:end]))
    html = ("…" if start else "") + "".join(parts) + ("…" if end < len(text) else "")
    return Snippet(mark_safe(html), len(spans))  # every piece escaped above


def query_terms(query: str) -> set[str]:
    """The forms of the query's words a snippet highlights: as typed, and their terms."""
    words = [w for w in tokens(query) if w not in STOPWORDS]
    return {w for w in words} | {t for w in words if (t := term(w))}
