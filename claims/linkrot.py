"""Link rot on published checks: the sources of standing publications fetched again.

`source_check()` takes a new snapshot of a source (claims/evidence.py's way: the one
fetcher, the storage, an audit event) and flags it gone (the fetch failed: 4xx/5xx,
refused, timed out) or changed (another hash and other readable text) against the
source's last good snapshot. Nothing is overwritten: each check is a new row.
`check_published_sources()` checks them all (`manage.py check_sources`, and the worker's
periodic `check_sources` task, which `schedule_link_checks()` keeps queued).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re

from django.conf import settings
from django.db.models import Max
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from .evidence import save_snapshot, take_snapshot
from .models import AuditAction, LinkFlag, SnapshotKind, Source, SourceSnapshot

# The lines of a changed page's text shown on the flagged-sources page.
DIFF_LINES = 40


# --- checks ------------------------------------------------------------------------------


def source_check(*, source_id: int) -> SourceSnapshot | None:
    """Fetch a published source again and say whether it is gone or changed since its
    last good snapshot. A new row every time; None if the source was removed."""
    source = Source.objects.filter(pk=source_id).first()
    if source is None:
        return None
    baseline = source.snapshots.ok().newest_first().first()
    snapshot = take_snapshot(source.url, kind=SnapshotKind.CHECK)
    if not snapshot.is_ok:
        snapshot.flag, snapshot.changes = LinkFlag.GONE, snapshot.failure
    elif (
        baseline is not None
        and baseline.sha256 != snapshot.sha256
        and _words(baseline.text) != _words(snapshot.text)
    ):
        snapshot.flag = LinkFlag.CHANGED
        snapshot.changes = what_changed(baseline, snapshot)
    return save_snapshot(snapshot, source_id, AuditAction.SOURCE_CHECKED)


def check_published_sources() -> list[SourceSnapshot]:
    """Check every source that a standing publication cites (`Source.objects.published`)."""
    ids = Source.objects.published().order_by("pk").values_list("pk", flat=True)
    return [snapshot for pk in ids if (snapshot := source_check(source_id=pk)) is not None]


def _words(text: str) -> list[str]:
    return text.split()


def what_changed(before: SourceSnapshot, after: SourceSnapshot) -> str:
    """A short account for an editor: the title and address if they changed, then the
    text's changed lines (a unified diff, cut at DIFF_LINES)."""
    lines = []
    if before.title != after.title:
        lines.append(f"Title: “{before.title}” → “{after.title}”")
    if before.final_url != after.final_url:
        lines.append(f"Address: {before.final_url} → {after.final_url}")
    diff = difflib.unified_diff(
        _lines(before.text), _lines(after.text), "before", "after", n=0, lineterm=""
    )
    changed = [line for line in diff if not line.startswith(("---", "+++", "@@"))]
    if len(changed) > DIFF_LINES:
        changed = [*changed[:DIFF_LINES], f"… and {len(changed) - DIFF_LINES} more lines"]
    return "\n".join(lines + changed)


def _lines(text: str) -> list[str]:
    return [line for line in re.split(r"\n+", text) if line.strip()]


def schedule_link_checks(*, after_run: bool = False) -> bool:
    """Queue the periodic link check (the `check_sources` task) unless one is waiting.

    Django's tasks framework has no scheduler: every worker calls this as it starts, and
    each run queues the next, FACTCHECK_LINK_CHECK_HOURS after it (after the last run
    that finished, when a worker starts). 0 hours turns it off (cron may run `manage.py
    check_sources` instead). True if a check was queued."""
    from .tasks import check_sources

    hours = settings.FACTCHECK_LINK_CHECK_HOURS
    if not hours:
        return False
    runs = DBTaskResult.objects.filter(task_path=check_sources.module_path)
    if runs.filter(status=TaskResultStatus.READY).exists():
        return False  # the next one is queued already
    now, every = timezone.now(), dt.timedelta(hours=hours)
    last = runs.filter(finished_at__isnull=False).aggregate(last=Max("finished_at"))["last"]
    due = now + every if after_run else max(now, last + every) if last else now
    check_sources.using(run_after=due).enqueue()
    return True
