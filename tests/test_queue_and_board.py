from __future__ import annotations

import math

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from claims import review
from claims.models import Article, AuditEvent, Claim
from tests.factories import ArticleFactory
from tests.workspace import HTMX

# A reported past event: the trained scorer marks forecasts ("will close") down, as its
# debate training data taught it (promises are rarely checkable), so that is not used here.
TEXT = "The council said on Monday that 3 bridges had closed.\n\nCritics say it ought to stop."


def counts():
    return Article.objects.count(), Claim.objects.count(), AuditEvent.objects.count()


@pytest.fixture
def as_editor(client, editor):
    client.force_login(editor)
    return client


def test_an_editor_imports_pasted_text_and_lands_on_the_board(as_editor, editor):
    response = as_editor.post(
        "/review/", {"text": TEXT, "title": "Bridges", "publisher": "Gazette", "language": "en"}
    )
    article = Article.objects.get()
    assert response["Location"] == article.get_absolute_url()
    assert (article.title, article.publisher, article.imported_by) == ("Bridges", "Gazette", editor)
    board = as_editor.get(response["Location"]).content.decode()
    assert "3 bridges had closed" in board
    assert "Imported “Bridges”." in board


def test_an_editor_imports_an_uploaded_html_file(as_editor):
    html = (
        "<html><head><title>Flood report</title></head><body><article>"
        + "".join(
            f"<p>Officials said {n} homes flooded in the valley on Tuesday night.</p>"
            for n in range(5, 10)
        )
        + "</article></body></html>"
    )
    upload = SimpleUploadedFile("flood.html", html.encode(), content_type="text/html")
    as_editor.post("/review/", {"file": upload, "language": "en"})
    assert Article.objects.get().title == "Flood report"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"text": ""}, None, "Paste the article"),
        ({"text": "   \n  "}, None, "Paste the article"),
        ({"text": "--- *** ---"}, "text", "has no sentence"),
        ({"text": TEXT, "url": "javascript:alert(1)"}, "url", "links are not allowed"),
        ({"text": TEXT, "language": "English!"}, "text", "not a language code"),
    ],
)
def test_import_errors_show_next_to_the_field_and_write_nothing(as_editor, data, field, message):
    response = as_editor.post("/review/", {"language": "en"} | data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert counts() == (0, 0, 0)


def test_a_binary_upload_is_refused_next_to_the_file_field(as_editor):
    upload = SimpleUploadedFile("x.txt", b"PK\x03\x04\x00binary")
    response = as_editor.post("/review/", {"file": upload, "language": "en"})
    assert response.status_code == 422
    assert "looks like a zip archive" in response.content.decode()
    assert counts() == (0, 0, 0)


def test_reviewers_see_the_queue_without_the_import_form(client, reviewer):
    ArticleFactory()
    client.force_login(reviewer)
    page = client.get("/review/").content.decode()
    assert "Import an article" not in page
    assert client.post("/review/", {"text": TEXT}).status_code == 403


def test_the_queue_shows_progress_per_article(as_editor, editor):
    article = ArticleFactory()
    claim = article.claims.check_worthy().first()
    review.claim_dismiss(actor=editor, claim=claim, reason="Opinion", version=claim.version)
    page = as_editor.get("/review/").content.decode()
    total = article.claims.count()
    done = article.claims.dismissed().count()
    assert f'<progress value="{done}" max="{total}"' in page
    assert f"{done} of {total} settled" in page


def test_board_filters_live_in_the_url_and_swap_the_table(as_editor, editor, reviewer):
    article = ArticleFactory()
    mine = article.claims.check_worthy().order_by("ordinal").first()
    review.claim_take(actor=editor, claim=mine, version=mine.version)
    url = article.get_absolute_url()

    full = as_editor.get(url).content.decode()
    assert "<html" in full
    assert 'hx-push-url="true"' in full

    table = as_editor.get(url + "?assignee=mine", headers=HTMX).content.decode()
    assert table.lstrip().startswith('<section id="claims-table"')
    assert mine.text[:40] in table
    others = article.claims.check_worthy().exclude(pk=mine.pk)
    assert all(c.text[:40] not in table for c in others)

    dismissed = article.claims.dismissed().first()
    assert dismissed.text[:40] not in as_editor.get(url).content.decode()
    assert dismissed.text[:40] in as_editor.get(url + "?dismissed=on").content.decode()
    scores = sorted(article.claims.values_list("score", flat=True))
    least = math.floor(scores[-1] * 100) / 100  # the filter takes two decimals
    high = as_editor.get(url + f"?min_score={least}&dismissed=on").content.decode()
    assert high.count('<td class="score">') == len([s for s in scores if s >= least])
    approved = as_editor.get(url + "?status=approved").content.decode()
    assert "No claims match these filters." in approved


def test_the_board_shows_scores_with_their_reasons(as_editor):
    article = ArticleFactory()
    page = as_editor.get(article.get_absolute_url()).content.decode()
    assert "<details><summary>" in page
    assert "attributes words to someone: <q>said</q>" in page
    assert '<mark class="reason-up" title="attributes words to someone; words often seen' in page


def test_the_board_shows_claims_a_page_at_a_time_keeping_the_filters(as_editor):
    text = " ".join(f"The council said {n} bridges closed on Monday." for n in range(25))
    article = ArticleFactory(text=text)
    claims = list(article.claims.order_by("ordinal"))
    assert len(claims) == 25
    first = as_editor.get(article.get_absolute_url()).content.decode()
    assert first.count('<td class="score">') == 20
    assert "Page 1 of 2" in first
    assert (
        'href="?status=&amp;page=2"'
        in as_editor.get(article.get_absolute_url() + "?status=").content.decode()
    )
    second = as_editor.get(article.get_absolute_url() + "?page=2").content.decode()
    assert second.count('<td class="score">') == 5
    assert claims[-1].text in second
    assert claims[0].text not in second


def test_reasons_stored_whole_by_an_earlier_version_show_as_they_were(as_editor):
    """Claims scored before reasons were stored without their labels and words keep
    showing what they stored, on the board and the claim page."""
    article = ArticleFactory(text="The council said 23 bridges closed on Monday.")
    claim = article.claims.get()
    stored = claim.explained_reasons
    assert "label" not in claim.reasons[1]
    assert stored[1]["label"]
    old = [dict(r, label=r["label"].upper()) for r in stored]  # told apart from a fresh one
    Claim.objects.filter(pk=claim.pk).update(reasons=old)
    for url in (article.get_absolute_url(), claim.get_absolute_url()):
        page = as_editor.get(url).content.decode()
        assert "ATTRIBUTES WORDS TO SOMEONE: <q>said</q>" in page
        assert "attributes words to someone" not in page
