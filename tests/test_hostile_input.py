"""Hostile text everywhere it can go in, and every page, feed, JSON and export it comes
out of: shown as inert text, never as markup; non-http(s) URLs refused at input.

Each XSS payload (tests/hostile.py) is put into an article's title, publisher, author
and body (through the import form), a claim's wording, two sources' titles, publishers
and excerpts, a note, a verdict's summary and rationale, a send-back comment, other
claims' dismissal reasons, a rating's label and definition, a reason for reopening,
a correction note and a retraction reason. Then every surface is fetched and checked by `inert()`.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from claims import publishing, ratings, review
from claims.models import Article, AuditEvent, ClaimStatus, Note, Publication, Rating, Source
from tests.hostile import HOSTILE_HTTP_URL, HOSTILE_URLS, XSS, marker
from tests.workspace import HTMX, a_claim, fresh

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "xlink:href", "ping"}
# Attributes whose value may hold user text (escaped) or a URL with a slug made from it.
TEXT_ATTRIBUTES = {"value", "title", "aria-label", "content", "href", "action", "hx-get", "hx-post"}
FOREIGN_ELEMENTS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "math"}
JSON_LD = "application/ld+json"
JSON_SCRIPTS = {JSON_LD, "application/json"}


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


class Page(HTMLParser):
    """What a browser would build from an HTML document: elements, scripts and text."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[tuple[dict[str, str], str]] = []
        self.text: list[str] = []
        self._script: dict[str, str] | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        self.elements.append((tag, attributes))
        if tag == "script":
            self._script = attributes
            self.scripts.append((attributes, ""))
        elif tag == "input":
            self.text.append(attributes.get("value", ""))

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            attributes, body = self.scripts[-1]
            self.scripts[-1] = (attributes, body + data)
        else:
            self.text.append(data)


# A masked CSRF token: 64 random letters and digits, in which "xss" turns up now and then.
CSRF_TOKEN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")


def inert(html: str, where: str) -> str:
    """Fail if anything in `html` is markup a payload made; return the page's text."""
    page = Page(CSRF_TOKEN.sub("csrf-token", html))
    for tag, attributes in page.elements:
        assert tag not in FOREIGN_ELEMENTS, f"{where}: a <{tag}> element"
        assert not (tag == "meta" and "http-equiv" in attributes), f"{where}: <meta http-equiv>"
        for name, value in attributes.items():
            assert not name.startswith("on"), f"{where}: <{tag} {name}={value!r}>"
            assert name != "srcdoc", f"{where}: <{tag} srcdoc>"
            assert "xss" not in name, f"{where}: attribute {name!r} on <{tag}>"
            if name in URL_ATTRIBUTES:
                scheme = "".join(value.split()).lower().split(":", 1)[0]
                assert scheme not in {"javascript", "data", "vbscript"}, f"{where}: {name}={value}"
            if "xss" in value and name not in TEXT_ATTRIBUTES:
                raise AssertionError(f"{where}: payload in <{tag} {name}={value!r}>")
    for attributes, body in page.scripts:
        if attributes.get("type") in JSON_SCRIPTS:
            assert not set("<>&") & set(body), f"{where}: raw < > & in a JSON script"
            json.loads(body)
        else:
            assert "src" in attributes, f"{where}: an inline script {body!r}"
            assert not body.strip(), f"{where}: a script with a src and a body {body!r}"
    return "".join(page.text)


def shows(response, payload: str, where: str, *, whole: bool = True) -> None:
    """The page is inert and, where the payload is shown whole, shows it as text."""
    assert response.status_code == 200, f"{where}: {response.status_code}"
    text = inert(response.content.decode(), where)
    if whole:
        assert payload in text, f"{where}: the payload is not shown as text"


def entries(response) -> list[tuple[str, str]]:
    """(title, summary) of each entry of an Atom feed, as a reader gets them."""
    feed = ET.fromstring(response.content)
    return [
        (entry.findtext(f"{ATOM}title"), entry.findtext(f"{ATOM}summary") or "")
        for entry in feed.iter(f"{ATOM}entry")
    ]


def hostile_article(payload, client, *, editor, reviewer, second_reviewer, superuser):
    """An article carrying `payload` in every field, published and then corrected."""
    client.force_login(editor)
    body = (
        f"The council said on Monday that 40 homes were flooded, officials said: {payload}\n\n"
        "The mayor vowed on Tuesday to reopen 3 bridges by March, according to officials."
    )
    fields = {"title": payload, "publisher": payload, "author": payload, "url": HOSTILE_HTTP_URL}
    response = client.post("/review/", {"text": body, "language": "en", **fields})
    assert response.status_code == 302, response.content.decode()
    article = Article.objects.get()
    assert (article.title, article.url) == (payload, HOSTILE_HTTP_URL)

    claim = article.claims.order_by("ordinal").first()
    if claim.status == ClaimStatus.DISMISSED:
        claim = review.claim_restore(actor=editor, claim=claim, version=claim.version)
    claim = review.claim_reword(actor=reviewer, claim=claim, wording=payload, version=claim.version)
    for stance in ("refutes", "context"):
        review.claim_add_source(
            actor=reviewer,
            claim=claim,
            url=HOSTILE_HTTP_URL,
            title=payload,
            publisher=payload,
            excerpt=payload,
            stance=stance,
        )
    review.claim_add_note(actor=reviewer, claim=claim, body=payload)
    rating = Rating.objects.get(slug="false")
    rating.label, rating.definition = payload[:60], payload
    ratings.rating_save(actor=superuser, rating=rating)
    for step in ("propose", "send back", "propose", "approve"):
        claim = fresh(claim)
        if step == "propose":
            review.claim_propose_verdict(
                actor=reviewer,
                claim=claim,
                rating=rating,
                summary=payload,
                rationale=payload,
                version=claim.version,
            )
        elif step == "send back":
            review.claim_send_back(
                actor=second_reviewer, claim=claim, comment=payload, version=claim.version
            )
        else:
            review.claim_approve_verdict(actor=second_reviewer, claim=claim, version=claim.version)
    for other in article.claims.check_worthy().exclude(pk=claim.pk):
        review.claim_dismiss(actor=editor, claim=other, reason=payload, version=other.version)
    publishing.article_publish(actor=editor, article=article)
    publishing.article_reopen(actor=editor, article=article, reason=payload)
    claim = fresh(claim)  # the correction names who made the claim, in the hostile words
    review.claim_set_claimant(
        actor=reviewer,
        claim=claim,
        version=claim.version,
        claimant=payload[:200],
        claimant_kind="Person",
        claimant_role=payload[:200],
    )
    publishing.article_publish(
        actor=editor, article=article, correction_kind="typo", correction_text=payload
    )
    return article, fresh(claim)


def check_workspace(client, payload, article, claim):
    shows(client.get("/review/"), payload, "queue")
    board = article.get_absolute_url()
    shows(client.get(board), payload, "board")
    shows(client.get(board, headers=HTMX), payload, "board claims table")
    page = claim.get_absolute_url()
    shows(client.get(page), payload, "claim page")
    for panel in ("wording", "sources", "notes", "verdict", "timeline"):
        shows(client.get(f"{page}?panel={panel}", headers=HTMX), payload, f"{panel} panel")
    for panel in ("assignment", "signoff"):
        shows(client.get(f"{page}?panel={panel}", headers=HTMX), payload, panel, whole=False)
    if dismissed := article.claims.filter(status=ClaimStatus.DISMISSED).first():
        shows(client.get(dismissed.get_absolute_url()), payload, "a dismissed claim's page")


def check_public(client, payload, article, claim):
    base = f"/checks/{article.slug}"
    for url in ("/checks/", f"{base}/", f"{base}/v/1/", f"{base}/v/2/", "/checks/methodology/"):
        shows(client.get(url), payload, url)
    response = client.get(f"{base}/claims/{claim.ordinal}/")
    shows(response, payload, "public claim page")
    scripts = Page(response.content.decode()).scripts
    (script,) = [body for attrs, body in scripts if attrs.get("type") == JSON_LD]  # exactly one
    data = json.loads(script)
    assert data["claimReviewed"] == payload
    assert data["reviewRating"]["ratingExplanation"] == payload
    assert data["itemReviewed"]["appearance"] == {
        "@type": "CreativeWork",
        "headline": payload,
        "url": HOSTILE_HTTP_URL,
    }

    response = client.get("/checks/claimreview.json")
    assert response["Content-Type"] == "application/json"
    assert not set("<>&") & set(response.content.decode())
    assert [review["claimReviewed"] for review in response.json()] == [payload]

    for feed in ("/checks/feed/", "/checks/corrections/feed/"):
        for title, summary in entries(client.get(feed)):
            assert payload in title
            # Readers render a summary as HTML: it must be inert there too.
            inert(summary, f"{feed} summary")
    (_, correction), *_ = entries(client.get("/checks/corrections/feed/"))
    assert payload in inert(correction, "correction summary")

    sitemap = ET.fromstring(client.get("/sitemap.xml").content)
    locations = [loc.text for loc in sitemap.iter(f"{SITEMAP}loc")]
    assert locations
    assert all(loc.startswith("http://testserver/checks/") for loc in locations)


def check_export(payload, article):
    out = StringIO()
    call_command("export_article", article.slug, "--include-notes", stdout=out)
    exported = json.loads(out.getvalue())
    assert exported["article"]["title"] == payload
    (claim,) = [c for c in exported["claims"] if c["verdict"]]
    assert claim["wording"] == claim["verdict"]["summary"] == claim["verdict"]["rationale"]
    assert claim["wording"] == payload
    assert {(s["title"], s["excerpt"], s["url"]) for s in claim["sources"]} == {
        (payload, payload, HOSTILE_HTTP_URL)
    }
    assert [note["body"] for note in claim["notes"]] == [payload]


def check_admin(client, payload, article, claim):
    records = {
        "article": article.pk,
        "claim": claim.pk,
        "source": claim.sources.first().pk,
        "note": Note.objects.get().pk,
        "verdict": claim.verdict.pk,
        "publication": Publication.objects.get(version=2).pk,
        "rating": Rating.objects.get(slug="false").pk,
        "auditevent": AuditEvent.objects.filter(action="verdict.sent_back").get().pk,
    }
    shown_in_list = {"article", "source", "verdict", "publication", "rating"}
    for model, pk in records.items():
        listing = client.get(f"/admin/claims/{model}/")
        shows(listing, payload, f"admin {model} list", whole=model in shown_in_list)
        shows(client.get(f"/admin/claims/{model}/{pk}/change/"), payload, f"admin {model}")


@pytest.mark.slow  # every surface, for each of the 33 payloads: about 20 s in all
@pytest.mark.parametrize("payload", XSS, ids=[marker(p) for p in XSS])
def test_hostile_text_is_inert_on_every_surface(
    client, payload, editor, reviewer, second_reviewer, superuser
):
    article, claim = hostile_article(
        payload,
        client,
        editor=editor,
        reviewer=reviewer,
        second_reviewer=second_reviewer,
        superuser=superuser,
    )
    check_workspace(client, payload, article, claim)
    check_export(payload, article)
    client.force_login(superuser)
    check_admin(client, payload, article, claim)

    client.logout()
    check_public(client, payload, article, claim)

    publishing.article_retract(actor=editor, article=article, reason=payload)
    base = f"/checks/{article.slug}"
    for url in ("/checks/", f"{base}/", f"{base}/claims/{claim.ordinal}/"):
        shows(client.get(url), payload, f"retracted: {url}")
    (_, retraction), *_ = entries(client.get("/checks/corrections/feed/"))
    assert f"Retracted: {payload}" in inert(retraction, "retraction summary")


def test_the_corpus_is_large_and_every_payload_is_distinct():
    markers = [marker(payload) for payload in XSS]
    assert len(XSS) >= 20
    assert len(set(markers)) == len(markers)
    assert all(len(payload) <= 200 and payload == payload.strip() for payload in XSS)


def test_the_checker_catches_what_it_is_meant_to_catch():
    """`inert()` is the judge of every page above: prove it finds live markup."""
    live = [
        "<p><script>window.__xss='xss01'</script></p>",
        "<img src=x onerror=alert(1)>",
        '<a href=" JavaScript:alert(1)">x</a>',
        '<iframe src="https://x.example"></iframe>',
        '<script type="application/ld+json">{"a": "</p>"}</script>',
        '<div hx-vals="xss29">x</div>',
    ]
    for html in live:
        with pytest.raises(AssertionError):
            inert(html, "sample")
    assert inert("<p>&lt;script&gt;xss01&lt;/script&gt;</p>", "sample") == "<script>xss01</script>"


# --- URLs ----------------------------------------------------------------------------------


def refuses(response, message: str, status: int) -> None:
    from html import unescape

    assert response.status_code == status
    assert message in unescape(response.content.decode())


@pytest.mark.parametrize(("url", "message"), HOSTILE_URLS, ids=[u for u, _ in HOSTILE_URLS])
def test_a_non_http_url_is_refused_at_every_input_with_a_clear_message(
    client, editor, superuser, url, message
):
    claim = a_claim()
    events = AuditEvent.objects.count()
    source = {"url": url, "title": "Minutes", "stance": "context"}
    client.force_login(editor)
    add = reverse("claims:source-add", args=[claim.pk])
    refuses(client.post(add, source), message, 422)
    refuses(client.post(add, source, headers=HTMX), message, 422)
    article = {"text": "The council said 3 things.", "url": url}
    refuses(client.post("/review/", article), message, 422)
    client.force_login(superuser)
    admin_source = source | {"claim": claim.pk, "accessed_on": "2026-01-02"}
    refuses(client.post(reverse("admin:claims_source_add"), admin_source), message, 200)
    assert not Source.objects.exists()
    assert Article.objects.count() == 1
    assert AuditEvent.objects.count() == events
