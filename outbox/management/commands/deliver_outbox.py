"""Deliver the outbox mail that is due, for cron or by hand:

    */10 * * * *  cd /srv/portal && .venv/bin/python manage.py deliver_outbox

The workers deliver each message and its retries on their own; this is the safety net (mail a
killed process left half-sent, mail whose task was lost) and the way to send everything
waiting at once when the mail server is back after an outage (--now). --enqueue leaves the
sweep to a worker instead.
"""

from django.core.management.base import BaseCommand

from outbox.delivery import Outcome
from outbox.models import OutboxMessage
from outbox.tasks import deliver_due, outbox_sweep


class Command(BaseCommand):
    help = "Deliver the outbox mail that is due (--now: all waiting mail, not waiting for retries)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", action="store_true", help="send every waiting message, due or not"
        )
        parser.add_argument(
            "--enqueue", action="store_true", help="hand the sweep to a task worker"
        )

    def handle(self, *args, now, enqueue, **options):
        if enqueue:
            result = deliver_due.enqueue(force=now)
            self.stdout.write(f"Enqueued the outbox sweep as task {result.id}.")
            return
        sweep = outbox_sweep(force=now)
        waiting = OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).count()
        failed = OutboxMessage.objects.filter(status=OutboxMessage.Status.FAILED).count()
        self.stdout.write(
            f"Outbox: {sweep.count(Outcome.SENT)} sent, {sweep.count(Outcome.RETRY)} to retry, "
            f"{sweep.count(Outcome.FAILED)} given up now; {sweep.released} interrupted sending(s) "
            f"freed, {sweep.purged} old row(s) purged; {waiting} waiting, {failed} undeliverable."
        )
