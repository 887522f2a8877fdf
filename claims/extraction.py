"""An HTML page's article: its paragraphs and headings as the page had them, and what
its metadata says (title, author, publisher, date). Never rendered.

trafilatura finds the article and gives it as XML (`<head>`, `<p>`, `<list><item>`,
`<quote>`); we walk that tree into blocks, and the blocks become the article body with a
blank line between paragraphs and the page's headings marked as Markdown headings
(`## Negotiations`). The body carries its own structure that way, so the importer splits
it as it splits a Markdown file, and splitting the stored body again finds the same
headings.

Two extractions may run: precision-oriented (`favor_precision=True`) and trafilatura's
default. Precision leaves out more boilerplate, but on some pages it finds nothing or
keeps only a fragment; then the default's result is used (see `choose`). The default
runs only when its result could change that choice: when precision found less than half
of all the text the page holds (the most any extraction can find), not otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlsplit

# Precision's text is used unless it is less than this share of the default's.
PRECISION_MIN_SHARE = 0.5

# A heading that ends like a sentence and is longer than this is a standfirst (a deck,
# the summary under the title), kept as a paragraph.
HEADING_MAX_WORDS = 12

# A page with no line this long holding a sentence end (nor any line twice as long) has
# no article text: menus, buttons and labels only.
PROSE_MIN_CHARS = 40

# How a heading is marked in the body: as in Markdown, which the importer reads already.
HEADING_MARK = re.compile(r"^#{1,6}[ \t]+(?=\S)")

_SENTENCE_END = re.compile(r"[.!?…。！？؟।]['\"”’»)\]]*$")
_ANY_SENTENCE_END = re.compile(r"[.!?…。！？؟।]")
# Unrendered template code ({{ article.title }}): the page builds its text in the
# browser, and the source is never article text.
_TEMPLATE_CODE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")
# Soft hyphens are hints for line breaking, invisible on the page; some sites put one in
# every long word ("Thou\xadsands"), which would break every search and quote.
_INVISIBLE = str.maketrans("", "", "\u00ad")
_BLOCK_TAGS = {"head", "p", "list", "item", "quote", "code"}
_SKIPPED_TAGS = {"table", "graphic", "figure", "ref"}


@dataclass(frozen=True)
class Block:
    kind: Literal["heading", "paragraph"]
    text: str
    level: int = 0

    def as_text(self) -> str:
        if self.kind == "heading":
            return "#" * self.level + " " + self.text
        return self.text


@dataclass
class Extraction:
    blocks: list[Block]
    metadata: dict[str, str] = field(default_factory=dict)
    # "precision" or "default", and the characters each extraction found (None: the
    # default did not run, as precision's text settled the choice).
    mode: str = "precision"
    precision_chars: int = 0
    default_chars: int | None = 0

    @property
    def text(self) -> str:
        return "\n\n".join(block.as_text() for block in self.blocks)

    @property
    def headings(self) -> int:
        return sum(block.kind == "heading" for block in self.blocks)


def extract(html: str, *, compare: bool = False) -> Extraction:
    """The article of `html` as blocks, with its cleaned metadata. `compare`: run both
    extractions even when precision's text settles the choice (reports and tests)."""
    precise = _blocks(html, favor_precision=True)
    if not compare and _chars(precise) >= PRECISION_MIN_SHARE * page_chars(html) > 0:
        # The default can't find more than the page holds: precision's share of its
        # text would be at least as large, and `choose` would keep precision.
        default = None
        mode, blocks = "precision", precise
    else:
        default = _blocks(html, favor_precision=False)
        mode, blocks = choose(precise, default)
    if not any(_is_prose(block) for block in blocks):
        blocks = []
    return Extraction(
        blocks=blocks,
        metadata=metadata(html),
        mode=mode,
        precision_chars=_chars(precise),
        default_chars=None if default is None else _chars(default),
    )


def choose(precise: list[Block], default: list[Block]) -> tuple[str, list[Block]]:
    """Precision's blocks, unless they hold nothing or less than half the default's text.

    On the shared pages precision keeps as much text as the default or nearly (the least:
    91% on futurezone.at), leaving out teasers and promos; where it finds nothing at all,
    the default is all there is."""
    if _chars(precise) and _chars(precise) >= PRECISION_MIN_SHARE * _chars(default):
        return "precision", precise
    return "default", default


def _chars(blocks: list[Block]) -> int:
    return sum(len(block.text) for block in blocks)


def page_chars(html: str) -> int:
    """How many characters of text the page holds, scripts and styles left out, with a
    space wherever an element starts or ends: at least as many as any extraction of it
    finds (`_chars`), which keeps some of those words and adds no others."""
    from lxml import etree
    from trafilatura.utils import load_html

    tree = load_html(html)
    if tree is None:
        return 0
    etree.strip_elements(tree, "script", "style", etree.Comment, with_tail=False)
    return len(" ".join(" ".join(tree.itertext()).split()))


def _is_prose(block: Block) -> bool:
    if block.kind != "paragraph":
        return False
    return any(
        len(line) >= 2 * PROSE_MIN_CHARS
        or (len(line) >= PROSE_MIN_CHARS and _ANY_SENTENCE_END.search(line))
        for line in block.text.split("\n")
    )


# --- the article's structure --------------------------------------------------------------


def _blocks(html: str, *, favor_precision: bool) -> list[Block]:
    import trafilatura  # imported here: it is slow to import and only HTML needs it

    document = trafilatura.bare_extraction(
        html,
        output_format="xml",
        favor_precision=favor_precision,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
        include_formatting=False,
        with_metadata=False,
    )
    body = getattr(document, "body", None)
    if body is None:
        return []
    return list(_walk(body))


def _walk(element: Any) -> Iterator[Block]:
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in _SKIPPED_TAGS or not tag:
            continue
        if tag == "head":
            yield from _heading(child)
        elif tag == "list":
            yield from _walk(child)
        elif tag in ("item", "quote") and any(
            isinstance(c.tag, str) and c.tag in _BLOCK_TAGS for c in child
        ):
            # An item or quotation holding paragraphs or a nested list: its own text
            # first, then its blocks.
            yield from _paragraphs(_lines(child, shallow=True))
            yield from _walk(child)
        elif tag in _BLOCK_TAGS:
            yield from _paragraphs(_lines(child))
        else:  # a container trafilatura left in (div, section): its blocks
            yield from _walk(child)


def _heading(element: Any) -> Iterator[Block]:
    text = " ".join(" ".join(_lines(element)).split())
    if not text:
        return
    words = len(text.split())
    if _SENTENCE_END.search(text) and not text.endswith("?") and words > HEADING_MAX_WORDS:
        yield Block("paragraph", text)  # a standfirst marked up as a heading
        return
    match = re.fullmatch(r"h([1-6])", element.get("rend", ""))
    yield Block("heading", text, int(match.group(1)) if match else 2)


def _lines(element: Any, *, shallow: bool = False) -> list[str]:
    """The element's text as lines: `<lb/>` and newlines in the text break lines; a
    shallow read leaves out child blocks (a nested list, a quotation's paragraphs)."""
    parts: list[str] = []

    def visit(el: Any, top: bool) -> None:
        if el.text and (top or el.tag != "lb"):
            parts.append(el.text)
        for child in el:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag == "lb":
                parts.append("\n")
            elif tag in _SKIPPED_TAGS or (shallow and top and tag in _BLOCK_TAGS):
                pass
            elif tag:
                visit(child, False)
            if child.tail:
                parts.append(child.tail)

    visit(element, True)
    text = "".join(parts).translate(_INVISIBLE)
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return [line for line in lines if line and not _TEMPLATE_CODE.search(line)]


def _paragraphs(lines: list[str]) -> Iterator[Block]:
    """Lines into paragraphs: a line break after a sentence end starts a paragraph (pages
    that separate paragraphs with `<br>`); other breaks (a name over a town, a wrapped
    title) stay inside the paragraph."""
    current: list[str] = []
    for line in lines:
        current.append(line)
        if _SENTENCE_END.search(line):
            yield Block("paragraph", "\n".join(current))
            current = []
    if current:
        yield Block("paragraph", "\n".join(current))


# --- metadata -----------------------------------------------------------------------------


def metadata(html: str) -> dict[str, str]:
    """Title, author, publisher, URL and date of the page, cleaned (see `authors`).

    The date comes without htmldate's extensive search, which loads dateparser (hundreds
    of milliseconds on the first call in a process) for dates written out in words that
    the page's metadata does not give; the desk can type such a date in."""
    from trafilatura.metadata import extract_metadata
    from trafilatura.settings import set_date_params

    found = extract_metadata(html, date_config=set_date_params(False), extensive=False)
    url = found.url or ""
    publisher = _publisher(found.sitename or "", url)
    author, organisation = authors(found.author or "", publisher=publisher, url=url)
    return {
        "title": (found.title or "").translate(_INVISIBLE),
        "author": author,
        "publisher": publisher or organisation,
        "url": url,
        "published_on": found.date or "",
    }


def _publisher(sitename: str, url: str) -> str:
    sitename = sitename.strip()
    if re.match(r"(?i)^(https?:|www\.)", sitename):  # a link to a social profile
        return _host(url)
    return sitename


def _host(url: str) -> str:
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")


_MONTHS = (
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec "
    "januar februar märz april mai juni juli august september oktober november dezember "
    "jänner mrz okt dez "
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre "
    "enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre "
    "noviembre diciembre ene dic "
    "monday tuesday wednesday thursday friday saturday sunday "
    "montag dienstag mittwoch donnerstag freitag samstag sonntag "
    "lundi mardi mercredi jeudi vendredi samedi dimanche "
    "lunes martes miércoles jueves viernes sábado domingo "
    "updated published posted aktualisiert veröffentlicht publié actualizado am pm"
).split()
_MONTH = r"(?:" + "|".join(map(re.escape, sorted(set(_MONTHS), key=len, reverse=True))) + r")\.?"
_NUMBER = r"\d[\d:./-]*(?:st|nd|rd|th)?"
# A date glued to a name: numbers, and month or day names next to a number.
_DATE = re.compile(
    rf"(?i)(?<![\w-])(?:(?:{_MONTH}[\s,]*)*{_NUMBER}(?:[\s,]*(?:{_MONTH}|{_NUMBER}))*)(?![\w-])"
)
_MONTH_WORD = re.compile(rf"(?i)(?<![\w-]){_MONTH}(?![\w-])")
_BYLINE_WORD = re.compile(r"(?i)^(?:by|von|par|por|de|written by|text:)\s+")
_NAME_SEPARATORS = re.compile(r"\s*(?:;|,|&|\||/|\band\b|\bund\b|\bet\b|\by\b)\s*")
# Words that make a byline an organisation or a desk, not a person.
_ORGANISATION_WORDS = {
    "staff", "news", "newsroom", "desk", "editors", "editorial", "editor", "redaktion",
    "rédaction", "redacción", "redaccion", "agency", "agencies", "agencia", "agence",
    "agentur", "press", "presse", "prensa", "wire", "wires", "media", "online", "team",
    "service", "services", "network", "correspondent", "correspondents", "bureau",
    "reporters", "contributors", "nachrichten", "noticias", "actualités", "times", "post",
    "journal", "gazette", "tribune", "herald", "daily", "magazine", "zeitung", "radio",
    "tv", "television", "welle", "ltd", "inc", "gmbh", "group",
}  # fmt: skip
_AGENCIES = {
    "reuters", "ap", "afp", "dpa", "epd", "kna", "apa", "sda", "efe", "europa press",
    "ansa", "upi", "pa", "pa media", "bloomberg", "associated press", "agence france-presse",
    "xinhua", "tass", "anadolu", "afp/dpa", "dpa/afp", "red", "red.", "sid",
}  # fmt: skip
# One-word bylines that are a page's section or a role, not a name.
_GENERIC = {
    "letters", "leserbriefe", "admin", "administrator", "guest", "gast", "anonymous",
    "anonym", "anonyme", "anónimo", "opinion", "meinung", "tribune", "invité", "editor",
    "staff", "redaktion", "rédaction", "redacción", "webmaster", "user", "team",
}  # fmt: skip


def authors(raw: str, *, publisher: str = "", url: str = "") -> tuple[str, str]:
    """(the people who wrote it, an organisation named as author).

    Bylines in page metadata mix people with desks and agencies ("JERUSALEM POST STAFF
    NOVEMBER", "Denis Dilba; Heise Online", "Reuters") and carry dates glued on ("CBS News
    February"). Dates and month names are cut off; a name that is the publisher, a news
    agency or a desk is not an author, and is returned apart so it can be the publisher
    when the page names none."""
    people: list[str] = []
    organisation = ""
    for part in _NAME_SEPARATORS.split(_BYLINE_WORD.sub("", raw.translate(_INVISIBLE))):
        name = _without_dates(part)
        if not name or not any(ch.isalpha() for ch in name):
            continue
        kind = _kind_of_name(name, publisher=publisher, url=url)
        if kind != "person" or name.isupper():
            # A month name alone is cut where it cannot be a name ("CBS News February",
            # "JERUSALEM POST STAFF NOVEMBER"), never from "Theresa May" or "April Ryan".
            name = _without_dates(_MONTH_WORD.sub(" ", name)) or name
            kind = _kind_of_name(name, publisher=publisher, url=url)
        if kind == "person" and name not in people:
            people.append(name)
        elif kind == "organisation" and not organisation:
            organisation = name
    return ", ".join(people)[:200], organisation[:200]


def _without_dates(text: str) -> str:
    return " ".join(_DATE.sub(" ", text).split()).strip(" -–—:·|,")


def _kind_of_name(name: str, *, publisher: str, url: str) -> str:
    lowered = name.casefold()
    words = lowered.replace(".", " ").split()
    if "@" in name or "http" in lowered or len(words) > 5 or len(name) > 60:
        return "junk"
    if lowered in _AGENCIES:
        return "organisation"
    if len(words) == 1 and (lowered in _GENERIC or not name[0].isupper()):
        return "junk"
    if set(words) & _ORGANISATION_WORDS:
        return "organisation"
    if _same_organisation(name, publisher, url):
        return "organisation"
    return "person"


def _same_organisation(name: str, publisher: str, url: str) -> bool:
    """ "Deutsche Welle" on DW.COM, "Heise Online" on heise.de, "Nature" on Nature."""
    squashed = re.sub(r"\W", "", name.casefold())
    initials = "".join(word[0] for word in name.casefold().split() if word[0].isalnum())
    candidates = [re.sub(r"\W", "", publisher.casefold())]
    candidates += _host(url).split(".")[:-1] if url else []
    for candidate in filter(None, candidates):
        if squashed == candidate or candidate.startswith(squashed):
            return True
        if len(initials) >= 2 and initials in (candidate, candidate.removesuffix("com")):
            return True
        first = name.casefold().split()[0]
        if len(first) >= 4 and candidate.startswith(re.sub(r"\W", "", first)):
            return True
    return False
