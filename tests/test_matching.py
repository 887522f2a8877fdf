""" "Checked before": matching new claims against earlier checked ones, the board's mark,
the claim page's panel, reusing a match and marking one as wrong."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from claims import publishing, review
from claims.models import (
    AuditAction,
    AuditEvent,
    ClaimMatch,
    ClaimStatus,
    MatchEntry,
    MatchTerm,
    Source,
)
from claims.search import evaluation, matching, text
from tests.factories import ArticleFactory
from tests.workspace import HTMX, fresh, proposed, settled_article

EARLIER_TEXT = (
    "Unemployment rose to 5.2% in March, the highest level in three years, officials said."
)
NEW_TEXT = "The minister said that in March the jobless rate climbed to 5.2 per cent."


@pytest.fixture(autouse=True)
def public_site(settings):
    settings.FACTCHECK_PUBLIC_URL = "https://checks.example"


def first(article):
    return article.claims.check_worthy().order_by("ordinal").first()


@pytest.fixture
def published_earlier(db, editor, reviewer, second_reviewer):
    """An earlier check, approved and published."""
    article, claim = settled_article(
        editor=editor, reviewer=reviewer, approver=second_reviewer, text=EARLIER_TEXT
    )
    publishing.article_publish(actor=editor, article=article)
    return fresh(claim)


@pytest.fixture
def new_claim(db):
    return first(ArticleFactory(text=NEW_TEXT))


def matched(claim) -> list[int]:
    return list(ClaimMatch.objects.shown().filter(claim=claim).values_list("earlier", flat=True))


def test_the_pairs_reach_the_precision_and_recall_we_report(db, capsys):
    found = evaluation.scores()
    result = evaluation.evaluate(found, 0.5)
    print(
        f"\nprecision {result.precision:.2f} recall {result.recall:.2f}", *result.misses, sep="\n"
    )
    assert result.precision >= 0.95
    assert result.recall >= 0.9
    # the three known hard cases are what it misses, or finds
    assert len(result.misses) <= 3


def test_evaluate_matching_prints_the_figures(db):
    out = io.StringIO()
    call_command("evaluate_matching", stdout=out)
    text = out.getvalue()
    assert "threshold 0.50: precision" in text
    assert "← FACTCHECK_MATCH_THRESHOLD" in text


def test_an_import_queues_matching_and_the_task_stores_matches(
    published_earlier, django_capture_on_commit_callbacks
):
    from claims.tasks import match_article

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        article = ArticleFactory(text=NEW_TEXT)
    assert any(getattr(c, "func", None) == match_article.enqueue for c in callbacks)
    match_article.call(article.pk)
    assert matched(first(article)) == [published_earlier.pk]
    event = AuditEvent.objects.filter(action=AuditAction.ARTICLE_MATCHED).get()
    assert event.article_id == article.pk
    assert event.after == {"matches": {str(first(article).ordinal): [published_earlier.pk]}}


def test_only_claims_with_a_verdict_of_other_articles_are_matched(db, reviewer, second_reviewer):
    unchecked = first(ArticleFactory(text=EARLIER_TEXT))
    new = first(ArticleFactory(text=NEW_TEXT))
    matching.article_match(article=new.article)
    assert matched(new) == []
    earlier = proposed(unchecked, reviewer)
    matching.article_match(article=new.article)
    assert matched(new) == [earlier.pk]
    # Sent back to review, the earlier claim is no longer a check to reuse.
    review.claim_send_back(
        actor=second_reviewer, claim=earlier, comment="Look again.", version=earlier.version
    )
    matching.article_match(article=new.article)
    assert matched(new) == []
    # A claim of the same article is never its own "earlier check".
    same = ArticleFactory(text=EARLIER_TEXT + "\n\n" + NEW_TEXT)
    claims = list(same.claims.check_worthy().order_by("ordinal"))
    proposed(claims[0], reviewer)
    matching.article_match(article=same)
    assert claims[0].pk not in matched(claims[1])


def test_unlike_claims_are_not_matched(published_earlier):
    other = first(ArticleFactory(text="The minister said 40 bridges in Exampleton closed in 2024."))
    matching.article_match(article=other.article)
    assert matched(other) == []
    assert not AuditEvent.objects.filter(action=AuditAction.ARTICLE_MATCHED).exists()


def test_the_board_marks_claims_checked_before(client, reviewer, published_earlier, new_claim):
    matching.article_match(article=new_claim.article)
    client.force_login(reviewer)
    html = client.get(new_claim.article.get_absolute_url()).content.decode()
    assert "checked before (1)" in html
    assert f"{new_claim.get_absolute_url()}#panel-matches" in html


def test_the_claim_page_lists_each_earlier_check(client, reviewer, published_earlier, new_claim):
    matching.article_match(article=new_claim.article)
    client.force_login(reviewer)
    html = client.get(new_claim.get_absolute_url()).content.decode()
    panel = html[html.index('id="panel-matches"') :]
    panel = panel[: panel.index("</section>")]
    earlier = published_earlier
    assert earlier.wording in panel
    assert earlier.article.title in panel
    assert "False" in panel  # the rating
    assert "It did not happen." in panel  # the summary
    assert "proposed by rafael" in panel
    assert earlier.get_absolute_url() in panel
    assert f"/checks/{earlier.article.slug}/claims/{earlier.ordinal}/" in panel
    assert "Reuse this check" in panel
    assert "Not the same claim" in panel


def test_the_claim_page_takes_the_same_queries_with_one_match_or_many(
    client, reviewer, editor, second_reviewer, new_claim, django_assert_num_queries
):
    client.force_login(reviewer)
    url = new_claim.get_absolute_url()
    counts = []
    for n in range(3):
        article, _ = settled_article(
            editor=editor,
            reviewer=reviewer,
            approver=second_reviewer,
            text=EARLIER_TEXT.replace("officials", f"{n} officials"),
        )
        if n:
            publishing.article_publish(actor=editor, article=article)
        matching.claim_find_matches(actor=reviewer, claim=fresh(new_claim))
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured))
    assert len(matched(new_claim)) == 3
    assert counts[0] == counts[1] == counts[2]


def test_a_reviewer_looks_for_earlier_checks_on_demand(
    client, reviewer, published_earlier, new_claim
):
    client.force_login(reviewer)
    url = f"/review/claims/{new_claim.pk}/matches"
    response = client.post(url, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="panel-matches"')
    assert published_earlier.wording in html
    assert "1 earlier check found." in html
    assert client.post(url).status_code == 302  # without JavaScript: back to the page


def test_reusing_a_published_check_adds_its_page_as_a_source_and_drafts_the_verdict(
    client, reviewer, published_earlier, new_claim
):
    matching.article_match(article=new_claim.article)
    match = ClaimMatch.objects.get(claim=new_claim)
    client.force_login(reviewer)
    response = client.post(f"/review/matches/{match.pk}/reuse", {"stance": "refutes"})
    assert response.status_code == 302
    assert response["Location"] == f"{new_claim.get_absolute_url()}?reuse={match.pk}#panel-verdict"
    source = Source.objects.get(claim=new_claim)
    earlier = published_earlier
    assert (
        source.url
        == f"https://checks.example/checks/{earlier.article.slug}/claims/{earlier.ordinal}/"
    )
    assert source.stance == "refutes"
    assert source.title.startswith("Earlier check: False")
    event = AuditEvent.objects.filter(action=AuditAction.MATCH_REUSED).get()
    assert event.claim_id == new_claim.pk
    assert event.after["source"] == source.pk
    assert AuditEvent.objects.filter(action=AuditAction.SOURCE_ADDED, claim=new_claim).exists()
    # Nothing is proposed by reuse: the verdict form holds the draft.
    claim = fresh(new_claim)
    assert claim.status == ClaimStatus.IN_REVIEW
    assert not hasattr(claim, "verdict")
    html = client.get(response["Location"]).content.decode()
    assert "holds an earlier check's verdict as a draft" in html
    assert 'value="It did not happen."' in html
    assert "Two monitors contradict it." in html
    # Twice is refused with a message, not a second source.
    response = client.post(f"/review/matches/{match.pk}/reuse", {"stance": "context"})
    assert response.status_code == 422
    assert "a source of this claim already" in response.content.decode()
    assert Source.objects.filter(claim=new_claim).count() == 1


def test_reusing_by_htmx_swaps_the_verdict_form_with_the_draft(
    client, reviewer, published_earlier, new_claim
):
    matching.article_match(article=new_claim.article)
    match = ClaimMatch.objects.get(claim=new_claim)
    client.force_login(reviewer)
    response = client.post(f"/review/matches/{match.pk}/reuse", {"stance": "context"}, headers=HTMX)
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="panel-verdict"')
    assert 'value="It did not happen."' in html
    assert "Earlier check: False" in html  # the source list, out of band
    assert "claim-changed" in response["HX-Trigger"]


def test_an_unpublished_check_is_reused_as_a_draft_only(client, reviewer, second_reviewer, db):
    earlier = proposed(first(ArticleFactory(text=EARLIER_TEXT)), second_reviewer)
    new = first(ArticleFactory(text=NEW_TEXT))
    matching.article_match(article=new.article)
    match = ClaimMatch.objects.get(claim=new)
    source, draft = matching.match_reuse(actor=reviewer, match=match, site="https://desk.example")
    assert source is None
    assert draft.summary == "It did not happen."
    assert not Source.objects.filter(claim=new).exists()
    assert AuditEvent.objects.get(action=AuditAction.MATCH_REUSED).after["source"] is None
    assert earlier.pk == match.earlier_id


def test_a_bad_stance_is_refused(client, reviewer, published_earlier, new_claim):
    matching.article_match(article=new_claim.article)
    match = ClaimMatch.objects.get(claim=new_claim)
    client.force_login(reviewer)
    response = client.post(f"/review/matches/{match.pk}/reuse", {"stance": "loves"})
    assert response.status_code == 422
    assert not Source.objects.filter(claim=new_claim).exists()


def test_a_match_marked_wrong_is_hidden_and_stays_hidden(
    client, reviewer, published_earlier, new_claim
):
    matching.article_match(article=new_claim.article)
    match = ClaimMatch.objects.get(claim=new_claim)
    client.force_login(reviewer)
    response = client.post(f"/review/matches/{match.pk}/reject", headers=HTMX)
    assert response.status_code == 200
    assert "No earlier check looks like this claim." in response.content.decode()
    event = AuditEvent.objects.get(action=AuditAction.MATCH_REJECTED)
    assert event.actor == reviewer
    assert event.after["earlier"] == published_earlier.pk
    matching.claim_find_matches(actor=reviewer, claim=new_claim)
    assert matched(new_claim) == []
    assert ClaimMatch.objects.get(pk=match.pk).rejected_by == reviewer
    response = client.post(f"/review/matches/{match.pk}/reuse", {"stance": "context"})
    assert "marked as wrong" in response.content.decode()


def test_people_outside_the_desk_cannot_touch_matches(
    client, outsider, published_earlier, new_claim
):
    matching.article_match(article=new_claim.article)
    match = ClaimMatch.objects.get(claim=new_claim)
    client.force_login(outsider)
    for url in (
        f"/review/claims/{new_claim.pk}/matches",
        f"/review/matches/{match.pk}/reuse",
        f"/review/matches/{match.pk}/reject",
    ):
        assert client.post(url, {"stance": "context"}).status_code == 403
    assert matched(new_claim) == [published_earlier.pk]
    assert not Source.objects.filter(claim=new_claim).exists()


def test_find_similar_prints_the_closest_claims(published_earlier, new_claim):
    out = io.StringIO()
    call_command("find_similar", NEW_TEXT, "--json", "--limit", "1", stdout=out)
    rows = json.loads(out.getvalue())
    assert len(rows) == 1
    row = rows[0]
    assert set(row) == {"article", "ordinal", "text", "status", "rating", "score"}
    # The new claim itself is the closest (all articles, any status); then the earlier.
    assert row["article"] == new_claim.article.slug
    assert row["score"] == 1.0
    out = io.StringIO()
    call_command("find_similar", NEW_TEXT, "--limit", "5", stdout=out)
    lines = out.getvalue().splitlines()
    assert re.match(rf"1\.00  {new_claim.article.slug} #1 \(new\)", lines[0])
    assert f"{published_earlier.article.slug} #1 (approved · False)" in lines[1]


def test_find_similar_refuses_bad_input(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Give the text"):
        call_command("find_similar", "  ")
    with pytest.raises(CommandError, match="--limit"):
        call_command("find_similar", "x", "--limit", "0")
    out = io.StringIO()
    call_command("find_similar", "nothing like anything", stdout=out)
    assert out.getvalue().strip() == "No similar claim found."


# --- the matching index ---------------------------------------------------------------------


def indexed() -> dict[int, str]:
    return dict(MatchEntry.objects.values_list("claim", "terms"))


def weighed() -> dict[int, float]:
    """Each entry's stored weight, and what its terms weigh: the same if kept in step."""
    stored = dict(MatchEntry.objects.values_list("claim", "weight"))
    assert stored == {pk: text.indexed_weight(terms) for pk, terms in indexed().items()}
    return stored


def counted() -> dict[str, int]:
    return dict(MatchTerm.objects.filter(claims__gt=0).values_list("term", "claims"))


def test_the_matching_index_holds_the_checked_claims_and_follows_every_change(
    db, reviewer, second_reviewer
):
    claim = first(ArticleFactory(text=EARLIER_TEXT))
    assert indexed() == {}
    claim = proposed(claim, reviewer)
    terms = text.indexed(claim.wording)
    assert indexed() == {claim.pk: terms}
    assert counted() == dict.fromkeys(terms.split(), 1)
    claim = review.claim_reword(
        actor=reviewer,
        claim=claim,
        wording="Unemployment rose to 7% in May.",
        version=claim.version,
    )
    assert indexed() == {claim.pk: text.indexed("Unemployment rose to 7% in May.", claim.text)}
    assert weighed() == {claim.pk: 6.0}  # unemployment increase #7 (2) percent may
    assert counted()["#7"] == 1
    assert counted()["#5.2"] == 1  # its sentence's, still indexed beside the wording
    # Sent back to review, it is no check to match any more: gone, and no longer counted.
    review.claim_send_back(
        actor=second_reviewer, claim=claim, comment="Look again.", version=claim.version
    )
    assert indexed() == {}
    assert counted() == {}


def test_a_change_that_fails_leaves_the_matching_index_as_it_was(db, reviewer):
    claim = proposed(first(ArticleFactory(text=EARLIER_TEXT)), reviewer)
    before = indexed(), counted()

    def reword_then_fail():
        with transaction.atomic():
            review.claim_reword(
                actor=reviewer, claim=claim, wording="Other words.", version=claim.version
            )
            assert indexed() != before[0]
            raise RuntimeError("the change fails after the index was written")

    with pytest.raises(RuntimeError):
        reword_then_fail()
    assert (indexed(), counted()) == before


def test_reindex_search_and_migrate_rebuild_the_same_matching_index(published_earlier, reviewer):
    proposed(first(ArticleFactory(text=NEW_TEXT)), reviewer)
    before = indexed(), counted(), weighed()
    assert len(before[0]) == 2
    MatchEntry.objects.all().delete()
    MatchTerm.objects.all().delete()
    call_command("migrate", verbosity=0)
    assert (indexed(), counted(), weighed()) == before
    call_command("reindex_search", stdout=io.StringIO())
    assert (indexed(), counted(), weighed()) == before


def test_the_rarest_terms_asked_lose_no_match_the_threshold_allows(db):
    """Asking the index only for a claim's rarest terms (none when no claim could reach
    the threshold) finds every claim the scorer puts at or above it: the same as asking
    for every term, on the evaluation's pairs, at each threshold."""
    from claims.search.indexing import match_index_as_checked

    article = ArticleFactory(text="\n\n".join(evaluation.EARLIER))
    match_index_as_checked(article.claims.all())
    every = [matching.scores(q.text, threshold=0.0) for q in evaluation.QUERIES]
    for threshold in (0.3, 0.5, 0.7):
        expected = [{pk: s for pk, s in found.items() if s >= threshold} for found in every]
        assert [matching.scores(q.text, threshold=threshold) for q in evaluation.QUERIES] == (
            expected
        )
    assert sum(map(len, every)) > sum(1 for q in evaluation.QUERIES for _ in q.expected)


def test_a_claim_no_checked_claim_could_match_costs_no_index_query(
    published_earlier, django_assert_num_queries
):
    assert text.probe(text.terms(NEW_TEXT), {}, 0.5).terms == []
    with django_assert_num_queries(1):  # the terms' counts
        assert matching.scores("Zebra crossings in Quokkaville were repainted blue.") == {}


def test_matching_an_article_asks_the_index_only_for_the_claims_that_could_match(
    published_earlier,
):
    """The terms' counts once for all claims, the index once for the one claim that
    shares enough with an earlier check: not a query per claim."""

    def queries(unlike_claims: int) -> list[str]:
        unlike = " ".join(
            f"Zebra crossing number {n} in Quokkaville was repainted." for n in range(unlike_claims)
        )
        article = ArticleFactory(text=unlike + "\n\n" + NEW_TEXT)
        assert article.claims.check_worthy().count() == unlike_claims + 1
        with CaptureQueriesContext(connection) as captured:
            assert matching.article_match(article=article) == 1
        return [q["sql"] for q in captured.captured_queries]

    one, thirty = queries(1), queries(30)
    assert len(one) == len(thirty)


def test_an_article_is_looked_up_in_the_index_before_its_transaction_begins(
    published_earlier, new_claim
):
    """On SQLite a transaction holds the one write lock from its start, so the lookup (the
    long part) must not run inside it: other writers (an import) would wait, then fail."""
    with CaptureQueriesContext(connection) as queries:
        matching.article_match(article=new_claim.article)
    sql = [q["sql"] for q in queries.captured_queries]
    lookup = next(i for i, q in enumerate(sql) if "claims_matchentry" in q)
    began = next(i for i, q in enumerate(sql) if q.startswith(("SAVEPOINT", "BEGIN")))
    assert lookup < began
    assert matched(new_claim) == [published_earlier.pk]


def test_a_claim_too_heavy_to_match_is_not_read_from_the_index(db):
    """A new claim sharing only a few terms with the checked ones can match only short
    claims holding them: a long one holding the same rare pair is never read."""
    from claims.search import engine
    from claims.search.indexing import match_index_as_checked

    light = "Unemployment in Quokkaville reached 5.2% in 2019."
    heavy = (
        "Unemployment in Quokkaville reached 5.2% in 2019 while teachers, nurses, bakers,"
        " plumbers, farmers, miners, drivers, cleaners, painters and gardeners protested."
    )
    article = ArticleFactory(text=f"{light}\n\n{heavy}")
    earlier = {c.wording: c.pk for c in article.claims.all()}
    match_index_as_checked(article.claims.all())
    new = text.terms(
        "Mayor Jane Doe told the Bramblewick council on Tuesday that unemployment in "
        "Quokkaville hit 5.2% in 2019."
    )
    probe = text.probe(new, engine.frequencies(set(new)), 0.5)
    read = {row[0] for row in engine.candidates(probe.asks(), exclude_article=None, limit=50)}
    unbounded = dict.fromkeys(probe.sets(), float("inf"))
    assert {row[0] for row in engine.candidates(unbounded, exclude_article=None, limit=50)} == {
        earlier[light],
        earlier[heavy],
    }
    assert read == {earlier[light]}
    # Nothing lost: the long claim scores below the threshold anyway.
    assert text.similarity(new, text.terms(heavy)) < 0.5 <= text.similarity(new, text.terms(light))


def test_an_article_asks_the_index_once_however_many_of_its_claims_could_match(
    published_earlier,
):
    """Every claim that shares enough with an earlier check asks for its pairs in the
    same query: one index query for one such claim or thirty."""

    def index_queries(claims: int) -> int:
        names = ["Ann", "Bob", "Cy", "Dee", "Eve", "Fay"]
        like = " ".join(
            f"Minister {names[n % 6]} {names[n // 6]} said that in March the jobless rate "
            f"climbed to 5.2 per cent."
            for n in range(claims)
        )
        article = ArticleFactory(text=like)
        assert article.claims.check_worthy().count() == claims
        with CaptureQueriesContext(connection) as captured:
            assert matching.article_match(article=article) == claims
        return sum("claims_matchentry" in q["sql"] for q in captured.captured_queries)

    assert index_queries(1) == index_queries(30) == 1


def test_an_article_looked_up_at_once_finds_what_each_claim_finds_alone(db):
    """The evaluation's new claims as one article: what matching stores for each is
    what asking for that claim alone finds."""
    from claims.search.indexing import match_index_as_checked

    earlier = ArticleFactory(text="\n\n".join(evaluation.EARLIER))
    match_index_as_checked(earlier.claims.all())
    article = ArticleFactory(text="\n\n".join(q.text for q in evaluation.QUERIES))
    matching.article_match(article=article)
    claims = list(article.claims.check_worthy())
    alone = {
        c.pk: {s.claim.pk for s in matching.similar(c.wording, exclude_article=article.pk)}
        for c in claims
    }
    stored = {c.pk: set(matched(c)) for c in claims}
    assert stored == alone
    assert sum(map(len, stored.values())) >= 20
