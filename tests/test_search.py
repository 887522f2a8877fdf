"""The search boxes: the desk's over every field and filter, the public's over published
verdicts only, the index in step with every change, and a constant number of queries."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest
from django.utils import timezone

from claims import importing, publishing, review
from claims.models import Rating, SearchEntry
from tests.factories import ArticleFactory
from tests.migrating import migrating
from tests.workspace import HTMX, fresh, proposed, settled_article, with_sources

_n = itertools.count()


def titles(response) -> list[str]:
    """The result links' text of a results page, in order."""
    html = response.content.decode()
    return re.findall(r'<li class="result result-(\w+)">', html)


def hits(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def count(html: str) -> int:
    found = re.search(r"(\d+) result", html)
    assert found, html[:2000]
    return int(found.group(1))


@pytest.fixture
def desk(client, reviewer):
    client.force_login(reviewer)
    return client


@pytest.fixture
def worked(db, reviewer, second_reviewer):
    """An article whose first claim has two sources, a note and a proposed verdict."""
    article = ArticleFactory(
        title="Zeppelin harbour report",
        publisher="Quokka Gazette",
        text=(
            "The harbour authority said 42 zeppelins docked in Exampleton in 2024.\n\n"
            "Officials vowed to double the number of berths by 2026, the council said."
        ),
    )
    claim = article.claims.check_worthy().order_by("ordinal").first()
    review.claim_add_note(actor=reviewer, claim=claim, body="Ask the wombat desk first.")
    claim = with_sources(claim, reviewer)
    review.claim_add_source(
        actor=reviewer,
        claim=claim,
        url="https://harbour.example/ledger-platypus",
        title="Mooring ledger",
        publisher="Harbour Authority Narwhal",
        excerpt="Forty-two airships moored at the kestrel pier.",
        stance="refutes",
    )
    claim = fresh(claim)
    review.claim_reword(
        actor=reviewer,
        claim=claim,
        wording="42 zeppelins docked in 2024 (axolotl)",
        version=claim.version,
    )
    claim = fresh(claim)
    review.claim_propose_verdict(
        actor=reviewer,
        claim=claim,
        rating=Rating.objects.get(slug="false"),
        summary="Only twelve pelican flights landed.",
        rationale="The ledger lists a capybara count instead.",
        version=claim.version,
    )
    return article, fresh(claim)


@pytest.mark.parametrize(
    ("query", "kind"),
    [
        ("zeppelin harbour", "article"),  # article title
        ("quokka", "article"),  # publisher
        ("docked exampleton", "claim"),  # claim text
        ("axolotl", "claim"),  # wording
        ("pelican", "verdict"),  # summary
        ("capybara", "verdict"),  # rationale
        ("mooring ledger", "source"),  # source title
        ("narwhal", "source"),  # publisher
        ("platypus", "source"),  # URL
        ("kestrel", "source"),  # excerpt
        ("wombat", "note"),  # note
    ],
)
def test_the_desk_finds_every_field(desk, worked, query, kind):
    response = desk.get("/review/search/", {"q": query})
    assert response.status_code == 200
    assert kind in titles(response)


def test_matching_words_are_highlighted_and_text_is_escaped(desk, reviewer):
    claim = ArticleFactory(
        text="The <script>alert(1)</script> minister said 9 tunnels closed in 2023."
    ).claims.first()
    html = hits(desk, "/review/search/?q=tunnels")
    assert "<mark>tunnels</mark>" in html
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;" in html
    assert claim.get_absolute_url() in html


def test_the_last_word_may_be_the_start_of_one(desk, worked):
    assert count(hits(desk, "/review/search/?q=zeppel")) >= 1


def test_words_in_other_forms_are_found(desk, worked):
    # "docked" is found by "docks", "berths" by "berth": the stemmer's doing.
    assert "claim" in titles(desk.get("/review/search/", {"q": "docks zeppelin"}))
    assert "claim" in titles(desk.get("/review/search/", {"q": "berth"}))


def test_notes_are_only_for_desk_members(client, worked, superuser, outsider):
    client.force_login(superuser)  # may open the workspace, but is in no desk group
    assert "note" not in titles(client.get("/review/search/", {"q": "wombat"}))
    client.force_login(outsider)
    assert client.get("/review/search/", {"q": "wombat"}).status_code == 403
    client.logout()
    assert client.get("/review/search/", {"q": "wombat"}).status_code == 302


def test_filters_narrow_the_results_and_stay_in_the_url(desk, worked, reviewer, second_reviewer):
    other = ArticleFactory(
        text="The harbour authority said 7 zeppelins docked in Exampleton in 2019."
    )
    url = "/review/search/?q=zeppelins"
    everything = count(hits(desk, url))
    assert everything >= 3
    proposed_only = hits(desk, url + "&status=proposed")
    assert count(proposed_only) >= 1
    assert other.slug not in proposed_only
    assert count(hits(desk, url + "&rating=false")) == count(proposed_only)
    assert count(hits(desk, url + "&rating=true")) == 0
    assert count(hits(desk, url + f"&reviewer={reviewer.username}")) >= 1
    assert count(hits(desk, url + f"&reviewer={second_reviewer.username}")) == 0
    assert count(hits(desk, url + f"&article={other.slug}")) == 1  # its one claim says it
    today = timezone.localdate()
    assert count(hits(desk, url + f"&since={today}&until={today}")) == everything
    assert count(hits(desk, url + f"&until={today - dt.timedelta(days=1)}")) == 0
    html = hits(desk, url + "&status=proposed")
    assert 'value="proposed" selected' in html


def test_bad_filters_get_a_message_and_no_results(desk, worked):
    html = hits(desk, "/review/search/?q=zeppelin&since=2025-02-30&status=bogus")
    assert "Check the filters above." in html
    assert "Enter a valid date." in html
    html = hits(desk, "/review/search/?q=zeppelin&since=2025-03-02&until=2025-03-01")
    assert "The end date is before the start date." in html
    html = hits(desk, "/review/search/?q=" + "x" * 201)
    assert "Ensure this value has at most 200 characters" in html
    # Query syntax of the engines is never passed through: every word is a word.
    for query in ['"', "zeppelin OR", "NOT x", "a:b", "*", "-(", "kclaim", "')--"]:
        assert desk.get("/review/search/", {"q": query}).status_code == 200
    assert desk.get("/review/search/", {"q": "zeppelin", "page": "999"}).status_code == 200
    assert desk.get("/review/search/", {"q": "zeppelin", "page": "abc"}).status_code == 200


def test_htmx_gets_the_results_alone_and_a_plain_get_the_page(desk, worked):
    partial = desk.get("/review/search/", {"q": "zeppelin"}, headers=HTMX).content.decode()
    assert partial.lstrip().startswith('<section id="results"')
    page = hits(desk, "/review/search/?q=zeppelin")
    assert "<form" in page
    assert '<section id="results"' in page


def test_results_are_paginated_with_the_filters_kept(desk, db):
    text = "\n\n".join(f"The minister said {n} ferries sank near Exampleton." for n in range(25))
    ArticleFactory(text=text)
    html = hits(desk, "/review/search/?q=ferries&status=new")
    assert count(html) == 25
    assert "?q=ferries&amp;status=new&amp;page=2" in html
    assert len(re.findall(r'class="result ', html)) == 20
    second = hits(desk, "/review/search/?q=ferries&status=new&page=2")
    assert len(re.findall(r'class="result ', second)) == 5


def test_a_search_takes_the_same_queries_for_one_hit_or_many(desk, db, django_assert_num_queries):
    ArticleFactory(text="The minister said 3 lighthouses closed in Exampleton.")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = "/review/search/?q=lighthouses&status=new&rating=&reviewer="
    desk.get(url)  # the session's first request updates it
    with CaptureQueriesContext(connection) as one:
        desk.get(url)
    ArticleFactory(
        text="\n\n".join(f"The minister said {n} lighthouses closed." for n in range(60))
    )
    with django_assert_num_queries(len(one)):
        html = hits(desk, url)
    assert count(html) == 61


# --- the index in step with the text ---------------------------------------------------


def test_the_index_follows_every_change(desk, worked, reviewer, editor):
    _, claim = worked
    review.claim_reword(
        actor=reviewer, claim=claim, wording="Airships moored (salamander)", version=claim.version
    )
    assert count(hits(desk, "/review/search/?q=salamander")) == 1
    assert count(hits(desk, "/review/search/?q=axolotl")) == 0
    source = claim.sources.get(title="Mooring ledger")
    review.claim_remove_source(actor=reviewer, source=source)
    assert count(hits(desk, "/review/search/?q=narwhal")) == 0
    # A verdict, two sources and a note: the claim is indexed on its own row.
    assert SearchEntry.objects.filter(claim=claim).count() == 1 + 2 + 1


def test_a_change_to_a_claim_costs_the_same_with_three_sources_and_notes_or_eighty(
    worked, reviewer, django_assert_num_queries
):
    """Each change rewrites only the entries it can reach: a note or a source its own, a
    change to the claim its verdict's; never every source and note on the claim."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _, claim = worked

    def changes(wording: str) -> int:
        """What one reviewer's round of changes costs, in queries."""
        with CaptureQueriesContext(connection) as done:
            review.claim_add_note(actor=reviewer, claim=claim, body="Another note.")
            source = review.claim_add_source(
                actor=reviewer,
                claim=claim,
                url="https://e.example/x",
                title="Another",
                stance="context",
            )
            review.claim_remove_source(actor=reviewer, source=source)
            current = fresh(claim)
            review.claim_reword(
                actor=reviewer, claim=current, wording=wording, version=current.version
            )
        return len(done)

    # Each round swaps one word for another, so matching's term counts move alike.
    changes("Ferries docked, said quelp.")
    few = changes("Ferries docked, said vorn.")
    for n in range(40):
        review.claim_add_note(actor=reviewer, claim=claim, body=f"Note {n}")
        review.claim_add_source(
            actor=reviewer,
            claim=claim,
            url=f"https://e.example/{n}",
            title=f"Source {n}",
            stance="context",
        )
    kept = set(SearchEntry.objects.filter(claim=claim).exclude(kind="verdict").values_list("pk"))
    with django_assert_num_queries(few):
        changes("Ferries docked, said tazzle.")
    # The entries of the sources and notes already there were not written again.
    assert len(kept) > 2 * 40
    assert kept <= set(SearchEntry.objects.filter(claim=claim).values_list("pk"))


def test_a_renamed_rating_is_found_by_its_new_label(desk, worked, superuser):
    from claims import ratings

    rating = Rating.objects.get(slug="false")
    assert count(hits(desk, "/review/search/?q=bandicoot")) == 0
    rating.label = "Bandicoot false"
    ratings.rating_save(actor=superuser, rating=rating)
    html = hits(desk, "/review/search/?q=bandicoot")
    assert count(html) == 1
    assert "result-verdict" in html


def test_a_change_that_fails_leaves_the_index_as_it_was(desk, worked, reviewer):
    _, claim = worked
    with pytest.raises(review.Conflict):
        review.claim_reword(actor=reviewer, claim=claim, wording="Tapir", version=1)
    assert count(hits(desk, "/review/search/?q=tapir")) == 0
    assert count(hits(desk, "/review/search/?q=axolotl")) == 1


def test_a_change_of_language_reindexes_the_article(desk, db, editor):
    article = ArticleFactory(
        text="Le ministre a dit que 5 ponts ont fermé à Paris en 2024.", language="en"
    )
    importing.article_change_language(actor=editor, article=article, language="fr")
    assert set(SearchEntry.objects.filter(article=article).values_list("config", flat=True)) == {
        "french"
    }
    assert count(hits(desk, "/review/search/?q=ponts")) == 1


# --- the public search -------------------------------------------------------------------


@pytest.fixture
def published(db, editor, reviewer, second_reviewer):
    article, claim = settled_article(
        editor=editor,
        reviewer=reviewer,
        approver=second_reviewer,
        text=(
            "The council said on Monday that 14 gondolas in Exampleton will close in 2025.\n\n"
            "Critics argue the plan ought to be scrapped.\n\n"
            "Mayor Jane Doe vowed to reopen 3 gondolas by March, according to officials."
        ),
    )
    review.claim_add_note(actor=reviewer, claim=claim, body="Secret gondola wombat note.")
    publishing.article_publish(actor=editor, article=article)
    return article, fresh(claim)


def test_the_public_finds_published_verdicts(client, published):
    article, claim = published
    html = hits(client, "/checks/search/?q=gondolas")
    assert f"/checks/{article.slug}/claims/{claim.ordinal}/" in html
    assert "It did not happen." in html
    assert "<mark>gondolas</mark>" in html


def test_the_public_never_finds_notes_drafts_or_emails(client, published, reviewer, editor):
    _, claim = published
    for query in ["wombat", "secret", reviewer.email, "newsroom.example", "rafael"]:
        assert "0 published checks found" in hits(client, f"/checks/search/?q={query}"), query
    # A verdict proposed but not approved, in an unpublished article: not public.
    draft = ArticleFactory(text="The mayor said 8 gondolas sank in Exampleton in 2023.")
    proposed(draft.claims.first(), reviewer)
    assert "1 published check found" in hits(client, "/checks/search/?q=gondolas")
    # An edit after publication stays invisible until the next publication.
    claim = fresh(claim)
    review.claim_reword(
        actor=editor, claim=claim, wording="Gondolas (iguana)", version=claim.version
    )
    assert "0 published checks found" in hits(client, "/checks/search/?q=iguana")


def test_a_retracted_article_leaves_the_public_search(client, published, editor):
    article, _ = published
    publishing.article_retract(actor=editor, article=article, reason="Wrong town.")
    assert "0 published checks found" in hits(client, "/checks/search/?q=gondolas")


def test_the_public_search_takes_the_same_queries_for_one_hit_or_many(
    client, published, editor, reviewer, second_reviewer, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/checks/search/?q=gondolas")
    with CaptureQueriesContext(connection) as one:
        client.get("/checks/search/?q=gondolas")
    for n in range(4):
        settled_article(
            editor=editor,
            reviewer=reviewer,
            approver=second_reviewer,
            text=f"The council said {n + 20} gondolas in Exampleton closed in 2024.",
        )
    for article in ArticleFactory._meta.model.objects.exclude(pk=published[0].pk):
        if not article.publications.exists():
            publishing.article_publish(actor=editor, article=article)
    with django_assert_num_queries(len(one)):
        html = hits(client, "/checks/search/?q=gondolas")
    assert "5 published checks found" in html
    assert len(one) <= 3


def test_an_empty_query_shows_the_form_only(client, desk, db):
    assert "Type what you are looking for." in hits(desk, "/review/search/")
    assert "checks found" not in hits(client, "/checks/search/")


def test_reindex_search_rebuilds_the_same_entries(worked, published):
    from django.core.management import call_command

    fields = ("kind", "object_id", "article", "claim", "title", "text", "dated", "config", "tags")
    before = sorted(SearchEntry.objects.values_list(*fields))
    SearchEntry.objects.all().delete()
    call_command("reindex_search", stdout=__import__("io").StringIO())
    after = sorted(SearchEntry.objects.values_list(*fields))
    assert after == before


def test_reindex_search_rebuilds_the_claims_index(desk, worked):
    """The claims' index (on their rows) is emptied, then made again from the claims."""
    from django.core.management import call_command
    from django.db import connection

    from claims.models import Claim

    found = count(hits(desk, "/review/search/?q=zeppelins"))
    if connection.vendor == "postgresql":
        Claim.objects.update(search_vector=None)
    else:
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO claims_claim_fts(claims_claim_fts) VALUES ('delete-all')")
    assert count(hits(desk, "/review/search/?q=zeppelins")) == found - 1  # the claim's hit
    call_command("reindex_search", stdout=__import__("io").StringIO())
    assert count(hits(desk, "/review/search/?q=zeppelins")) == found


def test_an_edit_of_the_articles_details_is_searchable_at_once(desk, worked, editor):
    article, _claim = worked
    publishing.article_edit(
        actor=editor, article=article, title="Airship harbour report", publisher="Numbat Post"
    )
    assert "Airship harbour report" in hits(desk, "/review/search/?q=numbat")
    assert count(hits(desk, "/review/search/?q=quokka")) == 0
    # The claims' hits name the article by its new title.
    claims = hits(desk, "/review/search/?q=zeppelins")
    assert "Airship harbour report" in claims
    assert "Zeppelin harbour report" not in claims


def test_migrating_a_database_whose_articles_have_no_entries_indexes_them(worked, published):
    """A database from before search (or restored without its entries) is indexed once
    every migration has run."""
    from django.core.management import call_command

    before = sorted(SearchEntry.objects.values_list("kind", "object_id", "text", "tags"))
    SearchEntry.objects.all().delete()
    call_command("migrate", verbosity=0)
    after = sorted(SearchEntry.objects.values_list("kind", "object_id", "text", "tags"))
    assert after == before


def test_searching_the_desk_is_linked_from_every_workspace_page(desk, db):
    assert 'href="/review/search/"' in hits(desk, "/review/")


def test_the_migration_moves_the_claims_index_onto_their_rows(transactional_db):
    """0025: a database whose claims had search entries comes out with those entries
    gone and its claims found through their own index."""
    from claims.search.querying import desk_search

    before, after = "0024_claim_span_check_reads_an_index", "0025_claims_indexed_on_their_rows"
    with migrating(before, after) as (old, run):
        Article, Claim = old.get_model("claims", "Article"), old.get_model("claims", "Claim")
        Entry = old.get_model("claims", "SearchEntry")
        body = "Forty zeppelins docked at the quokka pier in 2024."
        article = Article.objects.create(
            title="Pier report", slug="pier-report", body=body, sha256="a" * 64, language="en"
        )
        claim = Claim.objects.create(
            article=article, ordinal=1, paragraph=0, start=0, end=len(body), text=body,
            wording=body, score=0.9, scorer_version="test",
        )  # fmt: skip
        Entry.objects.create(
            kind="claim", object_id=claim.pk, article=article, claim=claim, config="english",
            text=body, tags=f"kclaim a{article.pk}", dated=claim.created_at,
        )  # fmt: skip
        run()
        entries = list(SearchEntry.objects.values_list("kind", flat=True))
    assert entries == []
    found = desk_search("quokka zeppelins", {}, notes=True)
    assert [(hit.entry.kind, hit.entry.object_id) for hit in found.object_list] == [
        ("claim", claim.pk)
    ]
