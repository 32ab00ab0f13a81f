"""Whether records are about the same person: what a customer number may link on.

A customer number is typed by people and is sometimes given to the wrong one, so on its
own it proves nothing. Records that share one belong together only when what identifies
the person agrees as well: the business ID (Y-tunnus) when both records have one, else
the company's name, else the person's first and last name, else, for a register that holds
no names (the newsletter), the email address. When the records have nothing to compare,
they do not match: a case for staff is cheaper than one person seeing another's data.
"""

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

# The model fields that say who a record is about. Each register compares those of them it
# declares, so a register added later takes part without code of its own.
PERSON_FIELDS = ("first_name", "last_name", "company_name", "business_id", "email")


def register_person_fields(register) -> tuple[str, ...]:
    declared = {spec.name for spec in register.fields}
    return tuple(name for name in PERSON_FIELDS if name in declared)


def normalise(text: Any) -> str:
    """'  MÄKINEN-virta ' and 'Makinen Virta' are the same name: no case, accents or marks."""
    decomposed = unicodedata.normalize("NFKD", str(text or ""))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.findall(r"\w+", bare.casefold()))


@dataclass(frozen=True)
class Person:
    business_id: str = ""
    company: str = ""
    name: str = ""  # first and last name
    email: str = ""


def person_of(values: Mapping[str, Any]) -> Person:
    """The person a record (or an import row, as a dict of field values) is about."""
    full_name = f"{values.get('first_name') or ''} {values.get('last_name') or ''}"
    return Person(
        business_id=normalise(values.get("business_id")).replace(" ", ""),
        company=normalise(values.get("company_name")),
        name=normalise(full_name),
        email=str(values.get("email") or "").strip().lower(),
    )


def same_person(a: Person, b: Person) -> bool:
    """Compared on the strongest evidence both have; a difference there is decisive."""
    for evidence in ("business_id", "company", "name", "email"):
        mine, theirs = getattr(a, evidence), getattr(b, evidence)
        if mine and theirs:
            return mine == theirs
    return False


def vouched_for(known: Iterable[Person], others: Iterable[Person]) -> bool:
    """Every one of `others` is the same person as one of `known` (and there is one)."""
    known, others = list(known), list(others)
    return bool(others) and all(any(same_person(k, o) for k in known) for o in others)
