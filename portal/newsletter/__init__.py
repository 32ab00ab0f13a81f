"""The newsletter's double opt-in and its unsubscribe links (seed 5.3; issue #11, item 6).

Subscribing stores nothing: the emailed link carries the address, the language and the
version of the consent text, signed and valid for 7 days. Only confirming it (a POST from
the page the link opens, so a mail scanner that opens links confirms nothing) creates or
activates the subscription and writes the consent record. Unsubscribing applies the
register declaration's own unsubscribe objection, so it does exactly what an objection
made in the portal does.
"""

from portal.newsletter.links import (
    CONFIRM_MAX_AGE,
    CONFIRM_SALT,
    CONSENT_TEXTS,
    CONSENT_VERSION,
    EXPIRED,
    FORGED,
    GONE,
    UNSUBSCRIBE_SALT,
    USED,
    Confirmation,
    confirmation_read,
    confirmation_token,
    one_click_url,
    unsubscribe_read,
    unsubscribe_token,
    unsubscribe_url,
)
from portal.newsletter.recipients import EXPORT_HEADER, recipient_rows
from portal.newsletter.subscribe import (
    subscribed,
    subscription_confirm,
    subscription_request,
)
from portal.newsletter.unsubscribe import (
    ONE_CLICK,
    PAGE,
    is_unsubscribed,
    subscription_unsubscribe,
)

__all__ = [
    "CONFIRM_MAX_AGE",
    "CONFIRM_SALT",
    "CONSENT_TEXTS",
    "CONSENT_VERSION",
    "EXPIRED",
    "EXPORT_HEADER",
    "FORGED",
    "GONE",
    "ONE_CLICK",
    "PAGE",
    "UNSUBSCRIBE_SALT",
    "USED",
    "Confirmation",
    "confirmation_read",
    "confirmation_token",
    "is_unsubscribed",
    "one_click_url",
    "recipient_rows",
    "subscription_confirm",
    "subscription_request",
    "subscription_unsubscribe",
    "subscribed",
    "unsubscribe_read",
    "unsubscribe_token",
    "unsubscribe_url",
]
