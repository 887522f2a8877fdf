"""Background jobs: the desk's side of the work the task worker does.

A service queues a job (here: an import too large to run inside a request); each attempt
at it is one task of Django's tasks framework (`claims/tasks.py`, the database backend of
django-tasks-db), run by a `manage.py run_worker` process. Editors follow jobs on the
queue and on the operations page, and run a failed one again.

Safe to retry, whatever happens to the worker:
- A job does its writes through the services, so what it writes to review data is one
  audited transaction: a worker killed in the middle leaves nothing half-written.
- A task runs its job only while it is the job's current attempt (`task_id`) and the job
  is queued; a job already done, or taken over by a newer attempt, is left alone.
- The work itself is idempotent: importing the same text again finds the article.
- A running job shows a sign of life (`heartbeat_at`) as it goes. One silent for
  FACTCHECK_JOB_STALE_SECONDS has lost its worker: `recover_abandoned()` (run by every
  worker as it starts) queues it again, up to FACTCHECK_JOB_ATTEMPTS attempts in all,
  and then marks it failed; an editor may still run it again.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from .access import require
from .fetching import FetchRefused, check_url
from .importing import ImportRejected, article_import, check_quickly
from .models import Job, JobKind, JobStage, JobStatus
from .url_import import article_import_from_url

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# A running job writes its progress (and so its sign of life) at most this often.
PROGRESS_EVERY_SECONDS = 0.5
WORKER_LOST = (
    "The worker stopped during attempt {attempt} (it was killed, or its machine "
    "restarted); nothing it had written was kept."
)


class WorkerLost(Exception):
    """What a task result says of an attempt whose worker stopped in the middle."""


class JobRefused(ValueError):
    """The job can't be run again now; the message says why."""


# --- queueing --------------------------------------------------------------------------


def import_enqueue(*, actor: User | None, data: bytes, filename: str = "", **meta: Any) -> Job:
    """Queue an import for the worker. What can be refused at once is refused here
    (`importing.check_quickly`), so the editor hears of it on the form; the rest (no
    sentence, no article text in the HTML) ends the job rejected.

    `meta`: title, publisher, author, url, published_on and language, as
    `importing.article_import` takes them.
    """
    require(actor, "claims.import_article", "Only editors can import articles.")
    check_quickly(data, filename=filename, language=meta.get("language", "en"))
    published_on = meta.get("published_on")
    meta["published_on"] = published_on.isoformat() if published_on else None
    what = f"“{filename}”" if filename else f"“{meta.get('title') or 'pasted text'}”"
    label = f"Import of {what} ({len(data) / 1024:,.0f} KB)"
    with transaction.atomic():
        # The job and its first task are written together: never one without the other.
        job = Job.objects.create(
            kind=JobKind.IMPORT,
            label=label[:300],
            requested_by=actor,
            params=meta | {"filename": filename},
            data=data,
        )
        _enqueue(job)
    return job


def url_import_enqueue(*, actor: User | None, url: str, **meta: Any) -> Job:
    """Queue an import by URL for the worker, which fetches the page and imports it. The
    URL is checked here first (`fetching.check_url`: its scheme and every address of its
    host), so the editor hears of a refused one on the form; the worker checks again.

    `meta`: title, publisher, author, published_on and language, as
    `url_import.article_import_from_url` takes them.
    """
    require(actor, "claims.import_article", "Only editors can import articles.")
    url = check_url(url)
    published_on = meta.get("published_on")
    meta["published_on"] = published_on.isoformat() if published_on else None
    with transaction.atomic():
        job = Job.objects.create(
            kind=JobKind.URL_IMPORT,
            label=f"Import of {url}"[:300],
            requested_by=actor,
            params=meta | {"source_url": url},
        )
        _enqueue(job)
    return job


def job_retry(*, actor: User | None, job: Job) -> Job:
    """Run a failed job again, or one whose worker was lost (editors only)."""
    require(actor, "claims.import_article", "Only editors can run jobs again.")
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        if not job.may_retry:
            raise JobRefused(
                f"“{job.label}” is {job.get_status_display().lower()}; only a failed job, "
                "or one whose worker has stopped, can be run again."
            )
        if job.status == JobStatus.RUNNING:
            _fail_task(job, WORKER_LOST.format(attempt=job.attempts))
        _enqueue(job)
    return job


def _enqueue(job: Job) -> None:
    from .tasks import run_job  # the task module imports this one

    result = run_job.enqueue(job.pk)
    job.task_id, job.status = result.id, JobStatus.QUEUED
    job.done = job.total = 0
    job.detail = job.stage = ""
    job.save(update_fields=["task_id", "status", "done", "total", "detail", "stage"])


# --- recovering from lost workers ----------------------------------------------------------


def recover_abandoned() -> list[Job]:
    """Queue again every running job whose worker is gone (no sign of life for
    FACTCHECK_JOB_STALE_SECONDS); one that has used all its attempts ends failed."""
    stale = timezone.now() - dt.timedelta(seconds=settings.FACTCHECK_JOB_STALE_SECONDS)
    recovered = []
    for pk in Job.objects.abandoned(before=stale).values_list("pk", flat=True):
        with transaction.atomic():
            job = Job.objects.select_for_update().get(pk=pk)
            if not (
                job.status == JobStatus.RUNNING and job.heartbeat_at and job.heartbeat_at < stale
            ):
                continue  # it came back to life, or another worker recovered it
            lost = WORKER_LOST.format(attempt=job.attempts)
            _fail_task(job, lost)
            if job.attempts < settings.FACTCHECK_JOB_ATTEMPTS:
                job.error = f"{lost} Running it again."
                job.save(update_fields=["error"])
                _enqueue(job)
            else:
                job.status, job.finished_at = JobStatus.FAILED, timezone.now()
                job.error = (
                    f"{lost} It was tried {job.attempts} times; "
                    "run it again once the cause is fixed."
                )
                job.save(update_fields=["status", "finished_at", "error"])
            recovered.append(job)
    return recovered


def _fail_task(job: Job, message: str) -> None:
    """The lost attempt's task result says so too (django-tasks-db leaves it running)."""
    DBTaskResult.objects.filter(id=job.task_id, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.FAILED,
        finished_at=timezone.now(),
        exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
        traceback=f"{WorkerLost.__qualname__}: {message}",
    )


# --- running (in the worker) ---------------------------------------------------------------


def run(job_id: int, *, task_id: str) -> str:
    """Run attempt `task_id` of a job: the body of the `run_job` task. Returns how it
    ended; an unexpected error marks the job failed and is raised again, so the task
    result keeps its traceback."""
    job = _start(job_id, task_id)
    if job is None:
        return "skipped"
    try:
        RUNNERS[JobKind(job.kind)](job, _Progress(job))
    except FetchRefused as error:
        # The page could not be fetched (refused, timed out, 404…): said in one line, no
        # traceback; the editor may run it again once the page or the setting is fixed.
        _finish(job, JobStatus.FAILED, error=str(error))
        return JobStatus.FAILED
    except ImportRejected as error:
        _finish(job, JobStatus.REJECTED, error=str(error))
        return JobStatus.REJECTED
    except Exception as error:
        _finish(job, JobStatus.FAILED, error=_one_line(error))
        raise
    return JobStatus.DONE


def _start(job_id: int, task_id: str) -> Job | None:
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.task_id != task_id or job.status != JobStatus.QUEUED:
            return None  # gone, taken over by a newer attempt, or already finished
        now = timezone.now()
        job.status, job.started_at, job.heartbeat_at = JobStatus.RUNNING, now, now
        job.attempts += 1
        job.save(update_fields=["status", "started_at", "heartbeat_at", "attempts"])
    return job


def _finish(job: Job, status: JobStatus, *, error: str = "", **changes: Any) -> None:
    """End this attempt, unless a newer one has taken the job over meanwhile."""
    if status == JobStatus.DONE:
        changes["data"] = b""  # the article holds the text now
    Job.objects.filter(pk=job.pk, task_id=job.task_id, status=JobStatus.RUNNING).update(
        status=status, finished_at=timezone.now(), error=error, **changes
    )


class _Progress:
    """Writes a running job's progress, at most every PROGRESS_EVERY_SECONDS: each write
    is also its sign of life. Outside any transaction, so editors see it at once."""

    def __init__(self, job: Job) -> None:
        self.job, self.last = job, 0.0

    def __call__(self, done: int, total: int, detail: str, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.last < PROGRESS_EVERY_SECONDS:
            return
        self.last = now
        Job.objects.filter(pk=self.job.pk, task_id=self.job.task_id).update(
            done=min(done, total), total=total, detail=detail, heartbeat_at=timezone.now()
        )

    def stage(self, stage: JobStage) -> None:
        """The import has reached `stage`: written at once."""
        Job.objects.filter(pk=self.job.pk, task_id=self.job.task_id).update(
            stage=stage, detail="", heartbeat_at=timezone.now()
        )
        self.last = time.monotonic()


def _run_import(job: Job, progress: _Progress) -> None:
    params = dict(job.params)
    filename = params.pop("filename", "")

    def split(done: int, total: int, sentences: int) -> None:
        progress(done, total, f"{sentences:,} sentences split")

    result = article_import(
        data=bytes(job.data),
        filename=filename,
        actor=job.requested_by,
        progress=split,
        **params,
    )
    claims = result.article.claims.count()
    progress(1, 1, f"{claims:,} claims", force=True)
    _finish(job, JobStatus.DONE, article=result.article)


def _run_url_import(job: Job, progress: _Progress) -> None:
    params = dict(job.params)
    url = params.pop("source_url")

    def split(done: int, total: int, sentences: int) -> None:
        progress(done, total, f"{sentences:,} sentences split")

    result = article_import_from_url(
        url=url, actor=job.requested_by, stage=progress.stage, progress=split, **params
    )
    claims = result.article.claims.count()
    found = f"{claims:,} claims" if result.created else f"already imported ({claims:,} claims)"
    progress(1, 1, found, force=True)
    _finish(job, JobStatus.DONE, article=result.article)


RUNNERS: dict[JobKind, Callable[[Job, _Progress], None]] = {
    JobKind.IMPORT: _run_import,
    JobKind.URL_IMPORT: _run_url_import,
}


def _one_line(error: Exception) -> str:
    text = " ".join(str(error).split()) or "no message"
    return f"{type(error).__name__}: {text}"[:1000]
