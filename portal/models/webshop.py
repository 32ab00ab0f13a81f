from django.contrib.auth.hashers import check_password, make_password
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models.contact import CustomerDetails
from portal.models.subjects import RegisterRecord


class WebshopAccount(RegisterRecord, CustomerDetails):
    """A customer account of the web shop kauppa.tector.fi (seed 5.4).

    The password is kept only as a Django password hash; it is never shown or exported.
    """

    username = models.CharField(_("web-shop username"), max_length=150, unique=True)
    password = models.CharField(_("web-shop password"), max_length=128, blank=True, editable=False)
    password_changed_at = models.DateTimeField(_("password last changed"), null=True, blank=True)

    class Meta:
        verbose_name = _("web-shop account")
        verbose_name_plural = _("web-shop accounts")
        ordering = ["pk"]

    def __str__(self):
        return self.username

    def set_password(self, raw_password: str) -> None:
        self.password = make_password(raw_password)
        self.password_changed_at = timezone.now()

    def check_password(self, raw_password: str) -> bool:
        return bool(self.password) and check_password(raw_password, self.password)

    @property
    def has_password(self) -> bool:
        return bool(self.password)


class Order(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", _("received")
        DELIVERED = "delivered", _("delivered")
        CANCELLED = "cancelled", _("cancelled")

    account = models.ForeignKey(
        WebshopAccount,
        verbose_name=_("web-shop account"),
        on_delete=models.CASCADE,
        related_name="orders",
    )
    number = models.CharField(_("order number"), max_length=20, unique=True)
    placed_at = models.DateTimeField(_("ordered"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    items = models.TextField(_("ordered products"))
    total = models.DecimalField(_("total (EUR)"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-placed_at", "pk"]

    def __str__(self):
        return self.number


class Delivery(models.Model):
    order = models.ForeignKey(
        Order, verbose_name=_("order"), on_delete=models.CASCADE, related_name="deliveries"
    )
    method = models.CharField(_("delivery method"), max_length=100)
    address = models.CharField(_("delivery address"), max_length=300)
    shipped_at = models.DateTimeField(_("shipped"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    tracking_code = models.CharField(_("tracking code"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-shipped_at", "pk"]

    def __str__(self):
        return f"{self.order.number} {self.method}"


class Invoice(models.Model):
    order = models.ForeignKey(
        Order, verbose_name=_("order"), on_delete=models.PROTECT, related_name="invoices"
    )
    number = models.CharField(_("invoice number"), max_length=20, unique=True)
    issued_on = models.DateField(_("invoice date"))
    due_on = models.DateField(_("due date"))
    amount = models.DecimalField(_("amount (EUR)"), max_digits=12, decimal_places=2)
    paid_on = models.DateField(_("paid"), null=True, blank=True)

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-issued_on", "pk"]

    def __str__(self):
        return self.number


class Return(models.Model):
    order = models.ForeignKey(
        Order, verbose_name=_("order"), on_delete=models.CASCADE, related_name="returns"
    )
    returned_on = models.DateField(_("returned"))
    items = models.TextField(_("returned products"))
    reason = models.CharField(_("reason for return"), max_length=300)
    refund = models.DecimalField(_("refund (EUR)"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("return")
        verbose_name_plural = _("returns")
        ordering = ["-returned_on", "pk"]

    def __str__(self):
        return f"{self.order.number} {self.returned_on}"
