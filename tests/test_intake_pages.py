"""Real web pages through the real importer: structure kept, boilerplate dismissed.

The pages are in tests/data/pages (see PROVENANCE.md there). The counts below were
checked by reading each page: its paragraphs (the article's, plus the few promo and
credit lines that stay in and are dismissed), the headings the page marks up (`<h1>`–
`<h4>` inside the article, kept as `#` headings in the body) and the heading claims the
importer finds (those, plus short bold lines the page uses as subheadings).
"""

from __future__ import annotations

import re
import subprocess
import sys
from io import StringIO
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.management import call_command

from claims import boilerplate, publishing
from claims.extraction import Block, authors, choose, extract, page_chars
from claims.importing import PARAGRAPH, ImportRejected, article_import
from claims.models import NOT_CHECK_WORTHY, Article, ClaimStatus
from claims.views import public
from tests.workspace import settled_article

PAGES = Path(settings.BASE_DIR) / "tests" / "data" / "pages"

# page: (paragraphs, headings the page marks up, heading claims)
STRUCTURE = {
    # 29 paragraphs and 4 subheadings of the article, the donation box with its heading.
    "correctiv.org.zusage.html": (range(33, 38), 5, range(5, 6)),
    # Subheadings are bold paragraphs ("Freedom fighters replace colonial leaders"), and
    # the two "Read more:" lines look like headings too.
    "dw.com.colonial.html": (range(20, 23), 0, range(4, 5)),
    "dw.com.uncork.html": (range(27, 30), 0, range(2, 3)),
    # Paragraphs separated by <br>; the title (h1), two subheadings (h2); the deck, an h2
    # that is a full sentence, is a paragraph.
    "elpais.com.uy-gobierno.html": (range(29, 34), 3, range(3, 4)),
    "franceculture.fr.idees.html": (range(15, 19), 2, range(3, 4)),
    "futurezone.at.lyft.html": (range(7, 10), 2, range(2, 3)),
    # Reporter's name and e-mail, and a photographer's name under a caption, are short
    # lines of their own.
    "guardian.co.tt-massy.html": (range(21, 25), 0, range(3, 4)),
    "heise.de.lithium.html": (range(8, 11), 2, range(2, 3)),
    "knowtechie.com.rally.html": (range(12, 16), 3, range(4, 7)),
    # Five letters, each under its h4 and signed with a name over a town.
    "mercurynews.com.2023.01.16.letters-1119.html": (range(25, 28), 5, range(5, 6)),
    "nature.com.telescope.html": (range(16, 19), 1, range(1, 2)),
    # Six h3 sections; two list items without closing punctuation count as headings.
    "netzpolitik.org.abmahnungen.html": (range(39, 44), 6, range(6, 9)),
    "phys.org.tool.html": (range(4, 7), 1, range(1, 3)),
    "salon.com.emissions.html": (range(9, 12), 0, range(0, 1)),
    "tagesspiegel.de.abstandsregeln.html": (range(20, 23), 4, range(4, 5)),
    "telegraph.co.uk.plumber.html": (range(31, 34), 0, range(0, 1)),
    "thenassauguardian.com-hikes.html": (range(10, 13), 0, range(0, 1)),
}
EMPTY_PAGE = "lanouvellerepublique.fr.martin.html"  # an app shell: no article in the HTML
EMPTY_PAGES = {EMPTY_PAGE}

# (page, the start of a sentence, the reason it is dismissed with)
BOILERPLATE = [
    ("dw.com.colonial.html", "Read more: Recognizing Germany colonial crimes", "related link"),
    ("dw.com.colonial.html", "Read more: Looted colonial art", "related link"),
    ("salon.com.emissions.html", "(Credit: Clayton Aldern / Grist)", "credit"),
    ("knowtechie.com.rally.html", "Editors’ Recommendations:", "related link"),
    ("knowtechie.com.rally.html", "Crates are leaving Rocket League", "related link"),
    ("knowtechie.com.rally.html", "Let us know down below in the comments", "comments"),
    ("heise.de.lithium.html", "Den kompletten Beitrag lesen Sie", "paywall"),
    ("tagesspiegel.de.abstandsregeln.html", "[Alle wichtigen Updates des Tages", "newsletter"),
    ("tagesspiegel.de.abstandsregeln.html", "[Alle aktuellen Entwicklungen", "related link"),
    ("correctiv.org.zusage.html", "CORRECTIV ist spendenfinanziert!", "donation appeal"),
    ("correctiv.org.zusage.html", "Jetzt unterstützen!", "donation appeal"),
    ("franceculture.fr.idees.html", "Par Jacques Munier", "byline"),
    ("franceculture.fr.idees.html", "A lire aussi :", "related link"),
    ("franceculture.fr.idees.html", "© Denis Meyer", "credit"),  # a photo credit
    # The teasers after "A lire aussi :", each opening with its review's name and a colon.
    ("franceculture.fr.idees.html", "Revue Projet : Savons-nous", "related link"),
    ("franceculture.fr.idees.html", "Revue Esprit : Quand le langage", "related link"),
    ("guardian.co.tt-massy.html", "pe", "byline"),  # the reporter's e-mail address
    ("guardian.co.tt-massy.html", "PE", "byline"),  # and her name above it
    ("mercurynews.com.2023.01.16.letters-1119.html", "Ninfa Wood", "byline"),
    ("mercurynews.com.2023.01.16.letters-1119.html", "Jon Rego", "byline"),
    ("elpais.com.uy-gobierno.html", "(Ver nota aparte).", "related link"),
    (
        "mercurynews.com.2023.01.16.letters-1119.html",
        "Read more Letters to the Editor",
        "related link",
    ),
    ("phys.org.tool.html", "© 2019 Science X Network", "copyright"),
    ("nature.com.telescope.html", "Nature 574, 16-17 (2019)", "reference"),
]

# (page, the start of an article sentence): never dismissed as boilerplate.
ARTICLE_TEXT = [
    ("dw.com.colonial.html", "Berlin's relationship with its colonial history"),
    ("dw.com.colonial.html", '"This shows that the political right'),
    ("knowtechie.com.rally.html", "Rocket Pass 4 will begin at 10:00 a.m."),
    ("salon.com.emissions.html", "Coal has been in a slow-motion death spiral"),
    ("correctiv.org.zusage.html", "Insgesamt wären also etwa 1,8 Millionen Euro fällig."),
    ("tagesspiegel.de.abstandsregeln.html", "Hinein kommt nur, wer die richtigen Werte hat."),
    ("franceculture.fr.idees.html", "À propos des réseaux sociaux"),
    ("elpais.com.uy-gobierno.html", "El conflicto continúa."),
    ("guardian.co.tt-massy.html", "Massy said it would work to rectify"),
    ("netzpolitik.org.abmahnungen.html", "Hilfreich bei der Nutzung von Wikipedia-Bildern"),
    ("telegraph.co.uk.plumber.html", "A jury at Bristol Crown Court convicted Hartley"),
]


def imported(name: str) -> Article:
    return article_import(data=(PAGES / name).read_bytes(), filename=name).article


def claim_starting(article: Article, start: str):
    matches = [c for c in article.claims.all() if c.text.startswith(start)]
    assert matches, f"no claim starts with {start!r} in {article.source_filename}"
    return matches[0]


def test_every_shared_page_is_tested():
    assert {p.name for p in PAGES.glob("*.html")} == set(STRUCTURE) | EMPTY_PAGES


@pytest.mark.parametrize("name", sorted(STRUCTURE))
def test_a_page_keeps_its_paragraphs_and_headings(db, name):
    paragraphs, marked, heading_claims = STRUCTURE[name]
    article = imported(name)
    body = article.body
    blocks = PARAGRAPH.findall(body)
    assert len(blocks) in paragraphs
    assert sum(bool(re.match(r"#{1,6} ", block)) for block in blocks) == marked
    claims = list(article.claims.all())
    assert sum(c.is_heading for c in claims) in heading_claims
    assert all(body[c.start : c.end] == c.text for c in claims)
    assert "{{" not in body  # template code left out
    assert not re.search(r"<[a-z/!]", body)  # no markup
    assert "\u00ad" not in body


@pytest.mark.parametrize("name", sorted(EMPTY_PAGES))
def test_a_page_with_no_article_text_is_refused(db, name):
    with pytest.raises(ImportRejected, match="no article text found"):
        imported(name)
    assert not Article.objects.exists()


@pytest.mark.parametrize(("name", "start", "reason"), BOILERPLATE)
def test_boilerplate_lines_are_kept_but_dismissed_with_their_reason(db, name, start, reason):
    claim = claim_starting(imported(name), start)
    assert claim.status == ClaimStatus.DISMISSED
    assert claim.dismissed_reason == f"boilerplate: {reason}"


@pytest.mark.parametrize(("name", "start"), ARTICLE_TEXT)
def test_article_sentences_are_not_boilerplate(db, name, start):
    claim = claim_starting(imported(name), start)
    assert not claim.dismissed_reason.startswith(boilerplate.PREFIX)


def test_headings_are_marked_in_the_body_and_dismissed_as_headings(db):
    article = imported("elpais.com.uy-gobierno.html")
    assert "\n\n## Negociaciones\n\n" in article.body
    heading = article.claims.get(text="Negociaciones")
    assert heading.is_heading
    assert heading.dismissed_reason == NOT_CHECK_WORTHY
    # The deck, marked up as an h2 but a full sentence, stays a sentence to check.
    deck = claim_starting(article, "Empresa anunció 150 despidos")
    assert not deck.is_heading


def test_line_breaks_after_a_sentence_start_paragraphs_and_a_signature_stays_whole(db):
    elpais = imported("elpais.com.uy-gobierno.html")
    assert "histórica.\n\nLos hechos revelan" in elpais.body
    letters = imported("mercurynews.com.2023.01.16.letters-1119.html")
    assert "\n\nNinfa Wood\nWalnut Creek\n\n" in letters.body
    assert "#### Alameda County DA is coddling criminals" in letters.body  # one line


def test_page_metadata_is_cleaned(db):
    colonial = imported("dw.com.colonial.html")  # the byline says "Deutsche Welle"
    assert (colonial.author, colonial.publisher) == ("", "DW.COM")
    heise = imported("heise.de.lithium.html")  # "Denis Dilba; Heise Online"
    assert heise.author == "Denis Dilba"
    letters = imported("mercurynews.com.2023.01.16.letters-1119.html")  # "Letters"
    assert letters.author == ""
    correctiv = imported("correctiv.org.zusage.html")
    assert correctiv.author == "Marcus Bensmann, Justus von Daniels, Ulrich Stoll"
    assert str(correctiv.published_on) == "2019-05-14"
    tagesspiegel = imported("tagesspiegel.de.abstandsregeln.html")  # sitename is a URL
    assert tagesspiegel.publisher == "tagesspiegel.de"


# --- the fallback ---------------------------------------------------------------------------


def paragraphs(*sizes: int) -> list[Block]:
    return [Block("paragraph", "x" * size) for size in sizes]


def test_precision_is_used_when_it_keeps_at_least_half_the_text():
    assert choose(paragraphs(300, 200), paragraphs(300, 200, 400))[0] == "precision"
    assert choose(paragraphs(450), paragraphs(900))[0] == "precision"


def test_the_default_is_used_when_precision_finds_little_or_nothing():
    assert choose(paragraphs(449), paragraphs(900)) == ("default", paragraphs(900))
    assert choose([], paragraphs(900)) == ("default", paragraphs(900))


def test_on_the_shared_pages_precision_keeps_nearly_all_of_the_defaults_text():
    for name in STRUCTURE:
        found = extract((PAGES / name).read_text(encoding="utf-8"), compare=True)
        assert found.mode == "precision"
        assert found.default_chars is not None
        assert found.precision_chars >= 0.9 * found.default_chars, name


def test_the_default_runs_only_when_it_could_change_the_choice():
    """Precision holding half the page's text settles it: no extraction finds more than
    the page holds. Every page gives what comparing both would, and half skip the
    default (the other half are pages whose menus, comments or scripts' text outweigh
    the article twice over)."""
    skipped = []
    for page in sorted(PAGES.glob("*.html")):
        html = page.read_text(encoding="utf-8")
        both, found = extract(html, compare=True), extract(html)
        assert both.default_chars is not None
        assert both.default_chars <= page_chars(html), page.name  # the bound holds
        assert (found.mode, found.blocks) == (both.mode, both.blocks), page.name
        if found.default_chars is None:
            assert found.precision_chars >= 0.5 * page_chars(html)
            skipped.append(page.name)
        else:
            assert found.default_chars == both.default_chars
    assert "dw.com.uncork.html" in skipped
    assert "correctiv.org.zusage.html" not in skipped  # 9 KB of article in 114 KB of text
    assert len(skipped) >= 9


def test_a_page_shell_falls_back_to_the_default_which_holds_no_article_either():
    found = extract((PAGES / "lanouvellerepublique.fr.martin.html").read_text(encoding="utf-8"))
    assert (found.mode, found.precision_chars) == ("default", 0)
    assert 0 < found.default_chars < 200  # the CMS's buttons, its template code left out
    assert found.blocks == []


def test_paragraphs_break_at_br_only_after_a_sentence_end():
    html = (
        "<html><body><article><p>The council met on Monday and voted to close the library."
        "<br>It said the building cost too much to heat in winter.</p><p>Jane Doe<br>"
        "Springfield</p><h2>What comes next</h2><p>A new library opens in 2027, the mayor "
        "said on Tuesday at the meeting.</p></article></body></html>"
    )
    assert extract(html).text == (
        "The council met on Monday and voted to close the library.\n\n"
        "It said the building cost too much to heat in winter.\n\n"
        "Jane Doe\nSpringfield\n\n"
        "## What comes next\n\n"
        "A new library opens in 2027, the mayor said on Tuesday at the meeting."
    )


# --- authors --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "publisher", "url", "expected"),
    [
        ("JERUSALEM POST STAFF NOVEMBER", "", "", ("", "JERUSALEM POST STAFF")),
        ("CBS News February", "", "", ("", "CBS News")),
        ("Staff", "", "", ("", "")),
        ("Reuters", "", "", ("", "Reuters")),
        ("dpa", "", "", ("", "dpa")),
        ("Letters", "The Mercury News", "", ("", "")),
        ("Deutsche Welle", "DW.COM", "https://www.dw.com/en/a-1", ("", "Deutsche Welle")),
        (
            "Denis Dilba; Heise Online",
            "Technology Review",
            "https://www.heise.de/x",
            ("Denis Dilba", "Heise Online"),
        ),
        ("John Smith November 3, 2020", "", "", ("John Smith", "")),
        ("JOHN SMITH NOVEMBER", "", "", ("JOHN SMITH", "")),
        ("Theresa May", "", "", ("Theresa May", "")),
        ("April Ryan", "", "", ("April Ryan", "")),
        ("By Jane Doe and John Roe", "", "", ("Jane Doe, John Roe", "")),
        ("Von Max Müller, dpa", "", "", ("Max Müller", "dpa")),
        ("Par Jacques Munier", "France Culture", "", ("Jacques Munier", "")),
        ("Redacción El País", "", "", ("", "Redacción El País")),
        ("peter.christopher@guardian.co.tt", "", "", ("", "")),
    ],
)
def test_authors_that_are_organisations_dates_or_junk_are_not_authors(
    raw, publisher, url, expected
):
    assert authors(raw, publisher=publisher, url=url) == expected


def test_an_organisation_named_as_author_becomes_the_publisher_when_there_is_none(db):
    html = (
        "<html><head><title>Floods</title><meta name='author' content='CBS News February'>"
        "</head><body><article><p>The river rose by two metres on Monday, the agency said, "
        "and 300 homes were flooded in the town.</p></article></body></html>"
    )
    article = article_import(data=html, filename="floods.html").article
    assert (article.author, article.publisher) == ("", "CBS News")


def test_dates_are_found_without_loading_dateparser():
    # A date written out in words that only htmldate's extensive search (dateparser)
    # reads; that search is off, so the date is left for the editor to give.
    script = (
        "import sys\n"
        "from claims.extraction import metadata\n"
        'html = \'<html><body><p class="date">3 марта 2021 г.</p>'
        "<article><p>Text of the article.</p></article></body></html>'\n"
        "found = metadata(html)\n"
        "print(found['published_on'] or '-', 'dateparser' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
    ).stdout.split()
    assert out == ["-", "False"]


def test_the_public_page_shows_a_heading_without_its_mark(
    client, editor, reviewer, second_reviewer
):
    text = (
        "## Bridges to close\n\n"
        "The council said on Monday that 3 bridges in Exampleton will close in 2025.\n\n"
        "Critics argue the plan ought to be scrapped."
    )
    article, _ = settled_article(
        editor=editor, reviewer=reviewer, approver=second_reviewer, text=text
    )
    publishing.article_publish(actor=editor, article=article)
    page = client.get(f"/checks/{article.slug}/").content.decode()
    assert "<p>Bridges to close</p>" in page
    assert "## Bridges" not in page


def test_a_claim_page_shows_a_heading_claim_without_its_mark():
    body = "## Bridges to close\n\nThe council said so."
    heading = SimpleNamespace(start=3, end=19)
    assert public._paragraph_of(body, heading) == [  # type: ignore[arg-type]
        ("", False),
        ("Bridges to close", True),
        ("", False),
    ]


def test_the_intake_report_prints_a_row_per_page_and_leaves_nothing_behind(db):
    out = StringIO()
    pages = [str(PAGES / "salon.com.emissions.html"), str(PAGES / EMPTY_PAGE)]
    call_command("intake_report", *pages, stdout=out)
    rows = out.getvalue().splitlines()
    assert rows[0] == (
        "| page | mode | paragraphs | headings | claims | open | dismissed | boilerplate |"
    )
    assert rows[2].startswith("| lanouvellerepublique.fr.martin.html | default | rejected: ")
    # 29: its two-sentence quotation is split into its sentences (claims/segmenting.py).
    assert rows[3].startswith("| salon.com.emissions.html | precision | 10 | 0 | 29 |")
    assert rows[3].endswith("| 2 |")  # the two photo credits
    assert not Article.objects.exists()
