"""Training the check-worthiness model: `manage.py train_checkworthiness`.

Needs scikit-learn (the `dev` extra); scoring does not. Deterministic: the same data
gives the same weights file, byte for byte (lbfgs has no randomness; the vocabulary,
the settings tried and the JSON are all in a fixed order).

What is chosen on the dev set, and only there: the regularisation strength C (from a
fixed list, by ROC-AUC), whether English uses the word n-grams (by F1 at the best
threshold), and the threshold itself. The intercept is then moved so that the chosen
threshold is 0.5, the app's default: a score says "above or below the line drawn on
the dev set", not a calibrated probability.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import evaluation, features, labelled, model, ngrams

DATA = Path(__file__).with_name("data")
TRAIN_PATH = DATA / "CT24_checkworthy_english_train.tsv"
DEV_PATH = DATA / "CT24_checkworthy_english_dev.tsv"
NAME = "checkworthiness-lr-1"
C_GRID = (0.03, 0.1, 0.3, 1.0, 3.0)
MIN_NGRAM_COUNT = 5  # an n-gram must occur in this many training sentences
MAX_NGRAMS = 6000
ENGLISH = features.language_of("en")


@dataclass(frozen=True)
class Trained:
    key: str
    model: model.LinearModel
    c: float
    threshold_z: float
    dev_f1: float
    dev_auc: float


def _feature_names(sentence: str, allowed: set[str]) -> list[str]:
    return [h.feature for h in features.extract(sentence, ENGLISH) if h.feature in allowed]


def _content(gram: str, stop: frozenset[str]) -> bool:
    """An n-gram with at least one content word: function words ("it", "was", "in")
    carry a speaker's register (debate speech) more than anything checkable, and would
    not travel to news text."""
    return any(word not in stop for word in gram.split())


def _vocabulary(texts: Sequence[str]) -> list[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    stop = frozenset(ENGLISH_STOP_WORDS) | {"it's", "i'm", "we're", "don't", "that's"}
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(g for g in ngrams.extract(text) if _content(g, stop))
    common = [(g, n) for g, n in counts.items() if n >= MIN_NGRAM_COUNT]
    common.sort(key=lambda item: (-item[1], item[0]))
    return sorted(g for g, _ in common[:MAX_NGRAMS])


def _fit(
    key: str,
    allowed: set[str],
    vocabulary: list[str],
    train: Sequence[labelled.Labelled],
    dev: Sequence[labelled.Labelled],
    log: Callable[[str], None],
) -> Trained:
    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    columns = sorted(allowed) + [f"ngram:{g}" for g in vocabulary]
    index = {name: i for i, name in enumerate(columns)}
    grams = set(vocabulary)

    def matrix(rows: Sequence[labelled.Labelled]) -> Any:
        data_rows, data_cols = [], []
        for r, row in enumerate(rows):
            names = _feature_names(row.text, allowed)
            if grams:
                names += [f"ngram:{g}" for g in ngrams.extract(row.text) if g in grams]
            for name in names:
                data_rows.append(r)
                data_cols.append(index[name])
        values = np.ones(len(data_rows))
        return csr_matrix((values, (data_rows, data_cols)), shape=(len(rows), len(columns)))

    x_train, y_train = matrix(train), np.array([r.worthy for r in train])
    best: Trained | None = None
    for c in C_GRID:
        fitted = LogisticRegression(C=c, max_iter=5000, solver="lbfgs").fit(x_train, y_train)
        weights = {
            name: round(float(w), 5)
            for name, w in zip(columns, fitted.coef_[0], strict=True)
            if round(float(w), 5) != 0.0
        }
        linear = model.LinearModel(round(float(fitted.intercept_[0]), 5), weights, bool(grams))
        language = ENGLISH if key != "neutral" else features.language_of("xx")
        z = [model.logit(r.text, language, linear) for r in dev]
        labels = [r.worthy for r in dev]
        auc = evaluation.roc_auc(z, labels)
        threshold, f1 = evaluation.best_threshold(z, labels)
        log(f"  {key:8} C={c:<5} dev AUC {auc:.4f}  best F1 {f1:.4f}")
        if best is None or auc > best.dev_auc:
            best = Trained(key, linear, c, threshold, f1, auc)
    assert best is not None
    return best


def train(
    *,
    extra: Sequence[Path] = (),
    out: Path = model.WEIGHTS_PATH,
    log: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Fit the three models, choose settings on dev, write the weights file."""
    rows = labelled.read(TRAIN_PATH)
    for path in extra:
        rows += labelled.read(path)
    dev = labelled.read(DEV_PATH)
    log(f"training on {len(rows)} sentences, choosing on {len(dev)} (dev)")
    every = {f.name for f in features.FEATURES}
    neutral = set(features.NEUTRAL)
    vocabulary = _vocabulary([r.text for r in rows])
    fits = {
        "full": _fit("full", every, vocabulary, rows, dev, log),
        "cues": _fit("cues", every, [], rows, dev, log),
        "neutral": _fit("neutral", neutral, [], rows, dev, log),
    }
    english = "full" if fits["full"].dev_f1 > fits["cues"].dev_f1 else "cues"
    document: dict[str, Any] = {
        "name": NAME,
        "english_model": english,
        "threshold": 0.5,
        "trained_on": [TRAIN_PATH.name, *(p.name for p in extra)],
        "chosen_on": DEV_PATH.name,
        "models": {},
    }
    for key, fit in fits.items():
        document["models"][key] = {
            # z - threshold_z: the dev set's best threshold becomes σ(0) = 0.5.
            "intercept": round(fit.model.intercept - fit.threshold_z, 5),
            "ngrams": fit.model.ngrams,
            "c": fit.c,
            "dev": {"auc": round(fit.dev_auc, 4), "best_f1": round(fit.dev_f1, 4)},
            "weights": dict(sorted(fit.model.weights.items())),
        }
    out.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    model.load.cache_clear()
    log(f"English uses the {english!r} model; wrote {out}")
    return document
