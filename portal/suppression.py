"""Keyed hashes of addresses that must stay out of marketing (Art. 21(3), erasure).

Only an HMAC is kept, never the address, so the list itself holds no readable personal data.
The keys are their own setting, SUPPRESSION_KEYS, not SECRET_KEY: rotating the secret key
must not quietly bring back everyone who objected. The first key hashes new entries; every
key is tried when matching, so a rotation puts the new key first and keeps the old ones.

A suppression key kind ("email", "postal") names the fields it hashes
(portal.registers.marketing.SUPPRESSION_FIELDS); the registers' policies say which kind
applies to them.
"""

import hashlib
import hmac
from collections.abc import Iterable, Mapping

from django.conf import settings
from django.db import connection

from portal.models import Suppression
from portal.registers.marketing import SUPPRESSION_FIELDS
from portal.validators import normalize_email


def kind_labels(kinds) -> list[str]:
    """The names of suppression key kinds ("email address"), sorted, in the active language."""
    return [str(Suppression.Kind(kind).label) for kind in sorted(kinds)]


def _keys() -> list[bytes]:
    return [key.encode() for key in settings.SUPPRESSION_KEYS]


def _hash(key: bytes, text: str) -> str:
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


def _text(kind: str, values: Mapping) -> str:
    """What is hashed for a kind; "" when the values hold nothing to hash. (The forms are
    those of the first version: changing them would unmatch every stored suppression.)"""
    if kind not in SUPPRESSION_FIELDS:
        raise ValueError(f"Unknown suppression key {kind!r}.")
    if kind == "email":
        email = values.get("email") or ""
        return "email:" + normalize_email(email) if email else ""
    if not values.get("street_address"):
        return ""
    name = values.get("company_name") or values.get("last_name") or ""
    parts = [name, values.get("street_address") or "", values.get("postal_code") or ""]
    return "postal:" + "|".join(" ".join(str(p).lower().split()) for p in parts)


def _values_of(kind: str, record) -> dict:
    return {name: getattr(record, name, "") for name in SUPPRESSION_FIELDS[kind]}


def digests(kind: str, values: Mapping, *, hashers=None) -> list[str]:
    """The digest of `values` under every key, the current one first; [] for nothing.
    (`hashers`, from _hashers(), saves setting up the keys again for each of many.)"""
    text = _text(kind, values)
    if not text:
        return []
    if hashers is None:
        return [_hash(key, text) for key in _keys()]
    found = []
    for hasher in hashers:
        one = hasher.copy()
        one.update(text.encode())
        found.append(one.hexdigest())
    return found


def _hashers() -> list:
    return [hmac.new(key, digestmod=hashlib.sha256) for key in _keys()]


def values_suppress(kind: str, values: Mapping) -> None:
    found = digests(kind, values)
    if found:
        Suppression.objects.get_or_create(kind=kind, digest=found[0])


def record_suppress(kind: str, record) -> None:
    values_suppress(kind, _values_of(kind, record))


def values_suppressed(kind: str, values: Mapping) -> bool:
    found = digests(kind, values)
    return bool(found) and Suppression.objects.filter(kind=kind, digest__in=found).exists()


def _suppressed_among(kind: str, every: list[str]) -> set[str]:
    """Which of the digests `every` are on the list: one query per thousand digests, or on
    PostgreSQL per fifty thousand (sent as one array parameter)."""
    found: set[str] = set()
    if connection.vendor == "postgresql":
        for start in range(0, len(every), 50_000):
            batch = every[start : start + 50_000]
            # The digests are bound as a parameter; the SQL text is fixed.
            rows = Suppression.objects.filter(kind=kind).extra(  # noqa: S610
                where=["digest = ANY(%s)"], params=[batch]
            )
            found.update(rows.values_list("digest", flat=True))
        return found
    for start in range(0, len(every), 1000):
        found.update(
            Suppression.objects.filter(
                kind=kind, digest__in=every[start : start + 1000]
            ).values_list("digest", flat=True)
        )
    return found


def unsuppressed(kind: str, records: Iterable) -> list:
    """The records whose key is not suppressed, with one query per thousand records (on
    PostgreSQL per fifty thousand)."""
    records = list(records)
    hashers = _hashers()
    by_record = [digests(kind, _values_of(kind, record), hashers=hashers) for record in records]
    every = [digest for found in by_record for digest in found]
    suppressed = _suppressed_among(kind, every)
    return [
        record
        for record, found in zip(records, by_record, strict=True)
        if not suppressed.intersection(found)
    ]


# The first interface, kept for its callers (the import): one address by keyword.
def suppress(*, email: str = "", postal: dict | None = None) -> None:
    if email:
        values_suppress("email", {"email": email})
    if postal:
        values_suppress("postal", postal)


def is_suppressed(*, email: str = "", postal: dict | None = None) -> bool:
    if email and values_suppressed("email", {"email": email}):
        return True
    return bool(postal) and values_suppressed("postal", postal)


def postal_key(record) -> dict:
    return _values_of("postal", record)
