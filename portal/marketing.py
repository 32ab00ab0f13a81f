"""Who may receive marketing: never a restricted record, never a suppressed address."""

from portal.models import NewsletterSubscription, PostalRecipient
from subject_requests import suppression


def postal_marketing_recipients():
    records = PostalRecipient.objects.filter(
        postal_marketing_allowed=True, restricted_at__isnull=True
    )
    return [r for r in records if not suppression.is_suppressed(postal=suppression.postal_key(r))]


def newsletter_recipients():
    records = NewsletterSubscription.objects.filter(status="confirmed", restricted_at__isnull=True)
    return [r for r in records if not suppression.is_suppressed(email=r.email)]
