"""The tasks the background worker runs (`manage.py run_worker`; see claims/jobs.py)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.tasks import TaskContext, task

from . import evidence, jobs, linkrot, notifications


@task(takes_context=True)
def run_job(context: TaskContext, job_id: int) -> str:
    """One attempt at a background job."""
    return jobs.run(job_id, task_id=str(context.task_result.id))


@task()
def capture_source(source_id: int, actor_id: int | None = None) -> str:
    """Capture a source (claims/evidence.py): how it went, or "gone" if it was removed."""
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    snapshot = evidence.source_capture(source_id=source_id, actor=actor)
    return snapshot.outcome if snapshot is not None else "gone"


@task()
def check_sources() -> str:
    """The periodic link check of published sources; it queues the next one as it ends
    (every FACTCHECK_LINK_CHECK_HOURS; see linkrot.schedule_link_checks)."""
    try:
        checked = linkrot.check_published_sources()
    finally:
        linkrot.schedule_link_checks(after_run=True)
    flagged = sum(bool(snapshot.flag) for snapshot in checked)
    return f"{len(checked)} sources checked, {flagged} flagged"


@task()
def notify(kind: str, ids: dict[str, int]) -> str:
    """Email the desk members a notification is for (claims/notifications.py)."""
    return f"{notifications.send(kind, ids)} sent"


@task()
def answer_reader(request_id: int) -> str:
    """Email a reader why their correction request was declined."""
    return f"{notifications.send_answer(request_id)} sent"


@task()
def match_article(article_id: int) -> str:
    """Find earlier checks like the claims of an article just imported (or split again)."""
    from .models import Article
    from .search.matching import article_match

    article = Article.objects.filter(pk=article_id).defer("body").first()
    if article is None:
        return "gone"
    return f"{article_match(article=article)} claims with earlier checks"
