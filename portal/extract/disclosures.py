"""Who actually received a person's data (Art. 15(1)(c), CJEU C-154/21): per register, each
disclosure with its recipient, the data, the date and the purpose.

Two sources, read together: the disclosure ledger (lists for partners, disclosures staff
recorded) and the register's own events that are disclosures by themselves (a delivery is
a disclosure of name and delivery address to its carrier on the day it ships). Deliveries
are read, not copied into the ledger: the delivery row is the shop's record of what the
carrier was given, so however a delivery comes in (an import, the demo, the admin, a
shipping date set later) the answer follows it, and there is no second copy to drift.
Processors (hosting, email delivery) hold data on our behalf all the time and are named as
such with the register's recipients, not listed here.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.functional import Promise

from portal.models import Disclosure
from portal.registers import Register
from portal.registers.recipients import Kind, Purpose, carrier_key, recipient_for


@dataclass(frozen=True)
class DisclosureEntry:
    recipient: str  # its key in the declaration (or, undeclared, the key the event names)
    name: str
    kind: str  # a Kind code, "" when the declaration does not know the recipient
    kind_label: Promise | str
    disclosed_on: datetime.date
    fields: tuple[str, ...]  # the register's field names (and event keys)
    field_labels: tuple
    purpose_code: str  # a Purpose code, or "" for staff's own words
    purpose_text: str | Promise
    legal_basis: Promise | str
    declared: bool = True


def _labels(register: Register, names) -> tuple:
    related = {r.key: r.title for r in register.related}
    return tuple(
        related[n] if n in related else register.field_label(n)
        for n in names
        if n in related or n in {f.name for f in register.fields}
    )


def _entry(register, key, on, fields, purpose_code, purpose_text, named="") -> DisclosureEntry:
    recipient = recipient_for(register, key)
    if purpose_code:
        purpose_text = Purpose.labels.get(purpose_code, purpose_text)
    if recipient is None:
        # Not (or no longer) declared: still a disclosure that happened, so it is shown, by
        # its configured name or as the event names it.
        name = settings.RECIPIENTS.get(key) or named or key
        return DisclosureEntry(
            key, name, "", "", on, tuple(fields), _labels(register, fields),
            purpose_code, purpose_text, "", declared=False,
        )  # fmt: skip
    return DisclosureEntry(
        key,
        recipient.name,
        recipient.kind,
        recipient.kind_label,
        on,
        tuple(fields),
        _labels(register, fields),
        purpose_code,
        purpose_text,
        recipient.legal_basis,
    )


def _ledger(register: Register, subject_ids) -> list[DisclosureEntry]:
    rows = Disclosure.objects.filter(
        register=register.key, included__subject_id__in=subject_ids
    ).distinct()
    return [
        _entry(register, d.recipient, d.disclosed_on, d.fields, d.purpose_code, d.purpose)
        for d in rows
    ]


def _events(register: Register, subject_ids) -> list[DisclosureEntry]:
    sources = {r.events for r in register.recipient_list if r.events is not None}
    found = []
    for source in sources:
        spec = next(s for s in register.related if s.key == source.related)
        carriers = {r.key: r for r in register.recipient_list if r.events == source}
        events = spec.model_class.objects.filter(
            **{
                f"{spec.path}__subject_id__in": subject_ids,
                f"{source.date_field}__isnull": False,
            }
        ).values_list("pk", source.recipient_field, source.date_field)
        # An event already kept in the ledger (portal.disclosures.event_disclosures_keep) is
        # read from there, once.
        label = spec.model_class._meta.label
        kept = set(
            Disclosure.objects.filter(
                event__startswith=f"{label}:", included__subject_id__in=subject_ids
            ).values_list("event", flat=True)
        )
        for pk, named, when in events:
            if f"{label}:{pk}" in kept:
                continue
            key = carrier_key(named)
            on = timezone.localdate(when) if isinstance(when, datetime.datetime) else when
            recipient = carriers.get(key)
            if recipient is not None:
                fields = recipient.receives(register)
            else:  # a carrier the declaration does not name: the delivery still happened
                fields = next(iter(carriers.values())).receives(register)
                key = key or str(named)
            first_word = (str(named).replace(",", " ").split() or [""])[0]
            found.append(_entry(register, key, on, fields, source.purpose, "", first_word))
    return found


def register_disclosures(register: Register, subject_ids) -> list[DisclosureEntry]:
    """Every disclosure of these people's data in `register`, newest first."""
    subject_ids = list(subject_ids)
    if not subject_ids:
        return []
    found = _ledger(register, subject_ids) + _events(register, subject_ids)
    return sorted(found, key=lambda e: (e.disclosed_on, e.name), reverse=True)


@dataclass(frozen=True)
class Received:
    """A recipient that received some of the data concerned, and when it last did."""

    recipient: str
    fields: tuple[str, ...]
    last_on: datetime.date


def received_by(register: Register, subject_ids, fields=None) -> list[Received]:
    """The recipients that received any of `fields` (all of the register's when None) of
    these people from `register`, from the disclosures above: whom Art. 19 says to tell."""
    wanted = None if fields is None else set(fields)
    found: dict[str, Received] = {}
    for entry in register_disclosures(register, subject_ids):
        if entry.kind == Kind.PROCESSOR:
            continue
        hit = tuple(f for f in entry.fields if wanted is None or f in wanted)
        if not hit:
            continue
        earlier = found.get(entry.recipient)
        if earlier is None:
            found[entry.recipient] = Received(entry.recipient, hit, entry.disclosed_on)
        else:
            merged = tuple(dict.fromkeys(earlier.fields + hit))
            found[entry.recipient] = Received(
                entry.recipient, merged, max(earlier.last_on, entry.disclosed_on)
            )
    return sorted(found.values(), key=lambda r: r.recipient)
