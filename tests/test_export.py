import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from claims.models import Publication
from claims.publishing import article_publish
from claims.review import claim_add_note, claim_add_source
from tests.factories import ArticleFactory
from tests.workspace import settled_article


def export(*args) -> dict:
    out = StringIO()
    call_command("export_article", *args, stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def article(db, reviewer):
    article = ArticleFactory(title="Bridges")
    claim = article.claims.check_worthy().order_by("ordinal").first()
    claim_add_source(
        actor=reviewer,
        claim=claim,
        url="https://council.example/minutes",
        title="Council minutes",
        publisher="Exampleton Council",
        published_on="2025-01-10",
        excerpt="Three bridges will close.",
        stance="supports",
    )
    claim_add_note(actor=reviewer, claim=claim, body="Internal: call the council press office.")
    return article


def test_export_prints_the_article_and_its_claims_as_json(article):
    data = export(article.slug)
    assert data["article"] | {"body": None} == data["article"] | {
        "slug": "bridges",
        "title": "Bridges",
        "publisher": "The Daily Example",
        "sha256": article.sha256,
        "status": "in_review",
        "body": None,
    }
    assert len(data["claims"]) == article.claims.count()
    first = data["claims"][0]
    claim = article.claims.get(ordinal=first["ordinal"])
    assert (first["start"], first["end"], first["text"]) == (claim.start, claim.end, claim.text)
    assert first["quote"] == claim.quote
    assert first["reasons"] == claim.explained_reasons
    assert first["verdict"] is None
    assert first["sources"][0] | {"added_at": None} == {
        "url": "https://council.example/minutes",
        "title": "Council minutes",
        "publisher": "Exampleton Council",
        "published_on": "2025-01-10",
        "accessed_on": first["sources"][0]["accessed_on"],
        "excerpt": "Three bridges will close.",
        "stance": "supports",
        "added_by": "rafael",
        "added_at": None,
        "snapshots": [],  # not captured: no worker ran (tests/test_evidence_reading.py)
    }


def test_notes_stay_out_of_the_export_unless_asked_for(article):
    plain = json.dumps(export(article.slug))
    assert "call the council press office" not in plain
    assert all("notes" not in claim for claim in export(article.slug)["claims"])
    with_notes = export(article.slug, "--include-notes")
    notes = [note for claim in with_notes["claims"] for note in claim["notes"]]
    assert [(n["author"], n["body"]) for n in notes] == [
        ("rafael", "Internal: call the council press office.")
    ]


def test_export_takes_a_constant_number_of_queries(article, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        export(article.slug, "--include-notes")
    big = ArticleFactory(text=" ".join(f"Officials said {n} roads closed." for n in range(60)))
    with django_assert_max_num_queries(8):
        export(big.slug, "--include-notes")


def test_export_of_an_unknown_slug_says_so(db):
    with pytest.raises(CommandError, match="No article with the slug 'nope'"):
        export("nope")


def test_the_export_carries_each_publication_as_readers_saw_it(
    db, editor, reviewer, second_reviewer, django_assert_max_num_queries
):
    article, claim = settled_article(editor=editor, reviewer=reviewer, approver=second_reviewer)
    publication = article_publish(actor=editor, article=article)
    with django_assert_max_num_queries(8):
        data = export(article.slug)
    (published,) = data["publications"]
    assert published | {"published_at": None, "snapshot": None} == {
        "version": 1,
        "published_at": None,
        "published_by": editor.username,
        "audit_head": publication.audit_head,
        "correction_kind": "",
        "correction_text": "",
        "retracted_at": None,
        "retracted_by": None,
        "retraction_reason": "",
        "snapshot": None,
    }
    assert published["snapshot"] == Publication.objects.get(pk=publication.pk).snapshot
    assert published["snapshot"]["format"] == 1
    assert [c["ordinal"] for c in published["snapshot"]["claims"]] == [claim.ordinal]
