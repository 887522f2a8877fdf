"""`manage.py run_worker`: django-tasks-db's `db_worker` that first recovers the jobs
whose worker was lost (see claims/jobs.py). Takes every option `db_worker` takes."""

from __future__ import annotations

from typing import Any

from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand

from claims.jobs import recover_abandoned
from claims.linkrot import schedule_link_checks


class Command(DBWorkerCommand):
    help = (
        "Run a background worker: queue again the jobs whose worker was lost, then run "
        "queued tasks until stopped (Ctrl-C or SIGTERM finish the current task first)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        for job in recover_abandoned():
            self.stdout.write(f"Recovered “{job.label}”: {job.get_status_display().lower()}.")
        if schedule_link_checks():
            self.stdout.write("Queued the periodic link check of published sources.")
        super().handle(*args, **options)
