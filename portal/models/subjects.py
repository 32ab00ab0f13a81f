import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DataSubject(models.Model):
    """A person the registers hold data about (rekisteröity).

    The subject itself holds almost nothing: its records in the registers carry the
    data. A customer number on those records ties one customer's records together.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    display_name = models.CharField(_("name"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("data subject")
        verbose_name_plural = _("data subjects")
        ordering = ["display_name", "pk"]

    def __str__(self):
        return self.display_name or str(self.public_id)


class RegisterRecord(models.Model):
    """What every register's record has: its subject, customer number and timestamps."""

    subject = models.ForeignKey(
        DataSubject,
        verbose_name=_("data subject"),
        on_delete=models.PROTECT,
        related_name="%(class)s_records",
    )
    customer_number = models.CharField(
        _("customer number"), max_length=20, blank=True, db_index=True
    )
    created_at = models.DateTimeField(_("added to the register"), default=timezone.now)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)
    # Art. 18: a restricted record is kept but not used, and never for marketing.
    restricted_at = models.DateTimeField(_("processing restricted since"), null=True, blank=True)

    class Meta:
        abstract = True
