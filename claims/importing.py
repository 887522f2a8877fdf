"""Importing an article: decode, normalise, split into sentences, score, store, audit.

`article_import()` is the one way in, for the command, the web form and tests. It
writes the article, all its claims and one audit event in a single transaction, or
raises `ImportRejected` with a one-line message and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, wraps
from pathlib import PurePath
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils.text import slugify

from . import audit, boilerplate, checkworthiness, extraction, languages
from .access import ArticleAbilities, require_unless_system
from .models import (
    NOT_CHECK_WORTHY,
    Article,
    ArticleCapture,
    AuditAction,
    AuditEvent,
    Claim,
    ClaimStatus,
)
from .scoring.rescoring import claims_rescore_for_language
from .search.indexing import article_reindex
from .search.queue import match_enqueue
from .segmenting import PARAGRAPH, SENTENCE_ENDS, Progress, Sentence, split_sentences

__all__ = ["PARAGRAPH", "Progress", "Sentence", "split_sentences"]  # used from here too

if TYPE_CHECKING:
    from django.contrib.auth.models import User

FILE_KINDS = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
}
QUOTE_CONTEXT = 32
# What the import's audit event says of an import by URL's capture (never the bytes).
CAPTURE_AUDITED = ["requested_url", "final_url", "status", "content_type", "size", "sha256"]

# A sentence may be as long as a claim's wording may be; a longer run of text without
# any sentence end (a 2 MB line of words, a base64 blob) is not an article.
MAX_SENTENCE_CHARS = 5_000
_SENTENCE_RUN = re.compile(rf"[^\n{re.escape(SENTENCE_ENDS)}]+")

# Files people upload by mistake, recognised by their first bytes, so the message can
# say what the file is rather than only that it is not text.
_SIGNATURES = [
    (b"PK\x03\x04", "a zip archive (Word .docx and OpenDocument files are zip archives too)"),
    (b"PK\x05\x06", "an empty zip archive"),
    (b"%PDF-", "a PDF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\x7fELF", "a program"),
]
_UTF32_BOMS = (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")

_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


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


# --- decoding and normalising -----------------------------------------------------------


def file_kind(filename: str) -> str:
    if not filename:
        return "text"
    suffix = PurePath(filename).suffix.lower()
    if suffix not in FILE_KINDS:
        shown = suffix or "no extension"
        raise ImportRejected(f"{filename}: unknown file type ({shown}); use .txt, .md or .html.")
    return FILE_KINDS[suffix]


def check_size(size: int, *, name: str = "the text") -> None:
    limit = settings.FACTCHECK_IMPORT_MAX_BYTES
    if size > limit:
        raise ImportRejected(
            f"{name} is {_size(size)}, over the import limit of {_size(limit)} "
            "(FACTCHECK_IMPORT_MAX_BYTES)."
        )


def decode(data: bytes | str, *, name: str = "the text") -> str:
    """Bytes to text, refusing what is too large, binary or not UTF-8.

    UTF-16 with a byte-order mark (what Windows Notepad calls "Unicode") is decoded:
    the mark says unambiguously how to read it. UTF-16 without one is refused, since
    its byte order would be a guess.
    """
    raw = data.encode() if isinstance(data, str) else data
    check_size(len(raw), name=name)
    if isinstance(data, str):
        text = data
    elif raw.startswith(_UTF32_BOMS):
        raise ImportRejected(f"{name} is UTF-32 text; save it as UTF-8 and import it again.")
    elif raw.startswith(_UTF16_BOMS):
        try:
            text = raw.decode("utf-16")  # the mark tells the codec the byte order
        except UnicodeDecodeError:
            raise ImportRejected(
                f"{name} starts like UTF-16 text but can't be read as UTF-16; "
                "save it as UTF-8 and import it again."
            ) from None
    else:
        text = _decode_utf8(raw, name)
    if control := _CONTROL_CHARS.search(text):
        line = text.count("\n", 0, control.start()) + 1
        raise ImportRejected(
            f"{name} contains the control character U+{ord(control.group()):04X} on line {line}; "
            "it looks like binary data, not an article."
        )
    return text


def _decode_utf8(raw: bytes, name: str) -> str:
    for signature, what in _SIGNATURES:
        if raw.startswith(signature):
            raise ImportRejected(
                f"{name} looks like {what}, not text; "
                "save the article as .txt, .md or .html and import that."
            )
    if b"\x00" in raw:
        if _looks_like_utf16(raw):
            raise ImportRejected(
                f"{name} looks like UTF-16 text without a byte-order mark; "
                "save it as UTF-8 and import it again."
            )
        raise ImportRejected(
            f"{name} looks like binary data (byte {raw.index(0)} is a NUL byte), not text."
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportRejected(
            f"{name} is not UTF-8 text (byte {error.start} can't be read); "
            "save it as UTF-8 and import it again."
        ) from None


def _looks_like_utf16(raw: bytes) -> bool:
    """Mostly Latin text in UTF-16: every other byte is NUL, the others are not."""
    sample = raw[:4096]
    even, odd = sample[0::2], sample[1::2]
    if len(odd) < 2:
        return False
    return any(
        a.count(0) >= 0.6 * len(a) and b.count(0) <= 0.05 * len(b)
        for a, b in ((odd, even), (even, odd))
    )


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"


def html_to_text(html: str) -> tuple[str, dict[str, str]]:
    """The article text of an HTML page (never rendered) and the metadata found in it.

    Paragraphs are separated by blank lines and the page's headings marked as Markdown
    headings, so the split below finds them (see claims/extraction.py)."""
    found = extraction.extract(html)
    return found.text, found.metadata


def normalise(text: str) -> str:
    """NFC, `\\n` line ends, no trailing spaces, no blank lines at either end."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return text.strip("\n")


# --- splitting ----------------------------------------------------------------------------


def _refuse_runaway_sentence(body: str, name: str) -> None:
    """Refuse text with a run longer than any sentence can be (see MAX_SENTENCE_CHARS)."""
    for run in _SENTENCE_RUN.finditer(body):  # non-overlapping runs: one linear pass
        if len(run.group()) > MAX_SENTENCE_CHARS:
            line = body.count("\n", 0, run.start()) + 1
            raise ImportRejected(
                f"{name} has {len(run.group()):,} characters without a sentence end on line "
                f"{line}; a sentence can be at most {MAX_SENTENCE_CHARS:,} characters, so this "
                "doesn't look like an article."
            )


# --- metadata -----------------------------------------------------------------------------


def _working_title(body: str, sentences: list[Sentence]) -> str:
    first = sentences[0]
    text = body[first.start : first.end]
    if first.is_heading or len(text) <= 80:
        return text
    return text[:80].rsplit(" ", 1)[0] + "…"


@cache
def reserved_slugs() -> frozenset[str]:
    """The first path segments of the routes under /checks/ (and of the routes planned
    there): an article called "Feed" must not get /checks/feed/, the Atom feed's address."""
    # Imported here: the public URLs import the public views, which import this module.
    from .public_urls import PLANNED_PAGES, urlpatterns

    segments = {str(pattern.pattern).split("/", 1)[0] for pattern in urlpatterns}
    return frozenset(s for s in segments | set(PLANNED_PAGES) if s and not s.startswith("<"))


def _unique_slug(title: str) -> str:
    base = slugify(title)[:80].strip("-") or "article"
    if base in reserved_slugs():
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


def read(data: bytes | str, *, filename: str = "") -> tuple[str, dict[str, str]]:
    """The article's body, normalised, and what its HTML says of it (title, author…);
    or ImportRejected with the reason."""
    name = PurePath(filename).name if filename else "the text"
    kind = file_kind(filename)
    text = decode(data, name=name)
    found: dict[str, str] = {}
    if kind == "html":
        page_language = languages.declared(text)
        text, found = html_to_text(text)
        found.setdefault("language", page_language)
        if not text.strip():
            raise ImportRejected(f"{name}: no article text found in the HTML.")
    body = normalise(text)
    if not body.strip():
        raise ImportRejected(f"{name} is empty.")
    _refuse_runaway_sentence(body, name)
    return body, found


def check_quickly(data: bytes, *, filename: str = "", language: str = "") -> None:
    """What `article_import` would refuse, as far as it can be told quickly even of a
    large file: everything `read()` checks, but that HTML is only decoded, not
    extracted. An import queued for the worker is checked with this first, so the
    editor hears of most problems on the form."""
    _language(language)
    if file_kind(filename) == "html":
        decode(data, name=PurePath(filename).name)
    else:
        read(data, filename=filename)


def _language(language: str) -> str:
    """The editor's language tag in BCP 47's casing, or "" (to be found: see
    `languages.choose`)."""
    if not (language or "").strip():
        return ""
    if not (tag := languages.canonical(language)):
        raise ImportRejected(f"language {language!r} is not a language code like en or pt-BR.")
    return tag


# --- the service --------------------------------------------------------------------------


def _without_cycle_collection[**P, R](function: Callable[P, R]) -> Callable[P, R]:
    """Run `function` with Python's cycle collector paused (reference counting still frees
    everything). An import builds tens of thousands of objects without cycles (a claim
    each, its reasons); the collector would walk the whole, growing heap again and again
    meanwhile: 15% of a 1 MB import, and more than linear in the text's length."""

    @wraps(function)
    def paused(*args: P.args, **kwargs: P.kwargs) -> R:
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            if was_enabled:
                gc.enable()

    return paused


@_without_cycle_collection
def article_import(
    *,
    data: bytes | str,
    filename: str = "",
    actor: User | None = None,
    title: str = "",
    publisher: str = "",
    author: str = "",
    url: str = "",
    published_on: str | dt.date | None = None,
    language: str = "",
    progress: Progress | None = None,
    capture: ArticleCapture | None = None,
) -> ImportResult:
    """Import an article; the same text again returns the existing one (created=False).

    `actor` is the importing user, or None for the system (commands, seeding).
    `progress` follows the sentence split (the background worker shows it to editors).
    `language`: a BCP 47 tag, or "" to take the page's or detect it (`languages.choose`).
    `capture`: for an import by URL, the page as fetched (unsaved; claims/url_import.py),
    stored with the article in the same transaction.
    """
    require_unless_system(actor, "claims.import_article", "Only editors can import articles.")
    name = PurePath(filename).name if filename else "the text"
    language = _language(language)
    body, found = read(data, filename=filename)

    sha256 = hashlib.sha256(body.encode()).hexdigest()
    if existing := Article.objects.filter(sha256=sha256).first():
        return ImportResult(existing, created=False)

    language = languages.choose(given=language, page=found.get("language", ""), text=body)
    sentences = split_sentences(body, language, progress)
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
            article_reindex(article, imported=True)
            match_enqueue(article)
            after = _import_event(article, claims)
            if capture is not None:
                capture.article = article
                capture.full_clean()
                capture.save()
                after["capture"] = audit.values(capture, CAPTURE_AUDITED)
            audit.record(
                actor=actor,
                action=AuditAction.ARTICLE_IMPORTED,
                article=article,
                obj=article,
                after=after,
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
    """The claims of `article`'s sentences, scored, unsaved.

    Each step runs over every sentence before the next starts (scores, then boilerplate,
    then the claims): a fifth quicker on a long article than taking each sentence
    through all of them, as each step's code and data stay in the processor's caches."""
    threshold = settings.FACTCHECK_CHECKWORTHY_THRESHOLD
    body, language = article.body, article.language
    texts = [body[sentence.start : sentence.end] for sentence in sentences]
    assessed = [
        checkworthiness.assess(text, is_heading=sentence.is_heading, language=language)
        for text, sentence in zip(texts, sentences, strict=True)
    ]
    boxes = boilerplate.paragraph_reasons(
        [match.group() for match in PARAGRAPH.finditer(body)],
        {sentence.paragraph for sentence in sentences if sentence.is_heading},
    )
    # Boilerplate left in the text (a "Read more: …" line) keeps its span but is
    # dismissed with its own reason, whatever its score.
    kinds = [
        boilerplate.classify(text) or boxes[sentence.paragraph]
        for text, sentence in zip(texts, sentences, strict=True)
    ]
    claims = []
    for ordinal, (sentence, text, (score, reasons), kind) in enumerate(
        zip(sentences, texts, assessed, kinds, strict=True), start=1
    ):
        worthy = score >= threshold and not sentence.is_heading
        dismissed_reason = "" if worthy else NOT_CHECK_WORTHY
        if kind:
            worthy, dismissed_reason = False, boilerplate.PREFIX + kind
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
                dismissed_reason=dismissed_reason,
            )
        )
    return claims


def _import_event(article: Article, claims: list[Claim]) -> dict:
    fields = ["slug", "title", "publisher", "author", "url", "published_on", "language"]
    return {
        "article": audit.values(article, [*fields, "sha256", "source_filename"])
        | {"length": len(article.body)},
        "claims": _listed(claims),
    }


def _listed(claims: list[Claim]) -> list[dict]:
    """The claims as an import's audit event lists them (replay rebuilds them from it)."""
    return [
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
    ]


# --- changing the language afterwards ------------------------------------------------------


WORKED = "reviewers have worked on them"
RESCORED = "they were re-scored before and the audit trail refers to them"


@dataclass(frozen=True)
class LanguageChange:
    """What `article_change_language` did: the claims were split again (`count` of them
    now), or kept as they were (`kept_because` says why) and `count` of them re-scored."""

    article: Article
    old: str
    new: str
    count: int
    kept_because: str = ""

    @property
    def resplit(self) -> bool:
        return not self.kept_because

    @property
    def message(self) -> str:
        """For the editor: "Language set to Deutsch; 42 claims re-split and re-scored." """
        said = f"Language set to {languages.name(self.new)}"
        if self.resplit:
            return f"{said}; {_claims_count(self.count)} re-split and re-scored."
        return (
            f"{said}; the claims were kept as they are because {self.kept_because}; "
            f"{_claims_count(self.count)} re-scored."
        )


def _claims_count(n: int) -> str:
    return f"{n} claim" if n == 1 else f"{n} claims"


@_without_cycle_collection
def article_change_language(
    *, article: Article, language: str, actor: User, seen: str = ""
) -> LanguageChange:
    """Set the language of `article` (a BCP 47 tag a name is known for), for editors, on
    an article open for review; one `article.language_changed` event, before and after.
    `seen`: the language the editor saw when choosing (the board sends it); if another
    change came first, nothing is written and the error names it ("" checks nothing).

    The rule for its claims, since people's work is never destroyed:
    - While the audit trail names none of its claims (nobody has taken, assigned,
      reworded, sourced, noted, dismissed, restored or given a verdict to any, and no
      re-scoring has touched one), the text is split again with the new language's
      segmenter and scored in it: the claims are replaced as a fresh import in that
      language would make them (the event lists the new claims as an import does, and
      the ids it replaced, so replay follows).
    - Otherwise the claims keep their boundaries and everything people did; only the
      label changes, and the claims no person dismissed or restored are re-scored in the
      new language (rescoring.py's rule, in bulk; the event lists each change).
    The article row and its claims are locked meanwhile, so two editors changing it at
    once take turns; each change is audited.
    """
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        ArticleAbilities(actor, article, article.latest_publication).change_language.require()
        new, old = _known_language(language), article.language
        if seen and languages.canonical(seen) != old:
            raise ValidationError(_changed_meanwhile(article))
        if new == old:
            raise ValidationError(f"This article's language is {languages.name(new)} already.")
        claim_ids = list(
            Claim.objects.select_for_update()
            .filter(article=article)
            .order_by("ordinal")
            .values_list("pk", flat=True)
        )
        kept_because = _claims_history(article)
        article.language = new
        article.save(update_fields=["language"])
        if kept_because:
            rescored = claims_rescore_for_language(article=article)
            after: dict = {"language": new, "rescored": rescored}
            count = len(rescored)
        else:
            after = _resplit(article, replaced=claim_ids)
            count = len(after["claims"])
        audit.record(
            actor=actor,
            action=AuditAction.ARTICLE_LANGUAGE_CHANGED,
            article=article,
            obj=article,
            before={"language": old},
            after=after,
        )
        article_reindex(article)
        match_enqueue(article)
    return LanguageChange(article, old, new, count, kept_because)


def _known_language(language: str) -> str:
    """`language` in BCP 47's casing, or ValidationError saying what to give instead."""
    if not (language or "").strip():
        raise ValidationError("Choose a language for the article.")
    tag = languages.canonical(language)
    if not tag or not languages.name(tag):
        raise ValidationError(
            f"“{language.strip()[:40]}” is not a language known here; "
            "choose one like en, de or pt-BR."
        )
    return tag


def _changed_meanwhile(article: Article) -> str:
    last = (
        AuditEvent.objects.filter(article=article, action=AuditAction.ARTICLE_LANGUAGE_CHANGED)
        .order_by("-seq")
        .first()
    )
    who = last.actor_label if last else "someone"
    return (
        f"{who} set the language to {languages.name(article.language)} while you were "
        "choosing; nothing changed. Choose again if it should still change."
    )


def _claims_history(article: Article) -> str:
    """Why the claims of `article` must stay as they are, or "" if they may be replaced:
    people's work on any of them (their events, or what they left on a claim), or an
    earlier re-scoring (an audit event refers to each claim it changed)."""
    actions = set(
        AuditEvent.objects.filter(article=article, claim__isnull=False)
        .order_by()
        .values_list("action", flat=True)
        .distinct()
    )
    worked = Q(assignee__isnull=False) | ~Q(wording=F("text")) | Q(verdict__isnull=False)
    worked |= Q(sources__isnull=False) | Q(notes__isnull=False)
    if actions - {AuditAction.CLAIM_RESCORED} or article.claims.filter(worked).exists():
        return WORKED
    return RESCORED if actions else ""


def _resplit(article: Article, *, replaced: list[int]) -> dict:
    """Replace the claims of `article` (their ids `replaced`) by those its text splits
    into in its language now; what the audit event says of it."""
    sentences = split_sentences(article.body, article.language)
    if not sentences:
        raise ValidationError("The text has no sentence to check in that language.")
    Claim.objects.filter(pk__in=replaced).delete()
    claims = Claim.objects.bulk_create(_claims(article, sentences), batch_size=500)
    return {"language": article.language, "claims": _listed(claims), "replaced": replaced}


def _one_line(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in error.message_dict.items())
    return " ".join(error.messages)
