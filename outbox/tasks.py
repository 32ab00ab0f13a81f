"""The outbox's tasks (Django's task framework, the django-tasks backport).

Every row gets a delivery task enqueued in the same transaction that wrote it: with the
database task backend the task row commits with the message or not at all, so no message is
ever left without one. A failed attempt enqueues its retry for the time its back-off says
(run_after), so retries need no cron. The sweep (`manage.py deliver_outbox`, or the
deliver_due task) is the safety net: it sends what is due, what a killed process left
half-sent, or, with force, everything waiting at once once the mail server is back.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from outbox.delivery import (
    Outcome,
    outbox_deliver,
    outbox_due,
    outbox_failing,
    outbox_purge,
    outbox_release_stale,
)

# Above the default (0): a person may be waiting for it on the page.
MAIL_PRIORITY = 10


@task(priority=MAIL_PRIORITY)
def deliver_message(message_id: int) -> str:
    return outbox_deliver_and_retry(message_id)


def outbox_deliver_and_retry(message_id: int, *, force=False, timeout=None) -> str:
    """Deliver one row; after a failure, enqueue its retry for when it falls due."""
    attempt = outbox_deliver(message_id, force=force, timeout=timeout)
    # A backend that cannot defer (the immediate one, in tests) leaves retries to the sweep.
    if attempt.outcome == Outcome.RETRY and deliver_message.get_backend().supports_defer:
        deliver_message.using(run_after=attempt.retry_at).enqueue(message_id)
    return attempt.outcome.value


def outbox_dispatch(message_id: int, *, at_once: bool, timeout: float) -> None:
    """Hand a new row to the workers; an at-once row is also tried here right after commit,
    so a sign-in code does not wait for a worker (the claim sends it only once)."""
    deliver_message.enqueue(message_id)
    if at_once:
        # robust: the action has committed; whatever goes wrong here is logged, and the
        # worker's task sends the message.
        transaction.on_commit(lambda: _deliver_at_once(message_id, timeout), robust=True)


def _deliver_at_once(message_id: int, timeout: float) -> None:
    # With the mail server failing, only the first request waits for it (up to `timeout`);
    # the rest leave the message to the workers and answer at once.
    if not outbox_failing(now=timezone.now()):
        outbox_deliver_and_retry(message_id, timeout=timeout)


@dataclass
class Sweep:
    released: int = 0
    purged: int = 0
    outcomes: dict = field(default_factory=dict)

    def count(self, outcome: Outcome) -> int:
        return self.outcomes.get(outcome.value, 0)


def outbox_sweep(*, force: bool = False) -> Sweep:
    """Deliver every due row (force: every waiting row), free stale claims, purge old rows."""
    now = timezone.now()
    sweep = Sweep(released=outbox_release_stale(now=now))
    for message_id in outbox_due(now=now, force=force):
        outcome = outbox_deliver_and_retry(message_id, force=force)
        sweep.outcomes[outcome] = sweep.outcomes.get(outcome, 0) + 1
    sweep.purged = outbox_purge(now=now)
    return sweep


@task()
def deliver_due(force: bool = False) -> dict:
    sweep = outbox_sweep(force=force)
    return {"released": sweep.released, "purged": sweep.purged, **sweep.outcomes}
