"""Importing a register file: every row checked, linked to a data subject, written at once.

Nothing is written unless every row is valid, and then everything is written in one
transaction together with its audit event, so a file is imported whole or not at all.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from portal.audit import audit_record
from portal.importing.formats import ImportFormat, get_format
from portal.importing.rows import ParsedRow, Progress, RowError, rows_validate
from portal.models import DataSubject
from portal.registers import REGISTERS, Register

BATCH = 500  # rows per query; keeps SQLite under its limit of query parameters
LINK_FIELDS = ("customer_number", "email")  # how a row finds its subject, in this order


class ImportInvalid(Exception):
    """The file has problems; nothing was written. `errors` lists every one of them."""

    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} problem(s) in the file")
        self.errors = errors


@dataclass
class ImportResult:
    register: str
    source: str
    dry_run: bool
    rows_read: int = 0
    records_created: int = 0
    records_updated: int = 0
    records_unchanged: int = 0
    subjects_created: int = 0
    subjects_matched: int = 0
    objections_kept: int = 0
    # (row number, public id of the new subject; empty in a dry run) for staff to review
    ambiguous: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class Planned:
    row: ParsedRow
    values: dict[str, Any]  # what will be written: for an update only what changes
    record: models.Model | None  # the existing record to update, or None to create one
    subject: int | DataSubject  # an existing subject's id, or a new unsaved subject


def _chunks(items: Sequence, size: int = BATCH) -> Iterable[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _subjects_by(field_name: str, values: set[str]) -> dict[str, set[int]]:
    """Which subjects already hold a record with each value, in any register."""
    found: dict[str, set[int]] = defaultdict(set)
    wanted = sorted(value for value in values if value)
    for register in REGISTERS:
        model = register.model_class
        if not any(f.name == field_name for f in model._meta.get_fields()):
            continue
        for chunk in _chunks(wanted):
            lookup = model.objects.filter(**{f"{field_name}__in": chunk})
            for value, subject_id in lookup.values_list(field_name, "subject_id"):
                found[value].add(subject_id)
    return found


def _existing_records(fmt: ImportFormat, parsed: list[ParsedRow]):
    model, key = fmt.register.model_class, fmt.key
    records: dict[Any, models.Model] = {}
    doubled: set[Any] = set()
    for chunk in _chunks([row.values[key] for row in parsed]):
        for record in model.objects.filter(**{f"{key}__in": chunk}):
            if getattr(record, key) in records:
                doubled.add(getattr(record, key))
            records[getattr(record, key)] = record
    errors = [
        RowError(
            row.number,
            key,
            "the register already holds more than one record with "
            "this value; merge them before importing",
        )
        for row in parsed
        if row.values[key] in doubled
    ]
    return records, errors


def _display_name(values: dict[str, Any]) -> str:
    person = " ".join(p for p in (values.get("first_name"), values.get("last_name")) if p)
    company = values.get("company_name")
    if values.get("customer_type") == "company":
        person, company = company, person
    return (person or company or values.get("email") or values.get("username") or "")[:200]


class _Linker:
    """Finds each row's data subject; rows of one file sharing a number or email share one."""

    def __init__(self, parsed: list[ParsedRow]):
        self.index = {
            name: _subjects_by(name, {row.values.get(name) for row in parsed})
            for name in LINK_FIELDS
        }
        self.seen: dict[str, dict[str, int | DataSubject]] = {name: {} for name in LINK_FIELDS}
        self.ambiguous: list[tuple[int, DataSubject]] = []

    def link(self, row: ParsedRow, record: models.Model | None) -> int | DataSubject:
        subject = record.subject_id if record is not None else self._find(row)
        for name in LINK_FIELDS:
            if row.values.get(name):
                self.seen[name].setdefault(row.values[name], subject)
        return subject

    def _find(self, row: ParsedRow) -> int | DataSubject:
        for name in LINK_FIELDS:
            value = row.values.get(name)
            if not value:
                continue
            if value in self.seen[name]:
                return self.seen[name][value]
            subjects = self.index[name].get(value, set())
            if len(subjects) == 1:
                return next(iter(subjects))
            if subjects:
                # Records of several people share it: guessing could show one person's data
                # to another, so the row gets its own subject and staff decide.
                subject = self._new(row)
                self.ambiguous.append((row.number, subject))
                return subject
        return self._new(row)

    def _new(self, row: ParsedRow) -> DataSubject:
        return DataSubject(display_name=_display_name(row.values))


def _keep_objections(fmt: ImportFormat, record: models.Model, values: dict) -> bool:
    """Art. 21(3): an opt-out already on the record outlives a re-import of older data."""
    kept = False
    for name, (opted_out, companions) in fmt.objections.items():
        if getattr(record, name) == opted_out and values.get(name, opted_out) != opted_out:
            for dropped in (name, *companions):
                values.pop(dropped, None)
            kept = True
    return kept


def _value(item: Planned, name: str) -> str:
    if name in item.values:
        return item.values[name] or ""
    return getattr(item.record, name, "") if item.record is not None else ""


def suppression_apply(*, register: Register, plan: list[Planned]) -> list[Planned]:
    """Drop rows of the marketing-only registers for people on the suppression list.

    Someone who objected to direct marketing or had their data erased leaves a keyed hash
    behind (Art. 21(3)); a re-import of an old list must not bring them back.
    """
    from subject_requests import suppression

    if register.key == "newsletter":
        return [i for i in plan if not suppression.is_suppressed(email=_value(i, "email"))]
    if register.key == "postal":
        keys = ("street_address", "postal_code", "last_name", "company_name")
        return [
            i for i in plan if not suppression.is_suppressed(postal={k: _value(i, k) for k in keys})
        ]
    return plan


def _write(
    fmt: ImportFormat, plan: list[Planned], new: list[DataSubject], progress: Progress | None
) -> None:
    model, now = fmt.register.model_class, timezone.now()
    for chunk in _chunks(new):
        DataSubject.objects.bulk_create(chunk)  # sets the pks the records below refer to
    creates = [
        model(
            subject_id=item.subject if isinstance(item.subject, int) else item.subject.pk,
            **item.values,
        )
        for item in plan
        if item.record is None
    ]
    updates = [item for item in plan if item.record is not None and item.values]
    total, done = len(creates) + len(updates), 0
    for chunk in _chunks(creates):
        model.objects.bulk_create(chunk)
        done += len(chunk)
        if progress:
            progress("saving", done, total)
    # One UPDATE per changed record: bulk_update's CASE expressions cost ten times more here.
    for item in updates:
        model.objects.filter(pk=item.record.pk).update(**item.values, updated_at=now)
        done += 1
        if progress and (done % BATCH == 0 or done == total):
            progress("saving", done, total)


def _plan(fmt: ImportFormat, parsed: list[ParsedRow], result: ImportResult):
    records, errors = _existing_records(fmt, parsed)
    if errors:
        raise ImportInvalid(errors)
    linker, plan = _Linker(parsed), []
    for row in parsed:
        record, values = records.get(row.values[fmt.key]), dict(row.values)
        if record is not None:
            result.objections_kept += _keep_objections(fmt, record, values)
            values = {
                name: value for name, value in values.items() if getattr(record, name) != value
            }
        plan.append(Planned(row, values, record, linker.link(row, record)))
    plan = suppression_apply(register=fmt.register, plan=plan)
    # Counted from the plan, so that rows the suppression seam drops are not counted.
    new = {id(i.subject): i.subject for i in plan if isinstance(i.subject, DataSubject)}
    result.records_created = sum(item.record is None for item in plan)
    result.records_updated = sum(item.record is not None and bool(item.values) for item in plan)
    result.records_unchanged = len(plan) - result.records_created - result.records_updated
    result.subjects_created = len(new)
    result.subjects_matched = len({i.subject for i in plan if isinstance(i.subject, int)})
    ambiguous = [(number, s) for number, s in linker.ambiguous if id(s) in new]
    return plan, list(new.values()), ambiguous


def register_import(
    *,
    register: str,
    rows: Sequence[Sequence[str]],
    dry_run: bool,
    source: str = "",
    actor=None,
    progress: Progress | None = None,
) -> ImportResult:
    """Import `rows` (as csv.reader gives them, header first) into the register `register`.

    Raises ImportInvalid listing every problem, having written nothing. With `dry_run`,
    reports what would happen and writes nothing.
    """
    fmt = get_format(register)
    parsed, errors = rows_validate(fmt=fmt, rows=rows, progress=progress)
    if errors:
        raise ImportInvalid(errors)
    result = ImportResult(
        register=fmt.register.key, source=source, dry_run=dry_run, rows_read=len(parsed)
    )
    if dry_run:
        ambiguous = _plan(fmt, parsed, result)[2]
        result.ambiguous = [(number, "") for number, _subject in ambiguous]
        return result
    with transaction.atomic():
        plan, new, ambiguous = _plan(fmt, parsed, result)
        _write(fmt, plan, new, progress)
        result.ambiguous = [(number, str(s.public_id)) for number, s in ambiguous]
        audit_record(
            action="register.imported",
            actor=actor,
            target=f"register:{fmt.register.key}",
            details={
                "register": fmt.register.key,
                "file": source,
                "rows": result.rows_read,
                "created": result.records_created,
                "updated": result.records_updated,
                "unchanged": result.records_unchanged,
                "subjects_created": result.subjects_created,
                "subjects_matched": result.subjects_matched,
                "objections_kept": result.objections_kept,
                "ambiguous": [{"row": n, "subject": s} for n, s in result.ambiguous],
            },
        )
    return result
