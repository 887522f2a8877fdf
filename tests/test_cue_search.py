"""The scorer looks for a cue list's phrases only where one can start (features._cue_starts):
it must find exactly what a scan of the whole sentence finds, in every language with lists."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claims.scoring import cues, features

FILLER = ["the", "Minister", "said", "Ms.", "Price", "2019", "won’t", "it's", "well-known", "x"]
SEPARATORS = [" ", "  ", ", ", ". ", " “", "” ", "'", "’", "-", " (", ") ", "\n", ""]


def _phrases(tag: str) -> list[str]:
    return [p.lstrip("^=") for phrases in cues.CUES[tag].values() for p in phrases]


def _sentences(tag: str) -> st.SearchStrategy[str]:
    phrases = st.sampled_from(_phrases(tag))
    words = st.sampled_from(_phrases(tag) + FILLER) | phrases.map(str.upper)
    words |= phrases.map(str.title)
    pieces = st.lists(st.tuples(words, st.sampled_from(SEPARATORS)), min_size=1, max_size=12)
    return pieces.map(lambda ps: "".join(w + s for w, s in ps))


def _assert_same_matches(tag: str, sentence: str) -> None:
    indexed, index = features._cue_index(tag)
    starts = features._cue_starts(sentence, index)
    for key, pattern in features._cue_patterns(tag).items():
        if key not in indexed:
            continue
        scanned = features._spans(pattern, sentence)
        tried = features._spans_at(pattern, sentence, sorted(starts.get(key, ())))
        assert tried == scanned, (key, sentence)


@pytest.mark.parametrize("tag", sorted(cues.CUES))
def test_every_phrase_alone_is_found_where_it_stands(tag):
    for phrase in _phrases(tag):
        for sentence in (phrase, f"Then {phrase} again.", f"“{phrase.upper()}”, she said."):
            _assert_same_matches(tag, sentence)


@pytest.mark.parametrize("tag", sorted(cues.CUES))
def test_the_lists_that_are_searched_by_their_words_are_most_of_them(tag):
    indexed, _ = features._cue_index(tag)
    if cues.ATTACHED_PREFIXES.get(tag):
        assert not indexed  # words with attached prefixes are always scanned
    else:
        assert len(indexed) >= len(cues.CUES[tag]) // 2


@pytest.mark.parametrize("tag", sorted(set(cues.CUES) - set(cues.ATTACHED_PREFIXES)))
def test_phrases_mixed_with_other_words_are_found_as_a_scan_finds_them(tag):
    @settings(max_examples=300, deadline=None)
    @given(_sentences(tag))
    def check(sentence: str) -> None:
        _assert_same_matches(tag, sentence)

    check()
