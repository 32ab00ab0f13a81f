"""How an event's digest and chain hash are computed (shared by writing and verifying)."""

import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder

GENESIS_HASH = "0" * 64
SHREDDED_DETAILS = {"shredded": True}


def canonical_json(value) -> str:
    return json.dumps(
        value, cls=DjangoJSONEncoder, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )


def details_digest(details: dict, salt: str) -> str:
    return hashlib.sha256(f"{salt}|{canonical_json(details)}".encode()).hexdigest()


def event_hash(*, seq, created_at, actor_id, subject_id, action, target, digest, prev_hash) -> str:
    payload = canonical_json(
        [
            seq,
            created_at.isoformat(timespec="microseconds"),
            actor_id,
            subject_id,
            action,
            target,
            digest,
            prev_hash,
        ]
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def hash_of(event) -> str:
    return event_hash(
        seq=event.seq,
        created_at=event.created_at,
        actor_id=event.actor_id,
        subject_id=event.subject_id,
        action=event.action,
        target=event.target,
        digest=event.details_digest,
        prev_hash=event.prev_hash,
    )
