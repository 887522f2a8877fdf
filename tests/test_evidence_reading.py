"""Reading snapshots: the sources panel, the captured text for the desk (plain text), the
public snapshot page of a cited source (strict CSP, 404 unless a standing publication
cites it), the archived-copy links on the public pages, ClaimReview and the export.
Sources are captured by the real capture service from a local website on 127.0.0.1."""

from __future__ import annotations

import html
import json
import re

import pytest

from claims import publishing
from claims.exporting import article_export
from claims.models import SourceSnapshot
from tests.hostile import XSS, marker
from tests.website import answer
from tests.workspace import a_claim, published_with_captures, settled_article, with_sources

STRICT_CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)
HOSTILE_PAGE = (
    "<html><head><title>Flood </title><script>window.__xss='title'</script></head><body>"
    "<article><h1>Flood report</h1>"
    + "".join(
        f"<p>The council log, line {n}, reads: {html.escape(payload)}</p>"
        for n, payload in enumerate(XSS)
    )
    + "</article></body></html>"
).encode()


@pytest.fixture
def pages(website):
    website.routes["/hostile"] = answer(body=HOSTILE_PAGE)
    return [website.url("/hostile"), website.url("/pages/dw.com.uncork.html")]


@pytest.fixture
def published(editor, reviewer, second_reviewer, pages):
    return published_with_captures(
        editor=editor, reviewer=reviewer, approver=second_reviewer, source_urls=pages
    )


def snapshot_url(source) -> str:
    return f"/checks/sources/{source.pk}/snapshot/"


def test_the_public_snapshot_page_shows_the_cited_capture_as_inert_text(client, published):
    _, claim = published
    source = claim.sources.get(title="Evidence 0")
    capture = SourceSnapshot.objects.get(source=source)

    response = client.get(snapshot_url(source))

    assert response.status_code == 200
    assert response["Content-Security-Policy"] == STRICT_CSP
    page = response.text
    assert capture.sha256 in page
    assert f'href="{html.escape(source.url)}"' in page
    assert capture.fetched_at.strftime("%-d %B %Y") in page
    assert "Flood report" in page
    assert "<script" not in page
    for payload in XSS:
        if "<" in payload:
            assert payload not in page, marker(payload)
    assert html.escape("<script>window.__xss='xss01'</script>") in page
    assert html.escape("<img src=x onerror=\"window.__xss='xss02'\">") in page


def test_a_source_no_standing_publication_cites_has_no_public_snapshot(
    client, editor, reviewer, pages
):
    claim = with_sources(a_claim(), reviewer, urls=pages)
    source = claim.sources.first()
    assert SourceSnapshot.objects.filter(source=source, outcome="ok").exists()
    assert client.get(snapshot_url(source)).status_code == 404
    assert client.get("/checks/sources/999999/snapshot/").status_code == 404


def test_a_retracted_check_takes_its_snapshot_pages_down(client, published, editor):
    article, claim = published
    source = claim.sources.first()
    publishing.article_retract(actor=editor, article=article, reason="The report was withdrawn.")
    assert client.get(snapshot_url(source)).status_code == 404


def test_the_public_pages_link_each_source_to_its_snapshot(client, published):
    article, claim = published
    first, second = claim.sources.order_by("pk")
    page = client.get(f"/checks/{article.slug}/").text
    assert f'<a href="{snapshot_url(first)}">our snapshot</a>' in page
    assert f'<a href="{snapshot_url(second)}">our snapshot</a>' in page


def test_claimreview_and_the_export_carry_the_archive_links(
    client, editor, reviewer, second_reviewer, pages
):
    article, claim = settled_article(
        editor=editor, reviewer=reviewer, approver=second_reviewer, source_urls=pages
    )
    first, second = claim.sources.order_by("pk")
    archived = "https://web.archive.org/web/20261129063000/" + second.url
    SourceSnapshot.objects.filter(source=second).update(archive_url=archived)
    publishing.article_publish(actor=editor, article=article)

    page = client.get(f"/checks/{article.slug}/claims/{claim.ordinal}/").text
    (data,) = [
        json.loads(block)
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    ]
    assert data["citation"] == [
        {
            "@type": "CreativeWork",
            "url": first.url,
            "name": "Evidence 0",
            "archivedAt": [f"http://testserver{snapshot_url(first)}"],
        },
        {
            "@type": "CreativeWork",
            "url": second.url,
            "name": "Evidence 1",
            "archivedAt": [f"http://testserver{snapshot_url(second)}", archived],
        },
    ]
    assert f'<a href="{archived}" rel="noopener noreferrer nofollow">Internet Archive</a>' in (
        client.get(f"/checks/{article.slug}/").text
    )

    exported = article_export(article)
    sources = next(c for c in exported["claims"] if c["ordinal"] == claim.ordinal)["sources"]
    (snapshot,) = sources[1]["snapshots"]
    capture = SourceSnapshot.objects.get(source=second)
    assert (snapshot["kind"], snapshot["outcome"], snapshot["sha256"]) == (
        "capture",
        "ok",
        capture.sha256,
    )
    assert snapshot["archive_url"] == archived
    cited = exported["publications"][0]["snapshot"]["claims"][0]["sources"][1]
    assert (cited["source_id"], cited["snapshot_id"], cited["sha256"], cited["archive_url"]) == (
        second.pk,
        capture.pk,
        capture.sha256,
        archived,
    )


def test_the_desk_reads_a_capture_as_plain_text_only(client, reviewer, outsider, pages):
    claim = with_sources(a_claim(), reviewer, urls=pages)
    capture = SourceSnapshot.objects.get(source__title="Evidence 0")
    url = f"/review/snapshots/{capture.pk}/text"
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(outsider)
    assert client.get(url).status_code == 403

    client.force_login(reviewer)
    response = client.get(url)
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == STRICT_CSP
    assert f"SHA-256 of the bytes: {capture.sha256}" in response.text
    assert XSS[0] in response.text  # as text: a browser shows it, never runs it

    panel = client.get(claim.get_absolute_url()).text
    assert f'<a href="{url}">captured text</a>' in panel
    assert f'<code title="{capture.sha256}">{capture.sha256[:12]}</code>' in panel
    assert "window.__xss" not in panel


def test_the_sources_panel_is_constant_in_the_number_of_captured_sources(
    client, reviewer, website, django_assert_num_queries
):
    url = website.url("/pages/dw.com.uncork.html")
    few = with_sources(a_claim(), reviewer, stances=["refutes"] * 2, urls=[url] * 2)
    many = with_sources(a_claim(), reviewer, stances=["context"] * 12, urls=[url] * 12)
    failed = with_sources(
        a_claim(), reviewer, stances=["context"] * 3, urls=[website.url("/x")] * 3
    )
    client.force_login(reviewer)
    htmx = {"HX-Request": "true"}
    for claim in (few, many, failed):
        client.get(claim.get_absolute_url())
        # the session, user and permissions (4), the claim (1), the sources with their
        # captures (2), the desk's members for "Assign to" (1), out of band
        with django_assert_num_queries(8):
            response = client.get(f"{claim.get_absolute_url()}?panel=sources", headers=htmx)
        assert response.status_code == 200
    assert response.text.count("Retry capture") == 3
    assert SourceSnapshot.objects.filter(source__claim=many).count() == 12


def test_old_publications_without_archive_links_still_render(client, published):
    """Publications made before snapshots had no archive fields (test_publishing's
    FORMAT_1 shows one whole); a source without them simply has no archived-copy link."""
    from claims.snapshot import dump, load

    article, _ = published
    publication = article.publications.get()
    stored = publication.snapshot
    for cited in stored["claims"][0]["sources"]:
        for name in ("source_id", "snapshot_id", "sha256", "captured_at", "archive_url"):
            cited.pop(name, None)
    (old,) = load(stored).claims
    assert (old.sources[0].source_id, old.sources[0].snapshot_id) == (0, 0)
    assert (old.sources[0].captured_at, old.sources[0].archive_url) == (None, "")
    assert dump(load(stored)) == stored  # and it is exported as it was stored
