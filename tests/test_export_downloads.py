"""Editors download an article from the workspace: JSON (article_export) and CSV."""

from __future__ import annotations

import csv
import io
import json

from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims import review
from tests.factories import ArticleFactory
from tests.test_claimants import name_mayor
from tests.workspace import settled_article


def test_editors_download_the_article_as_json(client, editor, reviewer, second_reviewer):
    article, claim = settled_article(editor=editor, reviewer=reviewer, approver=second_reviewer)
    name_mayor(claim, reviewer)
    review.claim_add_note(actor=reviewer, claim=claim, body="INTERNAL")
    client.force_login(editor)
    response = client.get(f"/review/articles/{article.slug}/export.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{article.slug}.json"'
    data = json.loads(response.content)
    assert data["article"]["slug"] == article.slug
    exported = next(c for c in data["claims"] if c["ordinal"] == claim.ordinal)
    assert exported["claimant"] == "Jane Doe"
    assert exported["verdict"]["rating"] == "False"
    assert "INTERNAL" not in response.content.decode()
    with_notes = client.get(f"/review/articles/{article.slug}/export.json?notes=1")
    assert "INTERNAL" in with_notes.content.decode()


def test_editors_download_claims_and_verdicts_as_csv(
    client, editor, reviewer, second_reviewer, django_assert_max_num_queries
):
    article, claim = settled_article(
        editor=editor,
        reviewer=reviewer,
        approver=second_reviewer,
        text='=HYPERLINK("http://evil.example") said 40 homes flooded on Monday.\n\n'
        "The council said on Monday that 12 bridges will close in 2025.",
    )
    client.force_login(editor)
    with django_assert_max_num_queries(12):
        response = client.get(f"/review/articles/{article.slug}/export.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{article.slug}-claims.csv"'
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert len(rows) == article.claims.count()
    row = next(r for r in rows if r["ordinal"] == str(claim.ordinal))
    assert row["rating"] == "False"
    assert row["rating_value"] == "1"
    assert row["summary"] == "It did not happen."
    assert row["approved_by"] == "ruth"
    assert row["sources"] == "2"
    assert row["appeared_at"] == article.url
    # A cell that a spreadsheet would run as a formula is written as text.
    assert any(r["sentence"].startswith("'=HYPERLINK") for r in rows)


def test_the_csv_costs_the_same_queries_for_many_claims(client, editor):
    small, large = (
        ArticleFactory(),
        ArticleFactory(text="\n\n".join(f"In 2024 {n} towns said {n} things." for n in range(40))),
    )
    client.force_login(editor)
    counts = []
    for article in (small, large):
        with CaptureQueriesContext(connection) as captured:
            client.get(f"/review/articles/{article.slug}/export.csv")
        counts.append(len(captured))
    assert counts[0] == counts[1] <= 8


def test_reviewers_and_strangers_cannot_download(client, db, reviewer, outsider):
    article = ArticleFactory()
    for user in (reviewer, outsider):
        client.force_login(user)
        for kind in ("json", "csv"):
            assert client.get(f"/review/articles/{article.slug}/export.{kind}").status_code == 403
    client.logout()
    response = client.get(f"/review/articles/{article.slug}/export.csv")
    assert response.status_code == 302


def test_the_board_links_the_downloads_for_editors_only(client, db, editor, reviewer):
    article = ArticleFactory()
    client.force_login(editor)
    assert (
        f"/review/articles/{article.slug}/export.csv"
        in client.get(article.get_absolute_url()).content.decode()
    )
    client.force_login(reviewer)
    assert "export.csv" not in client.get(article.get_absolute_url()).content.decode()
