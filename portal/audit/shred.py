from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from portal.audit.chain import SHREDDED_DETAILS
from portal.audit.record import audit_record
from portal.models import AuditEvent

SHREDDING = "audit.details_shredded"
# Never shredded. A shredding record lists the events it blanked: blanking it would leave
# those events unaccounted for, and verification could no longer tell them from tampering.
# An erasure record holds only the register and how long vouchers are kept, and is the
# proof that the erasure was done. The records of retention likewise prove that data was
# deleted or anonymised when its declared period ended, and hold no personal data.
KEPT_ACTIONS = (
    SHREDDING,
    "register.record.erased",
    "retention.record.deleted",
    "retention.record.anonymised",
)

# Evidence an erasure leaves (Art. 5(2), 21(3), 17(3)(e)): that the person objected to direct
# marketing, to what and when. These events hold choices and flags, not contact details. (The
# proof of a consent is copied into the record of the erasure; the suppression is a table.)
EVIDENCE = Q(action__startswith="request.objection.") | Q(details__via="objection")


def _about(targets) -> Q:
    """Events whose target is one of `targets`: a model label ("portal.PostalRecipient")
    covers every object of that model, a full label ("subject_requests.DataRequest:7") one."""
    query = Q(pk__in=[])
    for target in targets:
        query |= Q(target=target) | Q(target__startswith=f"{target}:")
    return query


def audit_shred_subject(*, subject, actor=None, reason: str, targets=None) -> int:
    """Blank the details of earlier events about `subject` (erasure, Art. 17).

    `targets` limits the shredding to events about those objects (an erasure of some
    registers blanks the events about the person's records in them); None blanks every
    event about the person (an erasure of everything). Events already shredded and the
    KEPT_ACTIONS are left as they are, so each shredding names only what it blanked.

    Action names, times, actors and the chain itself stay; the details and their salt go,
    so the stored digest can no longer be linked to what was shredded. The shredding is
    itself recorded, naming the events it blanked, which is how verification tells it
    apart from tampering.
    """
    if subject is None or subject.pk is None:
        raise ValueError("Shredding needs a data subject; None would match every system event.")
    events = AuditEvent.objects.filter(subject=subject, shredded_at__isnull=True).exclude(
        action__in=KEPT_ACTIONS
    )
    if targets is not None:
        events = events.filter(_about(targets))
    evidence = AuditEvent.objects.filter(EVIDENCE, subject=subject).values("seq")
    events = events.exclude(seq__in=evidence)
    return _shred(events, actor=actor, subject=subject, reason=reason)


def audit_shred_events(*, events, actor=None, reason: str) -> int:
    """Blank the details of `events` (a queryset of AuditEvent), whoever they are about:
    the retention of the portal's own events (sign-in events keep an address and an email
    for a declared period only). The KEPT_ACTIONS and events already shredded are left as
    they are; the shredding is recorded like any other, naming the events it blanked."""
    events = events.filter(shredded_at__isnull=True).exclude(action__in=KEPT_ACTIONS)
    return _shred(events, actor=actor, subject=None, reason=reason)


def _shred(events, *, actor, subject, reason: str) -> int:
    """Blank the details of `events` and record the shredding, naming the events it blanked."""
    with transaction.atomic():
        seqs = list(events.select_for_update().values_list("seq", flat=True))
        if not seqs:
            return 0
        AuditEvent.objects.filter(seq__in=seqs)._shred_update(
            details=SHREDDED_DETAILS, details_salt="", shredded_at=timezone.now()
        )
        audit_record(
            action=SHREDDING,
            actor=actor,
            subject=subject,
            details={"events": seqs, "reason": reason},
        )
    return len(seqs)
