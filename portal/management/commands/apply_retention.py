"""Delete or anonymise what the register declarations say has expired. Run it daily:

    15 3 * * *  cd /srv/portal && .venv/bin/python manage.py apply_retention

--dry-run lists what would be done and writes nothing; --today runs it as of another day, to
see what a later day will bring (a later day without --dry-run only in development: it would
delete data before its date). --enqueue hands today's run to a task worker instead.
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from portal.retention_service import retention_apply, retention_due
from portal.tasks import apply_retention


def _day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--today must be a date as YYYY-MM-DD, not {value!r}.") from None


class Command(BaseCommand):
    help = "Delete or anonymise the register data whose declared retention has ended."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="list only; write nothing")
        parser.add_argument("--today", help="the day to run as, YYYY-MM-DD (default: today)")
        parser.add_argument("--enqueue", action="store_true", help="let a task worker do it")

    def handle(self, *args, dry_run, today, enqueue, verbosity, **options):
        if enqueue:
            if dry_run or today:
                raise CommandError("--enqueue runs today's retention; it takes no other option.")
            result = apply_retention.enqueue()
            self.stdout.write(f"Enqueued the retention run as task {result.id}.")
            return
        day = _day(today) if today else None
        # A later day would delete data before its date; only development may try that out.
        if day and day > timezone.localdate() and not dry_run and not settings.DEBUG:
            raise CommandError("A --today later than today deletes data early; add --dry-run.")
        summary = retention_due(today=day) if dry_run else retention_apply(today=day)
        if dry_run or verbosity >= 2:
            for item in summary.due:
                self.stdout.write(str(item))
        verb = "would be" if dry_run else "were"
        self.stdout.write(f"Retention as of {summary.today.isoformat()}:")
        for key, counts in summary.counts().items():
            self.stdout.write(
                f"  {key}: {counts['delete']} deleted, {counts['anonymise']} anonymised, "
                f"{counts['held']} held (processing restricted)"
                if not dry_run
                else f"  {key}: {counts['delete']} to delete, {counts['anonymise']} to "
                f"anonymise, {counts['held']} held (processing restricted)"
            )
        self.stdout.write(f"  auth events: the details of {summary.auth_events} {verb} shredded")
        for name, count in summary.other.items():
            self.stdout.write(f"  {name}: {count} deleted")
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")
