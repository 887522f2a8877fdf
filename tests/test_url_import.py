"""Import by URL end to end: an editor posts the queue's form, a real `manage.py
run_worker` fetches the page from a local website on 127.0.0.1 (tests/website.py) and
imports it; the queue shows how it went. Nothing is faked in between."""

from __future__ import annotations

import hashlib
import threading

import pytest
from django.core.management import CommandError, call_command

from claims.models import Article, ArticleCapture, AuditEvent, Job
from tests.website import PAGES, answer, held, page
from tests.workers import run_batch, start_worker, wait_for
from tests.workspace import HTMX

GUARDIAN = "guardian.co.tt-massy.html"
LYFT = "futurezone.at.lyft.html"


@pytest.fixture(autouse=True)
def _committed(reference_data):
    """Worker processes see only committed rows (see tests/test_worker.py)."""


@pytest.fixture
def as_editor(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def worker(worker_env, website):
    """run a worker over every queued task, with the fetch settings of the website."""
    return lambda: run_batch(worker_env | website.environment())


def nothing_written() -> bool:
    return not (Article.objects.exists() or ArticleCapture.objects.exists()) and not (
        AuditEvent.objects.exists()
    )


def test_an_editor_imports_a_page_by_its_url_in_the_background(as_editor, editor, website, worker):
    url = website.url(f"/pages/{GUARDIAN}")
    response = as_editor.post("/review/", {"page_url": url, "language": "en"}, follow=True)

    job = Job.objects.get()
    assert response.redirect_chain == [("/review/#imports", 302)]
    assert f"Import of {url}: queued; its progress shows below." in response.text
    assert "Waiting for a worker…" in response.text
    assert (job.kind, job.status, job.requested_by) == ("url_import", "queued", editor)
    assert nothing_written()
    panel = as_editor.get("/review/?panel=imports", headers=HTMX)
    assert 'hx-trigger="every 2s"' in panel.text

    worker()

    job.refresh_from_db()
    article = Article.objects.get()
    assert (job.status, job.article, job.stage, job.error) == ("done", article, "splitting", "")
    assert article.title == "Massy Stores stalled nationwide by cyber attack"
    assert article.url == url
    assert article.imported_by == editor
    assert "Thousands of people possibly hoping" in article.body
    assert article.claims.exists()

    body = (PAGES / GUARDIAN).read_bytes()
    capture = article.capture
    assert bytes(capture.body) == body
    assert (capture.requested_url, capture.final_url, capture.status) == (url, url, 200)
    assert (capture.content_type, capture.charset, capture.size) == (
        "text/html",
        "utf-8",
        len(body),
    )
    assert capture.sha256 == hashlib.sha256(body).hexdigest()

    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.article) == ("article.imported", editor, article)
    assert event.after["capture"] == {
        "requested_url": url,
        "final_url": url,
        "status": 200,
        "content_type": "text/html",
        "size": len(body),
        "sha256": capture.sha256,
    }
    panel = as_editor.get("/review/?panel=imports", headers=HTMX)
    assert "hx-trigger" not in panel.text  # done: it stops asking
    assert f'href="{article.get_absolute_url()}"' in panel.text
    assert f"{article.claims.count()} claims" in panel.text
    _, headers = website.requests[-1]
    assert headers["User-Agent"].startswith("Factcheck/")


def test_the_queue_shows_the_stage_an_import_has_reached_while_it_runs(
    as_editor, website, worker_env
):
    release = threading.Event()
    website.routes["/held"] = held(release, GUARDIAN)
    as_editor.post("/review/", {"page_url": website.url("/held"), "language": "en"})
    job = Job.objects.get()
    patient = {"FACTCHECK_FETCH_READ_TIMEOUT": "60", "FACTCHECK_FETCH_DEADLINE_SECONDS": "60"}
    worker = start_worker(worker_env | website.environment() | patient)
    try:
        wait_for(
            lambda: Job.objects.filter(pk=job.pk, status="running", stage="fetching").exists(),
            what="the worker to start fetching",
        )
        panel = as_editor.get("/review/?panel=imports", headers=HTMX)
        assert "Fetching the page…" in panel.text
        assert 'hx-trigger="every 2s"' in panel.text  # it keeps asking
        release.set()
        wait_for(
            lambda: Job.objects.filter(pk=job.pk, status="done").exists(),
            what="the import to finish",
        )
    finally:
        release.set()
        worker.terminate()
        worker.wait(timeout=30)
    panel = as_editor.get("/review/?panel=imports", headers=HTMX)
    assert "Massy Stores stalled nationwide by cyber attack" in panel.text


def test_the_capture_keeps_both_addresses_after_redirects(as_editor, website, worker):
    start = website.url("/chain/3")
    as_editor.post("/review/", {"page_url": start, "language": "en"})

    worker()

    capture = ArticleCapture.objects.get()
    assert capture.requested_url == start
    assert capture.final_url == website.url("/pages/dw.com.uncork.html")
    assert capture.article.url == capture.final_url


def test_the_form_fields_the_editor_fills_win_over_the_pages_own(as_editor, website, worker):
    as_editor.post(
        "/review/",
        {
            "page_url": website.url(f"/pages/{LYFT}"),
            "title": "Robotaxis in Phoenix",
            "publisher": "futurezone",
            "language": "de",
            "published_on": "2019-05-08",
        },
    )

    worker()

    article = Article.objects.get()
    assert (article.title, article.publisher, article.language) == (
        "Robotaxis in Phoenix",
        "futurezone",
        "de",
    )
    assert str(article.published_on) == "2019-05-08"
    assert "Waymo" in article.body


def test_the_same_page_again_finds_the_article_and_keeps_its_first_capture(
    as_editor, website, worker
):
    url = website.url(f"/pages/{GUARDIAN}")
    as_editor.post("/review/", {"page_url": url, "language": "en"})
    worker()
    as_editor.post("/review/", {"page_url": url, "language": "en"})
    worker()

    first, second = Job.objects.order_by("pk")
    assert first.status == second.status == "done"
    assert second.article == first.article
    assert second.detail.startswith("already imported (")
    assert ArticleCapture.objects.count() == Article.objects.count() == 1
    assert AuditEvent.objects.count() == 1


def test_a_refused_address_is_refused_on_the_form_and_nothing_is_queued(as_editor, website):
    response = as_editor.post("/review/", {"page_url": "http://10.0.0.5/news", "language": "en"})
    assert response.status_code == 422
    assert "refused: 10.0.0.5 is a private address." in response.text
    assert not Job.objects.exists()


def test_a_url_with_another_scheme_is_refused_on_the_form(as_editor, website):
    response = as_editor.post("/review/", {"page_url": "file:///etc/passwd", "language": "en"})
    assert response.status_code == 422
    assert "“file:” links are not allowed" in response.text
    assert not Job.objects.exists()


def test_one_of_text_file_or_url_is_given_not_two(as_editor, website):
    response = as_editor.post(
        "/review/",
        {"text": "The council said so.", "page_url": website.url("/text"), "language": "en"},
    )
    assert response.status_code == 422
    assert "Give one of these only: pasted text, a file or a web address." in response.text
    assert not Job.objects.exists()
    assert nothing_written()


def test_reviewers_cannot_import_by_url(client, reviewer, website):
    client.force_login(reviewer)
    response = client.post("/review/", {"page_url": website.url("/text"), "language": "en"})
    assert response.status_code == 403
    assert not Job.objects.exists()


def test_every_bad_page_ends_its_job_with_one_line_and_writes_nothing(
    as_editor, website, worker, settings
):
    def url(path: str) -> str:
        return website.url(path)

    expected = {
        "/missing": ("failed", f"refused: {url('/missing')} answered 404 Not Found."),
        "/broken": ("failed", f"refused: {url('/broken')} answered 500 Internal Server Error."),
        "/pdf": (
            "failed",
            "refused: the page is a PDF document (application/pdf), not HTML or plain text.",
        ),
        "/png": ("failed", "refused: the page is an image (image/png), not HTML or plain text."),
        "/endless": (
            "failed",
            "refused: the page is larger than the limit of 2.0 MB (FACTCHECK_IMPORT_MAX_BYTES).",
        ),
        "/bomb": (
            "failed",
            "refused: the page is larger once decompressed than the limit of 2.0 MB "
            "(FACTCHECK_IMPORT_MAX_BYTES).",
        ),
        "/slow": (
            "failed",
            "refused: 127.0.0.1 stopped sending for more than 0.5 s (read timed out).",
        ),
        "/loop-a": (
            "failed",
            f"refused: the page redirects in a loop ({url('/loop-a')} → {url('/loop-b')} → …).",
        ),
        "/to-metadata": ("failed", "refused: 169.254.169.254 is a link-local address."),
        "/empty": ("rejected", "empty.html: no article text found in the HTML."),
    }
    for path in expected:
        response = as_editor.post("/review/", {"page_url": url(path), "language": "en"})
        assert response.status_code == 302, response.text

    worker()

    queue = as_editor.get("/review/").text
    for path, (status, error) in expected.items():
        job = Job.objects.get(params__source_url=url(path))
        assert (job.status, job.error) == (status, error), path
        assert job.may_retry
        assert error.replace("“", "&ldquo;") in queue or error in queue, path
    assert queue.count(">Run again<") == len(expected)
    assert nothing_written()


def test_a_failed_import_runs_again_from_the_queue(as_editor, website, worker):
    url = website.url("/coming-soon")
    website.routes["/coming-soon"] = answer(503, b"Try later")
    as_editor.post("/review/", {"page_url": url, "language": "en"})
    worker()
    job = Job.objects.get()
    assert job.error == f"refused: {url} answered 503 Service Unavailable."
    assert job.stage == "fetching"

    website.routes["/coming-soon"] = page(GUARDIAN)  # the site is back
    response = as_editor.post(
        f"/review/operations/jobs/{job.pk}/retry", {"next": "/review/#imports"}, follow=True
    )
    assert response.redirect_chain == [("/review/#imports", 302)]
    assert f"Import of {url}: queued again." in response.text
    worker()

    job.refresh_from_db()
    assert (job.status, job.attempts, job.error) == ("done", 2, "")
    assert job.article == Article.objects.get()
    assert ArticleCapture.objects.get().final_url == url


def test_run_again_never_goes_to_another_site(as_editor, website, worker):
    website.routes["/gone"] = answer(410, b"Gone")
    as_editor.post("/review/", {"page_url": website.url("/gone"), "language": "en"})
    worker()
    job = Job.objects.get()
    response = as_editor.post(
        f"/review/operations/jobs/{job.pk}/retry", {"next": "https://elsewhere.example/"}
    )
    assert response.url == f"/review/operations/#job-{job.pk}"


# --- the command ---------------------------------------------------------------------------


def test_the_command_imports_a_url_at_once(website, capsys):
    url = website.url(f"/pages/{GUARDIAN}")
    call_command("import_article", url)

    article = Article.objects.get()
    assert "Imported “Massy Stores stalled nationwide by cyber attack”" in capsys.readouterr().out
    assert article.capture.final_url == url
    assert article.imported_by is None
    assert AuditEvent.objects.get().after["capture"]["sha256"] == article.capture.sha256


def test_the_command_says_why_a_url_is_refused_in_one_line(website):
    with pytest.raises(CommandError) as caught:
        call_command("import_article", "http://169.254.169.254/latest/meta-data/")
    assert str(caught.value) == "refused: 169.254.169.254 is a link-local address."
    with pytest.raises(CommandError) as caught:
        call_command("import_article", website.url("/pdf"))
    assert "not HTML or plain text" in str(caught.value)
    assert nothing_written()


def test_a_page_in_another_encoding_is_read_in_it(website):
    html = (
        "<html><head><meta charset='iso-8859-1'><title>Préfecture</title></head><body>"
        "<article><h1>Préfecture</h1><p>La préfecture a annoncé lundi que 40 maisons "
        "ont été inondées à Montréal pendant la nuit, selon les pompiers.</p>"
        "<p>Le maire a promis de rouvrir le pont principal avant vendredi prochain.</p>"
        "</article></body></html>"
    )
    website.routes["/latin1"] = answer(body=html.encode("iso-8859-1"), content_type="text/html")
    call_command("import_article", website.url("/latin1"), "--language", "fr")
    article = Article.objects.get()
    assert "inondées à Montréal" in article.body
    assert bytes(article.capture.body) == html.encode("iso-8859-1")


def test_the_admin_shows_the_capture_read_only_without_its_bytes(client, superuser, website):
    call_command("import_article", website.url(f"/pages/{GUARDIAN}"))
    capture = ArticleCapture.objects.get()
    client.force_login(superuser)

    for page_url in (
        f"/admin/claims/articlecapture/{capture.pk}/change/",
        f"/admin/claims/article/{capture.article.pk}/change/",
    ):
        response = client.get(page_url)
        assert response.status_code == 200
        assert capture.sha256 in response.text
        assert capture.final_url in response.text
        assert "googletag" not in response.text  # the page's bytes (its scripts) never shown
        # The capture is read-only (the article's details are editable on its page).
        assert 'name="capture-0-body"' not in response.text
    assert (
        'name="_save"' not in client.get(f"/admin/claims/articlecapture/{capture.pk}/change/").text
    )
    assert client.get("/admin/claims/articlecapture/").status_code == 200
    assert client.get("/admin/claims/articlecapture/add/").status_code == 403
