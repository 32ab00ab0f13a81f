"""Which data subject each imported row belongs to.

A row joins the subject that already holds its customer number only when the row is about
the same person (portal/persons.py: business ID, company name, first and last name). A
row that carries another person's customer number is set aside: it gets a data subject of
its own (or the one its email address leads to) and staff get an identity conflict about
the two. Its data is kept where the rest of the register is, so nothing is lost and the
person it is about sees it, but it never shows in the other person's pages.
"""

from collections import Counter, defaultdict
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models

from portal.importing.bulk import where_in
from portal.importing.rows import ParsedRow
from portal.persons import (
    PERSON_FIELDS,
    Person,
    person_of,
    register_person_fields,
    same_person,
    vouched_for,
)
from portal.registers import REGISTERS

NUMBER = "customer_number"


class NewSubject:
    """A data subject the import will create. Writing it (service._write) sets its pk and
    public id; until then it is only a name, which costs far less than an unsaved model."""

    __slots__ = ("display_name", "pk", "public_id")

    def __init__(self, display_name: str):
        self.display_name = display_name
        self.pk = None
        self.public_id = None


SubjectRef = int | NewSubject  # an existing subject's id, or a new unsaved subject


def _ref(subject: SubjectRef) -> Hashable:
    return subject if isinstance(subject, int) else ("new", id(subject))


def record_values(record: models.Model) -> dict[str, Any]:
    return {name: getattr(record, name, "") for name in PERSON_FIELDS}


def same_person_after(record: models.Model, values: dict[str, Any]) -> bool:
    """Whether `record` is still about the same person once the row's values are written.

    A row that changes nothing that identifies a person is about the record's person, even
    where the register holds nothing to compare."""
    before = record_values(record)
    if all(values[name] == before[name] for name in PERSON_FIELDS if name in values):
        return True  # nothing that says who the record is about changes
    was, will_be = person_of(before), person_of({**before, **values})
    return was == will_be or same_person(was, will_be)


@dataclass
class Conflict:
    row: int
    number: str
    subject: SubjectRef  # where the row went
    others: list[SubjectRef]  # the subjects that hold the number and are other people


class _Holder:
    """A subject holding a customer number, and who its records with it are about. Who a
    record is about is worked out only when a row has to be compared with it: in a large
    file most numbers are new, and most rows of a re-import update their own record."""

    def __init__(self, subject: SubjectRef):
        self.subject = subject
        self._people: list[Person] = []
        self._values: list[Mapping[str, Any]] = []

    def add(self, values: Mapping[str, Any]) -> None:
        self._values.append(values)

    @property
    def people(self) -> list[Person]:
        if self._values:
            self._people += [person_of(values) for values in self._values]
            self._values = []
        return self._people


def _holders_by_number(
    numbers: set[str], known: Mapping[str, Mapping[str, list]] | None = None
) -> dict[str, dict[Hashable, _Holder]]:
    """customer number -> the subjects whose records carry it, and who those records are about.

    `known`: {register key: {customer number: its records, in primary-key order}} already
    read for every one of `numbers` (the import's own register when the file is keyed by the
    customer number); that register is not asked again."""
    found: dict[str, dict[Hashable, _Holder]] = defaultdict(dict)
    wanted = [n for n in numbers if n]
    for register in REGISTERS:
        fields = register_person_fields(register)
        names = (NUMBER, "subject_id", *fields)
        if known is not None and register.key in known:
            by_number = known[register.key]
            rows = (
                {NUMBER: number, "subject_id": record.subject_id}
                | {name: getattr(record, name) for name in fields}
                for number in wanted
                for record in by_number.get(number, ())
            )
        else:
            rows = (
                dict(zip(names, found_row, strict=True))
                for queryset in where_in(register.model_class.objects.all(), NUMBER, wanted)
                for found_row in queryset.values_list(*names)
            )
        for row in rows:
            subject = row["subject_id"]
            holder = found[row[NUMBER]].get(subject)
            if holder is None:
                holder = found[row[NUMBER]][subject] = _Holder(subject)
            holder.add(row)
    return found


def _subjects_by_email(emails: set[str]) -> dict[str, set[int]]:
    found: dict[str, set[int]] = defaultdict(set)
    wanted = [e for e in emails if e]
    for register in REGISTERS:
        if "email" not in {spec.name for spec in register.fields}:
            continue
        for queryset in where_in(register.model_class.objects.all(), "email", wanted):
            for email, subject_id in queryset.values_list("email", "subject_id"):
                found[email].add(subject_id)
    return found


class Linker:
    """Finds each row's subject; rows of one file sharing an email, or a customer number and
    the person, share one."""

    def __init__(
        self,
        parsed: list[ParsedRow],
        creating: list[ParsedRow] | None = None,
        known: Mapping[str, Mapping[str, list]] | None = None,
    ):
        """`creating`: the rows that create a record (all of them if not given). Only they
        are linked by what the registers hold; a row that updates a record keeps its
        subject, so in a re-import most numbers and emails need no look-up at all.
        `known`: records already read by customer number (see _holders_by_number)."""
        numbers = Counter(row.values.get(NUMBER) for row in parsed)
        emails = Counter(row.values.get("email") for row in parsed)
        if creating is None:
            self.holders = _holders_by_number(set(numbers), known)
            self.by_email = _subjects_by_email(set(emails))
        else:
            self.holders = _holders_by_number({row.values.get(NUMBER) for row in creating}, known)
            self.by_email = _subjects_by_email({row.values.get("email") for row in creating})
        # A row's subject matters to the rows after it only when they share its number or
        # email; in a file where most of them are unique, remembering the rest is waste.
        self.numbers_again = {n for n, times in numbers.items() if n and times > 1}
        self.emails_again = {e for e, times in emails.items() if e and times > 1}
        self.seen_email: dict[str, SubjectRef] = {}
        self.ambiguous: list[tuple[int, NewSubject]] = []
        self.conflicts: list[Conflict] = []

    def link(self, row: ParsedRow, record: models.Model | None) -> SubjectRef:
        """The subject of `row`: that of the record it updates, else the one it finds."""
        number, email = row.values.get(NUMBER), row.values.get("email")
        if record is not None:
            subject: SubjectRef = record.subject_id
        elif not email and number not in self.holders:
            subject = NewSubject(display_name(row.values))  # nobody to compare with
        else:
            subject = self._find(row, row.values)
        if number in self.numbers_again:
            holders, ref = self.holders[number], _ref(subject)
            if ref not in holders:
                holders[ref] = _Holder(subject)
            # who the record is about once the row is written
            values = {**record_values(record), **row.values} if record is not None else row.values
            holders[ref].add(values)
        if email in self.emails_again:
            self.seen_email.setdefault(email, subject)
        return subject

    def _find(self, row: ParsedRow, values: Mapping[str, Any]) -> SubjectRef:
        number = row.values.get(NUMBER)
        holders = list(self.holders[number].values()) if number in self.holders else []
        person = person_of(values) if holders else None
        same = [h.subject for h in holders if vouched_for(h.people, [person])]
        others = [h.subject for h in holders if not vouched_for(h.people, [person])]
        if len(same) == 1:
            subject = same[0]
        elif same:
            subject = self._new_ambiguous(row)
        else:
            subject = self._by_email(row)
        if others:
            self.conflicts.append(Conflict(row.number, number, subject, others))
        return subject

    def _by_email(self, row: ParsedRow) -> SubjectRef:
        email = row.values.get("email")
        if not email:
            return self._new(row)
        if email in self.seen_email:
            return self.seen_email[email]
        subjects = self.by_email.get(email, set())
        if len(subjects) == 1:
            return next(iter(subjects))
        if subjects:
            return self._new_ambiguous(row)
        return self._new(row)

    def _new_ambiguous(self, row: ParsedRow) -> NewSubject:
        # Records of several people share it: guessing could show one person's data to
        # another, so the row gets its own subject and staff decide.
        subject = self._new(row)
        self.ambiguous.append((row.number, subject))
        return subject

    def _new(self, row: ParsedRow) -> NewSubject:
        return NewSubject(display_name(row.values))


def display_name(values: dict[str, Any]) -> str:
    first, last = values.get("first_name"), values.get("last_name")
    person = f"{first} {last}" if first and last else first or last or ""
    company = values.get("company_name")
    if values.get("customer_type") == "company":
        person, company = company, person
    return (person or company or values.get("email") or values.get("username") or "")[:200]
