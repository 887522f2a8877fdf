"""The questions a fact-checker asks of a sentence, answered with the words that answer them.

`extract(sentence, language)` returns one `Hit` per feature that fires: the feature's
name and the exact character spans of the sentence that made it fire. Nothing else is
a feature: the model (`model.py`) weighs these hits and nothing more, so every part of
a score can be shown as words of the sentence.

Two kinds of feature:
- language-neutral ones read digits, currency and percent signs, quotation marks,
  question marks, capitalised names and length, which mean the same in any language
  written with them;
- cue features look for words from a per-language list (`cues.py`): attribution verbs,
  opinion and hedging words, months… A language without lists gets none of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

import regex

from ..segmenting import QUESTION_MARKS
from . import cues

Span = tuple[int, int]


@dataclass(frozen=True)
class Feature:
    name: str
    label: str  # what the reason says, for people: "attributes words to someone"
    neutral: bool  # holds in any language


class Hit(NamedTuple):  # a tuple: tens of thousands are made per import
    feature: str
    spans: tuple[Span, ...]


FEATURES = [
    Feature("number", "states a number", True),
    Feature("percentage", "gives a percentage", True),
    Feature("money", "talks about money or the economy", True),
    Feature("date", "mentions a date or a span of time", True),
    Feature("quotation", "has words in quotation marks", True),
    Feature("name", "uses a proper name (a person, place, group, title…)", True),
    Feature("question", "is a question", True),
    Feature("exclamation", "is an exclamation", True),
    Feature("length short", "is short (7 words or fewer)", True),
    Feature("length medium", "is of middling length (8 to 15 words)", True),
    Feature("length long", "is long (16 to 30 words)", True),
    Feature("length very long", "is very long (over 30 words)", True),
    Feature("attribution", "attributes words to someone", False),
    Feature("study", "mentions research, data or experts", False),
    Feature("number word", "states a quantity in words", False),
    Feature("comparison", "makes a comparison (more than, the largest…)", False),
    Feature("change", "describes a rise, fall or change", False),
    Feature("event", "reports an event", False),
    Feature("cause", "gives a cause or consequence", False),
    Feature("future", "speaks of the future or a hypothetical", False),
    Feature("opinion", "uses opinion or emphasis words", False),
    Feature("hedging", "hedges or speaks of a possibility", False),
    Feature("obligation", "says what should or must be done", False),
    Feature("first person", "speaks of the speaker (first person)", False),
    Feature("addressing you", "addresses the listener (you)", False),
    Feature("conversation", "uses a conversational phrase", False),
    Feature("absolute", "uses an absolute word (all, never, only…)", False),
    Feature("policy topic", "names a topic of public policy", False),
]
BY_NAME = {f.name: f for f in FEATURES}
NEUTRAL = [f.name for f in FEATURES if f.neutral]
# Cue features whose list in cues.py has another key.
_CUE_KEY = {"percentage": "percentage word", "money": "money word", "date": "date word"}

_WORD = regex.compile(r"\w+(?:['’]\w+)*")
_RUN = regex.compile(r"\w+")
_WORD_CHAR = regex.compile(r"\w")
_LAST_WORD_CHAR = regex.compile(r"(?r)\w")  # searched from the end
_DIGIT = regex.compile(r"\p{Nd}")  # every number and date pattern needs one
_QUOTE_OPENER = regex.compile('[“«„"‘]')  # every quotation pattern starts with one
# Not digits inside a name ("Covid-19", "F-35", "G7", "A8", "5G"); a unit in small
# letters may follow ("22mm", "3bn", "1st").
_NUMBER = regex.compile(
    r"(?<![\p{Nd}\p{L}])(?<!\p{L}[-‐])\p{Nd}+(?:[.,]\p{Nd}+)*(?![\p{Nd}\p{Lu}\p{Lt}])"
)
_PERCENT = regex.compile(r"[%٪‰]")
_CURRENCY = regex.compile(r"\p{Sc}")
# ISO and day/month/year dates; a year only where it reads as a year: after a word
# that introduces one, or with nothing but punctuation after it ("in 2019", "(2019)",
# "since 1998", "2019." but not "2000 troops").
_DATE = regex.compile(
    r"(?<!\p{Nd})\d{4}-\d{2}-\d{2}(?!\p{Nd})"
    r"|(?<!\p{Nd})\d{1,2}[./]\d{1,2}[./](?:\d{4}|\d{2})(?![\p{Nd}.])"
    r"|(?<=\b(?i:in|since|by|until|from|of|before|after|en|desde|em|depuis|seit|im|ab|bis|"
    r"dès|année|año|ano|Jahr|عام|سنة|منذ)\s)(?:1[89]|20)\d\d(?!\p{Nd})"
    r"|(?<![\p{Nd}.,\p{Sc}])(?:19|20)\d\d(?=\s*(?:[.,;:!?)\]]|$))"
    r"|(?<=\b\p{Lu}\p{Ll}+\.?\s(?:\d{1,2},?\s)?)(?:1[89]|20)\d\d(?!\p{Nd})",
)
_QUOTATION = regex.compile(
    r"“[^“”]+”|«[^«»]+»|„[^„“”]+[“”]|\"[^\"]+\"|(?<![\p{L}\p{Nd}])‘[^‘’]+’(?![\p{L}\p{Nd}])"
)
_CAPITALISED = regex.compile(r"\p{Lu}[\p{L}\p{M}]*(?:[-'’]\p{L}[\p{L}\p{M}]*)*")
_PARTICLES = frozenset("al bin ibn de del della di da du la le van von der den".split())
# Before a capitalised word, any of these (or nothing) marks the start of a sentence or
# of a quotation, where capitals say nothing about names.
_OPENERS = ".:;!?“\"«„‘'([—–-…"


@dataclass(frozen=True)
class Language:
    tag: str  # the primary language subtag, lowercased: "en", "pt"
    has_cues: bool
    names_by_capitals: bool


@cache
def language_of(tag: str | None) -> Language:
    primary = (tag or "en").replace("_", "-").split("-")[0].lower() or "en"
    return Language(primary, primary in cues.CUES, primary not in cues.NO_NAME_CAPITALS)


def extract(sentence: str, language: Language) -> list[Hit]:
    """Every feature that fires on `sentence`, with the spans that fire it, in FEATURES order."""
    found: dict[str, list[Span]] = {}

    def add(name: str, spans: list[Span]) -> None:
        if spans:
            found.setdefault(name, []).extend(spans)

    digits = _DIGIT.search(sentence) is not None
    add("number", _spans(_NUMBER, sentence) if digits else [])
    if "%" in sentence or "٪" in sentence or "‰" in sentence:
        add("percentage", _spans(_PERCENT, sentence))
    add("money", _spans(_CURRENCY, sentence))
    add("date", _spans(_DATE, sentence) if digits else [])
    if _QUOTE_OPENER.search(sentence):
        add("quotation", _spans(_QUOTATION, sentence))
    words = _WORD.findall(sentence)
    if language.names_by_capitals and not _title_case(words):
        add("name", _names(sentence, language))
    stripped = sentence.rstrip().rstrip("\"'”’»)")
    if stripped.endswith(QUESTION_MARKS) or "¿" in sentence:
        end = len(stripped)
        add("question", [(end - 1, end)] if stripped.endswith(QUESTION_MARKS) else [])
        add("question", [(i, i + 1) for i, ch in enumerate(sentence) if ch == "¿"])
    if stripped.endswith(("!", "！")):
        add("exclamation", [(len(stripped) - 1, len(stripped))])
    if words:  # from the first word's first character to the last one's last
        first, last = _WORD_CHAR.search(sentence), _LAST_WORD_CHAR.search(sentence)
        assert first is not None
        assert last is not None
        add(_length_feature(len(words)), [(first.start(), last.end())])
    else:
        add(_length_feature(0), [(0, 0)])

    if language.has_cues:
        starts = _cue_starts(sentence, _cue_index(language.tag)[1])
        for name, key, pattern, indexed in _cue_plan(language.tag):
            if not indexed:
                spans = _spans(pattern, sentence)
            elif (at := starts.get(key)) is not None:
                spans = _spans_at(pattern, sentence, sorted(at))
            else:
                continue  # no phrase of the list has all its words here
            if language.names_by_capitals:
                spans = [
                    s
                    for s in spans
                    if not (sentence[s[0]].isupper() and _inside_name(sentence, s, language.tag))
                ]
            add(name, spans)
    return [Hit(f.name, tuple(sorted(set(found[f.name])))) for f in FEATURES if f.name in found]


def _inside_name(sentence: str, span: Span, tag: str) -> bool:
    """A cue word written with a capital in mid-sentence is part of a name ("Ms. Price",
    "Bill Clinton", "Will Smith"), not the word of the list, unless the list writes it
    with its capital ("March", "I think")."""
    start, end = span
    if not sentence[start].isupper() or sentence[start:end] in _capitalised_cues(tag):
        return False
    before = sentence[:start].rstrip()
    after_title = before.endswith(".") and _last_word(before[:-1]) in cues.HONORIFICS
    return bool(before) and (before[-1] not in _OPENERS or after_title)


def word_count(sentence: str) -> int:
    return len(_WORD.findall(sentence))


def _length_feature(count: int) -> str:
    if count <= 7:
        return "length short"
    if count <= 15:
        return "length medium"
    if count <= 30:
        return "length long"
    return "length very long"


def _spans(pattern: regex.Pattern[str], text: str) -> list[Span]:
    return [m.span() for m in pattern.finditer(text) if m.end() > m.start()]


def _names(sentence: str, language: Language) -> list[Span]:
    """Runs of capitalised words that do not open a sentence or a quotation.

    A capital in the middle of a sentence is how languages written in Latin, Greek or
    Cyrillic letters mark a proper name (German, which capitalises every noun, and lines
    in Title Case are left out by the caller). The first word of a sentence, of a
    quotation or after a colon says nothing; month and weekday names, "I" and time-zone
    abbreviations are not names.
    """
    not_names = _not_names(language.tag)
    spans: list[Span] = []
    run: Span | None = None
    for match in _CAPITALISED.finditer(sentence):
        start, end = match.span()
        word = match.group()
        if word.endswith(("’s", "'s")):
            end -= 2
            word = word[:-2]
        if _DIGIT.match(sentence, end):
            continue  # a code or a reference ("A8", "G7"), not a name
        before = sentence[:start].rstrip()
        after_title = before.endswith(".") and _last_word(before[:-1]) in cues.HONORIFICS
        opens = not before or (before[-1] in _OPENERS and not after_title)
        joins = run is not None and (
            _joined(sentence[run[1] : start]) or (after_title and run[1] == len(before) - 1)
        )
        if joins and run is not None:
            run = (run[0], end)
            continue
        if run is not None:
            spans.append(run)
            run = None
        if word.removesuffix("s").isupper():
            # An abbreviation ("XP", "FRBs") may be a name or a common noun: not counted,
            # unless it continues a name ("Alameda County DA").
            continue
        if opens or len(word) < 2 or word in not_names or word.casefold() in not_names:
            continue
        run = (start, end)
    if run is not None:
        spans.append(run)
    return spans


def _last_word(text: str) -> str:
    words = text.split()
    return words[-1] if words else ""


def _title_case(words: list[str]) -> bool:
    """A line in Title Case ("Join the Conversation"): its capitals mark the style."""
    long_words = [w for w in words if len(w) >= 4]
    return len(long_words) >= 2 and all(w[0].isupper() for w in long_words)


def _joined(gap: str) -> bool:
    """Whether two capitalised words with `gap` between them are one name."""
    parts = gap.split()
    if gap and not gap.strip():
        return True
    return len(parts) == 1 and parts[0].lower() in _PARTICLES and gap[0].isspace()


@cache
def _not_names(tag: str) -> frozenset[str]:
    dates = cues.CUES.get(tag, {}).get("date word", ())
    return cues.NOT_NAMES | {d.lstrip("=^").casefold() for d in dates if " " not in d}


@cache
def _capitalised_cues(tag: str) -> frozenset[str]:
    phrases = (p.lstrip("=^") for ps in cues.CUES.get(tag, {}).values() for p in ps)
    return frozenset(p for p in phrases if p[:1].isupper())


def _cue_starts(sentence: str, index: CueIndex) -> dict[str, set[int]]:
    """Per indexed cue list, where one of its phrases could match in `sentence`: where
    a phrase starts whose words are all in the sentence. Nowhere else can one match."""
    positions: dict[str, list[int]] = {}
    for match in _RUN.finditer(sentence):
        positions.setdefault(match.group().casefold(), []).append(match.start())
    starts: dict[str, set[int]] = {}
    for run, at in positions.items():
        for key, rest, back in index.get(run, ()):
            if rest and not all(word in positions for word in rest):
                continue
            if (found := starts.get(key)) is None:
                found = starts[key] = set()
            found.update(i - back for i in at if i >= back) if back else found.update(at)
    return starts


def _spans_at(pattern: regex.Pattern[str], text: str, starts: list[int]) -> list[Span]:
    """What `_spans` finds, trying the pattern only at `starts` (in order): the same
    leftmost, non-overlapping matches when no match can start anywhere else."""
    spans: list[Span] = []
    end = 0
    for start in starts:
        if start < end or (match := pattern.match(text, start)) is None:
            continue
        if match.end() > start:
            spans.append(match.span())
            end = match.end()
    return spans


# A cue list's phrases by first word (case-folded): (the list's key, the phrase's other
# words, how many characters before its first word the phrase starts: 1 for "'ll").
CueIndex = dict[str, list[tuple[str, tuple[str, ...], int]]]


@cache
def _cue_index(tag: str) -> tuple[frozenset[str], CueIndex]:
    """The cue lists of `tag` that can be looked up by their words, and their phrases.

    A phrase can only match where each of its words is a whole run of word characters
    in the sentence (its pattern puts boundaries, or the phrase's own spaces and
    apostrophes, around every word), starting with its first word (or the apostrophe
    just before it). Lists this can't be said of (a language whose words take attached
    prefixes; a phrase that does not start and end on a boundary, or has "_") are
    searched the whole way: they are not indexed."""
    if cues.ATTACHED_PREFIXES.get(tag):
        return frozenset(), {}
    indexed: set[str] = set()
    index: CueIndex = {}
    for key, phrases in cues.CUES[tag].items():
        entries = []
        for phrase in phrases:
            text = phrase.lstrip("^=")
            words = [run.casefold() for run in _RUN.findall(text)]
            apostrophe = text[:1] in ("'", "’") and text[1:2].isalnum()
            if (
                not words
                or "_" in text
                or (not text[0].isalnum() and not apostrophe)  # no left boundary
                or (not text[-1].isalnum() and text[-1] not in ".'’")  # nor a right one
            ):
                break
            entries.append((words[0], (key, tuple(words[1:]), 1 if apostrophe else 0)))
        else:
            indexed.add(key)
            for first, entry in entries:
                index.setdefault(first, []).append(entry)
    return frozenset(indexed), index


@cache
def _cue_plan(tag: str) -> list[tuple[str, str, regex.Pattern[str], bool]]:
    """The cue features of `tag`, in FEATURES order: name, list key, pattern, whether the
    list is indexed by its words (`_cue_index`)."""
    patterns, (indexed, _) = _cue_patterns(tag), _cue_index(tag)
    keys = ((f.name, _CUE_KEY.get(f.name, f.name)) for f in FEATURES)
    return [(name, key, patterns[key], key in indexed) for name, key in keys if key in patterns]


@cache
def _cue_patterns(tag: str) -> dict[str, regex.Pattern[str]]:
    prefix = cues.ATTACHED_PREFIXES.get(tag, "")
    return {key: _phrases(phrases, prefix) for key, phrases in cues.CUES[tag].items()}


def _phrases(phrases: tuple[str, ...], prefix: str) -> regex.Pattern[str]:
    """One pattern for a list of phrases, matching whole words, longest phrase first.

    Phrases that need the same word boundaries share one group, so the boundaries are
    tested once per position, not once per phrase (several times faster)."""
    groups: dict[tuple[str, str, str], list[str]] = {}
    for phrase in sorted(phrases, key=len, reverse=True):
        text, anchor, case = phrase, "", "i"
        if text.startswith("^"):
            text, anchor = text[1:], r"(?<=^[\s\"“«„‘'(]*)"
        if text.startswith("="):
            text, case = text[1:], "-i"
        body = r"\s+".join(
            "['’]".join(regex.escape(piece) for piece in regex.split("['’]", word))
            for word in text.split()
        )
        # Whole words: not inside a longer word, a hyphenated one or a contraction
        # ("won" is not in "won’t").
        left = r"(?<![\w-])(?<!\w['’])" if text[0].isalnum() else ""
        if prefix and left:
            left = rf"(?:(?<![\w-])|(?<=(?<![\w-]){prefix}))"
        right = r"(?![\w-])(?!['’]\w)" if text[-1].isalnum() else ""
        groups.setdefault((anchor, left, right), []).append(f"(?{case}:{body})")
    parts = [
        f"{a}{left}(?:{'|'.join(bodies)}){right}" for (a, left, right), bodies in groups.items()
    ]
    return regex.compile("|".join(parts))
