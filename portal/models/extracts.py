import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models.subjects import DataSubject

# No 0/O, 1/I/L: references are read aloud on the phone.
_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_reference() -> str:
    """RO-XXXX-XXXX-XXXX-XXXX: about 79 random bits, not guessable, easy to read out."""
    chars = "".join(secrets.choice(_ALPHABET) for _ in range(16))
    return "RO-" + "-".join(chars[i : i + 4] for i in range(0, 16, 4))


class IssuedExtract(models.Model):
    """A register extract or JSON export handed to a customer, so staff can tell which
    copy was issued when (Art. 15(3), accountability)."""

    class Format(models.TextChoices):
        PDF = "pdf", _("PDF register extract")
        JSON = "json", _("JSON export")

    reference = models.CharField(
        _("reference number"), max_length=24, unique=True, default=new_reference, editable=False
    )
    # Set when the copy is made (it is printed in it), not when the row is written after it.
    issued_at = models.DateTimeField(_("issued"), default=timezone.now, editable=False)
    # The portal account that took the copy. A copy staff issued for a person who cannot
    # sign in (sent as a letter) has none, and names the staff member in `issued_by`.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issued_extracts",
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by staff"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    subjects = models.ManyToManyField(
        DataSubject, verbose_name=_("data subjects"), related_name="issued_extracts"
    )
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    language = models.CharField(_("language"), max_length=5)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("issued extract")
        verbose_name_plural = _("issued extracts")
        ordering = ["-issued_at"]

    def __str__(self):
        return self.reference
