from django.utils.translation import gettext_lazy as _

from portal.models.contact import CustomerDetails
from portal.models.subjects import RegisterRecord


class BillingCustomer(RegisterRecord, CustomerDetails):
    """A customer in the billing and order register (Laskutus- ja tilausrekisteri, seed 5.1)."""

    class Meta:
        verbose_name = _("billing register customer")
        verbose_name_plural = _("billing register customers")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.customer_number} {self.name}".strip()
