"""Lifting a restriction of processing (Art. 18(3)): the person is told first.

The notice is written to the outbox in the person's language, in the same transaction and
before restricted_at is cleared, so that a restriction is never lifted without its notice
(and a notice never goes for a lift that did not happen). Without an address to tell the
person at, nothing is lifted.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from portal.audit.changes import record_update
from portal.errors import Refusal
from portal.registers import REGISTERS_BY_KEY
from subject_requests import notifications
from subject_requests.models import DataRequest
from subject_requests.services.base import audit, locked


def restricted_records(register, subject):
    return register.model_class.objects.filter(subject=subject, restricted_at__isnull=False)


def restriction_lift(*, request: DataRequest, register_key: str, staff, reason: str) -> int:
    """Tell the person who made `request`, then lift the restriction of their records in the
    register; the number of records lifted."""
    if not reason.strip():
        raise Refusal(_("Give the reason; it is sent to the customer."))
    register = REGISTERS_BY_KEY.get(register_key)
    if register is None:
        raise Refusal(_("Choose a register."))
    with transaction.atomic():
        request = locked(request, must_be_open=False)
        records = list(restricted_records(register, request.subject).select_for_update())
        if request.subject is None or not records:
            raise Refusal(
                _("Processing in %(register)s is not restricted; nothing was changed.")
                % {"register": register.short_name},
                code="not_restricted",
            )
        if notifications.request_recipient(request) is None:
            raise Refusal(
                _(
                    "We have no email address for this person, so they cannot be told "
                    "before the restriction is lifted (Art. 18(3)); nothing was changed."
                ),
                code="cannot_tell",
            )
        # First the notice (an outbox row in this transaction), then the lift.
        notifications.notification_send(
            request,
            "restriction_lifted",
            lifted_register=register.name,
            lift_reason=reason,
        )
        for record in records:
            record_update(
                record=record,
                changes={"restricted_at": None},
                actor=staff,
                subject=request.subject,
                action="register.record.restriction_lifted",
                details={"register": register.key, "request": str(request.public_id)},
            )
        audit(request, "restriction_lifted", staff, register=register.key, reason=reason)
    return len(records)
