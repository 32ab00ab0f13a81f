"""What staff see of the outbox: the mail that could not be delivered."""

from dataclasses import dataclass

from django.db.models import QuerySet

from outbox.models import OutboxMessage

Status = OutboxMessage.Status


@dataclass(frozen=True)
class Undelivered:
    failed: list  # given up: somebody has to reach the person another way
    retrying: list  # failed at least once, tried again at next_attempt_at
    waiting: int  # every row not yet sent, whether tried or not


def _undelivered(rows: QuerySet, limit: int) -> list:
    # Never the body: it may hold a sign-in code or a reset link.
    return list(rows.defer("body", "alternatives").order_by("-created_at", "-pk")[:limit])


def outbox_undelivered(*, limit: int = 100) -> Undelivered:
    pending = OutboxMessage.objects.filter(status__in=[Status.PENDING, Status.SENDING])
    return Undelivered(
        failed=_undelivered(OutboxMessage.objects.filter(status=Status.FAILED), limit),
        retrying=_undelivered(pending.filter(attempts__gt=0), limit),
        waiting=pending.count(),
    )
