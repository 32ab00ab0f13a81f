"""Unsubscribing (by the page's button or RFC 8058's one click): the register declaration's own
unsubscribe objection on the one subscription the link names."""

from django.db import transaction
from django.utils import timezone

from portal import suppression
from portal.audit.changes import record_update
from portal.models import NewsletterSubscription
from portal.newsletter.links import newsletter_register, unsubscribe_read
from portal.registers.marketing import UNSUBSCRIBE

PAGE, ONE_CLICK = "page", "one_click"  # how an unsubscription was made


def is_unsubscribed(subscription) -> bool:
    return not any(o.changes(subscription) for o in _unsubscribe_objections())


def _unsubscribe_objections():
    policy = newsletter_register().marketing
    return [o for o in policy.objections if o.choice == UNSUBSCRIBE]


def subscription_unsubscribe(*, token: str, method: str) -> NewsletterSubscription:
    """Withdraw the consent: the declaration's unsubscribe objection on this one subscription,
    its key suppressed, the open consent stamped, audited. Idempotent: a second time changes
    nothing and writes nothing."""
    now = timezone.now()
    policy = newsletter_register().marketing
    with transaction.atomic():
        subscription = unsubscribe_read(token, lock=True)
        values = {}
        for objection in _unsubscribe_objections():
            changes = objection.changes(subscription)
            values.update({name: change["new"] for name, change in changes.items()})
            if changes and objection.stamp:
                values[objection.stamp] = now
            if objection.suppress:
                suppression.record_suppress(policy.suppression_key, subscription)
        # Saving stamps the consent in force as withdrawn (NewsletterSubscription.save).
        record_update(
            record=subscription,
            changes=values,
            actor=None,
            subject=subscription.subject,
            action="newsletter.unsubscribed",
            # "via": "objection" keeps the event through an erasure: it proves the withdrawal.
            details={"via": "objection", "choice": UNSUBSCRIBE, "method": method},
        )
    return subscription
