from dataclasses import dataclass

from portal.audit.chain import GENESIS_HASH, SHREDDED_DETAILS, details_digest, hash_of
from portal.audit.shred import SHREDDING
from portal.models import AuditChainHead, AuditEvent


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    reason: str

    def __str__(self):
        return f"event #{self.seq}: {self.reason}"


def audit_verify(*, batch_size: int = 2000) -> tuple[int, ChainBreak | None]:
    """Walk the whole chain in order; return (events checked, first break or None).

    Catches a changed event (its hash or details digest no longer match), a deleted one
    (a gap in the sequence or a link to the wrong predecessor), reordered events, a cut
    tail (the head names a later event) and shredding that was not itself recorded.
    """
    expected_prev = GENESIS_HASH
    expected_seq = 1
    shredded_unaccounted: set[int] = set()
    checked = 0
    qs = AuditEvent.objects.order_by("seq")
    for event in qs.iterator(chunk_size=batch_size):
        if event.seq != expected_seq:
            return checked, ChainBreak(expected_seq, f"missing; the next event is #{event.seq}")
        if event.prev_hash != expected_prev:
            return checked, ChainBreak(event.seq, "does not link to the event before it")
        if hash_of(event) != event.hash:
            return checked, ChainBreak(event.seq, "its contents were changed after it was written")
        if event.shredded_at is None:
            if details_digest(event.details, event.details_salt) != event.details_digest:
                return checked, ChainBreak(event.seq, "its details were changed after writing")
        else:
            if event.details != SHREDDED_DETAILS or event.details_salt:
                return checked, ChainBreak(event.seq, "marked shredded but still holds details")
            if event.action == SHREDDING:
                # Its list of blanked events is gone; they can no longer be told from tampering.
                return checked, ChainBreak(event.seq, "a record of shredding was itself shredded")
            shredded_unaccounted.add(event.seq)
        if event.action == SHREDDING:
            shredded_unaccounted -= set(event.details.get("events", []))
        expected_prev = event.hash
        expected_seq += 1
        checked += 1

    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and head.last_seq != checked:
        return checked, ChainBreak(checked + 1, f"missing; the chain head names #{head.last_seq}")
    if head is not None and checked and head.last_hash != expected_prev:
        return checked, ChainBreak(checked, "is not the event the chain head names")
    if shredded_unaccounted:
        first = min(shredded_unaccounted)
        return checked, ChainBreak(first, "was shredded without an audit.details_shredded event")
    return checked, None
