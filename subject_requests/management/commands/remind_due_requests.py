"""Email the contact persons the open requests that fall due within the next days.

Run it every morning from cron, so that no request passes its legal deadline (Art. 12(3))
unnoticed: `python manage.py remind_due_requests` (`--days 5` by default, `--dry-run`;
`--enqueue` hands the work to a task worker instead of doing it here).
"""

from django.core.management.base import BaseCommand

from subject_requests.reminders import reminders_due, reminders_send
from subject_requests.tasks import remind_due_requests


class Command(BaseCommand):
    help = "Email contact persons the open requests due within --days days (for cron)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=5)
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--enqueue", action="store_true", help="let a task worker do it")

    def handle(self, *args, days, dry_run, enqueue, **options):
        if enqueue and not dry_run:
            result = remind_due_requests.enqueue(days=days)
            self.stdout.write(f"Enqueued the reminders as task {result.id}.")
            return
        reminder = reminders_due(days=days) if dry_run else reminders_send(days=days)
        due, staff = len(reminder.requests), len(reminder.recipients)
        if not due or dry_run:
            self.stdout.write(
                f"{due} request(s) due within {days} days; "
                f"{'nothing sent (dry run)' if dry_run else 'nothing to send'}."
            )
            return
        self.stdout.write(f"Reminded {staff} contact person(s) of {due} request(s).")
