"""Consultations of a person's data (CJEU C-579/21): when staff looked at it, and why.

A consultation is an audit event, in the same hash chain as every other, with the person as
its subject: the trail is the one source, and the person's log is read back from it by
subject (the subject column is indexed). Its details hold codes only: the purpose and
the staff member's role, never a name; the person's page renders them in their language.

    consultation_record(actor=staff, role="contact_person", subjects=[7],
                        purpose=REQUEST_HANDLING, via=VIA_REQUEST, target=data_request)
"""

from django.utils.translation import gettext_lazy as _

from portal.audit.record import audit_record_each
from portal.models import AuditEvent

# Staff opened the person's request in the queue; staff opened or listed the person's
# records in the admin (the change page, or a list or search that showed their rows).
STAFF_VIEWED = "data.staff.viewed"
ADMIN_VIEWED = "data.admin.viewed"
CONSULTATION_ACTIONS = (STAFF_VIEWED, ADMIN_VIEWED)

# Purposes (codes stored in the event, rendered per language).
REQUEST_HANDLING = "request_handling"
REGISTER_MAINTENANCE = "register_maintenance"
PURPOSES = {
    REQUEST_HANDLING: _("Handling your request"),
    REGISTER_MAINTENANCE: _("Maintaining the register"),
}

# How the data was seen.
VIA_REQUEST = "request"  # the request's page in the staff queue
VIA_RECORD = "record"  # a record's own page in the admin
VIA_LIST = "list"  # a list or a search in the admin that showed the person's rows
VIAS = (VIA_REQUEST, VIA_RECORD, VIA_LIST)  # the person's page names them (KINDS there)


def consultation_record(
    *, actor, role: str, subjects, purpose: str, via: str, target=None, extra=None
):
    """Record that `actor` (in `role`) saw the data of each of `subjects` (ids): one event
    each, with `extra` details for staff (never shown to the person). Must run inside a
    transaction."""
    if purpose not in PURPOSES or via not in VIAS:
        raise ValueError(f"Unknown consultation purpose or way: {purpose!r}, {via!r}")
    action = STAFF_VIEWED if via == VIA_REQUEST else ADMIN_VIEWED
    details = {**(extra or {}), "purpose": purpose, "role": role, "via": via}
    if target is not None and not isinstance(target, str):
        details["model"] = target._meta.label
    return audit_record_each(
        action=action, actor=actor, subjects=subjects, target=target, details=details
    )


def consultations_of(subject_ids):
    """The consultation events about these subjects, newest first."""
    return AuditEvent.objects.filter(
        subject_id__in=list(subject_ids), action__in=CONSULTATION_ACTIONS
    ).order_by("-seq")
