from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in: a customer (no staff flag) or a member of staff.

    Customers are linked to their data subjects through their verified email addresses,
    never by a stored foreign key, so a record only shows up for someone who has proved
    they own the address on it.
    """

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


class WebshopLink(models.Model):
    """A portal user who proved, with the web-shop password, that a web-shop account is theirs."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="webshop_links")
    account = models.ForeignKey(
        "portal.WebshopAccount", on_delete=models.CASCADE, related_name="portal_links"
    )
    linked_at = models.DateTimeField(_("linked"), auto_now_add=True)

    class Meta:
        verbose_name = _("web-shop sign-in link")
        verbose_name_plural = _("web-shop sign-in links")
        constraints = [
            models.UniqueConstraint(fields=["user", "account"], name="unique_webshop_link")
        ]

    def __str__(self):
        return f"{self.user} → {self.account}"


class IdentityConflict(models.Model):
    """A verified address found on the records of more than one data subject.

    Nothing is guessed: the customer does not see those subjects' data until staff decide
    whose records they are (and correct or split them).
    """

    email = models.EmailField(_("email"))
    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="identity_conflicts"
    )
    subjects = models.ManyToManyField(
        "portal.DataSubject", verbose_name=_("data subjects"), related_name="identity_conflicts"
    )
    found_at = models.DateTimeField(_("found"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)

    class Meta:
        verbose_name = _("identity conflict")
        verbose_name_plural = _("identity conflicts")
        ordering = ["-found_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "email"],
                condition=models.Q(resolved_at__isnull=True),
                name="one_open_conflict_per_user_and_email",
            )
        ]

    def __str__(self):
        return self.email
