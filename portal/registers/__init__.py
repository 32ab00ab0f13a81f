"""The registers the portal serves, in order: the declarations settings.PORTAL_REGISTERS names
(by default the four of Tector's customer register, seed section 5).

To add a register: write its model, declare it in a module of its own (as the siblings here
are), and add the declaration's dotted path to PORTAL_REGISTERS. Nothing else names it: the
notice, my-data, the extract, the requests, import, erasure, retention, roles and the admin
all read REGISTERS. The list is read once, when this module is first imported (forms, URL
choices and the admin are built from it at import).
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from portal.registers.base import Category, FieldSpec, Register, RelatedSpec


def _declared(paths) -> tuple[Register, ...]:
    registers = tuple(import_string(path) for path in paths)
    for path, register in zip(paths, registers, strict=True):
        if not isinstance(register, Register):
            raise ImproperlyConfigured(f"PORTAL_REGISTERS: {path} is not a Register declaration.")
    keys = [register.key for register in registers]
    if len(set(keys)) != len(keys):
        raise ImproperlyConfigured(f"PORTAL_REGISTERS: register keys repeat: {keys}.")
    return registers


REGISTERS: tuple[Register, ...] = _declared(settings.PORTAL_REGISTERS)
REGISTERS_BY_KEY = {register.key: register for register in REGISTERS}


def get_register(key: str) -> Register:
    try:
        return REGISTERS_BY_KEY[key]
    except KeyError:
        known = ", ".join(REGISTERS_BY_KEY)
        raise KeyError(f"Unknown register {key!r}; the registers are: {known}.") from None


__all__ = [
    "Category",
    "FieldSpec",
    "REGISTERS",
    "REGISTERS_BY_KEY",
    "Register",
    "RelatedSpec",
    "get_register",
]
