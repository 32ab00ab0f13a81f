"""Writing the disclosure ledger (portal.models.Disclosure): name-and-address lists for
partners (seed 7.2) and disclosures staff record one at a time (a principal, seed 7.4).

Who may be on a list is declared: the register serves postal marketing, the recipient
declares a list audience (`Recipient.list_audience`), and a record is on it only if it is in
the register's postal marketing audience, in the recipient's list audience, not restricted
(Art. 18) and its address is not suppressed (Art. 21(3), erasure). An optional screening
list of addresses that refuse direct mail leaves out more. Each export is one ledger entry
naming everyone on it, in the same transaction as its audit event.
"""

import csv
import datetime
import io
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import suppression
from portal.audit import audit_record
from portal.errors import Refusal
from portal.models import DisclosedPerson, Disclosure
from portal.registers import REGISTERS, Register, get_register
from portal.registers.marketing import BY_POST
from portal.registers.recipients import Recipient, carrier_key, recipient_for


@dataclass(frozen=True)
class ListExport:
    """What an export produced: the ledger entries written, and the rows of the list."""

    disclosures: list[Disclosure]
    header: list[str]
    rows: list[list[str]]
    screened_out: int


def list_recipients() -> list[tuple[Register, Recipient]]:
    """(register, recipient) for every recipient that name-and-address lists may go to."""
    return [
        (register, recipient)
        for register in REGISTERS
        if register.marketing and BY_POST in register.marketing.channels
        for recipient in register.recipient_list
        if recipient.list_audience
    ]


def staff_recorded_recipients() -> list[tuple[Register, Recipient]]:
    """(register, recipient) for every recipient whose disclosures staff record one by one."""
    return [
        (register, recipient)
        for register in REGISTERS
        for recipient in register.recipient_list
        if recipient.recorded_by_staff
    ]


def list_audience(register: Register, recipient: Recipient) -> list:
    """The records that may be on a list for `recipient` now, in a stable order."""
    policy = register.marketing
    records = register.model_class.objects.filter(
        restricted_at__isnull=True, **dict(policy.audience), **dict(recipient.list_audience)
    ).order_by("pk")
    return suppression.unsuppressed(policy.suppression_key, records)


def _norm(text) -> str:
    return " ".join(str(text or "").lower().split())


def screen_keys(rows) -> set[tuple[str, str, str]]:
    """Keys of a screening list's rows (dicts with street_address, postal_code and a name in
    company_name or last_name, or none: then the whole address refuses direct mail)."""
    keys = set()
    for row in rows:
        street, code = _norm(row.get("street_address")), _norm(row.get("postal_code"))
        if street and code:
            name = _norm(row.get("company_name") or row.get("last_name"))
            keys.add((name, street, code))
    return keys


SCREEN_COLUMNS = ("street_address", "postal_code")


def screen_rows(text: str) -> list[dict]:
    """The rows of a screening list: CSV (',' or ';') with a header naming at least
    street_address and postal_code, and optionally company_name and last_name."""
    text = text.removeprefix("\ufeff")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
        header = {(name or "").strip() for name in reader.fieldnames or ()}
        if not set(SCREEN_COLUMNS) <= header:
            raise Refusal(
                _("The screening list needs the columns %(columns)s.")
                % {"columns": ", ".join(SCREEN_COLUMNS)},
                code="screen_columns",
            )
        return [{(k or "").strip(): v for k, v in row.items()} for row in reader]
    except csv.Error:
        raise Refusal(_("The screening list is not a readable CSV file."), code="screen") from None


def list_csv(export: ListExport) -> str:
    """The list as CSV text for the recipient: a header of field names, then one row each."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(export.header)
    writer.writerows(export.rows)
    return out.getvalue()


def _screened(record, keys) -> bool:
    street = _norm(getattr(record, "street_address", ""))
    code = _norm(getattr(record, "postal_code", ""))
    names = {"", *(_norm(getattr(record, n, "")) for n in ("company_name", "last_name"))}
    return any((name, street, code) in keys for name in names)


def _csv_value(value) -> str:
    # A spreadsheet must not read a name as a formula (CSV injection).
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def postal_disclosure_export(
    *, recipient_key: str, purpose: str, screen=(), actor=None, dry_run=False
) -> ListExport:
    """Make the list for `recipient_key` and record it in the ledger (unless `dry_run`)."""
    purpose = " ".join((purpose or "").split())
    if not purpose:
        raise Refusal(_("Give the purpose of the disclosure."), code="no_purpose")
    pairs = [(reg, rec) for reg, rec in list_recipients() if rec.key == recipient_key]
    if not pairs:
        raise Refusal(
            _("Name-and-address lists are not disclosed to %(recipient)s.")
            % {"recipient": recipient_key},
            code="not_a_list_recipient",
        )
    keys = screen_keys(screen)
    header = list(pairs[0][1].fields)
    rows, disclosures, left_out = [], [], 0
    today = timezone.localdate()
    with transaction.atomic():
        for register, recipient in pairs:
            people = []
            for record in list_audience(register, recipient):
                if keys and _screened(record, keys):
                    left_out += 1
                    continue
                people.append(record)
                rows.append([_csv_value(getattr(record, name, "")) for name in header])
            if not people or dry_run:
                continue
            disclosure = Disclosure.objects.create(
                recipient=recipient.key,
                register=register.key,
                purpose=purpose,
                disclosed_on=today,
                fields=list(recipient.fields),
                recorded_by=actor,
                screened_out=left_out,
            )
            DisclosedPerson.objects.bulk_create(
                DisclosedPerson(disclosure=disclosure, subject_id=r.subject_id, record_id=r.pk)
                for r in people
            )
            audit_record(
                action="disclosure.list.exported",
                actor=actor,
                target=disclosure,
                details={
                    "register": register.key,
                    "recipient": recipient.key,
                    "purpose": purpose,
                    "people": len(people),
                    "screened_out": left_out,
                    "fields": list(recipient.fields),
                },
            )
            disclosures.append(disclosure)
    return ListExport(disclosures, header, rows, left_out)


def disclosure_record(
    *,
    actor,
    register_key: str,
    recipient_key: str,
    record,
    fields: list[str],
    purpose: str,
    disclosed_on: datetime.date,
) -> Disclosure:
    """Staff record one disclosure of one person's data (a principal's invoice or service
    data, seed 7.4). The recipient, and the fields, must be what the register declares."""
    register = get_register(register_key)
    recipient = recipient_for(register, recipient_key)
    if recipient is None or not recipient.recorded_by_staff:
        raise Refusal(
            _("%(register)s declares no such recipient for disclosures recorded by staff.")
            % {"register": register.name},
            code="not_declared",
        )
    if not isinstance(record, register.model_class):
        raise Refusal(_("The record is not in that register."), code="wrong_register")
    declared = recipient.receives(register)
    if not fields or not set(fields) <= set(declared):
        raise Refusal(_("Choose data the recipient may receive."), code="fields")
    if disclosed_on > timezone.localdate():
        raise Refusal(_("A disclosure cannot be dated in the future."), code="future")
    purpose = " ".join((purpose or "").split())
    if not purpose:
        raise Refusal(_("Give the purpose of the disclosure."), code="no_purpose")
    with transaction.atomic():
        disclosure = Disclosure.objects.create(
            recipient=recipient.key,
            register=register.key,
            purpose=purpose,
            disclosed_on=disclosed_on,
            fields=[name for name in declared if name in fields],
            recorded_by=actor,
        )
        DisclosedPerson.objects.create(
            disclosure=disclosure, subject_id=record.subject_id, record_id=record.pk
        )
        audit_record(
            action="disclosure.recorded",
            actor=actor,
            subject=record.subject,
            target=disclosure,
            details={
                "register": register.key,
                "recipient": recipient.key,
                "purpose": purpose,
                "fields": disclosure.fields,
                "disclosed_on": disclosed_on.isoformat(),
            },
        )
    return disclosure


def event_disclosures_keep(register: Register, record) -> int:
    """Before a record's events are deleted (an erasure, the retention rules), write the
    disclosures they were (a delivery: to its carrier) into the ledger, once each. The
    disclosure happened and stays true: the person may still ask who received their data,
    and a later decision is told to those recipients (Art. 19). Nothing but codes, the date
    and the person's id is kept. Inside the caller's transaction."""
    written = 0
    for source in {r.events for r in register.recipient_list if r.events is not None}:
        spec = next(s for s in register.related if s.key == source.related)
        carriers = {r.key: r for r in register.recipient_list if r.events == source}
        label = spec.model_class._meta.label
        events = spec.model_class.objects.filter(
            **{spec.path: record, f"{source.date_field}__isnull": False}
        ).values_list("pk", source.recipient_field, source.date_field)
        kept = set(
            Disclosure.objects.filter(event__startswith=f"{label}:").values_list("event", flat=True)
        )
        for pk, named, when in events:
            if f"{label}:{pk}" in kept:
                continue
            key = carrier_key(named) or str(named)[:40]
            recipient = carriers.get(key) or next(iter(carriers.values()))
            on = timezone.localdate(when) if isinstance(when, datetime.datetime) else when
            disclosure = Disclosure.objects.create(
                recipient=key,
                register=register.key,
                purpose_code=source.purpose,
                disclosed_on=on,
                fields=list(recipient.receives(register)),
                event=f"{label}:{pk}",
            )
            DisclosedPerson.objects.create(
                disclosure=disclosure, subject_id=record.subject_id, record_id=record.pk
            )
            written += 1
    return written
