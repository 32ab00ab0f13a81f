"""Every register declares its import format, and the import reads only the declaration.

Parametrised over REGISTERS, so a register added later is held to the same rules.
"""

import dataclasses

import pytest
from django.db import models

from portal import suppression
from portal.importing import register_import
from portal.importing.formats import NOT_IMPORTED, format_of, get_format
from portal.importing.rows import rows_validate
from portal.registers import REGISTERS, get_register
from portal.registers.importing import ImportSpec, OptOut
from portal.registers.marketing import SUPPRESSION_FIELDS
from portal.validators import (
    normalize_business_id,
    normalize_email,
    normalize_phone,
    normalize_postal_code,
)

BY_KEY = [pytest.param(register, id=register.key) for register in REGISTERS]
MARKETED = [pytest.param(r, id=r.key) for r in REGISTERS if r.marketing is not None]
SAMPLES = {
    normalize_email: "leena.esimerkki@example.fi",
    normalize_postal_code: "00720",
    normalize_phone: "040 123 4567",
    normalize_business_id: "0700464-5",
}


def sample(model_field) -> str:
    """A cell any register's column of this kind accepts."""
    if normalizer := getattr(model_field, "normalizer", None):
        return SAMPLES[normalizer]
    if model_field.choices:
        return str(model_field.choices[0][0])
    if isinstance(model_field, models.BooleanField):
        return "yes"
    if isinstance(model_field, models.DecimalField):
        return "1"
    if isinstance(model_field, models.DateField):  # a DateTimeField too
        return "2024-03-31"
    return "Esimerkki"


@pytest.mark.parametrize("register", BY_KEY)
def test_every_register_declares_an_import_format(register):
    spec = register.import_format
    assert isinstance(spec, ImportSpec), f"{register.key} declares no import format"
    fmt = get_format(register.key)
    importable = {s.name for s in register.fields if not s.secret and s.name not in NOT_IMPORTED}
    assert fmt.header == tuple(s.name for s in register.fields if s.name in importable)
    assert fmt.key == spec.natural_key and set(fmt.required) == set(spec.required)
    named = {*spec.required, *(o.field for o in spec.opt_outs)}
    named |= {c for o in spec.opt_outs for c in o.companions}
    assert named <= importable, f"{register.key} names columns it does not import"
    assert all(callable(check) for check in spec.row_checks)


@pytest.mark.parametrize("register", BY_KEY)
def test_a_file_lacking_the_required_columns_names_every_one(register):
    fmt = get_format(register.key)
    _parsed, errors = rows_validate(fmt=fmt, rows=[[""]])
    assert {(e.row, e.column) for e in errors} == {(1, name) for name in fmt.required}
    assert all("required column is missing" in e.reason for e in errors)


@pytest.mark.parametrize("register", BY_KEY)
def test_a_row_with_required_cells_empty_names_every_one(register):
    fmt = get_format(register.key)
    # A stray value beyond the header keeps the row from counting as a blank line.
    header, row = [*fmt.required, ""], [""] * len(fmt.required) + ["x"]
    _parsed, errors = rows_validate(fmt=fmt, rows=[header, row])
    stray = f"#{len(header)}"
    assert {(e.row, e.column) for e in errors} == {(2, n) for n in (*fmt.required, stray)}
    assert all(e.reason == "a value is required" for e in errors if e.column != stray)


def test_the_import_format_comes_from_the_declaration_not_the_register_key():
    """A register declared with another key and format is imported by what it declares."""
    spec = ImportSpec(
        natural_key="customer_number",
        required=("customer_number", "email"),
        row_checks=(lambda values: [] if values.get("email") else [("email", "no email")],),
        opt_outs=(OptOut("status", "unsubscribed", companions=("unsubscribed_at",)),),
    )
    leaflets = dataclasses.replace(get_register("newsletter"), key="leaflets", import_format=spec)
    fmt = format_of(leaflets)
    assert fmt.register is leaflets
    assert fmt.key == "customer_number" and set(fmt.required) == {"customer_number", "email"}
    assert fmt.opt_outs == spec.opt_outs and fmt.row_checks == spec.row_checks
    parsed, errors = rows_validate(
        fmt=fmt, rows=[["customer_number", "email", "status"], ["A-1", "a@example.fi", "pending"]]
    )
    assert not errors and parsed[0].values["customer_number"] == "A-1"


def test_a_register_without_an_import_format_is_refused_by_name():
    bare = dataclasses.replace(get_register("postal"), key="bare", import_format=None)
    with pytest.raises(KeyError, match="'bare' declares no import format"):
        format_of(bare)


def test_an_unknown_register_is_refused_naming_the_registers():
    with pytest.raises(KeyError, match="the registers are: billing"):
        get_format("leaflets")


def test_a_natural_key_must_be_a_required_column():
    with pytest.raises(ValueError, match="must be a required column"):
        ImportSpec(natural_key="email", required=("customer_number",))


@pytest.mark.django_db
@pytest.mark.parametrize("register", MARKETED)
def test_a_re_import_never_brings_back_someone_on_the_suppression_list(register):
    """Matched by the key the register's marketing policy names, not by the register's key."""
    fmt, kind = get_format(register.key), register.marketing.suppression_key
    header = list(dict.fromkeys([*fmt.required, *SUPPRESSION_FIELDS[kind]]))
    model = register.model_class
    rows = [header, [sample(model._meta.get_field(name)) for name in header]]
    assert register_import(register=register.key, rows=rows, dry_run=False).records_created == 1
    record = model.objects.get()
    suppression.record_suppress(kind, record)
    record.delete()  # e.g. erased, leaving only the suppression behind
    again = register_import(register=register.key, rows=rows, dry_run=False)
    assert again.records_created == 0 and not model.objects.exists()
