from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.fields import BusinessIdField, NormalizedEmailField, PhoneNumberField, PostalCodeField


class CustomerDetails(models.Model):
    """Contact and credit details shared by the billing and web-shop registers (seed 5.1, 5.4)."""

    class CustomerType(models.TextChoices):
        PERSON = "person", _("private person")
        COMPANY = "company", _("company")

    customer_type = models.CharField(
        _("customer type"), max_length=10, choices=CustomerType.choices, default=CustomerType.PERSON
    )
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    company_name = models.CharField(_("company's official name"), max_length=200, blank=True)
    business_id = BusinessIdField(_("business ID (Y-tunnus)"), blank=True)
    contact_person = models.CharField(_("contact person"), max_length=200, blank=True)
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    postal_code = PostalCodeField(_("postal code"), blank=True)
    post_office = models.CharField(_("post office"), max_length=100, blank=True)
    delivery_address = models.CharField(_("delivery address"), max_length=200, blank=True)
    delivery_postal_code = PostalCodeField(_("delivery postal code"), blank=True)
    delivery_post_office = models.CharField(_("delivery post office"), max_length=100, blank=True)
    delivery_instructions = models.CharField(_("delivery instructions"), max_length=300, blank=True)
    phone = PhoneNumberField(_("phone"), blank=True)
    fax = PhoneNumberField(_("fax"), blank=True)
    email = NormalizedEmailField(_("email"), blank=True, db_index=True)
    payment_terms = models.CharField(_("payment terms"), max_length=100, blank=True)
    credit_limit = models.DecimalField(
        _("credit limit (EUR)"), max_digits=12, decimal_places=2, null=True, blank=True
    )

    class Meta:
        abstract = True

    @property
    def name(self):
        person = " ".join(p for p in (self.first_name, self.last_name) if p)
        return self.company_name or person or self.contact_person
