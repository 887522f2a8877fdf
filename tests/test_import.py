from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.urls import path, resolve

from claims import importing, public_urls
from claims.importing import ImportRejected, article_import, normalise, split_sentences
from claims.models import NOT_CHECK_WORTHY, Article, AuditEvent, Claim, ClaimStatus
from tests.factories import ArticleFactory
from tests.hostile import BAD_FILES

SEEDS = Path(settings.BASE_DIR) / "seeds"
SEED = SEEDS / "daraa-reconciliation-deal-collapse.txt"
SHARED_SEED = Path(settings.BASE_DIR).parent / "shared" / "seeds" / "000_691b45b165927013.txt"


def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def row_counts() -> tuple[int, int, int]:
    return Article.objects.count(), Claim.objects.count(), AuditEvent.objects.count()


@pytest.fixture
def seed_article(db) -> Article:
    run("import_seeds")
    return Article.objects.get()


def test_the_seed_is_a_byte_for_byte_copy_with_metadata():
    if SHARED_SEED.exists():  # beside a checkout; the copy must not drift from it
        assert SEED.read_bytes() == SHARED_SEED.read_bytes()
    meta = json.loads(SEED.with_suffix(".json").read_text())
    assert meta["title"]
    assert "working title" in meta["title_note"]
    assert meta["publisher"] == meta["author"] == meta["url"] == meta["published_on"] == ""


def test_importing_the_seed_makes_one_claim_per_sentence(seed_article):
    claims = list(seed_article.claims.order_by("ordinal"))
    assert len(claims) == 22
    assert [c.ordinal for c in claims] == list(range(1, 23))
    assert seed_article.title == "The Russian-brokered reconciliation deal in Daraa falls apart"
    assert seed_article.sha256 == hashlib.sha256(seed_article.body.encode()).hexdigest()
    assert seed_article.imported_by is None


def test_every_claim_span_is_exact_and_trimmed(seed_article):
    body = seed_article.body
    for claim in seed_article.claims.all():
        assert body[claim.start : claim.end] == claim.text
        assert claim.text == claim.text.strip()
        assert claim.wording == claim.text
        assert claim.quote == {
            "exact": claim.text,
            "prefix": body[max(0, claim.start - 32) : claim.start],
            "suffix": body[claim.end : claim.end + 32],
        }


def test_the_heading_is_flagged_and_dismissed_not_dropped(seed_article):
    heading = seed_article.claims.get(text="An attempt at international display")
    assert heading.is_heading
    assert heading.status == ClaimStatus.DISMISSED
    assert heading.dismissed_reason == NOT_CHECK_WORTHY
    assert heading.explained_reasons[-1]["feature"] == "heading"
    assert heading.explained_reasons[-1]["words"] == [heading.text]
    assert heading.explained_reasons[-1]["weight"] < 0
    assert seed_article.claims.filter(is_heading=True).count() == 1


def test_scores_and_reasons_are_present_and_true_of_the_sentence(seed_article):
    threshold = settings.FACTCHECK_CHECKWORTHY_THRESHOLD
    for claim in seed_article.claims.all():
        assert 0 <= claim.score <= 1
        assert sum(round(r["weight"] * 1000) for r in claim.reasons) == round(claim.score * 1000)
        assert len(claim.reasons) >= 2  # the starting point and at least one reason
        for reason in claim.explained_reasons:
            if reason["feature"].startswith("length "):
                # As the scorer counts: "ceasefire-within-a-ceasefire" is four, "weren’t" one.
                count = len(re.findall(r"\w+(?:['’]\w+)*", claim.text))
                assert reason["words"] == [f"{count} words"]
                continue
            for (start, end), words in zip(reason["spans"], reason["words"], strict=True):
                assert claim.text[start:end] == words
        worthy = claim.score >= threshold and not claim.is_heading
        assert claim.status == (ClaimStatus.NEW if worthy else ClaimStatus.DISMISSED)

    dead = seed_article.claims.get(text__contains="23 people")
    number = next(r for r in dead.explained_reasons if r["feature"] == "number")
    assert number["words"] == ["23"]
    assert number["weight"] > 0
    assert dead.status == ClaimStatus.NEW
    opinion = seed_article.claims.get(text__startswith="This latest confrontation")
    ought = next(r for r in opinion.explained_reasons if r["feature"] == "obligation")
    assert (ought["words"], ought["weight"] < 0) == (["ought to"], True)
    assert opinion.status == ClaimStatus.DISMISSED
    assert seed_article.claims.check_worthy().count() == 12
    assert seed_article.claims.dismissed().count() == 10


def test_import_writes_one_event_that_lists_every_claim(seed_article):
    event = AuditEvent.objects.get()
    assert (event.action, event.actor_label, event.article) == (
        "article.imported",
        "system",
        seed_article,
    )
    listed = {c["ordinal"]: c for c in event.after["claims"]}
    for claim in seed_article.claims.all():
        assert listed[claim.ordinal] == {
            "id": claim.pk,
            "ordinal": claim.ordinal,
            "start": claim.start,
            "end": claim.end,
            "score": claim.score,
            "status": claim.status,
            "dismissed_reason": claim.dismissed_reason,
            "wording": claim.text,
            "is_heading": claim.is_heading,
        }
    assert event.after["article"]["sha256"] == seed_article.sha256


def test_importing_the_same_text_again_finds_the_existing_article(seed_article):
    before = row_counts()
    assert "Already imported" in run("import_article", str(SEED))
    assert "0 new of 1" in run("import_seeds")
    assert row_counts() == before


def test_the_same_text_with_other_line_ends_and_spaces_is_the_same_article(seed_article):
    messy = SEED.read_text().replace("\n", "  \r\n") + "\r\n\r\n"
    result = article_import(data=messy.encode(), filename="copy.txt")
    assert not result.created
    assert result.article == seed_article


def test_text_is_normalised_to_nfc():
    decomposed = unicodedata.normalize("NFD", "Café in Zürich\r\nsaid 3 people.  ")
    assert normalise(decomposed) == "Café in Zürich\nsaid 3 people."


def test_the_import_command_reports_counts_and_takes_metadata(db):
    out = run(
        "import_article",
        str(SEED),
        "--title=Daraa deal",
        "--publisher=Example Times",
        "--author=A. Writer",
        "--url=https://example.org/daraa",
        "--published-on=2021-07-30",
        "--language=en",
    )
    article = Article.objects.get()
    assert "Imported “Daraa deal” (daraa-deal): 22 sentences, 10 of them dismissed" in out
    assert (article.publisher, article.author, article.url) == (
        "Example Times",
        "A. Writer",
        "https://example.org/daraa",
    )
    assert article.published_on.isoformat() == "2021-07-30"


def test_html_is_reduced_to_article_text_and_never_kept_as_markup(db, tmp_path):
    page = tmp_path / "story.html"
    paragraphs = "".join(
        f"<p>The ministry said on Tuesday that {n} schools in the northern region had closed "
        f"because of flooding, according to officials quoted by the agency.</p>"
        for n in range(10, 16)
    )
    page.write_text(
        "<html><head><title>Schools close after floods</title>"
        "<script>alert('x')</script></head><body><nav>Home | World</nav>"
        f"<article><h1>Schools close after floods</h1>{paragraphs}</article>"
        "<footer>© Example</footer></body></html>"
    )
    run("import_article", str(page))
    article = Article.objects.get()
    assert "<" not in article.body
    assert "alert" not in article.body
    assert "12 schools in the northern region" in article.body
    assert article.title == "Schools close after floods"
    assert article.claims.filter(text__contains="12 schools").exists()


def test_markdown_headings_are_flagged(db):
    text = "# Budget row\n\nThe mayor said on Friday the budget rose by 12% to $4 million."
    article = article_import(data=text, filename="note.md").article
    heading, sentence = article.claims.order_by("ordinal")
    assert heading.is_heading
    assert heading.text == "Budget row"
    assert article.body[heading.start : heading.end] == "Budget row"
    assert not sentence.is_heading
    assert sentence.status == ClaimStatus.NEW


def test_a_very_long_paragraph_keeps_exact_spans(db):
    sentence = "The agency said {n} trucks crossed the border on Monday. "
    text = "".join(sentence.format(n=n) for n in range(600)).strip()
    assert len(text) > 30_000
    article = article_import(data=text).article
    assert article.claims.count() == 600
    for claim in article.claims.all():
        assert article.body[claim.start : claim.end] == claim.text


def test_split_sentences_spans_cover_each_sentence_once():
    body = "Short heading\n\nOne said 2 things. Two said 3!\nStill two? Yes."
    spans = [(s.start, s.end, s.is_heading) for s in split_sentences(body)]
    texts = [body[a:b] for a, b, _ in spans]
    assert texts == ["Short heading", "One said 2 things.", "Two said 3!", "Still two?", "Yes."]
    assert spans[0][2] is True


@pytest.mark.parametrize(("name", "data", "message"), BAD_FILES, ids=[f[0] for f in BAD_FILES])
def test_bad_files_are_refused_with_a_clear_message_and_nothing_written(
    db, tmp_path, name, data, message
):
    path = tmp_path / name
    path.write_bytes(data)
    before = row_counts()
    with pytest.raises(CommandError, match=re.escape(message)) as error:
        run("import_article", str(path))
    assert "\n" not in str(error.value)
    assert row_counts() == before


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_a_byte_order_mark_is_read_like_utf8(db, encoding):
    """Windows Notepad's "Unicode" is UTF-16 with a byte-order mark, which says how to
    read it; without the mark the byte order would be a guess, so that is refused."""
    text = "Le ministre a déclaré mardi que 3 écoles avaient fermé.\r\n"
    data = text.encode(encoding)
    if encoding != "utf-16":  # the plain codec writes the mark itself
        data = "\ufeff".encode(encoding) + data
    article = article_import(data=data, filename="notepad.txt").article
    assert article.body == text.strip()
    assert not article_import(data=text.encode(), filename="utf8.txt").created


def test_a_file_over_the_limit_is_refused(db, tmp_path, settings):
    settings.FACTCHECK_IMPORT_MAX_BYTES = 1024
    path = tmp_path / "long.txt"
    path.write_text("The minister said 3 things. " * 100)
    with pytest.raises(CommandError, match=r"is 3 KB, over the import limit of 1 KB"):
        run("import_article", str(path))
    assert row_counts() == (0, 0, 0)


def test_the_default_limit_is_two_megabytes(db):
    assert settings.FACTCHECK_IMPORT_MAX_BYTES == 2 * 1024 * 1024
    with pytest.raises(ImportRejected, match=r"over the import limit of 2\.0 MB"):
        article_import(data=b"a" * (2 * 1024 * 1024 + 1), filename="big.txt")


def test_a_missing_file_says_so(db):
    with pytest.raises(CommandError, match=r"no-such\.txt: no such file"):
        run("import_article", "no-such.txt")


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("--published-on=last tuesday", "not a date"),
        ("--url=javascript:alert(1)", "http:// or https://"),
        ("--language=English!", "not a language code"),
    ],
)
def test_bad_metadata_is_refused_and_nothing_written(db, option, message):
    with pytest.raises(CommandError, match=message):
        run("import_article", str(SEED), option)
    assert row_counts() == (0, 0, 0)


def test_only_editors_may_import(db, editor, reviewer):
    with pytest.raises(PermissionDenied):
        article_import(data="The minister said 3 things on Monday.", actor=reviewer)
    assert row_counts() == (0, 0, 0)
    result = article_import(data="The minister said 3 things on Monday.", actor=editor)
    assert result.created
    assert result.article.imported_by == editor
    assert AuditEvent.objects.get().actor == editor


def test_titles_make_unique_slugs(db):
    first = article_import(data="The minister said 3 things.", title="Budget").article
    second = article_import(data="The minister said 4 things.", title="Budget").article
    assert (first.slug, second.slug) == ("budget", "budget-2")


def first_segments(patterns) -> set[str]:
    """The literal first path segments of URL patterns: `feed/` and `corrections/feed/`
    give feed and corrections; `<slug:slug>/` gives nothing."""
    return {
        str(p.pattern).split("/", 1)[0] for p in patterns if not str(p.pattern).startswith("<")
    } - {""}


def test_no_article_takes_the_address_of_a_public_page(db):
    # A URL name is no address: an article may be called "Claimreview JSON".
    assert ArticleFactory(title="Claimreview JSON").slug == "claimreview-json"
    routes = first_segments(public_urls.urlpatterns)
    assert {"methodology", "feed", "corrections", "claimreview.json"} <= routes
    planned = {"about", "team", "corrections-policy", "suggest", "search", "sources"}
    for segment in routes | planned:
        title = segment.replace("-", " ").replace(".", " ").title()  # "Corrections Policy"
        slug = ArticleFactory(title=title).slug
        assert slug != segment, title
        match = resolve(f"/checks/{slug}/")
        assert (match.url_name, match.kwargs) == ("article", {"slug": slug}), title


def test_a_new_public_route_is_reserved_from_its_path(db, monkeypatch):
    route = path("reader-tips/", lambda request: None, name="tips")
    monkeypatch.setattr(public_urls, "urlpatterns", [route, *public_urls.urlpatterns])
    importing.reserved_slugs.cache_clear()
    try:
        assert ArticleFactory(title="Reader tips").slug == "reader-tips-article"
    finally:
        importing.reserved_slugs.cache_clear()


@pytest.mark.django_db
def test_the_import_leaves_the_fields_it_never_fills_to_the_database():
    """Who made a claim, where and when it appeared and its assignee are empty on import:
    the bulk insert leaves their columns out (the database's defaults fill them), so an
    import prepares a quarter fewer values; the claims it returns hold those defaults."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        result = article_import(data="The council said 40 schools closed in 2023. It was so.")
    inserts = [q["sql"] for q in queries if q["sql"].startswith('INSERT INTO "claims_claim"')]
    assert inserts
    columns = inserts[0][: inserts[0].index(")")]  # the column list (not RETURNING's)
    for column in ("claimant", "claimant_kind", "claimant_role", "appearance_url"):
        assert f'"{column}"' not in columns
    assert '"appeared_on"' not in columns
    assert '"assignee_id"' not in columns
    assert '"text"' in columns
    claims = list(result.article.claims.all())
    assert len(claims) == 2
    for claim in claims:
        assert (claim.claimant, claim.claimant_kind, claim.claimant_role) == ("", "", "")
        assert (claim.appearance_url, claim.appeared_on, claim.assignee) == ("", None, None)
