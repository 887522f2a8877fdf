"""Importing an article: decode, normalise, split into sentences, score, store, audit.

`article_import()` is the one way in, for the command, the web form and tests. It
writes the article, all its claims and one audit event in a single transaction, or
raises `ImportRejected` with a one-line message and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import PurePath

import pysbd
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from pysbd.languages import LANGUAGE_CODES

from . import audit, checkworthiness
from .models import NOT_CHECK_WORTHY, Article, Claim, ClaimStatus

FILE_KINDS = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
}
QUOTE_CONTEXT = 32
HEADING_MAX_CHARS = 100
HEADING_MAX_WORDS = 12
# pysbd's cost grows faster than linearly with its input, so very long paragraphs are
# cut at likely sentence ends into pieces of about this size before segmenting.
SEGMENT_CHUNK_CHARS = 5_000

_CLOSING_PUNCTUATION = tuple(".!?:;…\"”’')]»")
_MARKDOWN_HEADING = re.compile(r"^(#{1,6})[ \t]+(?=\S)")
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")


class ImportRejected(ValueError):
    """The input can't be imported; the message says why in one line."""


@dataclass(frozen=True)
class ImportResult:
    article: Article
    created: bool

    @property
    def claim_count(self) -> int:
        return self.article.claims.count()

    @property
    def dismissed_count(self) -> int:
        return self.article.claims.dismissed().count()


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    paragraph: int
    is_heading: bool


# --- decoding and normalising -----------------------------------------------------------


def file_kind(filename: str) -> str:
    if not filename:
        return "text"
    suffix = PurePath(filename).suffix.lower()
    if suffix not in FILE_KINDS:
        shown = suffix or "no extension"
        raise ImportRejected(f"{filename}: unknown file type ({shown}); use .txt, .md or .html.")
    return FILE_KINDS[suffix]


def decode(data: bytes | str, *, name: str = "the text") -> str:
    """Bytes to text, refusing what is too large, binary or not UTF-8."""
    raw = data.encode() if isinstance(data, str) else data
    limit = settings.FACTCHECK_IMPORT_MAX_BYTES
    if len(raw) > limit:
        raise ImportRejected(
            f"{name} is {_size(len(raw))}, over the import limit of {_size(limit)} "
            "(FACTCHECK_IMPORT_MAX_BYTES)."
        )
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportRejected(f"{name} is UTF-16 text; save it as UTF-8 and import it again.")
    if b"\x00" in raw:
        raise ImportRejected(f"{name} looks like binary data (it contains NUL bytes), not text.")
    if isinstance(data, str):
        text = data
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ImportRejected(
                f"{name} is not UTF-8 text (byte {error.start} can't be read); "
                "save it as UTF-8 and import it again."
            ) from None
    if control := _CONTROL_CHARS.search(text):
        line = text.count("\n", 0, control.start()) + 1
        raise ImportRejected(
            f"{name} contains the control character U+{ord(control.group()):04X} on line {line}; "
            "it looks like binary data, not an article."
        )
    return text


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"


def html_to_text(html: str) -> tuple[str, dict[str, str]]:
    """The article text of an HTML page (never rendered) and the metadata found in it."""
    import trafilatura  # imported here: it is slow to import and only HTML needs it

    text = trafilatura.extract(
        html, include_comments=False, include_tables=False, favor_precision=True
    )
    meta = trafilatura.extract_metadata(html)
    found = {}
    if meta is not None:
        found = {
            "title": meta.title or "",
            "author": meta.author or "",
            "publisher": meta.sitename or "",
            "url": meta.url or "",
            "published_on": meta.date or "",
        }
    return text or "", found


def normalise(text: str) -> str:
    """NFC, `\\n` line ends, no trailing spaces, no blank lines at either end."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return text.strip("\n")


# --- splitting ----------------------------------------------------------------------------


@cache
def _segmenter(language: str) -> pysbd.Segmenter:
    code = language.split("-")[0].lower()
    return pysbd.Segmenter(language=code if code in LANGUAGE_CODES else "en", clean=False)


def _is_heading(paragraph: str) -> bool:
    if "\n" in paragraph or paragraph.endswith(_CLOSING_PUNCTUATION):
        return False
    if not any(ch.isalnum() for ch in paragraph):  # a rule like "---" or "***"
        return False
    return len(paragraph) <= HEADING_MAX_CHARS and len(paragraph.split()) <= HEADING_MAX_WORDS


def _chunks(paragraph: str) -> list[tuple[int, str]]:
    """Cut a very long paragraph at likely sentence ends (or spaces) into pieces."""
    if len(paragraph) <= SEGMENT_CHUNK_CHARS:
        return [(0, paragraph)]
    pieces, start = [], 0
    while len(paragraph) - start > SEGMENT_CHUNK_CHARS:
        window = paragraph[start : start + SEGMENT_CHUNK_CHARS]
        cut = max(window.rfind(". "), window.rfind("? "), window.rfind("! "))
        cut = cut + 2 if cut > 0 else window.rfind(" ") + 1
        if cut <= 0:
            cut = len(window)
        pieces.append((start, paragraph[start : start + cut]))
        start += cut
    pieces.append((start, paragraph[start:]))
    return pieces


def split_sentences(body: str, language: str = "en") -> list[Sentence]:
    """Every sentence of `body` with its exact span: body[start:end] is its text."""
    segmenter = _segmenter(language)
    sentences = []
    paragraphs = [m for m in re.finditer(r"[^\n]+(?:\n[^\n]+)*", body)]
    for number, match in enumerate(paragraphs):
        text, offset = match.group(), match.start()
        if (heading := _MARKDOWN_HEADING.match(text)) and "\n" not in text:
            sentences.append(Sentence(offset + heading.end(), match.end(), number, True))
            continue
        if _is_heading(text.strip()):
            first = len(text) - len(text.lstrip())
            sentences.append(Sentence(offset + first, offset + len(text.rstrip()), number, True))
            continue
        for chunk_offset, chunk in _chunks(text):
            cursor = 0
            # The processor alone: Segmenter.segment() would also re-find every sentence
            # with a fresh regex over the paragraph, which is slow; we find them below.
            for piece in segmenter.processor(chunk).process():
                stripped = piece.strip()
                if not stripped:
                    continue
                found = chunk.find(stripped, cursor)
                if found < 0:  # pysbd changed the text: keep the rest as one sentence
                    found, stripped = cursor, chunk[cursor:].strip()
                    found = chunk.find(stripped, cursor)
                cursor = found + len(stripped)
                if any(ch.isalnum() for ch in stripped):
                    start = offset + chunk_offset + found
                    sentences.append(Sentence(start, start + len(stripped), number, False))
                if cursor >= len(chunk):
                    break
    return sentences


# --- metadata -----------------------------------------------------------------------------


def _working_title(body: str, sentences: list[Sentence]) -> str:
    first = sentences[0]
    text = body[first.start : first.end]
    if first.is_heading or len(text) <= 80:
        return text
    return text[:80].rsplit(" ", 1)[0] + "…"


# Public URLs under /checks/ that an article's slug must not take.
RESERVED_SLUGS = frozenset({"methodology", "feed", "corrections", "claimreview-json"})


def _unique_slug(title: str) -> str:
    base = slugify(title)[:80].strip("-") or "article"
    if base in RESERVED_SLUGS:
        base = f"{base}-article"
    taken = set(Article.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _parse_date(value: str | dt.date | None, field: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise ImportRejected(f"{field} {value!r} is not a date; use YYYY-MM-DD.") from None


# --- the service --------------------------------------------------------------------------


def article_import(
    *,
    data: bytes | str,
    filename: str = "",
    actor=None,
    title: str = "",
    publisher: str = "",
    author: str = "",
    url: str = "",
    published_on: str | dt.date | None = None,
    language: str = "en",
) -> ImportResult:
    """Import an article; the same text again returns the existing one (created=False).

    `actor` is the importing user, or None for the system (commands, seeding).
    """
    if actor is not None and not actor.has_perm("claims.import_article"):
        raise PermissionDenied("Only editors can import articles.")
    name = PurePath(filename).name if filename else "the text"
    kind = file_kind(filename)
    text = decode(data, name=name)
    found: dict[str, str] = {}
    if kind == "html":
        text, found = html_to_text(text)
        if not text.strip():
            raise ImportRejected(f"{name}: no article text found in the HTML.")
    body = normalise(text)
    if not body.strip():
        raise ImportRejected(f"{name} is empty.")
    language = (language or "en").strip()
    if not _LANGUAGE.match(language):
        raise ImportRejected(f"language {language!r} is not a language code like en or pt-BR.")

    sha256 = hashlib.sha256(body.encode()).hexdigest()
    if existing := Article.objects.filter(sha256=sha256).first():
        return ImportResult(existing, created=False)

    sentences = split_sentences(body, language)
    if not sentences:
        raise ImportRejected(f"{name} has no sentence to check.")

    article = Article(
        title=(title or found.get("title") or _working_title(body, sentences)).strip()[:300],
        publisher=(publisher or found.get("publisher", "")).strip(),
        author=(author or found.get("author", "")).strip(),
        url=(url or found.get("url", "")).strip(),
        published_on=_parse_date(published_on or found.get("published_on"), "published on"),
        language=language,
        body=body,
        sha256=sha256,
        source_filename=PurePath(filename).name if filename else "",
        imported_by=actor,
    )
    try:
        with transaction.atomic():
            article.slug = _unique_slug(article.title)
            article.full_clean(exclude=["body_length", "sha256"])
            article.save()
            claims = Claim.objects.bulk_create(_claims(article, sentences), batch_size=500)
            audit.record(
                actor=actor,
                action="article.imported",
                article=article,
                obj=article,
                after=_import_event(article, claims),
            )
    except ValidationError as error:
        raise ImportRejected(_one_line(error)) from None
    except IntegrityError:
        # Someone imported the same text a moment ago, between our check and our insert.
        if existing := Article.objects.filter(sha256=sha256).first():
            return ImportResult(existing, created=False)
        raise
    return ImportResult(article, created=True)


def _claims(article: Article, sentences: list[Sentence]) -> list[Claim]:
    threshold = settings.FACTCHECK_CHECKWORTHY_THRESHOLD
    body, claims = article.body, []
    for ordinal, sentence in enumerate(sentences, start=1):
        text = body[sentence.start : sentence.end]
        score, reasons = checkworthiness.assess(text, is_heading=sentence.is_heading)
        worthy = score >= threshold and not sentence.is_heading
        claims.append(
            Claim(
                article=article,
                ordinal=ordinal,
                paragraph=sentence.paragraph,
                start=sentence.start,
                end=sentence.end,
                text=text,
                wording=text,
                quote_prefix=body[max(0, sentence.start - QUOTE_CONTEXT) : sentence.start],
                quote_suffix=body[sentence.end : sentence.end + QUOTE_CONTEXT],
                is_heading=sentence.is_heading,
                score=score,
                reasons=reasons,
                status=ClaimStatus.NEW if worthy else ClaimStatus.DISMISSED,
                dismissed_reason="" if worthy else NOT_CHECK_WORTHY,
            )
        )
    return claims


def _import_event(article: Article, claims: list[Claim]) -> dict:
    fields = ["slug", "title", "publisher", "author", "url", "published_on", "language"]
    return {
        "article": audit.values(article, [*fields, "sha256", "source_filename"])
        | {"length": len(article.body)},
        "claims": [
            {
                "id": c.pk,
                "ordinal": c.ordinal,
                "start": c.start,
                "end": c.end,
                "score": c.score,
                "status": c.status,
                "dismissed_reason": c.dismissed_reason,
                "wording": c.wording,
                "is_heading": c.is_heading,
            }
            for c in claims
        ],
    }


def _one_line(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in error.message_dict.items())
    return " ".join(error.messages)
