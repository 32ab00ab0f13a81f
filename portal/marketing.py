"""Who may receive marketing: the audience each register's marketing policy declares for a
channel, never a restricted record, never a suppressed address."""

from portal import suppression
from portal.registers import REGISTERS
from portal.registers.marketing import BY_EMAIL, BY_POST


def marketing_recipients(channel: str) -> list:
    """The records of every register serving `channel` that may receive marketing now."""
    recipients = []
    for register in REGISTERS:
        policy = register.marketing
        if policy is None or channel not in policy.channels:
            continue
        records = register.model_class.objects.filter(
            restricted_at__isnull=True, **dict(policy.audience)
        )
        recipients += suppression.unsuppressed(policy.suppression_key, records)
    return recipients


def postal_marketing_recipients() -> list:
    return marketing_recipients(BY_POST)


def newsletter_recipients() -> list:
    return marketing_recipients(BY_EMAIL)
