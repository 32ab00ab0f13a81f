"""The mailing tool's list of recipients (manage.py export_newsletter_recipients)."""

from django.conf import settings
from django.db.models import prefetch_related_objects

from portal import marketing
from portal.models import NewsletterSubscription
from portal.newsletter.links import one_click_url, unsubscribe_url

EXPORT_HEADER = (
    "email",
    "language",
    "unsubscribe_url",
    "list_unsubscribe",
    "list_unsubscribe_post",
)


def recipient_rows() -> list[tuple[str, ...]]:
    """The mailing tool's list: confirmed subscribers the register's marketing policy allows
    (never a restricted record, never a suppressed address), each with the links to put in
    every newsletter: the page, and the List-Unsubscribe and List-Unsubscribe-Post headers
    (RFC 2369, RFC 8058) for one-click unsubscribing, in the subscriber's language."""
    subscriptions = [
        record
        for record in marketing.newsletter_recipients()
        if isinstance(record, NewsletterSubscription)
    ]
    prefetch_related_objects(subscriptions, "consents")
    rows, seen = [], set()
    for subscription in sorted(subscriptions, key=lambda s: s.pk):
        if subscription.email in seen:  # one address on two rows gets one newsletter
            continue
        seen.add(subscription.email)
        consents = sorted(subscription.consents.all(), key=lambda c: (c.given_at, c.pk))
        language = consents[-1].language if consents else settings.LANGUAGE_CODE
        rows.append(
            (
                subscription.email,
                language,
                unsubscribe_url(subscription, language),
                f"<{one_click_url(subscription, language)}>",
                "List-Unsubscribe=One-Click",
            )
        )
    return rows
