"""Sentences of an article with their exact spans, split by a segmenter that knows the
language.

pysbd where it has rules for the language (`PYSBD_LANGUAGES`); sentencex, which covers
some 300 languages (Portuguese, Bengali, Indonesian, …), for the rest. English rules are
never applied to another language. Either way every span is exact: `body[start:end]` is
the sentence, trimmed.

Speed: pysbd is thorough but slow (about 1,300 sentences a second, and slower than linear
on long input). Most sentence ends of news text are not in doubt: a word of two or more
letters that is no abbreviation, a full stop, a space, a capital. A paragraph is cut at
those ends first (`_clear_cuts`), and only the pieces that still hold something pysbd
decides (an abbreviation, a number like 3.5, an ellipsis, quotation marks, brackets) are
given to it. pysbd cuts at these same ends, so the result is the same, several times
faster.

Quotations: both segmenters keep a quotation of several sentences in one sentence
(`He said "We won. They lost."`). A reviewer checks sentences, so a sentence with
quotation marks is segmented again with its marks read as spaces (same length, so the
offsets hold) and each mark given back to the sentence it touches.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache

import pysbd
import sentencex
from pysbd.lang.common import Common
from pysbd.languages import LANGUAGE_CODES

from .languages import primary

HEADING_MAX_CHARS = 100
HEADING_MAX_WORDS = 12
# pysbd's cost grows faster than linearly with its input, so a very long piece is cut at
# likely sentence ends into pieces of about this size before segmenting.
SEGMENT_CHUNK_CHARS = 5_000

PYSBD_LANGUAGES = frozenset(LANGUAGE_CODES)

# Sentence ends across scripts: Latin, Devanagari and Bengali danda (। ॥), Arabic and
# Urdu (؟ ۔), CJK full-width (。 ！ ？ ．), Ethiopic (። ፧ ፨), Myanmar (။ ၊), Armenian (։),
# Tibetan shad (།), Thai has none (spaces), Greek question mark is ";" after NFC.
SENTENCE_ENDS = ".!?…;。！？．｡।॥؟۔።፧፨။၊։།"
# What may close a sentence after its end: quotation marks and brackets.
_CLOSERS = "\"'”’»›)]}」』）〉》】"
_THIN_SPACES = " \u00a0\u202f\u2009"
# Closing marks at the start of a sentence: those that only close, or a straight quote
# followed by a space (an opening one would touch its word).
_LEADING_CLOSERS = re.compile(r"([»›”)\]」』）\"']+)\s+")
_OPENERS = "\"'“‘„«‹([{「『（〈《【"
# A line ending in one of these is a sentence (or a clause), never a heading.
CLOSING_PUNCTUATION = tuple(SENTENCE_ENDS + ":" + _CLOSERS)
# Question marks: Latin, full-width (CJK), Arabic, Ethiopic, reversed (Arabic irony).
# (The Greek question mark becomes ";" under NFC, and ";" ends no English question.)
QUESTION_MARKS = ("?", "？", "؟", "፧", "⸮")

# A paragraph: lines up to a blank line. The public pages show the body in these same
# paragraphs, so every claim (a sentence found inside one) lies within one of them.
PARAGRAPH = re.compile(r"[^\n]+(?:\n[^\n]+)*")
MARKDOWN_HEADING = re.compile(r"^(#{1,6})[ \t]+(?=\S)")

# Quotation marks, read as spaces when a quotation is segmented again (see above).
_QUOTES = re.compile(r"[\"“”„«»‹›「」『』]|(?<!\w)['‘’]|['‘’](?!\w)")
# A sentence end no segmenter doubts: a word of 2+ letters, ".", "!" or "?", spaces, and
# a capital letter (checked in code: `str.isupper`, for every cased script).
_CLEAR_END = re.compile(r"(?:(?<=\s)|^)([^\W_]{2,})[.!?]\s+(?=\w)|\n")
# What only pysbd can decide (abbreviations, decimals, ellipses, quotations, brackets).
_DOUBT = re.compile(
    rf"[{re.escape(SENTENCE_ENDS)}:\"“”„«»‹›()\[\]{{}}‘]|'(?!\w)|(?<!\w)'|’(?!\w)|(?<!\w)’"
)
# What pysbd may read as a list item: one or two digits, a letter or a Roman numeral
# before "." or ")" ("1. ", "b) ", "iv. ").
_LIST_ITEM = re.compile(r"(?<!\S)(?:\d{1,2}|[^\W\d_]|[ivxlcdmIVXLCDM]+)[.)](?!\S)")
# Titles before a name, in the languages the desk meets: a sentence never ends on them
# ("El Sr. García", "Dr. Müller"), whatever a segmenter's rules say.
TITLES = frozenset(
    """dr dra mr mrs ms mx prof sr sra srta sres st sta jr gen sen rep gov lt col capt sgt
    hr fr frau m mme mlle mgr dott sig pres""".split()
)


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    paragraph: int
    is_heading: bool


# progress(characters split, characters in all, sentences found so far)
Progress = Callable[[int, int, int], None]


def segmenter_name(language: str) -> str:
    """Which segmenter splits `language`: "pysbd" or "sentencex"."""
    return "pysbd" if primary(language) in PYSBD_LANGUAGES else "sentencex"


def is_heading(paragraph: str) -> bool:
    """A short line with no closing punctuation (in any script) and something to read."""
    if "\n" in paragraph or paragraph.endswith(CLOSING_PUNCTUATION):
        return False
    if not any(ch.isalnum() for ch in paragraph):  # a rule like "---" or "***"
        return False
    return len(paragraph) <= HEADING_MAX_CHARS and len(paragraph.split()) <= HEADING_MAX_WORDS


def split_sentences(
    body: str, language: str = "en", progress: Progress | None = None
) -> list[Sentence]:
    """Every sentence of `body` with its exact span: body[start:end] is its text.

    `progress`, when given, is told after each paragraph how far the split has got."""
    segment = _segment_function(primary(language))
    sentences: list[Sentence] = []
    for number, match in enumerate(PARAGRAPH.finditer(body)):
        text, offset = match.group(), match.start()
        if (heading := MARKDOWN_HEADING.match(text)) and "\n" not in text:
            sentences.append(Sentence(offset + heading.end(), match.end(), number, True))
        elif is_heading(text.strip()):
            first = len(text) - len(text.lstrip())
            sentences.append(Sentence(offset + first, offset + len(text.rstrip()), number, True))
        else:
            spans = _titles_to_their_names(text, segment(text))
            spans = _split_quotations(text, spans, segment)
            spans = _closers_to_their_sentence(text, spans)
            for start, end in spans:
                sentences.append(Sentence(offset + start, offset + end, number, False))
        if progress is not None:
            progress(match.end(), len(body), len(sentences))
    return sentences


# --- the segmenters -------------------------------------------------------------------------

Spans = list[tuple[int, int]]


@cache
def _segment_function(code: str) -> Callable[[str], Spans]:
    """The segmenter of a primary language tag, made once per process (pysbd's rules
    take a while to set up)."""
    if code in PYSBD_LANGUAGES:
        return _PysbdSegmenter(code).spans

    def sentencex_spans(text: str) -> Spans:
        found = []
        for boundary in sentencex.get_sentence_boundaries(code, text):
            start, end = boundary["start_index"], boundary["end_index"]
            found.extend(_trim(text, start, end))
        return found

    return sentencex_spans


def _trim(text: str, start: int, end: int) -> Spans:
    """[(start, end)] of text[start:end] without its surrounding spaces, or [] when it
    has nothing to read (only punctuation or spaces)."""
    piece = text[start:end]
    stripped = piece.strip()
    if not any(ch.isalnum() for ch in stripped):
        return []
    start += len(piece) - len(piece.lstrip())
    return [(start, start + len(stripped))]


class _PysbdSegmenter:
    def __init__(self, code: str) -> None:
        self.segmenter = pysbd.Segmenter(language=code, clean=False)
        rules = LANGUAGE_CODES[code]
        # pysbd's common rules keep a stop after a number only at the start of a line or
        # in a numbered list ("1. … 2. …", one or two digits); a language with rules of
        # its own for numbers (German and Danish ordinals: "am 11. März") or its own
        # processor leaves every number to pysbd.
        self.numbers_end_sentences = rules.Numbers is Common.Numbers and not hasattr(
            rules, "Processor"
        )
        # The language's abbreviations, and English ones and titles, which news in any
        # language quotes: only a clear cut is decided here, so more doubt costs only time.
        self.abbreviations = TITLES | {
            a.lower()
            for language in {code, "en"}
            for a in LANGUAGE_CODES[language].Abbreviation.ABBREVIATIONS
        }

    def spans(self, text: str) -> Spans:
        found: Spans = []
        for start, piece in self._clear_cuts(text):
            if _DOUBT.search(piece, 0, len(piece.rstrip()) - 1):
                for chunk_start, chunk in _chunks(piece):
                    found.extend(
                        (start + chunk_start + s, start + chunk_start + e)
                        for s, e in self._pysbd(chunk)
                    )
            else:  # a plain sentence: one end, no abbreviation, nothing quoted
                found.extend(_trim(text, start, start + len(piece)))
        return found

    def _clear_cuts(self, text: str) -> Iterator[tuple[int, str]]:
        """`text` cut at the sentence ends no segmenter doubts: (offset, piece). pysbd
        ends a sentence at every line end, so line ends are such cuts too."""
        # pysbd reads list items ("1. … 2. …", "a) … b) …", "iv. …") across the whole
        # paragraph: where one may be, numbers are left to it.
        numbers = self.numbers_end_sentences and not _LIST_ITEM.search(text)
        start = 0
        for end in _CLEAR_END.finditer(text):
            if "\n" not in end.group() and not self._certain(end, text, numbers=numbers):
                continue
            yield start, text[start : end.end()]
            start = end.end()
        yield start, text[start:]

    def _certain(self, end: re.Match[str], text: str, *, numbers: bool) -> bool:
        """A capital follows, and the word before the stop is no abbreviation; nor a
        number, unless pysbd's rules end a sentence there too (`numbers`): a number of
        three digits or more ("in 2019. Then") where the language's number rules are
        pysbd's common ones (not a German or Nordic ordinal: "am 11. März")."""
        word = end.group(1)
        if word.isdigit():
            return numbers and len(word) >= 3 and text[end.end()].isupper()
        return text[end.end()].isupper() and word.lower() not in self.abbreviations

    def _pysbd(self, chunk: str) -> Spans:
        found, cursor = [], 0
        # The processor alone: Segmenter.segment() would also re-find every sentence
        # with a fresh regex over the paragraph, which is slow; we find them below.
        for piece in self.segmenter.processor(chunk).process():
            stripped = piece.strip()
            if not stripped:
                continue
            at = chunk.find(stripped, cursor)
            if at < 0:  # pysbd changed the text: keep the rest as one sentence
                stripped = chunk[cursor:].strip()
                at = chunk.find(stripped, cursor)
            cursor = at + len(stripped)
            if any(ch.isalnum() for ch in stripped):
                found.append((at, cursor))
            if cursor >= len(chunk):
                break
        return found


def _chunks(paragraph: str) -> list[tuple[int, str]]:
    """Cut a very long paragraph at likely sentence ends (or spaces) into pieces."""
    if len(paragraph) <= SEGMENT_CHUNK_CHARS:
        return [(0, paragraph)]
    pieces, start = [], 0
    while len(paragraph) - start > SEGMENT_CHUNK_CHARS:
        window = paragraph[start : start + SEGMENT_CHUNK_CHARS]
        cut = max(window.rfind(f"{end} ") for end in SENTENCE_ENDS)
        cut = cut + 2 if cut > 0 else window.rfind(" ") + 1
        if cut <= 0:
            cut = len(window)
        pieces.append((start, paragraph[start : start + cut]))
        start += cut
    pieces.append((start, paragraph[start:]))
    return pieces


# --- quotations -----------------------------------------------------------------------------


def _split_quotations(text: str, spans: Spans, segment: Callable[[str], Spans]) -> Spans:
    """Each sentence holding a quotation of several sentences, split into those."""
    result: Spans = []
    for start, end in spans:
        sentence = text[start:end]
        if not _QUOTES.search(sentence) or not _has_inner_end(sentence):
            result.append((start, end))
            continue
        masked = _QUOTES.sub(lambda m: " " * len(m.group()), sentence)
        inner = _starting_sentences(masked, segment(masked))
        if len(inner) <= 1:
            result.append((start, end))
            continue
        result.extend(_give_back_marks(sentence, start, inner))
    return result


def _starting_sentences(masked: str, inner: Spans) -> Spans:
    """The pieces found in a masked sentence, each joined to the one before unless it
    starts as a sentence does: with a capital, or a letter of a script without case.
    ("“Prop. 13 proves costly”" and "“Are they?” (Page B1) says" stay whole.)"""
    joined: Spans = []
    for start, end in inner:
        first = masked[start]
        starts = first.isalpha() and not first.islower()
        if joined and not starts:
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined


def _titles_to_their_names(text: str, spans: Spans) -> Spans:
    """A sentence ending on a title ("El Sr.", "Dr.") joined to the name that follows."""
    result: Spans = []
    for start, end in spans:
        before = text[result[-1][1] : start] if result else "\n"
        if "\n" not in before and text[start].isupper() and _ends_on_title(text, result[-1]):
            result[-1] = (result[-1][0], end)
        else:
            result.append((start, end))
    return result


def _ends_on_title(text: str, span: tuple[int, int]) -> bool:
    """Ends on a capitalised title and a full stop: "… El Sr." (not "… to me.")."""
    sentence = text[span[0] : span[1]]
    if not sentence.endswith("."):
        return False
    last = sentence[:-1].rsplit(None, 1)[-1].lstrip(_OPENERS + "¿¡")
    return last[:1].isupper() and last.lower() in TITLES


def _closers_to_their_sentence(text: str, spans: Spans) -> Spans:
    """A sentence that starts with the closing mark of the one before ("» Mais …", when
    the segmenter cut inside a quotation) gives the mark back to it."""
    result: Spans = []
    for start, end in spans:
        mark = _LEADING_CLOSERS.match(text, start, end)
        if result and mark and not text[result[-1][1] : start].strip():
            result[-1] = (result[-1][0], mark.end(1))
            start = mark.end()
            if not any(ch.isalnum() for ch in text[start:end]):
                result[-1] = (result[-1][0], end)
                continue
        result.append((start, end))
    return result


def _has_inner_end(sentence: str) -> bool:
    return any(ch in SENTENCE_ENDS for ch in sentence[:-1].rstrip(_CLOSERS))


def _give_back_marks(sentence: str, offset: int, inner: Spans) -> Spans:
    """Spans found in the masked sentence, widened over the quotation marks they touch
    (an opening mark just before, closing marks and ends just after)."""
    spans: Spans = []
    for number, (start, end) in enumerate(inner):
        if number == 0:
            start = 0
        floor = spans[-1][1] - offset if spans else 0
        while start > floor and sentence[start - 1] in _OPENERS:
            start -= 1
        limit = inner[number + 1][0] if number + 1 < len(inner) else len(sentence)
        while end < limit and (sentence[end] in _CLOSERS or sentence[end] in SENTENCE_ENDS):
            end += 1
        # French and others set a space before a closing guillemet: "porter. »"
        if end + 1 < limit and sentence[end] in _THIN_SPACES and sentence[end + 1] in "»›":
            end += 2
        if number == len(inner) - 1:
            end = len(sentence)
        spans.append((offset + start, offset + end))
    return spans
