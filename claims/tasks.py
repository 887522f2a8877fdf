"""The tasks the background worker runs (`manage.py run_worker`; see claims/jobs.py)."""

from __future__ import annotations

from django.tasks import TaskContext, task

from . import jobs


@task(takes_context=True)
def run_job(context: TaskContext, job_id: int) -> str:
    """One attempt at a background job."""
    return jobs.run(job_id, task_id=str(context.task_result.id))
