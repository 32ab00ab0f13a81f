"""Delivering outbox rows: claim one, hand it to the delivery backend, record what happened.

A row is claimed by one conditional UPDATE (pending and due -> sending), which exactly one of
any number of workers, web processes and sweeps wins, on SQLite and PostgreSQL alike; it is
marked sent only after the delivery backend (the SMTP server) accepted it. Failures are
retried after OUTBOX_RETRY_DELAYS, then the row is marked failed for staff to see.

At-least-once, not exactly-once: a process that dies after the server accepted a message and
before the row says so leaves it "sending"; the sweep sends it again after
OUTBOX_CLAIM_TIMEOUT (with the same Message-ID). Everything else is delivered once.
"""

import datetime
import logging
import smtplib
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.core.mail import get_connection
from django.db.models import F, Q
from django.utils import timezone

from outbox.messages import message_build
from outbox.models import OutboxMessage

logger = logging.getLogger(__name__)
Status = OutboxMessage.Status


class NotAccepted(Exception):
    """The delivery backend returned without sending the message (and without an error)."""


class Outcome(StrEnum):
    SENT = "sent"
    RETRY = "retry"  # failed this time; pending again at next_attempt_at
    FAILED = "failed"  # given up: staff see it
    SKIPPED = "skipped"  # not due, already sent, or another sender has it


@dataclass(frozen=True)
class Attempt:
    outcome: Outcome
    retry_at: datetime.datetime | None = None


def outbox_claim(message_id: int, *, now: datetime.datetime, force: bool = False) -> bool:
    """Take the row for this sender; False when it is not pending (or not yet due)."""
    due = Q() if force else Q(next_attempt_at__lte=now)
    return bool(
        OutboxMessage.objects.filter(due, pk=message_id, status=Status.PENDING).update(
            status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    )


def outbox_deliver(message_id: int, *, force: bool = False, timeout: float | None = None):
    """Try to deliver one row (force: even before its retry is due)."""
    if not outbox_claim(message_id, now=timezone.now(), force=force):
        return Attempt(Outcome.SKIPPED)
    row = OutboxMessage.objects.get(pk=message_id)
    options = {"timeout": timeout} if timeout else {}
    try:
        with get_connection(settings.OUTBOX_DELIVERY_BACKEND, **options) as connection:
            if not connection.send_messages([message_build(row)]):
                raise NotAccepted("The delivery backend sent nothing.")
    except Exception as error:  # whatever the backend raised, the row keeps the message
        return _failed(row, error)
    # Sent: the code or link in it is of no use to anyone who reads the table later.
    OutboxMessage.objects.filter(pk=row.pk, status=Status.SENDING).update(
        status=Status.SENT, sent_at=timezone.now(), last_error="", body="", alternatives=[]
    )
    return Attempt(Outcome.SENT)


def _permanent(error: Exception) -> bool:
    """The server refused the message itself (5xx): sending it again would change nothing."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return bool(error.recipients) and all(
            code >= 500 for code, _reply in error.recipients.values()
        )
    return isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500


def _failed(row: OutboxMessage, error: Exception) -> Attempt:
    now = timezone.now()
    delays = settings.OUTBOX_RETRY_DELAYS
    text = f"{type(error).__name__}: {error}"[:1000]
    gives_up = _permanent(error) or row.attempts > len(delays)
    retry_at = None if gives_up else now + datetime.timedelta(seconds=delays[row.attempts - 1])
    OutboxMessage.objects.filter(pk=row.pk, status=Status.SENDING).update(
        status=Status.FAILED if gives_up else Status.PENDING,
        next_attempt_at=retry_at or row.next_attempt_at,
        last_error=text,
    )
    # Never the body: it may hold a sign-in code.
    logger.warning(
        "Outbox message %s not delivered (attempt %s, %s): %s",
        row.pk,
        row.attempts,
        "given up" if gives_up else f"retry at {retry_at:%Y-%m-%d %H:%M:%S}",
        text,
    )
    return Attempt(Outcome.FAILED, None) if gives_up else Attempt(Outcome.RETRY, retry_at)


def outbox_failing(*, now: datetime.datetime) -> bool:
    """Did an attempt fail within the last minute? Then the mail server is likely down or
    hanging, and a web process should not wait for it too (the workers keep trying)."""
    recent = now - datetime.timedelta(seconds=60)
    return OutboxMessage.objects.filter(
        status=Status.PENDING, attempts__gt=0, claimed_at__gte=recent
    ).exists()


def outbox_release_stale(*, now: datetime.datetime) -> int:
    """Rows left "sending" by a process that died: pending again, due now."""
    cutoff = now - datetime.timedelta(seconds=settings.OUTBOX_CLAIM_TIMEOUT)
    return OutboxMessage.objects.filter(status=Status.SENDING, claimed_at__lt=cutoff).update(
        status=Status.PENDING,
        next_attempt_at=now,
        last_error="The sender stopped before the delivery was recorded.",
    )


def outbox_due(*, now: datetime.datetime, force: bool = False) -> list[int]:
    due = Q() if force else Q(next_attempt_at__lte=now)
    rows = OutboxMessage.objects.filter(due, status=Status.PENDING)
    return list(rows.order_by("next_attempt_at", "pk").values_list("pk", flat=True))


def outbox_purge(*, now: datetime.datetime) -> int:
    """Delivered and given-up rows go after OUTBOX_KEEP_DAYS."""
    cutoff = now - datetime.timedelta(days=settings.OUTBOX_KEEP_DAYS)
    done = OutboxMessage.objects.filter(
        Q(status=Status.SENT, sent_at__lt=cutoff) | Q(status=Status.FAILED, created_at__lt=cutoff)
    )
    return done.delete()[0]
