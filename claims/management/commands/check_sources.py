"""`manage.py check_sources`: fetch the sources of published verdicts again (link rot)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from claims.linkrot import check_published_sources


class Command(BaseCommand):
    help = (
        "Fetch every source that a standing publication cites again, keep each result as a "
        "new snapshot (audited), and flag the sources gone (4xx/5xx, refused, timed out) or "
        "changed (another hash and other readable text). Editors see the flagged ones at "
        "/review/sources/flagged/. The worker runs the same check every "
        "FACTCHECK_LINK_CHECK_HOURS; run this from cron instead when that is 0."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        checked = check_published_sources()
        for snapshot in checked:
            if snapshot.flag:
                self.stdout.write(
                    f"{snapshot.get_flag_display()}: {snapshot.requested_url} "
                    f"(source {snapshot.source_id}): {snapshot.changes.splitlines()[0]}"
                )
        flagged = sum(bool(snapshot.flag) for snapshot in checked)
        self.stdout.write(self.style.SUCCESS(f"{len(checked)} sources checked, {flagged} flagged."))
