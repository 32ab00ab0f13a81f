import json
import re
import secrets
from datetime import UTC, datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction

from portal.audit.chain import GENESIS_HASH, details_digest, hash_of
from portal.models import AuditChainHead, AuditEvent

_SECRET_KEY_RE = re.compile(r"pass(word)?|secret|token|otp|code|hash|key", re.IGNORECASE)
MASK = "********"


class AuditOutsideTransaction(RuntimeError):
    """audit_record was called outside a transaction: the event and its action could part."""


def mask_secrets(value):
    """Replace the values of secret-looking keys, at any depth, by a mask."""
    if isinstance(value, dict):
        return {
            key: (
                MASK
                if _SECRET_KEY_RE.search(str(key)) and val not in (None, "")
                else mask_secrets(val)
            )
            for key, val in value.items()
        }
    if isinstance(value, list | tuple):
        return [mask_secrets(v) for v in value]
    return value


def _target_label(target) -> str:
    if target is None:
        return ""
    if isinstance(target, str):
        return target
    return f"{target._meta.label}:{target.pk}"


def _locked_head() -> AuditChainHead:
    """The chain head, locked until the transaction ends: writers append one at a time."""
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        AuditChainHead.objects.get_or_create(
            pk=1, defaults={"last_seq": 0, "last_hash": GENESIS_HASH}
        )
        head = AuditChainHead.objects.select_for_update().get(pk=1)
    return head


def _check(action: str):
    if not connection.in_atomic_block:
        raise AuditOutsideTransaction(
            f"audit_record({action!r}) must run inside the transaction of the action it records."
        )
    if not re.fullmatch(r"[a-z_]+(\.[a-z_]+)+", action):
        raise ValueError(f"Audit actions are dotted lower-case names, not {action!r}.")


def audit_record(*, action: str, actor=None, subject=None, target=None, details=None) -> AuditEvent:
    """Append one event to the audit trail, chained to the one before it.

    `actor` is the user who acted (None for the system or an anonymous visitor), `subject`
    the data subject whose data it concerns; they are kept apart on purpose.
    """
    _check(action)
    # Round-trip through JSON so that what is stored is exactly what was hashed.
    clean = json.loads(json.dumps(mask_secrets(details or {}), cls=DjangoJSONEncoder))
    salt = secrets.token_hex(16)
    digest = details_digest(clean, salt)

    with transaction.atomic():
        head = _locked_head()
        seq = head.last_seq + 1
        # Stored in UTC with microseconds on both databases; hashed in the same form.
        created_at = datetime.now(UTC)
        actor_id = actor.pk if actor is not None and actor.is_authenticated else None
        subject_id = subject.pk if subject is not None else None
        event = AuditEvent(
            seq=seq,
            created_at=created_at,
            actor_id=actor_id,
            subject_id=subject_id,
            action=action,
            target=_target_label(target),
            details=clean,
            details_salt=salt,
            details_digest=digest,
            prev_hash=head.last_hash,
        )
        event.hash = hash_of(event)
        event.save()
        AuditChainHead.objects.filter(pk=1).update(last_seq=seq, last_hash=event.hash)
    return event


def audit_record_each(
    *, action: str, actor=None, subjects, target=None, details=None
) -> list[AuditEvent]:
    """One event per subject in `subjects` (ids), the same action, target and details, chained
    in order under one lock of the chain head and written in one statement: a page that shows
    a hundred people's rows records each of them without a hundred round trips."""
    _check(action)
    subject_ids = list(dict.fromkeys(subjects))  # None: an event about nobody in particular
    if not subject_ids:
        return []
    clean = json.loads(json.dumps(mask_secrets(details or {}), cls=DjangoJSONEncoder))
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    events = []
    with transaction.atomic():
        head = _locked_head()
        seq, prev_hash = head.last_seq, head.last_hash
        created_at = datetime.now(UTC)
        for subject_id in subject_ids:
            seq += 1
            salt = secrets.token_hex(16)
            event = AuditEvent(
                seq=seq,
                created_at=created_at,
                actor_id=actor_id,
                subject_id=subject_id,
                action=action,
                target=_target_label(target),
                details=clean,
                details_salt=salt,
                details_digest=details_digest(clean, salt),
                prev_hash=prev_hash,
            )
            event.hash = prev_hash = hash_of(event)
            events.append(event)
        AuditEvent.objects.bulk_create(events)
        AuditChainHead.objects.filter(pk=1).update(last_seq=seq, last_hash=prev_hash)
    return events
