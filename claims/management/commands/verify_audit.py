from django.core.management.base import BaseCommand, CommandError

from claims.audit import publications_off_chain, verify_chain


class Command(BaseCommand):
    help = (
        "Verify the audit trail's hash chain from the first event to the last, and that "
        "every publication's recorded head is on it."
    )

    def handle(self, *args, **options):
        report = verify_chain()
        if not report.ok:
            raise CommandError(
                f"Audit chain broken at event #{report.broken_seq} (id {report.broken_id}): "
                f"{report.problem}. {report.count} events before it verified."
            )
        if problems := publications_off_chain():
            raise CommandError(
                f"Audit chain intact ({report.count} events), but publications don't fit it: "
                + "; ".join(problems)
            )
        self.stdout.write(
            self.style.SUCCESS(f"Audit chain intact: {report.count} events, head {report.head}")
        )
