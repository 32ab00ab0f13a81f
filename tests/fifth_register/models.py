from django.db import models

from portal.fields import NormalizedEmailField
from portal.models.subjects import RegisterRecord


class LoyaltyMember(RegisterRecord):
    """A member of a fictitious loyalty-card programme. It has an email address but none of
    the customer-detail fields (one `name`, no first and last name, no address): the shape
    that erasure once took for a customer record and left whole while saying it was erased."""

    email = NormalizedEmailField("email", db_index=True)
    name = models.CharField("name on the card", max_length=100)
    card_number = models.CharField("card number", max_length=16, unique=True)
    points = models.PositiveIntegerField("points balance", default=0)

    class Meta:
        verbose_name = "loyalty-card member"
        verbose_name_plural = "loyalty-card members"
        ordering = ["pk"]

    def __str__(self):
        return self.card_number
