"""Word n-grams of a sentence, with where they are: the model's optional second vocabulary.

Lower-cased words (typographic apostrophes made straight) and pairs of neighbouring
words; words with digits are left to the number feature. Each n-gram maps to the
spans of the sentence where it occurs, so a reason can quote the exact words.
"""

from __future__ import annotations

import regex

from .features import Span

_TOKEN = regex.compile(r"\p{L}[\p{L}\p{M}]*(?:['’]\p{L}[\p{L}\p{M}]*)*")


def extract(sentence: str) -> dict[str, list[Span]]:
    found: dict[str, list[Span]] = {}
    previous: tuple[str, int, int] | None = None
    for match in _TOKEN.finditer(sentence):
        word = match.group().lower().replace("’", "'")
        start, end = match.span()
        found.setdefault(word, []).append((start, end))
        gap = sentence[previous[2] : start] if previous else ""
        if previous is not None and gap.strip() == "":
            found.setdefault(f"{previous[0]} {word}", []).append((previous[1], end))
        previous = (word, start, end)
    return found
