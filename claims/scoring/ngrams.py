"""Word n-grams of a sentence, with where they are: the model's optional second vocabulary.

Lower-cased words (typographic apostrophes made straight) and pairs of neighbouring
words; words with digits are left to the number feature. Each n-gram maps to the
spans of the sentence where it occurs, so a reason can quote the exact words.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping

import regex

from .features import Span

_TOKEN = regex.compile(r"\p{L}[\p{L}\p{M}]*(?:['’]\p{L}[\p{L}\p{M}]*)*")
_TOKEN_SPLIT = regex.compile(f"({_TOKEN.pattern})")


def extract(sentence: str) -> dict[str, list[Span]]:
    found: dict[str, list[Span]] = {}
    words, spans, joined = _tokens(sentence)
    for i, word in enumerate(words):
        found.setdefault(word, []).append(spans[i])
        if joined[i]:
            found.setdefault(f"{words[i - 1]} {word}", []).append((spans[i - 1][0], spans[i][1]))
    return found


def first_spans(sentence: str, vocabulary: Mapping[str, float]) -> dict[str, Span]:
    """The n-grams of `sentence` that are in `vocabulary`, each with where it first
    occurs, in the order `extract` lists them."""
    found: dict[str, Span] = {}
    words, spans, joined = _tokens(sentence)
    for i, word in enumerate(words):
        if word in vocabulary and word not in found:
            found[word] = spans[i]
        if joined[i]:
            pair = f"{words[i - 1]} {word}"
            if pair in vocabulary and pair not in found:
                found[pair] = (spans[i - 1][0], spans[i][1])
    return found


def _tokens(sentence: str) -> tuple[list[str], list[Span], list[bool]]:
    """The words of `sentence` (lower-cased, apostrophes straight), their spans, and
    whether each is joined to the word before it by nothing but white space."""
    lowered = sentence.lower()
    if len(lowered) != len(sentence) or "Σ" in sentence:
        # Lower-casing changed the length, or might have changed a sigma by its
        # context: lower-case word by word.
        matches = list(_TOKEN.finditer(sentence))
        words = [m.group().lower().replace("’", "'") for m in matches]
        spans = [m.span() for m in matches]
        gaps = [""] + [sentence[a[1] : b[0]] for a, b in itertools.pairwise(spans)]
    else:
        # Each character lower-cased to one letter for a letter and a mark for a mark
        # (true of all of Unicode): the words of the lower-cased sentence are the
        # sentence's, at the same places. Split in one call; places by running sums.
        pieces = _TOKEN_SPLIT.split(lowered.replace("’", "'"))  # gap, word, …, gap
        ends = list(itertools.accumulate(map(len, pieces)))
        words = pieces[1::2]
        spans = list(zip(ends[0::2], ends[1::2], strict=False))
        gaps = ["", *pieces[2:-1:2]]  # the first word has none before it
    return words, spans, [gap.isspace() for gap in gaps[: len(words)]]
