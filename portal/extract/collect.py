"""Collect every field of every record the registers hold about some data subjects.

The number of queries does not grow with the data: one per register and one per kind of
web-shop event, whatever the number of records and orders.
"""

from dataclasses import dataclass, field

from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from portal.extract.disclosures import DisclosureEntry, register_disclosures
from portal.extract.values import Texts, machine_value
from portal.registers import REGISTERS, Register, RelatedSpec
from portal.registers.retention import Period, current_periods, record_periods, with_retention


@dataclass
class FieldValue:
    name: str
    label: str
    value: object  # for machines (JSON)
    text: str  # for people (page and PDF)
    category: str = ""
    long: bool = False  # free text (a TextField), such as the items of an order


@dataclass
class EventTable:
    key: str
    title: str
    columns: list[tuple[str, str]]  # (field name, label)
    rows: list[list[FieldValue]] = field(default_factory=list)


@dataclass
class EventGroup:
    """One root event (an order) with the events that belong to it (its deliveries, ...)."""

    title: str
    row: list[FieldValue]
    children: list[tuple[str, list[FieldValue]]] = field(default_factory=list)

    def text(self) -> str:
        """The group as plain lines, for one text block in the PDF.

        The first line holds the order's short values (the extract shows it in bold); free
        text, such as the items ordered, follows on the next line; then one line for each
        delivery, invoice and return, named by its kind. The values carry no labels: the
        record's legend (RecordData.event_legend) names them once, in the same order, and an
        empty value is a dash, so that each keeps its place. Values of several lines are
        joined with "; ". Plain text without repeated labels is what WeasyPrint lays out
        fastest: a third fewer characters and pages than with a label at every value
        (bench/extract_speed.py).
        """
        first, *rest = self.row
        heading = [first.text, *(_one_line(v.text) for v in rest if not v.long)]
        more = [_one_line(v.text) for v in rest if v.long]
        lines = [" · ".join(heading)]
        if more:
            lines.append(" · ".join(more))
        for title, row in self.children:
            lines.append(f"{capfirst(title)}: {' · '.join(_one_line(v.text) for v in row)}")
        return "\n".join(lines)


def _one_line(text: str) -> str:
    return "; ".join(line.strip() for line in str(text).splitlines() if line.strip())


@dataclass
class RecordData:
    fields: list[FieldValue]
    related: list[EventTable] = field(default_factory=list)
    # Until when this record is kept and why: its periods still to come (retention rule).
    retention: list[Period] = field(default_factory=list)

    def event_legend(self) -> list[str]:
        """The labels of the values on each line of an order block, in their order."""
        if not self.related or not self.related[0].rows:
            return []
        root, *children = self.related
        sample = root.rows[0]
        lines = [" · ".join(capfirst(v.label) for v in sample if not v.long)]
        if any(v.long for v in sample):
            lines.append(" · ".join(capfirst(v.label) for v in sample if v.long))
        for table in children:
            labels = " · ".join(label for _name, label in table.columns[1:])
            lines.append(f"{capfirst(table.title)}: {labels}")
        return lines

    def event_groups(self) -> list[EventGroup]:
        """Events grouped under the first table (orders), for the compact PDF layout.

        The first column of the root table is its number; child tables name it in their
        first column (the order a delivery, invoice or return belongs to).
        """
        if not self.related:
            return []
        root, *children = self.related
        groups = {str(row[0].value): EventGroup(str(root.title), row) for row in root.rows}
        for table in children:
            for row in table.rows:
                group = groups.get(str(row[0].value))
                if group is not None:
                    group.children.append((str(table.title), row[1:]))
        return list(groups.values())


@dataclass
class RegisterData:
    register: Register
    records: list[RecordData]
    # Who actually received data of these records, and when (portal/extract/disclosures.py).
    disclosures: list[DisclosureEntry] = field(default_factory=list)

    @property
    def key(self):
        return self.register.key


def _secret_text(instance, spec) -> str:
    if getattr(instance, spec.name):
        return _(
            "A password is set. It is stored only as a one-way hash and is never shown or "
            "sent to anyone."
        )
    return _("Not set.")


def _field_values(register: Register, instance, texts: Texts) -> list[FieldValue]:
    values = []
    for spec in register.fields:
        model_field = instance._meta.get_field(spec.name)
        raw = getattr(instance, spec.name)
        if spec.secret:
            values.append(
                FieldValue(
                    spec.name,
                    str(model_field.verbose_name),
                    bool(raw),
                    _secret_text(instance, spec),
                    spec.category,
                )
            )
            continue
        values.append(
            FieldValue(
                spec.name,
                str(model_field.verbose_name),
                machine_value(raw),
                texts(model_field, raw),
                spec.category,
            )
        )
    return values


def _event_rows(spec: RelatedSpec, record_ids, texts: Texts) -> dict[int, list[list[FieldValue]]]:
    model = spec.model_class
    owner_path = spec.path.split("__")
    queryset = model.objects.filter(**{f"{spec.path}__in": record_ids})
    relations = [n for n in spec.fields if model._meta.get_field(n).is_relation]
    if relations:
        queryset = queryset.select_related(*relations)
    columns = [(name, model._meta.get_field(name)) for name in spec.fields]
    labels = {name: str(model_field.verbose_name) for name, model_field in columns}
    by_record: dict[int, list[list[FieldValue]]] = {}
    for event in queryset:
        owner = event
        for step in owner_path[:-1]:
            owner = getattr(owner, step)
        owner_id = getattr(owner, f"{owner_path[-1]}_id")
        row = []
        for name, model_field in columns:
            raw = getattr(event, name)
            machine = str(raw) if model_field.is_relation else machine_value(raw)
            long = isinstance(model_field, models.TextField)
            row.append(FieldValue(name, labels[name], machine, texts(model_field, raw), long=long))
        by_record.setdefault(owner_id, []).append(row)
    return by_record


def subject_data(subjects) -> list[RegisterData]:
    """Every declared register, always, in declaration order; one may have no records."""
    subject_ids = [s.pk for s in subjects]
    texts = Texts()
    today = timezone.localdate()
    result = []
    for register in REGISTERS:
        records = list(
            with_retention(
                register, register.model_class.objects.filter(subject_id__in=subject_ids)
            ).order_by("pk")
        )
        ids = [r.pk for r in records]
        events = {
            spec.key: _event_rows(spec, ids, texts) if ids else {} for spec in register.related
        }
        data = []
        for record in records:
            tables = [
                EventTable(
                    spec.key,
                    str(spec.title),
                    [
                        (n, str(spec.model_class._meta.get_field(n).verbose_name))
                        for n in spec.fields
                    ],
                    events[spec.key].get(record.pk, []),
                )
                for spec in register.related
            ]
            retention = current_periods(record_periods(register, record), today)
            data.append(RecordData(_field_values(register, record, texts), tables, retention))
        result.append(RegisterData(register, data, register_disclosures(register, subject_ids)))
    return result
