from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.fields import PostalCodeField
from portal.models.subjects import RegisterRecord


class PostalRecipient(RegisterRecord):
    """An entry in the postal register for direct marketing (Postitusrekisteri, seed 5.2)."""

    company_name = models.CharField(_("company name"), max_length=200, blank=True)
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    street_address = models.CharField(_("street address"), max_length=200)
    postal_code = PostalCodeField(_("postal code"))
    post_office = models.CharField(_("post office"), max_length=100)
    # Seed 7.2: name and address may be disclosed to partners unless the customer forbids it.
    disclosure_allowed = models.BooleanField(
        _("name and address may be disclosed to partners for direct marketing"), default=True
    )
    postal_marketing_allowed = models.BooleanField(_("postal marketing allowed"), default=True)

    class Meta:
        verbose_name = _("postal register entry")
        verbose_name_plural = _("postal register entries")
        ordering = ["pk"]

    def __str__(self):
        person = " ".join(p for p in (self.first_name, self.last_name) if p)
        return self.company_name or person
