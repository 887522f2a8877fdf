from django.core.management.base import BaseCommand, CommandError

from claims.audit import verify_chain


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain from the first event to the last."

    def handle(self, *args, **options):
        report = verify_chain()
        if not report.ok:
            raise CommandError(
                f"Audit chain broken at event #{report.broken_seq} (id {report.broken_id}): "
                f"{report.problem}. {report.count} events before it verified."
            )
        self.stdout.write(
            self.style.SUCCESS(f"Audit chain intact: {report.count} events, head {report.head}")
        )
