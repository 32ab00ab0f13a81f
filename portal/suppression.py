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
import json
from collections.abc import Iterable, Mapping, Sequence

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
    street = values.get("street_address")
    if not street:
        return ""
    name = values.get("company_name") or values.get("last_name") or ""
    code = values.get("postal_code") or ""
    # Each part in lower case, its runs of white space as one space and none at the ends.
    return (
        f"postal:{' '.join(str(name).lower().split())}"
        f"|{' '.join(str(street).lower().split())}"
        f"|{' '.join(str(code).lower().split())}"
    )


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
    data = text.encode()
    return [hasher(data) for hasher in hashers]


class _Hmac:
    """HMAC-SHA256 under one key (RFC 2104) with its inner and outer states set up once:
    the same digest as hmac.new(key, text, sha256), in about half the time, because the two
    blocks derived from the key are hashed once instead of once for each of a million texts."""

    __slots__ = ("_inner", "_outer")

    def __init__(self, key: bytes):
        if len(key) > 64:  # longer than SHA-256's block: hashed first, as hmac does
            key = hashlib.sha256(key).digest()
        key = key.ljust(64, b"\0")
        self._inner = hashlib.sha256(bytes(b ^ 0x36 for b in key))
        self._outer = hashlib.sha256(bytes(b ^ 0x5C for b in key))

    def __call__(self, data: bytes) -> str:
        inner = self._inner.copy()
        inner.update(data)
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.hexdigest()

    def of_texts(self, texts: list[str]) -> list[str]:
        """The digest of each text ("" for ""), without a call of this object for each."""
        found = []
        add, inner_state, outer_state = found.append, self._inner.copy, self._outer.copy
        for text in texts:
            if not text:
                add("")
                continue
            inner = inner_state()
            inner.update(text.encode())
            outer = outer_state()
            outer.update(inner.digest())
            add(outer.hexdigest())
        return found


def _hashers() -> list[_Hmac]:
    return [_Hmac(key) for key in _keys()]


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
    """Which of the digests `every` are on the list.

    A list no longer than the digests to check is read whole, in one query: for a large
    import or mailing that is less to send and look up than the digests themselves.
    Otherwise one query per thousand digests, or on PostgreSQL per fifty thousand (sent as
    one JSON text, which the driver passes on as it is instead of quoting each element)."""
    if not every:
        return set()
    listed = Suppression.objects.filter(kind=kind)
    if listed[: len(every) + 1].count() <= len(every):
        return set(listed.values_list("digest", flat=True)).intersection(every)
    found: set[str] = set()
    if connection.vendor == "postgresql":
        for start in range(0, len(every), 50_000):
            batch = every[start : start + 50_000]
            # The digests are bound as a parameter; the SQL text is fixed.
            rows = listed.extra(  # noqa: S610
                where=["digest = ANY(ARRAY(SELECT json_array_elements_text(%s::json)))"],
                params=[json.dumps(batch)],
            )
            found.update(rows.values_list("digest", flat=True))
        return found
    for start in range(0, len(every), 1000):
        found.update(
            listed.filter(digest__in=every[start : start + 1000]).values_list("digest", flat=True)
        )
    return found


def unsuppressed(kind: str, records: Iterable) -> list:
    """The records whose key is not suppressed (see _suppressed_among for the queries)."""
    records = list(records)
    keep = values_unsuppressed(kind, [_values_of(kind, record) for record in records])
    return [record for record, kept in zip(records, keep, strict=True) if kept]


def values_unsuppressed(kind: str, many: Sequence[Mapping]) -> list[bool]:
    """For each of `many` ({field: value}), whether it is off the suppression list."""
    texts = [_text(kind, values) for values in many]
    by_key = [hasher.of_texts(texts) for hasher in _hashers()]  # the current key first
    every = list({digest for found in by_key for digest in found if digest})
    suppressed = _suppressed_among(kind, every)
    if not suppressed:
        return [True] * len(texts)
    return [suppressed.isdisjoint(found) for found in zip(*by_key, strict=True)]


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
