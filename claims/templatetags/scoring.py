"""The words behind a claim's check-worthiness reasons, marked in its sentence."""

from __future__ import annotations

from dataclasses import dataclass

from django import template

register = template.Library()

# Reasons about the whole sentence (or none of it) mark nothing.
_UNMARKED = {"start", "heading", "language-neutral only"}


@dataclass(frozen=True)
class Part:
    text: str
    labels: str  # what the marked words answer, for the mark's title; "" when unmarked
    direction: str  # "up", "down" or "mixed" for marked words; "" otherwise


@register.filter
def reason_parts(text: str, reasons: list[dict] | None) -> list[Part]:
    """`text` cut into runs, each with the reasons (if any) whose words cover it.

    Reasons of the keyword heuristic (before the trained scorer) have no spans: the text
    comes back as one unmarked run.
    """
    cover: list[dict[str, float]] = [{} for _ in text]
    for reason in reasons or []:
        if reason.get("feature") in _UNMARKED or reason.get("feature", "").startswith("length"):
            continue
        label = reason.get("label") or reason.get("feature", "")
        for start, end in reason.get("spans") or []:
            for i in range(max(0, start), min(end, len(text))):
                cover[i][label] = reason.get("weight", 0.0)
    parts: list[Part] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or cover[i] != cover[start]:
            parts.append(_part(text[start:i], cover[start]))
            start = i
    return parts


def _part(text: str, labels: dict[str, float]) -> Part:
    if not labels:
        return Part(text, "", "")
    signs = {w > 0 for w in labels.values() if w}
    direction = "mixed" if len(signs) != 1 else ("up" if signs == {True} else "down")
    return Part(text, "; ".join(labels), direction)
