"""Delete portal users created by a code request whose code was never entered.

Anyone may ask for a sign-in code, and a portal user is created for every address that does
(that is what keeps known and unknown addresses indistinguishable). Addresses never
confirmed are personal data with no purpose: run this daily from cron.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from portal.audit import audit_record


class Command(BaseCommand):
    help = "Delete customer users whose sign-in code was never confirmed (older than --hours)."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=24)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, hours, dry_run, **options):
        cutoff = timezone.now() - timedelta(hours=hours)
        stale = User.objects.filter(
            is_staff=False,
            is_superuser=False,
            last_login__isnull=True,
            date_joined__lt=cutoff,
            webshop_links__isnull=True,
        ).exclude(emailaddress__verified=True)
        count = stale.count()
        if not dry_run and count:
            with transaction.atomic():
                stale.delete()
                audit_record(
                    action="auth.unconfirmed_users.purged",
                    details={"count": count, "older_than_hours": hours},
                )
        verb = "would delete" if dry_run else "deleted"
        self.stdout.write(f"{verb} {count} unconfirmed user(s) older than {hours} h.")
