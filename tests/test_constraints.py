"""Invariants the database itself refuses to break, whatever the code above it does."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from claims.models import Article, Claim, Rating, Source, Verdict
from claims.review import claim_add_source
from tests.factories import ArticleFactory


@pytest.fixture
def article(db):
    return ArticleFactory()


def refused(statement, *params) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, params)
    except IntegrityError:
        return True
    return False


def test_a_claim_span_must_lie_inside_its_article(article):
    claim = article.claims.first()
    length = len(article.body)
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(end=length + 1)
    Claim.objects.filter(pk=claim.pk).update(end=length)  # the very end is fine
    assert Article.objects.get(pk=article.pk).body_length == length


def test_a_new_claim_must_lie_inside_its_article(article):
    """Checked on insert too (on SQLite through the index on the body's length)."""
    last = article.claims.order_by("ordinal").last()
    length = len(article.body)

    def new(end: int) -> Claim:
        return Claim(
            article=article,
            ordinal=last.ordinal + 1,
            paragraph=last.paragraph,
            start=end - 1,
            end=end,
            text=article.body[end - 1 : end],
            wording="x",
            score=0.5,
        )

    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.bulk_create([new(length + 1)])
    assert Claim.objects.bulk_create([new(length)])[0].pk  # the very end is fine


def test_a_claim_span_must_not_be_empty(article):
    claim = article.claims.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(end=claim.start)


def test_ordinals_are_unique_within_an_article(article):
    first, second = article.claims.order_by("ordinal")[:2]
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=second.pk).update(ordinal=first.ordinal)


def test_scores_stay_in_the_unit_range(article):
    with pytest.raises(IntegrityError), transaction.atomic():
        article.claims.update(score=1.5)


def test_a_dismissed_claim_needs_a_reason(article):
    with pytest.raises(IntegrityError), transaction.atomic():
        article.claims.update(status="dismissed", dismissed_reason="")


def test_an_article_body_hash_is_unique(article):
    other = ArticleFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=other.pk).update(sha256=article.sha256)


def test_an_article_body_never_changes(article):
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(body=article.body + " More.")
    Article.objects.filter(pk=article.pk).update(title="A new title")  # metadata may change
    assert Article.objects.get(pk=article.pk).title == "A new title"


def test_a_verdict_approver_is_never_its_proposer(article, reviewer, second_reviewer):
    claim = article.claims.first()
    verdict = Verdict.objects.create(
        claim=claim,
        rating=Rating.objects.get(slug="false"),
        summary="No.",
        rationale="Because.",
        proposed_by=reviewer,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Verdict.objects.filter(pk=verdict.pk).update(
            approved_by=reviewer, approved_at=timezone.now()
        )
    Verdict.objects.filter(pk=verdict.pk).update(
        approved_by=second_reviewer, approved_at=timezone.now()
    )


def test_a_source_url_is_http_or_https_even_in_raw_sql(article, reviewer):
    source = claim_add_source(
        actor=reviewer,
        claim=article.claims.first(),
        url="https://example.org/report",
        title="Report",
        stance="refutes",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Source.objects.filter(pk=source.pk).update(url="javascript:alert(1)")


def test_ratings_stay_on_the_scale(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.filter(slug="true").update(rating_value=6)
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.filter(slug="true").update(colour="red")
