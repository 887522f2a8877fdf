"""Background work end to end: editors queue over HTTP, real `manage.py run_worker`
processes run the tasks against this test database, and nothing is faked in between."""

from __future__ import annotations

import signal

import pytest
from django.contrib.auth.models import Group
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from bench.data import synthetic_article
from claims import jobs
from claims.models import Article, AuditEvent, Job, JobStatus
from tests.workers import run_batch, start_worker, wait_for
from tests.workspace import HTMX

TEXT = "The council said on Monday that 40 homes in Riverside were flooded overnight. "


@pytest.fixture(autouse=True)
def _committed(reference_data):
    """Worker processes see only committed rows: every test here commits, and the
    groups and ratings come back after each flush, before any persona is made."""


@pytest.fixture
def as_editor(client, editor, settings):
    settings.FACTCHECK_BACKGROUND_IMPORT_BYTES = 2_000
    client.force_login(editor)
    return client


def test_a_large_import_is_queued_shows_its_progress_and_the_worker_imports_it(
    as_editor, editor, worker_env
):
    response = as_editor.post(
        "/review/", {"text": TEXT * 40, "title": "Floods", "language": "en"}, follow=True
    )
    job = Job.objects.get()
    assert response.redirect_chain == [("/review/#imports", 302)]
    assert "Import of “Floods” (3 KB): queued; its progress shows below." in response.text
    assert "Waiting for a worker…" in response.text
    assert (job.status, job.requested_by, Article.objects.count()) == ("queued", editor, 0)
    panel = as_editor.get("/review/?panel=imports", headers=HTMX)
    assert 'hx-trigger="every 2s"' in panel.text  # it asks again while the job is under way

    run_batch(worker_env)

    job.refresh_from_db()
    article = Article.objects.get()
    assert (job.status, job.attempts, job.article, job.data) == ("done", 1, article, b"")
    assert (job.done, job.total, job.detail) == (1, 1, f"{article.claims.count()} claims")
    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.article) == ("article.imported", editor, article)
    assert article.title == "Floods"
    panel = as_editor.get("/review/?panel=imports", headers=HTMX)
    assert "hx-trigger" not in panel.text  # done: it stops asking
    assert f'href="{article.get_absolute_url()}"' in panel.text


def test_a_small_import_still_happens_at_once(as_editor):
    response = as_editor.post("/review/", {"text": TEXT, "language": "en"})
    assert response.status_code == 302
    assert Article.objects.count() == 1
    assert not Job.objects.exists()


def test_what_can_be_refused_at_once_is_refused_on_the_form(as_editor):
    response = as_editor.post("/review/", {"text": "no sentence end " * 400, "language": "en"})
    assert response.status_code == 422
    assert "characters without a sentence end" in response.text
    assert not Job.objects.exists()


def test_an_import_the_worker_refuses_ends_rejected_with_its_reason_and_writes_nothing(
    as_editor, worker_env
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    html = b"<html><head><script>" + b"var x = 1;\n" * 400 + b"</script></head></html>"
    upload = SimpleUploadedFile("empty.html", html, content_type="text/html")
    as_editor.post("/review/", {"file": upload, "language": "en"})

    run_batch(worker_env)

    job = Job.objects.get()
    assert job.status == JobStatus.REJECTED
    assert job.error == "empty.html: no article text found in the HTML."
    assert not job.may_retry
    assert (Article.objects.count(), AuditEvent.objects.count()) == (0, 0)
    assert job.error in as_editor.get("/review/").text


def test_a_failed_job_shows_its_error_to_editors_and_runs_again_when_asked(
    as_editor, editor, worker_env
):
    as_editor.post("/review/", {"text": TEXT * 40, "language": "en"})
    editors = Group.objects.get(name="Editors")
    editor.groups.remove(editors)  # an admin takes her role away before the worker starts

    run_batch(worker_env)

    job = Job.objects.get()
    assert job.status == JobStatus.FAILED
    assert job.error == "PermissionDenied: Only editors can import articles."
    task = DBTaskResult.objects.get(id=job.task_id)
    assert task.status == TaskResultStatus.FAILED
    assert "PermissionDenied" in task.traceback
    assert (Article.objects.count(), AuditEvent.objects.count()) == (0, 0)

    editor.groups.add(editors)
    page = as_editor.get("/review/operations/")
    assert job.error in page.text
    assert f'action="/review/operations/jobs/{job.pk}/retry"' in page.text
    response = as_editor.post(f"/review/operations/jobs/{job.pk}/retry", follow=True)
    assert "queued again" in response.text
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("queued", 1)

    run_batch(worker_env)

    job.refresh_from_db()
    assert (job.status, job.attempts, job.error) == ("done", 2, "")
    assert Article.objects.count() == AuditEvent.objects.count() == 1
    again = as_editor.post(f"/review/operations/jobs/{job.pk}/retry", follow=True)
    assert "only a failed job, or one whose worker has stopped, can be run again" in again.text


def test_reviewers_see_no_operations_page(client, reviewer):
    client.force_login(reviewer)
    assert client.get("/review/operations/").status_code == 403
    assert "Operations" not in client.get("/review/").text


def kill_mid_import(editor, worker_env) -> Job:
    """Queue a long import, start a worker, and kill it once the import is under way."""
    job = jobs.import_enqueue(
        actor=editor, data=synthetic_article(400_000).encode(), title="Long", language="en"
    )
    worker = start_worker(worker_env)
    try:
        wait_for(
            lambda: Job.objects.filter(pk=job.pk, done__gt=0).exists(),
            what="the worker to report progress",
        )
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        worker.kill()
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING
    assert 0 < job.done < job.total
    assert (Article.objects.count(), AuditEvent.objects.count()) == (0, 0)
    return job


def imported_once(job: Job, *, attempts: int, lost_task: str) -> None:
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("done", attempts)
    lost = DBTaskResult.objects.get(id=lost_task)
    assert lost.status == TaskResultStatus.FAILED
    assert lost.exception_class_path == "claims.jobs.WorkerLost"
    assert Article.objects.count() == 1
    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["article.imported"]


def test_a_worker_killed_mid_import_leaves_nothing_and_the_next_worker_runs_it_again(
    editor, worker_env
):
    job = kill_mid_import(editor, worker_env)

    output = run_batch(worker_env, FACTCHECK_JOB_STALE_SECONDS="0")

    assert f"Recovered “{job.label}”: queued." in output
    imported_once(job, attempts=2, lost_task=job.task_id)


def test_a_job_whose_worker_died_on_its_last_attempt_fails_and_an_editor_runs_it_again(
    as_editor, editor, worker_env, settings
):
    job = kill_mid_import(editor, worker_env)
    settings.FACTCHECK_JOB_STALE_SECONDS = 0
    page = as_editor.get("/review/operations/")
    assert "its worker has stopped" in page.text  # editors see it before any worker starts

    output = run_batch(worker_env, FACTCHECK_JOB_STALE_SECONDS="0", FACTCHECK_JOB_ATTEMPTS="1")

    assert f"Recovered “{job.label}”: failed." in output
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error.startswith("The worker stopped during attempt 1 (it was killed")
    assert job.error in as_editor.get("/review/operations/").text
    as_editor.post(f"/review/operations/jobs/{job.pk}/retry")
    lost_task = job.task_id

    run_batch(worker_env)

    imported_once(job, attempts=2, lost_task=lost_task)


def test_two_workers_never_run_the_same_task_twice(editor, worker_env):
    queued = [
        jobs.import_enqueue(actor=editor, data=synthetic_article(20_000, seed=n).encode())
        for n in range(12)
    ]
    workers = [start_worker(worker_env, "--batch") for _ in range(2)]
    for worker in workers:
        output, _ = worker.communicate(timeout=120)
        assert worker.returncode == 0, output

    finished = Job.objects.filter(pk__in=[job.pk for job in queued])
    assert sorted(finished.values_list("status", "attempts")) == [("done", 1)] * 12
    # Each import, then the matching of its claims against earlier checks that it queues.
    tasks = DBTaskResult.objects.all()
    assert sorted(task.task_path for task in tasks) == sorted(
        ["claims.tasks.run_job", "claims.tasks.match_article"] * 12
    )
    assert [len(task.worker_ids) for task in tasks] == [1] * 24
    assert Article.objects.count() == 12
    assert AuditEvent.objects.filter(action="article.imported").count() == 12
