"""Word n-grams of a sentence, with where they are: the model's optional second vocabulary.

Lower-cased words (typographic apostrophes made straight) and pairs of neighbouring
words; words with digits are left to the number feature. Each n-gram maps to the
spans of the sentence where it occurs, so a reason can quote the exact words.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import regex

from .features import Span

_TOKEN = regex.compile(r"\p{L}[\p{L}\p{M}]*(?:['’]\p{L}[\p{L}\p{M}]*)*")


def extract(sentence: str) -> dict[str, list[Span]]:
    found: dict[str, list[Span]] = {}
    for gram, span in _grams(sentence):
        found.setdefault(gram, []).append(span)
    return found


def first_spans(sentence: str, vocabulary: Mapping[str, float]) -> dict[str, Span]:
    """The n-grams of `sentence` that are in `vocabulary`, each with where it first
    occurs, in the order `extract` lists them."""
    found: dict[str, Span] = {}
    for gram, span in _grams(sentence):
        if gram in vocabulary and gram not in found:
            found[gram] = span
    return found


def _grams(sentence: str) -> Iterator[tuple[str, Span]]:
    """Each word and each pair of neighbouring words, with its span, in reading order."""
    lowered = sentence.lower()
    if len(lowered) != len(sentence) or "Σ" in sentence:
        # Lower-casing changed the length, or might have changed a sigma by its
        # context: lower-case word by word instead.
        lowered = ""
    previous: tuple[str, int, int] | None = None
    for match in _TOKEN.finditer(sentence):
        start, end = match.span()
        word = (lowered[start:end] if lowered else match.group().lower()).replace("’", "'")
        yield word, (start, end)
        if previous is not None and sentence[previous[2] : start].isspace():
            yield f"{previous[0]} {word}", (previous[1], end)
        previous = (word, start, end)
