"""Reasons that are always true: 100 real news sentences whose reasons were read by hand.

tests/data/checkworthiness_reasons.json says where the sentences come from and, for each
reason, the reading that makes it hold. This test keeps the scorer to those reasons: if
a feature changes, the sentences whose reasons change must be read again.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claims.checkworthiness import assess, explain

FIXTURE = Path(__file__).parent / "data" / "checkworthiness_reasons.json"
SENTENCES = json.loads(FIXTURE.read_text(encoding="utf-8"))["sentences"]
BY_CONSTRUCTION = {"start", "words up", "words down"}


def test_the_sample_has_a_hundred_sentences_each_reason_with_its_reading():
    assert len(SENTENCES) == 100
    assert sum(len(s["reasons"]) for s in SENTENCES) > 200
    for sentence in SENTENCES:
        assert set(sentence["why"]) == set(sentence["reasons"])


@pytest.mark.parametrize("checked", SENTENCES, ids=lambda s: f"sentence-{s['n']}")
def test_the_scorer_gives_exactly_the_reasons_checked_by_hand(checked):
    text = checked["sentence"]
    score, stored = assess(text, language="en")
    reasons = explain(text, stored)
    given = {
        r["feature"]: r["words"]
        for r in reasons
        if r["feature"] not in BY_CONSTRUCTION and not r["feature"].startswith("length ")
    }
    assert given == checked["reasons"]
    assert sum(round(r["weight"] * 1000) for r in reasons) == round(score * 1000)
    for reason in reasons:
        if reason["feature"].startswith("length "):
            continue
        for (start, end), words in zip(reason["spans"], reason["words"], strict=True):
            assert text[start:end] == words
