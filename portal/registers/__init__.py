"""The four customer registers of Tector's customer register (seed section 5), in order.

To add a register: write its model, declare it in a module beside these, list it here.
"""

from portal.registers.base import Category, FieldSpec, Register, RelatedSpec
from portal.registers.billing import BILLING
from portal.registers.newsletter import NEWSLETTER
from portal.registers.postal import POSTAL
from portal.registers.webshop import WEBSHOP

REGISTERS: tuple[Register, ...] = (BILLING, POSTAL, NEWSLETTER, WEBSHOP)
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
