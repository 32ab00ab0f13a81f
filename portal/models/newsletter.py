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

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        if self.status == self.Status.UNSUBSCRIBED and self.unsubscribed_at is not None:
            # However it was withdrawn (the unsubscribe link, the portal's objection form, staff
            # in the admin), the consent that was in force ended then: the proof says so too.
            self.consents.filter(withdrawn_at__isnull=True).update(
                withdrawn_at=self.unsubscribed_at
            )


class NewsletterConsent(models.Model):
    """One consent to the newsletter, given by confirming the emailed link (double opt-in):
    when, in which language and to which version of the consent text (Art. 7(1): the
    controller must be able to show the consent). The text itself is kept in the code under
    its version (portal/newsletter.py), so only codes are stored here.

    Kept with the subscription; a withdrawal stamps it, a new subscription adds another."""

    subscription = models.ForeignKey(
        NewsletterSubscription,
        verbose_name=_("newsletter subscription"),
        on_delete=models.CASCADE,
        related_name="consents",
    )
    given_at = models.DateTimeField(_("consent given"))
    language = models.CharField(_("language"), max_length=10)
    text_version = models.CharField(_("version of the consent text"), max_length=20)
    # The confirmation link's own id: a link confirms once, and a second use is told so.
    confirmation_id = models.CharField(max_length=32, unique=True, editable=False)
    withdrawn_at = models.DateTimeField(_("consent withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("newsletter consent")
        verbose_name_plural = _("newsletter consents")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.subscription_id}:{self.text_version}:{self.given_at:%Y-%m-%d}"
