"""The audit trail: record, verify and shred events.

    audit_record(action="request.rectification.approved", actor=user, subject=subject, ...)

must be called inside the transaction of the action it records.
"""

from portal.audit.record import audit_record
from portal.audit.shred import audit_shred_events, audit_shred_subject
from portal.audit.verify import ChainBreak, audit_verify

__all__ = [
    "ChainBreak",
    "audit_record",
    "audit_shred_events",
    "audit_shred_subject",
    "audit_verify",
]
