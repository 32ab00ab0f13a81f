"""Importing a register file: every row checked, linked to a data subject, written at once.

Nothing is written unless every row is valid, and then everything is written in one
transaction together with its audit event, so a file is imported whole or not at all.
"""

import gc
from collections import defaultdict
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from accounts.services import identity_conflict_open
from portal import suppression
from portal.audit import audit_record
from portal.importing import bulk
from portal.importing.formats import NOT_IMPORTED, ImportFormat, get_format
from portal.importing.linking import (
    NUMBER,
    Conflict,
    Linker,
    NewSubject,
    SubjectRef,
    same_person_after,
)
from portal.importing.rows import ParsedRow, Progress, RowError, rows_validate
from portal.models import DataSubject
from portal.registers import Register
from portal.registers.marketing import SUPPRESSION_FIELDS


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
    # Rows carrying another person's customer number, set aside on a subject of their own
    # (or the one their email leads to) with an identity conflict for staff; same form.
    conflicts: list[tuple[int, str]] = field(default_factory=list)


class Planned:
    """A row as it will be written (a plain class with slots: one for each of a million)."""

    __slots__ = ("record", "row", "subject", "values")

    def __init__(
        self,
        row: ParsedRow,
        values: dict[str, Any],  # what will be written: for an update only what changes
        record: models.Model | None,  # the existing record to update, or None to create one
        subject: SubjectRef,
    ):
        self.row, self.values, self.record, self.subject = row, values, record, subject


def _existing_records(fmt: ImportFormat, parsed: list[ParsedRow]):
    """The record each row updates, or None.

    When the key is the customer number, a record is updated only if it stays the same
    person's; a row about someone else creates a record of its own (see linking.py). Two
    records of the key that both fit are refused, as before: staff merge them first.
    """
    model, key = fmt.register.model_class, fmt.key
    found: dict[Any, list[bulk.Stored]] = defaultdict(list)
    keys = [row.values[key] for row in parsed]
    for record in bulk.stored_rows(model, key, keys, leave_out=NOT_IMPORTED):
        found[getattr(record, key)].append(record)
    records: dict[int, models.Model | None] = {}
    errors = []
    for row in parsed:
        fitting = found.get(row.values[key])
        if not fitting:  # most rows of a first import: nothing to compare
            records[row.number] = None
            continue
        if key == NUMBER:
            fitting = [r for r in fitting if same_person_after(r, row.values)]
        if len(fitting) > 1:
            errors.append(
                RowError(
                    row.number,
                    key,
                    "the register already holds more than one record with "
                    "this value; merge them before importing",
                )
            )
        records[row.number] = fitting[0] if fitting else None
    return records, errors, found


def _keep_objections(fmt: ImportFormat, record: models.Model, values: dict) -> bool:
    """Art. 21(3): an opt-out already on the record outlives a re-import of older data."""
    kept = False
    for opt_out in fmt.opt_outs:
        name, opted_out = opt_out.field, opt_out.value
        if getattr(record, name) == opted_out and values.get(name, opted_out) != opted_out:
            for dropped in (name, *opt_out.companions):
                values.pop(dropped, None)
            kept = True
    return kept


def _value(item: Planned, name: str) -> str:
    if name in item.values:
        return item.values[name] or ""
    return getattr(item.record, name, "") if item.record is not None else ""


def _suppression_values(item: Planned, fields: tuple[str, ...]) -> dict[str, Any]:
    """A planned row's suppression key fields as the list reads a record: from the file,
    or, for a column the file leaves out, from the record it updates."""
    if item.record is None:
        return item.values  # a new record is just what the file says; absent reads as ""
    return {name: _value(item, name) for name in fields}


def suppression_apply(*, register: Register, plan: list[Planned]) -> list[Planned]:
    """Drop the rows of people on the suppression list, for a register with a marketing
    policy (the key it is matched by is the policy's own).

    Someone who objected to direct marketing or had their data erased leaves a keyed hash
    behind (Art. 21(3)); a re-import of an old list must not bring them back.
    """
    if register.marketing is None:
        return plan
    kind = register.marketing.suppression_key
    fields = SUPPRESSION_FIELDS[kind]
    keep = suppression.values_unsuppressed(
        kind, [_suppression_values(item, fields) for item in plan]
    )
    if all(keep):
        return plan
    return [item for item, kept in zip(plan, keep, strict=True) if kept]


def _write(
    fmt: ImportFormat, plan: list[Planned], new: list[NewSubject], progress: Progress | None
) -> None:
    model, now = fmt.register.model_class, timezone.now()
    # The pks the records below refer to; public ids made here, a million at a time.
    public_ids = bulk.uuids(len(new))
    pks = bulk.insert(
        DataSubject,
        [{}] * len(new),  # one shared empty row each: the columns come whole
        with_ids=True,
        columns={
            "display_name": [s.display_name for s in new],
            "created_at": [now] * len(new),
            "public_id": public_ids,
        },
    )
    for subject, pk, public_id in zip(new, pks, public_ids, strict=True):
        subject.pk, subject.public_id = pk, public_id
    created = [item for item in plan if item.record is None]
    creates = [item.values for item in created]
    subject_ids = [
        item.subject if isinstance(item.subject, int) else item.subject.pk for item in created
    ]
    updates = [
        (item.record.pk, item.values) for item in plan if item.record is not None and item.values
    ]
    total = len(creates) + len(updates)
    # One COPY for all of them: PostgreSQL inserts each piece while the next is made.
    bulk.insert(model, creates, columns={"subject_id": subject_ids})
    if progress:
        progress("saving", len(creates), total)
    for done in range(0, len(updates), bulk.ARRAY_BATCH):
        bulk.update(model, updates[done : done + bulk.ARRAY_BATCH], updated_at=now)
        if progress:
            progress("saving", len(creates) + min(done + bulk.ARRAY_BATCH, len(updates)), total)


def _plan(fmt: ImportFormat, parsed: list[ParsedRow], result: ImportResult):
    records, errors, found = _existing_records(fmt, parsed)
    if errors:
        raise ImportInvalid(errors)
    creating = [row for row in parsed if records[row.number] is None]
    # Keyed by the customer number, the register's own records of the file's numbers are
    # all in `found` already: the linker need not ask the register for them again.
    known = {fmt.register.key: found} if fmt.key == NUMBER else None
    linker, plan = Linker(parsed, creating, known), []
    for row in parsed:
        record, values = records[row.number], row.values
        if record is not None:
            values = dict(values)  # the row's own values stay as the file had them
            result.objections_kept += _keep_objections(fmt, record, values)
            values = {
                name: value for name, value in values.items() if getattr(record, name) != value
            }
        plan.append(Planned(row, values, record, linker.link(row, record)))
    plan = suppression_apply(register=fmt.register, plan=plan)
    # Counted from the plan, so that rows the suppression seam drops are not counted.
    new = {id(i.subject): i.subject for i in plan if isinstance(i.subject, NewSubject)}
    result.records_created = sum(item.record is None for item in plan)
    result.records_updated = sum(item.record is not None and bool(item.values) for item in plan)
    result.records_unchanged = len(plan) - result.records_created - result.records_updated
    result.subjects_created = len(new)
    result.subjects_matched = len({i.subject for i in plan if isinstance(i.subject, int)})
    ambiguous = [(number, s) for number, s in linker.ambiguous if id(s) in new]
    kept = {item.row.number for item in plan}
    conflicts = [c for c in linker.conflicts if c.row in kept]
    return plan, list(new.values()), ambiguous, conflicts


def _pk(subject: SubjectRef) -> int | None:
    return subject if isinstance(subject, int) else subject.pk


def _conflicts_open(fmt: ImportFormat, conflicts: list[Conflict], source: str, actor):
    """A case for staff for each row set aside; (row, its subject's public id) for the report."""
    report = []
    for conflict in conflicts:
        subjects = [_pk(conflict.subject)] + [_pk(s) for s in conflict.others]
        identity_conflict_open(
            customer_number=conflict.number,
            subjects=[pk for pk in subjects if pk is not None],
            actor=actor,
            source={"register": fmt.register.key, "file": source, "row": conflict.row},
        )
        public_id = DataSubject.objects.values_list("public_id", flat=True).get(
            pk=_pk(conflict.subject)
        )
        report.append((conflict.row, str(public_id)))
    return report


@contextmanager
def collector_paused():
    """Python's cycle collector paused while a file is read and written: with a million rows
    in memory every full collection walks them all, which cost a third of the import. The
    import makes no reference cycles of its own; the collector runs again afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


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
    with collector_paused():
        return _register_import(
            register=register,
            rows=rows,
            dry_run=dry_run,
            source=source,
            actor=actor,
            progress=progress,
        )


def _register_import(*, register, rows, dry_run, source, actor, progress) -> ImportResult:
    fmt = get_format(register)
    parsed, errors = rows_validate(fmt=fmt, rows=rows, progress=progress)
    if errors:
        raise ImportInvalid(errors)
    result = ImportResult(
        register=fmt.register.key, source=source, dry_run=dry_run, rows_read=len(parsed)
    )
    if dry_run:
        _items, _new, ambiguous, conflicts = _plan(fmt, parsed, result)
        result.ambiguous = [(number, "") for number, _subject in ambiguous]
        result.conflicts = [(conflict.row, "") for conflict in conflicts]
        return result
    with transaction.atomic():
        plan, new, ambiguous, conflicts = _plan(fmt, parsed, result)
        _write(fmt, plan, new, progress)
        result.ambiguous = [(number, str(s.public_id)) for number, s in ambiguous]
        result.conflicts = _conflicts_open(fmt, conflicts, source, actor)
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
                "conflicts": [{"row": n, "subject": s} for n, s in result.conflicts],
            },
        )
    return result
