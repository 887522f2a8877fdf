"""Precision, recall, F1, ROC-AUC and the confusion matrix, in plain Python.

The evaluation command runs where scikit-learn is not installed, so the few measures
it reports are computed here; tests check them against worked examples.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Confusion:
    tp: int
    fp: int
    fn: int
    tn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def confusion(scores: Sequence[float], labels: Sequence[bool], threshold: float) -> Confusion:
    tp = fp = fn = tn = 0
    for score, label in zip(scores, labels, strict=True):
        predicted = score >= threshold
        if predicted and label:
            tp += 1
        elif predicted:
            fp += 1
        elif label:
            fn += 1
        else:
            tn += 1
    return Confusion(tp, fp, fn, tn)


def roc_auc(scores: Sequence[float], labels: Sequence[bool]) -> float:
    """The chance a random positive scores above a random negative (ties count half)."""
    positives = sum(labels)
    negatives = len(labels) - positives
    if not positives or not negatives:
        return float("nan")
    order = sorted(range(len(scores)), key=lambda i: scores[i])
    rank_sum, i = 0.0, 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and scores[order[j + 1]] == scores[order[i]]:
            j += 1
        mid_rank = (i + j) / 2 + 1
        rank_sum += mid_rank * sum(labels[order[k]] for k in range(i, j + 1))
        i = j + 1
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


def best_threshold(scores: Sequence[float], labels: Sequence[bool]) -> tuple[float, float]:
    """The threshold (a score, or halfway between two) with the best F1, and that F1."""
    distinct = sorted(set(scores))
    candidates = [(a + b) / 2 for a, b in itertools.pairwise(distinct)]
    candidates += distinct[:1]
    best = (0.5, -1.0)
    for threshold in candidates:
        f1 = confusion(scores, labels, threshold).f1
        if f1 > best[1]:
            best = (threshold, f1)
    return best
