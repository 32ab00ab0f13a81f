"""Check that the audit trail is intact: every event unchanged, in order, none missing.

Run it from cron and alert on a non-zero exit; it reads the chain in batches, so it is
safe on a large trail.
"""

from django.core.management.base import BaseCommand, CommandError

from portal.audit import audit_verify


class Command(BaseCommand):
    help = "Verify the hash chain of the audit trail; report OK or the first broken link."

    def handle(self, *args, **options):
        checked, problem = audit_verify()
        if problem is not None:
            raise CommandError(
                f"Audit trail BROKEN at {problem} ({checked} events before it verified)."
            )
        self.stdout.write(self.style.SUCCESS(f"Audit trail OK: {checked} events verified."))
