from django.db import transaction
from django.utils import timezone

from portal.audit.chain import SHREDDED_DETAILS
from portal.audit.record import audit_record
from portal.models import AuditEvent


def audit_shred_subject(*, subject, actor=None, reason: str) -> int:
    """Blank the details of every earlier event about `subject` (erasure, Art. 17).

    Action names, times, actors and the chain itself stay; the details and their salt go,
    so the stored digest can no longer be linked to what was shredded. The shredding is
    itself recorded, naming the events it blanked, which is how verification tells it
    apart from tampering.
    """
    if subject is None or subject.pk is None:
        raise ValueError("Shredding needs a data subject; None would match every system event.")
    with transaction.atomic():
        seqs = list(
            AuditEvent.objects.select_for_update()
            .filter(subject=subject, shredded_at__isnull=True)
            .values_list("seq", flat=True)
        )
        if not seqs:
            return 0
        AuditEvent.objects.filter(seq__in=seqs)._shred_update(
            details=SHREDDED_DETAILS, details_salt="", shredded_at=timezone.now()
        )
        audit_record(
            action="audit.details_shredded",
            actor=actor,
            subject=subject,
            details={"events": seqs, "reason": reason},
        )
    return len(seqs)
