import uuid
from collections import defaultdict

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


class IdentityConflictQuerySet(models.QuerySet):
    def standing(self):
        """Cases still open, and those staff decided: both settle who the subjects are."""
        return self.filter(models.Q(resolved_at__isnull=True) | ~models.Q(decision=""))

    def decided(self, decision: str):
        return self.filter(resolved_at__isnull=False, decision=decision)

    def subject_sets(self, touching) -> list[frozenset[int]]:
        """The subject ids of each of these cases that involves one of `touching`."""
        through = self.model.subjects.through
        cases = self.filter(subjects__in=list(touching)).values("pk")
        sets: dict[int, set[int]] = defaultdict(set)
        rows = through.objects.filter(identityconflict_id__in=cases).values_list(
            "identityconflict_id", "datasubject_id"
        )
        for case, subject in rows:
            sets[case].add(subject)
        return [frozenset(ids) for ids in sets.values()]


class IdentityConflict(models.Model):
    """Records that may or may not be one person's: staff decide, nothing is guessed.

    Two kinds: a verified address found on the records of more than one data subject, and
    a customer number on the records of people whose names (or business IDs) differ, found
    when a customer is linked or when a file is imported. Until staff decide, the customer
    sees none of the doubtful records. The decision is kept: "same person" lets the linking
    include the subjects from then on, "different people" keeps them apart for good.
    """

    class Kind(models.TextChoices):
        SHARED_EMAIL = "shared_email", _("address on more than one person's records")
        CUSTOMER_NUMBER = "customer_number", _("customer number on different people's records")

    class Decision(models.TextChoices):
        SAME_PERSON = "same_person", _("the same person: link the records")
        DIFFERENT_PEOPLE = "different_people", _("different people: keep them apart")

    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.SHARED_EMAIL
    )
    email = models.EmailField(_("email"), blank=True)
    customer_number = models.CharField(_("customer number"), max_length=20, blank=True)
    # The customer whose linking found it; none when an import found it. The case outlives
    # the account: it is about the records.
    user = models.ForeignKey(
        User,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        related_name="identity_conflicts",
        null=True,
        blank=True,
    )
    subjects = models.ManyToManyField(
        "portal.DataSubject", verbose_name=_("data subjects"), related_name="identity_conflicts"
    )
    # Where it was found, e.g. {"register": "postal", "file": "postal.csv", "row": 2}.
    source = models.JSONField(_("found in"), default=dict, blank=True)
    found_at = models.DateTimeField(_("found"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        User,
        verbose_name=_("resolved by"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)

    objects = IdentityConflictQuerySet.as_manager()

    class Meta:
        verbose_name = _("identity conflict")
        verbose_name_plural = _("identity conflicts")
        ordering = ["-found_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "email"],
                condition=models.Q(resolved_at__isnull=True, kind="shared_email"),
                name="one_open_conflict_per_user_and_email",
            )
        ]

    def __str__(self):
        return self.email or self.customer_number


class PostalClaim(models.Model):
    """A signed-in person's claim to data held under a postal address only (no email).

    The person gives a name and postal address; the portal answers the same whatever it
    finds. Staff compare it with the registers and, if it fits, print a letter with a
    one-time code to the address on file (never the one typed). The code is stored only as
    a keyed hash, expires, and has an attempt limit; entered by the same user, it links the
    subject to the account (accounts/identity.py).
    """

    class Status(models.TextChoices):
        RECEIVED = "received", _("received")
        LETTER_SENT = "letter_sent", _("letter with a code sent")
        LINKED = "linked", _("linked")
        LOCKED = "locked", _("locked: too many wrong codes")
        EXPIRED = "expired", _("code expired")
        CLOSED = "closed", _("closed without a letter")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="postal_claims"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.RECEIVED
    )
    # As the person typed them: compared, never written to.
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    street_address = models.CharField(_("street address"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=10)
    post_office = models.CharField(_("post office"), max_length=100)
    language = models.CharField(_("language"), max_length=5, default="fi")
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    # The subject staff found the claim to fit; the letter went to its address on file.
    subject = models.ForeignKey(
        "portal.DataSubject",
        verbose_name=_("data subject"),
        on_delete=models.SET_NULL,
        related_name="postal_claims",
        null=True,
        blank=True,
    )
    code_hash = models.CharField(_("code (keyed hash)"), max_length=64, blank=True, editable=False)
    code_expires_at = models.DateTimeField(_("code expires"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("wrong codes entered"), default=0)
    letter_sent_at = models.DateTimeField(_("letter printed"), null=True, blank=True)
    letter_by = models.ForeignKey(
        User,
        verbose_name=_("letter printed by"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    linked_at = models.DateTimeField(_("linked"), null=True, blank=True)

    class Meta:
        verbose_name = _("postal address claim")
        verbose_name_plural = _("postal address claims")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.first_name} {self.last_name}, {self.postal_code}"
