"""How check-worthy a sentence is, with the reasons behind the score.

`assess()` is the trained scorer of `claims.scoring` (its reasons are exact parts of
its score). The keyword heuristic the app used before it is kept below as
`heuristic_assess()`, as the baseline `evaluate_checkworthiness --model heuristic`
measures against.

The heuristic, not a model: facts that can be checked (numbers, dates,
quantities, named actors, attributed statements, concrete events) raise the score;
opinion, hedging, questions, very short sentences and headings lower it. Every
reason names the words of the sentence that triggered it, so a reviewer can see
why a sentence was or was not picked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import regex

from .scoring import model as scoring_model
from .segmenting import QUESTION_MARKS

BASE_SCORE = 0.3


@dataclass(frozen=True)
class Feature:
    name: str
    pattern: re.Pattern[str] | regex.Pattern[str]
    first: float  # weight of the first match
    each_more: float  # weight of every further distinct match
    cap: float  # the most (or, for negative weights, the least) in total


def _words(*words: str) -> str:
    return r"\b(?:" + "|".join(sorted(words, key=len, reverse=True)) + r")\b"


_MONTHS = (
    "January February March April May June July August September October November December"
).split()
_WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()

FEATURES = [
    Feature(
        "number",
        re.compile(r"(?<![\w-])\d[\d,.]*(?![\w-])"),
        0.2,
        0.05,
        0.3,
    ),
    Feature(
        "quantity",
        re.compile(
            r"%|\bper ?cent\b|[$€£¥]|"
            + _words(
                "two",
                "three",
                "four",
                "five",
                "six",
                "seven",
                "eight",
                "nine",
                "ten",
                "eleven",
                "twelve",
                "twenty",
                "thirty",
                "forty",
                "fifty",
                "hundred",
                "hundreds",
                "thousand",
                "thousands",
                "million",
                "millions",
                "billion",
                "billions",
                "dozen",
                "dozens",
                "half",
                "double",
                "tripled",
                "doubled",
                "majority",
                "minority",
            ),
            re.IGNORECASE,
        ),
        0.1,
        0.05,
        0.15,
    ),
    Feature(
        "date",
        re.compile(
            _words(*_MONTHS, *_WEEKDAYS)
            + r"|\b(?:19|20)\d\d\b|"
            + _words(
                "yesterday",
                "today",
                "tonight",
                "last week",
                "last month",
                "last year",
                "this week",
                "this month",
                "this year",
                "next week",
                "next year",
            ),
        ),
        0.15,
        0.05,
        0.2,
    ),
    Feature(
        "attributed statement",
        re.compile(
            _words(
                "said",
                "says",
                "told",
                "vowed",
                "vows",
                "claimed",
                "claims",
                "announced",
                "stated",
                "declared",
                "reported",
                "according to",
                "requested",
                "requesting",
                "demanded",
                "demanding",
                "denied",
                "confirmed",
                "promised",
                "pledged",
                "warned",
                "insisted",
                "accused",
                "rejected",
                "admitted",
                "acknowledged",
                "threatened",
                "estimated",
            ),
            re.IGNORECASE,
        ),
        0.2,
        0.1,
        0.35,
    ),
    Feature(
        "event",
        re.compile(
            _words(
                "killed",
                "dead",
                "died",
                "injured",
                "wounded",
                "arrested",
                "launched",
                "halted",
                "bombed",
                "attacked",
                "intervened",
                "signed",
                "voted",
                "passed",
                "elected",
                "resigned",
                "banned",
                "invaded",
                "seized",
                "captured",
                "increased",
                "decreased",
                "rose",
                "fell",
                "doubled",
                "failed",
                "driven out",
                "struck",
                "collapsed",
            ),
            re.IGNORECASE,
        ),
        0.1,
        0.05,
        0.15,
    ),
    Feature(
        "opinion marker",
        re.compile(
            _words(
                "ought to",
                "should",
                "must",
                "in effect",
                "I think",
                "I believe",
                "we believe",
                "in my view",
                "in our view",
                "clearly",
                "obviously",
                "of course",
                "arguably",
                "surely",
                "needless to say",
                "no surprise",
                "it is time",
                "we need",
            ),
            re.IGNORECASE,
        ),
        -0.25,
        -0.1,
        -0.4,
    ),
    Feature(
        "evaluative word",
        re.compile(
            _words(
                "brutal",
                "brutally",
                "characteristic",
                "terroristic",
                "genocidal",
                "imperialist",
                "weak",
                "shameful",
                "disgraceful",
                "absurd",
                "outrageous",
                "ridiculous",
                "terrible",
                "horrific",
                "appalling",
                "cynical",
                "cynically",
                "unsurprisingly",
                "sadly",
                "fortunately",
                "unfortunately",
                "disastrous",
                "catastrophic",
                "shocking",
                "wonderful",
                "great",
                "best",
                "worst",
                "heroic",
                "evil",
                "simply",
            ),
            re.IGNORECASE,
        ),
        -0.1,
        -0.05,
        -0.2,
    ),
    Feature(
        "hedging",
        # Case-sensitive, so the month "May" is not taken for the verb.
        re.compile(
            _words(
                "may",
                "might",
                "could",
                "perhaps",
                "Perhaps",
                "possibly",
                "Possibly",
                "probably",
                "likely",
                "seems",
                "seem",
                "appears",
                "apparently",
                "Apparently",
                "supposed to",
                "allegedly",
                "Allegedly",
            ),
        ),
        -0.1,
        -0.05,
        -0.2,
    ),
]

# Capitalised words that are not names when they start a sentence (or ever, like "I").
_NOT_NAMES = frozenset(
    """a about after again against all also although an and another any are as at because
    before being both but by can despite did do does during each either even every few for
    from had has have he her here his how however i if in instead into is it its just last
    many more most much my neither never no nor not now of on once one only or other our
    over since so some still such than that the their them then there these they this those
    though through thus to too under unless unlike until upon we were what when where whether
    which while who whom whose why will with within without yet you your""".split()
    # Articles and pronouns that start sentences in the desk's other Latin-script languages.
    + """el la los las lo le les un una une des del der die das dem den ein eine es er sie
    il gli ela ele eles os as uma""".split()
)
# Runs of capitalised words ("Syrian Arab Army"), allowing particles ("Bashar al Assad"),
# in every cased script: "Álvaro Fernández", "François", "Özdemir", "Лавров". (The
# `regex` package: the standard `re` has no \p{Lu}, "an uppercase letter".)
_CAPITALISED = r"\p{Lu}[\p{L}\p{M}]*(?:[’'][\p{Ll}\p{M}]+)?"
_PARTICLES = "al|bin|da|de|del|der|di|do|dos|du|el|ibn|la|le|van|von"
_NAME = regex.compile(
    rf"\b{_CAPITALISED}(?:\s+(?:(?:{_PARTICLES})\s+){{0,2}}{_CAPITALISED})*"  # "Luis de la Fuente"
)
_NAME_FEATURE = Feature("named actor", _NAME, 0.1, 0.05, 0.25)
_DATE_WORDS = frozenset(w.lower() for w in (*_MONTHS, *_WEEKDAYS))


def _named_actors(sentence: str) -> list[str]:
    names = []
    for match in _NAME.finditer(sentence):
        words = match.group().split()
        # Drop a sentence-initial function word ("The", "But") from the front.
        while words and words[0].lower().strip("’'") in _NOT_NAMES:
            words = words[1:]
        words = [w for w in words if w.lower() not in _DATE_WORDS]
        if words:
            names.append(" ".join(words).removesuffix("’s").removesuffix("'s"))
    return names


def _lowercase_matcher(pattern: re.Pattern[str] | regex.Pattern[str]) -> re.Pattern[str] | None:
    """The same search of lowercased text: `re` runs a case-sensitive alternation of words
    about three times faster than an IGNORECASE one. None where it would not be the same
    search (no IGNORECASE, or an escape like \\W that lowercasing would change)."""
    if not isinstance(pattern, re.Pattern) or not pattern.flags & re.IGNORECASE:
        return None
    if re.search(r"\\[A-Z]", pattern.pattern):
        return None
    return re.compile(pattern.pattern.lower(), pattern.flags & ~re.IGNORECASE)


_LOWERCASE = {
    feature.name: matcher
    for feature in FEATURES
    if (matcher := _lowercase_matcher(feature.pattern)) is not None
}


def _score_feature(feature: Feature, matches: list[str], reasons: list[dict]) -> float:
    distinct = list(dict.fromkeys(matches))
    if not distinct:
        return 0.0
    total = feature.first + feature.each_more * (len(distinct) - 1)
    total = min(total, feature.cap) if feature.cap >= 0 else max(total, feature.cap)
    share = round(total / len(distinct), 3)
    reasons.extend({"feature": feature.name, "match": m, "weight": share} for m in distinct)
    return total


def assess(
    sentence: str, *, is_heading: bool = False, language: str | None = "en"
) -> tuple[float, list[dict]]:
    """Score `sentence` in [0, 1] and say why: [{feature, spans, weight}] as a claim stores
    them, weights adding up to the score. `language` is a BCP-47 tag ("en", "pt-BR")."""
    return scoring_model.assess(sentence, is_heading=is_heading, language=language)


def explain(sentence: str, reasons: list[dict]) -> list[dict]:
    """The reasons of `sentence` (of either scorer) as people read them: [{feature, label,
    match, words, spans, weight}]."""
    return scoring_model.explain(sentence, reasons)


def scorer_version() -> str:
    """What scored a claim: the weights file's name and hash."""
    return scoring_model.load().version


def heuristic_assess(sentence: str, *, is_heading: bool = False) -> tuple[float, list[dict]]:
    """The keyword heuristic (before the trained scorer): [{feature, match, weight}]."""
    reasons: list[dict] = []
    score = BASE_SCORE
    lowered = sentence.lower()
    same_length = len(lowered) == len(sentence)  # not so for "İ", rarely anything else
    for feature in FEATURES:
        quick = _LOWERCASE.get(feature.name) if same_length else None
        if quick is None:
            matches = [m.group() for m in feature.pattern.finditer(sentence)]
        else:
            matches = [sentence[m.start() : m.end()] for m in quick.finditer(lowered)]
        score += _score_feature(feature, matches, reasons)
    score += _score_feature(_NAME_FEATURE, _named_actors(sentence), reasons)

    word_count = len(sentence.split())
    if (question := _question_mark(sentence)) is not None:
        score -= 0.3
        reasons.append({"feature": "question", "match": question, "weight": -0.3})
    if word_count < 6 and not is_heading:
        score -= 0.2
        reasons.append(
            {"feature": "short sentence", "match": f"{word_count} words", "weight": -0.2}
        )
    if is_heading:
        score -= 0.5
        reasons.append({"feature": "heading", "match": sentence, "weight": -0.5})
    return round(min(1.0, max(0.0, score)), 2), reasons


def _question_mark(sentence: str) -> str | None:
    """The question mark the sentence ends with, in any script ("?", "？", "؟", "፧"),
    or None. (A sentence ending in a quoted question reports one: not counted.)"""
    end = sentence.rstrip()
    return end[-1] if end.endswith(QUESTION_MARKS) else None


def describe(reason: dict) -> str:
    """'states a number: 23 (+0.120)', for people (an explained reason of either scorer)."""
    label = reason.get("label") or reason["feature"]
    words = f": {reason['match']}" if reason.get("match") else ""
    return f"{label}{words} ({reason['weight']:+.3f})"
