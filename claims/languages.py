"""An article's language: its tag, where it comes from, and which way its text runs.

The language is the editor's choice when they give one; else what the page declares
(`<html lang>`, its metadata) unless the detector is nearly sure of another; else what
the detector finds (py3langid, whose model ships inside the package: nothing is
downloaded); "und" (BCP 47 for "undetermined") when there is too little text to tell.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from django.conf.locale import LANG_INFO

from .scoring.cues import CUES

UNDETERMINED = "und"
# Fewer letters than this and no detector can tell a language.
MIN_LETTERS = 20
# The page's own declaration wins unless the detector is at least this sure of another.
OVERRULE_PAGE = 0.95
# The detector reads this much of the body: enough to be sure, quick for a 2 MB article.
DETECT_CHARS = 5_000

# Scripts and languages written right to left (primary tags, and ISO 15924 scripts).
RTL_LANGUAGES = frozenset("ar arc ckb dv fa he ks mzn nqo pnb ps sd syr ug ur yi".split())
RTL_SCRIPTS = frozenset("arab hebr thaa syrc nkoo adlm rohg mand samr".split())
# Tags withdrawn from ISO 639 and their replacements, as BCP 47 asks.
_IDEOGRAPH = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_DEPRECATED = {"iw": "he", "in": "id", "ji": "yi", "jw": "jv", "mo": "ro", "tl": "fil"}
_TAG = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$")
_HTML_LANG = re.compile(
    r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*)", re.IGNORECASE
)
_META_LANG = re.compile(
    r"<meta\b[^>]*?(?:http-equiv\s*=\s*[\"']?content-language|property\s*=\s*[\"']?og:locale)"
    r"[^>]*?content\s*=\s*[\"']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*)",
    re.IGNORECASE,
)


def canonical(tag: str) -> str:
    """A language tag with BCP 47's casing ("pt-BR", "zh-Hant", "sr-Latn-RS"), "_" read
    as "-" and withdrawn codes replaced; "" if it is no tag."""
    tag = tag.strip().replace("_", "-")
    if not _TAG.match(tag):
        return ""
    first, *rest = tag.split("-")
    subtags = [_DEPRECATED.get(first.lower(), first.lower())]
    for subtag in rest:
        if len(subtag) == 4 and subtag.isalpha():
            subtags.append(subtag.title())  # script
        elif len(subtag) == 2 and subtag.isalpha():
            subtags.append(subtag.upper())  # region
        else:
            subtags.append(subtag.lower())
    return "-".join(subtags)


def primary(tag: str) -> str:
    """The primary language subtag: "pt" of "pt-BR", "he" of "iw"."""
    return canonical(tag).split("-")[0] or UNDETERMINED


def direction(tag: str) -> str:
    """ "rtl" for a language written right to left (Arabic, Hebrew, Persian, Urdu, …),
    else "ltr"."""
    subtags = canonical(tag).lower().split("-")
    if len(subtags) > 1 and len(subtags[1]) == 4:  # an explicit script wins
        return "rtl" if subtags[1] in RTL_SCRIPTS else "ltr"
    return "rtl" if subtags[0] in RTL_LANGUAGES else "ltr"


def name(tag: str) -> str:
    """The language's name in itself ("Deutsch", "العربيّة", "Português Brasileiro"), as
    Django's locale data has it; "" for a language it does not know."""
    lookup = canonical(tag).lower()
    info = LANG_INFO.get(lookup) or LANG_INFO.get(primary(tag)) or {}
    if primary(tag) == "zh" and "-" not in lookup:  # Django names only its two scripts
        info = LANG_INFO["zh-hans"]
    if "fallback" in info:  # "zh-tw": see "zh-hant"
        info = LANG_INFO[info["fallback"][0]]
    return info.get("name_local", "")


def offered(current: str = "") -> list[tuple[str, str]]:
    """(tag, "name (tag)") of the languages an editor may choose for an article: those the
    scorer has cue words for, and `current`, the article's own."""
    tags = sorted({*CUES, *([canonical(current)] if name(current) else [])})
    return [(tag, f"{name(tag)} ({tag})") for tag in tags]


def declared(html: str) -> str:
    """The primary language an HTML page declares (`<html lang>`, else its metadata),
    or ""."""
    head = html[:20_000]
    found = _HTML_LANG.search(head) or _META_LANG.search(head)
    return primary(found.group(1)) if found else ""


def detect(text: str) -> tuple[str, float]:
    """(primary tag, probability) of `text`'s language; (UNDETERMINED, 0.0) when it has
    fewer than MIN_LETTERS letters."""
    sample = text[:DETECT_CHARS]
    if _letters(sample) < MIN_LETTERS:
        return UNDETERMINED, 0.0
    language, probability = _identifier().classify(sample)
    return primary(str(language)), float(probability)


def _letters(text: str) -> int:
    """Letters, a Chinese or Japanese character counting as two (each is a syllable or a
    word: "政府宣布了新的经济计划" is plenty to tell Chinese)."""
    return sum(2 if _IDEOGRAPH.match(ch) else 1 for ch in text if ch.isalpha())


def choose(*, given: str, page: str, text: str) -> str:
    """The article's language: the editor's (`given`), else the page's unless the
    detector is at least OVERRULE_PAGE sure of another, else the detected one."""
    if given:
        return canonical(given)
    detected, probability = detect(text)
    if page and page != UNDETERMINED:
        overruled = detected != UNDETERMINED and probability >= OVERRULE_PAGE
        return detected if overruled and detected != primary(page) else primary(page)
    return detected


@cache
def _identifier() -> Any:
    """py3langid's model with probabilities normalised to [0, 1], loaded once."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


# PostgreSQL's text search configurations (its snowball stemmers), by primary language
# tag; every other language is searched word for word ("simple").
TEXT_SEARCH_CONFIGS = {
    "ar": "arabic",
    "ca": "catalan",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "eu": "basque",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "hi": "hindi",
    "hu": "hungarian",
    "hy": "armenian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "ne": "nepali",
    "nl": "dutch",
    "no": "norwegian",
    "nb": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
    "yi": "yiddish",
}


def text_search_config(tag: str) -> str:
    """The PostgreSQL text search configuration for text in language `tag`."""
    return TEXT_SEARCH_CONFIGS.get(primary(tag), "simple")
