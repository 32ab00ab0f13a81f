from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.fields import NormalizedEmailField
from portal.models.subjects import RegisterRecord


class NewsletterSubscription(RegisterRecord):
    """An address on the "Tector tiedottaa" mailing list (seed 5.3), joined by double opt-in."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for confirmation")
        CONFIRMED = "confirmed", _("confirmed")
        UNSUBSCRIBED = "unsubscribed", _("unsubscribed")

    email = NormalizedEmailField(_("email"), db_index=True)
    status = models.CharField(
        _("subscription status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    subscribed_at = models.DateTimeField(_("subscribed"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("subscription confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)

    class Meta:
        verbose_name = _("newsletter subscription")
        verbose_name_plural = _("newsletter subscriptions")
        ordering = ["pk"]

    def __str__(self):
        return self.email
