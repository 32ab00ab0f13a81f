"""Finding and writing many rows at once, for files of a million rows.

On PostgreSQL a look-up sends its keys as one array parameter (`= ANY(%s)`) instead of a
parameter per key, new rows go in with COPY, and changed rows are copied to a temporary
table and updated from it in one statement. Other databases (SQLite in development) get
the ORM in batches that stay under their limit of query parameters. Either way it all
happens in the caller's transaction, so an import is still whole or nothing.
"""

import json
import os
import uuid
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.db import connection, models
from django.db.models import F, Lookup
from django.utils import timezone

BATCH = 500  # rows per query without arrays; keeps SQLite under its limit of parameters
ARRAY_BATCH = 50_000  # keys per array parameter on PostgreSQL

# Values of these field types go to COPY as they are (psycopg adapts them); any other field
# gets Django's conversion for the database first.
_AS_IS = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "DateField",
        "DateTimeField",
        "DecimalField",
        "EmailField",
        "ForeignKey",
        "IntegerField",
        "PositiveBigIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SmallIntegerField",
        "TextField",
        "UUIDField",
    }
)


def arrays() -> bool:
    return connection.vendor == "postgresql"


class AnyOf(Lookup):
    """`field = ANY(%s)`: every key in one array parameter (PostgreSQL).

    Text keys travel as one JSON array, unpacked by the server: psycopg quotes each element
    of a text array in Python, which for a million customer numbers took seconds, while
    json.dumps is one call in C."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        keys = list(self.rhs)
        if all(type(key) is str for key in keys):
            return (
                f"{lhs} = ANY(ARRAY(SELECT json_array_elements_text(%s::json)))",
                (*params, json.dumps(keys)),
            )
        return f"{lhs} = ANY(%s)", (*params, keys)


def chunks(items: Sequence, size: int | None = None) -> Iterable[Sequence]:
    size = size or BATCH
    for start in range(0, len(items), size):
        yield items[start : start + size]


def where_in(queryset: models.QuerySet, field: str, keys: Iterable) -> Iterator[models.QuerySet]:
    """`queryset` narrowed to each batch of `keys` in turn (no key is looked up twice)."""
    if arrays():
        wanted = list(set(keys))
        for chunk in chunks(wanted, ARRAY_BATCH):
            yield queryset.filter(AnyOf(F(field), chunk))
    else:
        for chunk in chunks(sorted(set(keys))):
            yield queryset.filter(**{f"{field}__in": chunk})


class Stored:
    """A stored row read as attributes (`record.street_address`, `record.pk`), without the
    cost of a model instance: the import reads records it finds and never saves them."""

    def __init__(self, values: dict[str, Any]):
        self.__dict__.update(values)


def stored_rows(model, field: str, keys: Iterable) -> Iterator[Stored]:
    """The rows of `model` whose `field` is one of `keys`, with every concrete field, in
    primary-key order within each batch."""
    names = [f.attname for f in model._meta.concrete_fields]
    pk = model._meta.pk.attname
    for queryset in where_in(model.objects.order_by("pk"), field, keys):
        for values in queryset.values(*names):
            values["pk"] = values[pk]
            yield Stored(values)


def _columns(model) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if not f.primary_key]


def _fill(model, rows: list[dict[str, Any]]) -> list[list[Any]]:
    """Each row as the values of every column, defaults and auto_now stamps filled in the
    way a save would fill them (a unique default, such as a public id, per row)."""
    now = timezone.now()
    columns = _columns(model)
    fillers = []
    for field in columns:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            fillers.append((field.attname, False, now))
        elif field.has_default() and callable(field.default) and field.unique:
            fillers.append((field.attname, True, field.default))
        elif field.has_default():
            fillers.append((field.attname, False, field.get_default()))
        else:
            fillers.append((field.attname, False, None if field.null else ""))
    out = []
    for row in rows:
        values = []
        for attname, per_row, default in fillers:
            if attname in row:
                values.append(row[attname])
            elif per_row:
                values.append(default())
            else:
                values.append(default)
        out.append(values)
    return out


def _prepared(model, columns: list[models.Field], rows: list[list[Any]]) -> list[list[Any]]:
    converting = [
        (i, field) for i, field in enumerate(columns) if field.get_internal_type() not in _AS_IS
    ]
    for values in rows:
        for i, field in converting:
            values[i] = field.get_db_prep_save(values[i], connection)
    return rows


def _ids(model, n: int) -> list[int]:
    """`n` new primary keys from the table's own sequence."""
    table, pk = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        # The sequence is found first: called in the row's expression it was looked up again
        # for every row, 3.6 s of the server's time for a million ids instead of 0.4 s.
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)::regclass::oid", [table, pk])
        sequence = cursor.fetchone()[0]
        cursor.execute(
            "SELECT nextval(%s::oid::regclass) FROM generate_series(1, %s)", [sequence, n]
        )
        return [row[0] for row in cursor.fetchall()]


def _type(field: models.Field) -> str:
    """The column's type as PostgreSQL names it, without length or precision."""
    db_type = field.rel_db_type(connection) if field.is_relation else field.db_type(connection)
    return (db_type or "").split("(")[0].strip()


def _copy(
    table: str, names: list[str], rows: Iterable[Sequence[Any]], fields: list[models.Field]
) -> None:
    quote = connection.ops.quote_name
    sql = f"COPY {quote(table)} ({', '.join(map(quote, names))}) FROM STDIN"
    types = [_type(field) for field in fields]
    with connection.cursor() as cursor:
        raw = cursor.connection  # psycopg's own connection: COPY
        try:
            known = all(raw.adapters.types[name] for name in types)
        except KeyError:  # a type psycopg does not know: text, each value adapted alone
            known = False
        if known:  # each column's dumper chosen once, and values sent in binary
            sql += " (FORMAT BINARY)"
        with raw.cursor() as copying, copying.copy(sql) as copy:
            if known:
                copy.set_types(types)
            for row in rows:
                copy.write_row(row)


def insert(model, rows: list[dict[str, Any]], *, with_ids: bool = False) -> list[int] | None:
    """Write new rows of `model` ({attname: value}); their primary keys if `with_ids`."""
    if not rows:
        return [] if with_ids else None
    if not arrays():
        made = []
        for chunk in chunks(rows):
            made += model.objects.bulk_create([model(**values) for values in chunk])
        return [obj.pk for obj in made] if with_ids else None
    columns = _columns(model)
    values = _prepared(model, columns, _fill(model, rows))
    names = [f.column for f in columns]
    if with_ids:
        ids = _ids(model, len(rows))
        rows_with_ids = ([i, *v] for i, v in zip(ids, values, strict=True))
        pk = model._meta.pk
        _copy(model._meta.db_table, [pk.column, *names], rows_with_ids, [pk, *columns])
        return ids
    _copy(model._meta.db_table, names, values, columns)
    return None


def update(model, changes: list[tuple[int, dict[str, Any]]], **for_all) -> None:
    """Write each (pk, {attname: new value}) with `for_all` (e.g. updated_at) to every row.

    On PostgreSQL the rows that change the same fields are copied to a temporary table and
    updated from it in one statement; elsewhere one UPDATE a row (bulk_update's CASE
    expressions cost ten times more there)."""
    if not arrays():
        for pk, values in changes:
            model.objects.filter(pk=pk).update(**values, **for_all)
        return
    groups: dict[tuple[str, ...], list[tuple[int, dict]]] = {}
    for pk, values in changes:
        groups.setdefault(tuple(sorted(values)), []).append((pk, values))
    quote = connection.ops.quote_name
    table, pk_column = quote(model._meta.db_table), quote(model._meta.pk.column)
    for names, group in groups.items():
        fields = [model._meta.get_field(name) for name in names]
        columns = [quote(f.column) for f in fields]
        rows = _prepared(model, fields, [[values[n] for n in names] for _pk, values in group])
        with connection.cursor() as cursor:
            # Only quoted table and column names of the model are put into the SQL.
            cursor.execute(
                f"CREATE TEMPORARY TABLE import_changes ON COMMIT DROP AS "  # noqa: S608
                f"SELECT {pk_column}, {', '.join(columns)} FROM {table} WITH NO DATA"
            )
            _copy(
                "import_changes",
                [model._meta.pk.column, *[f.column for f in fields]],
                ([pk, *row] for (pk, _v), row in zip(group, rows, strict=True)),
                [model._meta.pk, *fields],
            )
            stamps = [(quote(model._meta.get_field(n).column), v) for n, v in for_all.items()]
            assignments = [f"{c} = import_changes.{c}" for c in columns] + [
                f"{c} = %s" for c, _v in stamps
            ]
            cursor.execute(
                f"UPDATE {table} SET {', '.join(assignments)} FROM import_changes "  # noqa: S608
                f"WHERE {table}.{pk_column} = import_changes.{pk_column}",
                [v for _c, v in stamps],
            )
            cursor.execute("DROP TABLE import_changes")


def uuids(n: int) -> list[uuid.UUID]:
    """`n` random (version 4) UUIDs from one read of the system's random source."""
    pool = os.urandom(16 * n)
    return [uuid.UUID(bytes=pool[i : i + 16], version=4) for i in range(0, 16 * n, 16)]
