from django.db import models
from django.utils.translation import gettext_lazy as _


class Suppression(models.Model):
    """A keyed hash that keeps an erased or objecting person out of marketing for good,
    even when a later import brings their address back (Art. 21(3)).

    Part of the core (portal/suppression.py keeps and matches them), but still filed under
    the subject_requests app, where it was first made: its table and migrations stay there,
    so moving the class here changed no schema."""

    class Kind(models.TextChoices):
        EMAIL = "email", _("email address")
        POSTAL = "postal", _("postal address")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    digest = models.CharField(_("keyed hash"), max_length=64)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        app_label = "subject_requests"
        verbose_name = _("marketing suppression")
        verbose_name_plural = _("marketing suppressions")
        constraints = [
            models.UniqueConstraint(fields=["kind", "digest"], name="unique_suppression")
        ]

    def __str__(self):
        return f"{self.kind}:{self.digest[:12]}"
