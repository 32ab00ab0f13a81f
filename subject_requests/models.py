import uuid

from django.conf import settings
from django.db import models
from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.models import DataSubject
from portal.registers import REGISTERS_BY_KEY, get_register
from portal.registers.erasure import BASES


class DataRequest(models.Model):
    """A data subject's request, from receipt to decision, with its legal due date."""

    class Type(models.TextChoices):
        ACCESS = "access", _("access")
        RECTIFICATION = "rectification", _("rectification")
        OBJECTION = "objection", _("direct-marketing objection")
        # Art. 21(1): to processing based on legitimate interest; staff weigh it.
        INTEREST_OBJECTION = "interest_objection", _("objection to legitimate-interest processing")
        ERASURE = "erasure", _("erasure")
        RESTRICTION = "restriction", _("restriction of processing")
        OTHER = "other", pgettext_lazy("request type", "other")

    class Status(models.TextChoices):
        RECEIVED = "received", _("received")
        IN_REVIEW = "in_review", _("in review")
        COMPLETED = "completed", _("completed")
        PARTLY_APPROVED = "partly_approved", _("partly approved")
        REJECTED = "rejected", _("rejected")
        CANCELLED = "cancelled", pgettext_lazy("request status", "cancelled")

    class Channel(TextChoices):
        PORTAL = "portal", _("the portal")
        LETTER = "letter", _("letter")
        EMAIL = "email", _("email")
        PHONE = "phone", _("phone")
        IN_PERSON = "in_person", _("in person")

    class IdentityCheck(TextChoices):
        SIGNED_IN = "signed_in", _("signed in to the portal")
        ID_DOCUMENT = "id_document", _("identity document seen")
        DETAILS_MATCHED = "details_matched", _("details matched the records")
        CALLED_BACK = "called_back", _("called back on the number on file")
        ADDRESS_ON_FILE = "address_on_file", _("sent from the address on file")
        NOT_CHECKED = "not_checked", _("not checked yet")

    OPEN = (Status.RECEIVED, Status.IN_REVIEW)
    # Art. 12(6): states of a request whose sender staff asked for more about their identity.
    INFO_REQUESTED = "info_requested"
    INFO_RECEIVED = "info_received"
    # Kinds of request that may cover every register (register blank).
    EVERY_REGISTER = (Type.RECTIFICATION, Type.ERASURE, Type.RESTRICTION)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED, db_index=True
    )
    # The portal account that made the request: customers see their requests only through
    # it. A request staff registered from a letter, email, phone call or visit has none; it
    # stays staff-side and is answered by email or letter (see `channel`).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="data_requests",
    )
    channel = models.CharField(
        _("received by"), max_length=10, choices=Channel.choices, default=Channel.PORTAL
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    identity_check = models.CharField(
        _("how identity was checked"), max_length=20, choices=IdentityCheck.choices, blank=True
    )
    identity_note = models.TextField(_("note on the identity check"), blank=True)
    # Where the answers go when the request has no portal account: an email address given
    # with the request, else a letter to the postal address (of the records, or this one).
    reply_email = models.EmailField(_("email for answers"), blank=True)
    contact_name = models.CharField(_("name given"), max_length=200, blank=True)
    contact_address = models.TextField(_("postal address given"), blank=True)
    # Art. 12(6): staff asked for more about the sender's identity; the answer, when it came.
    info_requested_at = models.DateTimeField(_("more information asked"), null=True, blank=True)
    info_request = models.TextField(_("what was asked"), blank=True)
    info_answered_at = models.DateTimeField(_("more information received"), null=True, blank=True)
    info_answer = models.TextField(_("the answer"), blank=True)
    subject = models.ForeignKey(
        DataSubject,
        verbose_name=_("data subject"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="data_requests",
    )
    register = models.CharField(_("register"), max_length=20, blank=True)
    description = models.TextField(_("description"), blank=True)
    language = models.CharField(_("language"), max_length=5, default="fi")
    identity_verified = models.BooleanField(_("identity verified"), default=False)
    received_at = models.DateTimeField(_("received"))
    due_on = models.DateField(pgettext_lazy("request", "due date"), db_index=True)
    extended_at = models.DateTimeField(_("extended"), null=True, blank=True)
    extension_reason = models.TextField(_("reason for extension"), blank=True)
    extension_language = models.CharField(
        _("language of the reason for extension"), max_length=5, blank=True
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_requests",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # What the portal said in the decision, as a code and its parameters (rendered in the
    # reader's language by subject_requests/decisions.py); `decision` holds only staff's own
    # words, in `decision_language` (blank when unknown).
    decision_code = models.CharField(_("decision code"), max_length=30, blank=True)
    decision_params = models.JSONField(_("decision parameters"), default=dict, blank=True)
    decision = models.TextField(_("decision and reasons"), blank=True)
    decision_language = models.CharField(_("language of the reasons"), max_length=5, blank=True)
    manifestly_unfounded = models.BooleanField(_("manifestly unfounded"), default=False)
    follow_up = models.TextField(_("follow-up for staff"), blank=True)
    # A form sent twice (a double click, a retry, twenty tabs) gives the request it made the
    # first time: its key is a random token put in the form when it was shown, and the
    # fingerprint a hash of what was asked. Both unique per user, the fingerprint only while
    # the request is open: the database settles a race between identical submissions.
    submission_key = models.CharField(
        _("submission key"), max_length=64, blank=True, editable=False
    )
    fingerprint = models.CharField(
        _("content fingerprint"), max_length=64, blank=True, editable=False
    )

    # Not stored: set on the instance a submit service returns when the submission repeated
    # an existing request instead of making a new one.
    repeated = False

    class Meta:
        verbose_name = _("data subject request")
        verbose_name_plural = _("data subject requests")
        ordering = ["due_on", "received_at"]
        indexes = [
            models.Index(fields=["status", "due_on"], name="request_queue_idx"),
            # The staff queue's default view, open requests soonest due first: partial, so
            # it stays small however long the history of answered requests grows.
            models.Index(
                fields=["due_on", "received_at", "id"],
                condition=models.Q(status__in=["received", "in_review"]),
                name="request_open_due_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "submission_key"],
                condition=~models.Q(submission_key=""),
                name="request_unique_submission_key",
            ),
            models.UniqueConstraint(
                fields=["user", "fingerprint"],
                condition=models.Q(status__in=["received", "in_review"])
                & ~models.Q(fingerprint=""),
                name="request_unique_open_fingerprint",
            ),
        ]

    def __str__(self):
        return f"{self.get_type_display()} {self.received_at:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def identity_state(self) -> str:
        """INFO_REQUESTED while staff wait for the answer, INFO_RECEIVED once it came, ""."""
        if self.info_requested_at is None:
            return ""
        if self.info_answered_at is None or self.info_answered_at < self.info_requested_at:
            return self.INFO_REQUESTED
        return self.INFO_RECEIVED

    @property
    def awaiting_identity(self) -> bool:
        return self.is_open and self.identity_state == self.INFO_REQUESTED

    @property
    def data_kept(self) -> bool:
        """An erasure that kept data the law requires (Art. 17(3)), as its outcomes record."""
        return self.type == self.Type.ERASURE and any(o.kept for o in self.outcomes.all())

    @property
    def refused(self) -> bool:
        """Not granted in full (rejected, manifestly unfounded, partly approved, or an erasure
        that kept data): the answer says why and names the remedies (Art. 12(4))."""
        return self.status in (self.Status.REJECTED, self.Status.PARTLY_APPROVED) or (
            self.status == self.Status.COMPLETED and self.data_kept
        )


class FieldChange(models.Model):
    """One field of a rectification: before, proposed after, and the staff decision."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("waiting for decision")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    request = models.ForeignKey(DataRequest, on_delete=models.CASCADE, related_name="changes")
    register = models.CharField(_("register"), max_length=20)
    record_id = models.PositiveBigIntegerField()
    field = models.CharField(_("field"), max_length=50)
    old_value = models.TextField(_("value when requested"), blank=True)
    new_value = models.TextField(_("proposed value"), blank=True)
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("field change")
        verbose_name_plural = _("field changes")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.register}.{self.field}"

    @property
    def label(self):
        return get_register(self.register).field_label(self.field)

    @property
    def register_name(self):
        return get_register(self.register).short_name


class RegisterOutcome(models.Model):
    """What an erasure or restriction did in one register: stored as codes and parameters,
    rendered in the reader's language (the labels and the basis come from the declaration)."""

    class Outcome(models.TextChoices):
        ERASED = "erased", _("erased")
        ANONYMISED = "anonymised", _("anonymised")
        RESTRICTED = "restricted", _("restricted")
        REFUSED = "refused", _("refused")

    request = models.ForeignKey(DataRequest, on_delete=models.CASCADE, related_name="outcomes")
    register = models.CharField(_("register"), max_length=20)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    # Field names of the register kept after an erasure, and the kinds of related events kept
    # with them (RelatedSpec keys), why (a portal.registers.erasure basis code) and until when.
    kept = models.JSONField(_("kept fields"), default=list, blank=True)
    kept_related = models.JSONField(_("kept events"), default=list, blank=True)
    basis = models.CharField(_("basis for keeping"), max_length=30, blank=True)
    kept_until = models.DateField(_("kept until"), null=True, blank=True)
    # Staff's reasons for a refusal, in their own words.
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("outcome in a register")
        verbose_name_plural = _("outcomes in registers")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["request", "register"], name="outcome_one_per_register")
        ]

    def __str__(self):
        return f"{self.register}: {self.outcome}"

    @property
    def register_name(self):
        register = REGISTERS_BY_KEY.get(self.register)
        return register.name if register else self.register

    @property
    def kept_labels(self) -> list:
        register = REGISTERS_BY_KEY.get(self.register)
        if register is None:
            return list(self.kept)
        titles = {spec.key: spec.title for spec in register.related}
        return [register.field_label(name) for name in self.kept] + [
            titles[key] for key in self.kept_related if key in titles
        ]

    @property
    def basis_text(self):
        basis = BASES.get(self.basis)
        return basis.text if basis else ""


class FollowUp(models.Model):
    """Art. 19: one recipient to tell of a rectification, erasure, restriction or objection,
    because the disclosure ledger shows it received the data concerned. Staff mark it told
    (when and how); the customer sees who the recipients are."""

    class How(models.TextChoices):
        EMAIL = "email", _("by email")
        LETTER = "letter", _("by letter")
        PHONE = "phone", _("by phone")
        SYSTEM = "system", _("through their system")

    request = models.ForeignKey(DataRequest, on_delete=models.CASCADE, related_name="follow_ups")
    recipient = models.CharField(_("recipient"), max_length=40)
    register = models.CharField(_("register"), max_length=20)
    fields = models.JSONField(_("data concerned"), default=list)
    # The last day the ledger shows it received the data (what the customer is told).
    last_disclosed_on = models.DateField(_("last received the data"), null=True, blank=True)
    told_on = models.DateField(_("told"), null=True, blank=True)
    how = models.CharField(_("how"), max_length=10, choices=How.choices, blank=True)
    told_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("told by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("follow-up with a recipient")
        verbose_name_plural = _("follow-ups with recipients")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "register", "recipient"], name="follow_up_once"
            )
        ]

    def __str__(self):
        return f"{self.register}:{self.recipient}"

    @property
    def is_told(self) -> bool:
        return self.told_on is not None
