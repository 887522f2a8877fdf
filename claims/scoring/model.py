"""Scoring with the trained weights: a logistic model whose score splits into reasons.

The score is σ(z), z = intercept + Σ weights of the features that fired (each feature
counts once: it fired or it did not). Its reasons are exact parts of it: a starting
point σ(intercept), the score of a sentence with no feature at all, and for each
feature that fired its weight times the one factor (σ(z) − σ(intercept)) / (z −
intercept). That factor is positive, so a feature with a positive weight always raises
the score and one with a negative weight always lowers it; the parts add up to the
score exactly, before rounding and (`_rounded`) after it.

The weights file is made by `manage.py train_checkworthiness`; its intercept is moved
so that 0.5 is the threshold chosen on the dev set (see `training.py`). It needs only
the standard library and `regex` to read and use.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from . import features, ngrams

WEIGHTS_PATH = Path(__file__).with_name("weights.json")
# A heading is a label, not a statement: this weight is set by hand (headings are not in
# the training data) so that a heading always lands far below any threshold.
HEADING_WEIGHT = -6.0
NEUTRAL_ONLY = "language-neutral only"


@dataclass(frozen=True)
class LinearModel:
    intercept: float
    weights: dict[str, float]  # feature name, or "ngram:<words>", to weight
    ngrams: bool
    grams: dict[str, float] = field(init=False, repr=False, compare=False)  # "<words>"

    def __post_init__(self) -> None:
        grams = {k.removeprefix("ngram:"): w for k, w in self.weights.items() if k[:6] == "ngram:"}
        object.__setattr__(self, "grams", grams)


@dataclass(frozen=True)
class Weights:
    name: str
    version: str  # name@ the first 12 hex digits of the file's SHA-256
    threshold: float
    models: dict[str, LinearModel]  # "full", "cues", "neutral"
    raw: dict[str, Any]


@cache
def load(path: Path = WEIGHTS_PATH) -> Weights:
    data = path.read_bytes()
    raw = json.loads(data)
    models = {
        key: LinearModel(m["intercept"], m["weights"], m["ngrams"])
        for key, m in raw["models"].items()
    }
    version = f"{raw['name']}@{hashlib.sha256(data).hexdigest()[:12]}"
    return Weights(raw["name"], version, raw["threshold"], models, raw)


def model_for(language: features.Language, weights: Weights) -> tuple[str, LinearModel]:
    """English gets every feature and the word n-grams (they were learnt on English);
    a language with cue lists gets every feature; any other the language-neutral ones."""
    if language.tag == "en":
        key = weights.raw.get("english_model", "full")
    elif language.has_cues:
        key = "cues"
    else:
        key = "neutral"
    return key, weights.models[key]


def logit(sentence: str, language: features.Language, model: LinearModel) -> float:
    """z for `sentence` (training and evaluation use it: the same arithmetic as assess)."""
    found, grams = _parts(sentence, language, model)
    return model.intercept + sum([w for _, w, _ in found] + [w for w, _ in grams])


Part = tuple[str, float, tuple[features.Span, ...]]  # a feature that fired, its weight, spans


def _parts(
    sentence: str, language: features.Language, model: LinearModel
) -> tuple[list[Part], list[tuple[float, features.Span]]]:
    """The features of `sentence` that the model weighs, and its n-grams that the model
    knows (weight and first place: only an n-gram's first place is shown), in the order
    `features.extract` and `ngrams.first_spans` find them."""
    weights = model.weights
    found = [
        (hit.feature, weight, hit.spans)
        for hit in features.extract(sentence, language)
        if (weight := weights.get(hit.feature)) is not None
    ]
    if not model.ngrams:
        return found, []
    known = model.grams
    return found, [
        (known[gram], span) for gram, span in ngrams.first_spans(sentence, known).items()
    ]


def sigmoid(z: float) -> float:
    if z >= 0:
        return 1 / (1 + math.exp(-z))
    e = math.exp(z)
    return e / (1 + e)


def assess(
    sentence: str, *, is_heading: bool = False, language: str | None = "en"
) -> tuple[float, list[dict[str, Any]]]:
    """Score `sentence` in [0, 1] and say why: reasons whose weights add up to the score,
    as stored ({feature, spans, weight}; `explain` adds their labels and words)."""
    weights = load()
    lang = features.language_of(language)
    key, model = model_for(lang, weights)
    found, grams = _parts(sentence, lang, model)
    heading = [("heading", HEADING_WEIGHT, ((0, len(sentence)),))] if is_heading else []
    z = model.intercept + sum(
        [w for _, w, _ in found] + [w for w, _ in grams] + [w for _, w, _ in heading]
    )
    start, score = sigmoid(model.intercept), sigmoid(z)
    factor = (score - start) / (z - model.intercept) if z != model.intercept else 0.0

    parts = [("start", start, ())] + [
        (name, weight * factor, spans)
        for name, weight, spans in found + _group_ngrams(grams) + heading
    ]
    if key == "neutral":
        parts.append((NEUTRAL_ONLY, 0.0, ()))
    score, thousandths = _rounded(score, [weight for _, weight, _ in parts])
    reasons = [
        _reason(name, weight, spans)
        for (name, _, spans), weight in zip(parts, thousandths, strict=True)
    ]
    if key == "neutral":
        reasons[-1]["label"] = (
            f"scored on language-neutral features only (no cue words for “{lang.tag}”)"
        )
    return score, reasons


def _group_ngrams(grams: list[tuple[float, features.Span]]) -> list[Part]:
    """Word n-grams become two reasons (those that raise, those that lower), listed by
    how much each weighs (features stay one reason each, before them)."""
    grouped = []
    for name, chosen in (
        ("words up", [g for g in grams if g[0] > 0]),
        ("words down", [g for g in grams if g[0] < 0]),
    ):
        if chosen:
            chosen.sort(key=lambda g: abs(g[0]), reverse=True)
            grouped.append((name, sum(w for w, _ in chosen), tuple(span for _, span in chosen)))
    return grouped


_GROUP_LABELS = {
    "start": "every sentence starts here",
    "words up": "words often seen in check-worthy sentences",
    "words down": "words often seen in sentences not worth checking",
    "heading": "is a heading, not a sentence",
}


_LABELS = {f.name: f.label for f in features.FEATURES} | _GROUP_LABELS


def _reason(name: str, weight: float, spans: tuple[features.Span, ...]) -> dict[str, Any]:
    """A reason as stored: what fired, where, and how much it weighs. Its label and words
    follow from these and the sentence (`explain`), so a claim doesn't store them."""
    return {"feature": name, "spans": [list(s) for s in spans], "weight": weight}


def explain(sentence: str, reasons: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The stored reasons of `sentence` as people read them: each with its `label`, the
    `words` of the sentence its spans cover (a length reason: the word count) and `match`
    (those words, once each). Reasons stored whole (older claims; the keyword heuristic,
    whose reasons have no spans) come back as they were."""
    explained = []
    for reason in reasons:
        if "match" in reason:
            explained.append(reason)
            continue
        name, spans = reason["feature"], reason.get("spans") or []
        if name.startswith("length "):
            count = features.word_count(sentence)
            words = [f"{count} word{'s' if count != 1 else ''}"]
        else:
            words = [sentence[a:b] for a, b in spans]
        explained.append(
            {
                "feature": name,
                "label": reason.get("label") or _LABELS.get(name, name),
                "match": ", ".join(dict.fromkeys(words)),
                "words": words,
                "spans": spans,
                "weight": reason["weight"],
            }
        )
    return explained


def _rounded(score: float, weights: list[float]) -> tuple[float, list[float]]:
    """Score and weights to three decimals, still adding up exactly (largest remainder)."""
    total = round(score * 1000)
    raw = [weight * 1000 for weight in weights]
    floors = [math.floor(x) for x in raw]
    # 0 <= left < len(weights): the floors lose less than one thousandth each.
    if left := total - sum(floors):
        order = sorted(range(len(raw)), key=lambda i: raw[i] - floors[i], reverse=True)
        for i in order[:left]:
            floors[i] += 1
    return total / 1000, [thousandths / 1000 for thousandths in floors]
