from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.models.subjects import DataSubject


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an audit event through the ORM."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Audit events cannot be updated; use portal.audit.audit_shred.")

    def delete(self):
        raise AppendOnlyError("Audit events cannot be deleted.")

    update.queryset_only = True
    delete.queryset_only = True

    def _shred_update(self, **kwargs):
        """The one permitted change: blanking details (see portal.audit.shred)."""
        allowed = {"details", "details_salt", "shredded_at"}
        if not set(kwargs) <= allowed:
            raise AppendOnlyError("Shredding may only blank an event's details.")
        return super().update(**kwargs)


class AuditEvent(models.Model):
    """One entry of the tamper-evident audit trail.

    Each event stores the hash of the one before it; the chain hash covers a salted digest
    of the details rather than the details themselves, so details can later be shredded
    (erasure) while the chain still verifies.
    """

    seq = models.PositiveBigIntegerField(_("sequence number"), unique=True)
    created_at = models.DateTimeField(_("time"))
    # Plain references without database constraints: an event outlives the rows it names.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    subject = models.ForeignKey(
        DataSubject,
        verbose_name=_("data subject"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="audit_events",
    )
    action = models.CharField(_("action"), max_length=100, db_index=True)
    target = models.CharField(_("target"), max_length=200, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    details_salt = models.CharField(max_length=32, blank=True)
    details_digest = models.CharField(max_length=64)
    shredded_at = models.DateTimeField(_("details shredded"), null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["seq"]
        indexes = [
            # A request's history on the staff page: its events by target, in order.
            models.Index(fields=["target", "seq"], name="audit_target_seq_idx"),
        ]

    def __str__(self):
        return f"#{self.seq} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Audit events cannot be changed once written.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit events cannot be deleted.")


class AuditChainHead(models.Model):
    """A single row holding the chain's last sequence number and hash.

    Writers lock this row (SELECT ... FOR UPDATE) so that concurrent transactions on
    PostgreSQL append one after the other and never fork the chain.
    """

    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self):
        return f"#{self.last_seq}"
