from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models.subjects import DataSubject


class Disclosure(models.Model):
    """One disclosure of personal data to a recipient (Art. 4(9), 15(1)(c), 19, 30(1)(d)):
    who received which fields of which register, when, why, and whose.

    The recipient is a key of the register's declaration (portal/registers/recipients.py);
    its name, kind and legal basis are read from there, never copied here. Deliveries are not
    written here: each delivery row is itself the record of its disclosure to the carrier
    (portal/extract/disclosures.py reads both)."""

    recipient = models.CharField(_("recipient"), max_length=40)
    register = models.CharField(_("register"), max_length=20)
    # Staff's own words, or a code (Purpose) for disclosures the portal records itself.
    purpose = models.CharField(_("purpose"), max_length=300, blank=True)
    purpose_code = models.CharField(_("purpose code"), max_length=40, blank=True)
    disclosed_on = models.DateField(_("disclosed on"))
    fields = models.JSONField(_("fields disclosed"), default=list)
    people = models.ManyToManyField(
        DataSubject,
        through="DisclosedPerson",
        verbose_name=_("people whose data was disclosed"),
        related_name="disclosures",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    # A list export screened against a list of addresses refusing direct mail: how many
    # entries it left out (the list itself is not kept).
    screened_out = models.PositiveIntegerField(_("left out by screening"), default=0)
    # A disclosure read from an event (a delivery) and kept here when the event was deleted
    # (erasure, retention): "portal.Delivery:17". The disclosure happened; it stays true.
    event = models.CharField(_("from the event"), max_length=60, blank=True, db_index=True)

    class Meta:
        verbose_name = _("disclosure")
        verbose_name_plural = _("disclosures")
        ordering = ["-disclosed_on", "-pk"]
        indexes = [models.Index(fields=["register", "recipient"], name="disclosure_reg_rec_idx")]

    def __str__(self):
        return f"{self.register}:{self.recipient} {self.disclosed_on}"


class DisclosedPerson(models.Model):
    """A person in a disclosure, and which of their records it took the data from. The record
    is kept by id only: an erased record is gone, but the disclosure of it stays true."""

    disclosure = models.ForeignKey(Disclosure, on_delete=models.CASCADE, related_name="included")
    subject = models.ForeignKey(DataSubject, on_delete=models.PROTECT, related_name="disclosed_in")
    record_id = models.PositiveBigIntegerField(_("record"), null=True, blank=True)

    class Meta:
        verbose_name = _("person in a disclosure")
        verbose_name_plural = _("people in disclosures")
        constraints = [
            models.UniqueConstraint(
                fields=["disclosure", "subject", "record_id"], name="disclosed_person_once"
            )
        ]

    def __str__(self):
        return f"{self.disclosure_id}:{self.subject_id}"
