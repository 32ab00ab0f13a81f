"""The registers the portal serves, in order: the declarations settings.PORTAL_REGISTERS names
(by default the four of Tector's customer register, seed section 5).

To add a register: write its model, declare it in a module of its own (as the siblings here
are), and add the declaration's dotted path to PORTAL_REGISTERS. Nothing else names it: the
notice, my-data, the extract, the requests, import, erasure, retention, roles and the admin
all read REGISTERS. The list is read once, when this module is first imported (forms, URL
choices and the admin are built from it at import).
"""

import re

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from portal.registers.base import Category, Concept, FieldSpec, Register, RelatedSpec

# What the URLs (a slug), the export schema and a request's register column (20 characters)
# all accept as a register key.
KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,19}$")


def _declared(paths) -> tuple[Register, ...]:
    registers = tuple(import_string(path) for path in paths)
    for path, register in zip(paths, registers, strict=True):
        if not isinstance(register, Register):
            raise ImproperlyConfigured(f"PORTAL_REGISTERS: {path} is not a Register declaration.")
        if not KEY_RE.match(register.key):
            raise ImproperlyConfigured(
                f"PORTAL_REGISTERS: {path} has the key {register.key!r}; a key is at most 20 "
                "lower-case letters, digits and underscores, starting with a letter."
            )
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
    "Concept",
    "FieldSpec",
    "REGISTERS",
    "REGISTERS_BY_KEY",
    "Register",
    "RelatedSpec",
    "get_register",
]
