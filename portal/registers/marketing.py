"""Marketing policies: which channels a register serves, who on it may receive marketing,
which direct-marketing objections apply to it and what each sets on its records, and which
suppression key keeps an objecting or erased person out for good (Art. 21(2)-(3)).

portal/marketing.py, the objection service and form, and the import read these; none of
them knows a register by its key.
"""

from dataclasses import dataclass

from django.utils.functional import Promise

# Channels.
BY_POST = "postal"
BY_EMAIL = "email"

# Suppression key kinds (portal.models.Suppression.Kind) and the fields each hashes
# (portal/suppression.py): the postal key is the name (company name, else last
# name) with the street address and postal code.
SUPPRESSION_FIELDS = {
    "email": ("email",),
    "postal": ("company_name", "last_name", "street_address", "postal_code"),
}

# Objection choices: stable codes, stored on the objection request and used as form fields.
NO_POSTAL_MARKETING = "no_postal_marketing"
NO_DISCLOSURE = "no_disclosure"
UNSUBSCRIBE = "unsubscribe"


@dataclass(frozen=True)
class Objection:
    """One choice of the objection form and what it does to the register's records."""

    choice: str
    label: Promise
    sets: tuple[tuple[str, object], ...]  # (field, value) pairs the objection sets
    stamp: str = ""  # a date-time field set to the moment the objection changed the record
    suppress: bool = True  # also suppress the record's key, so no import brings it back
    # Art. 19: when it changes a record, the recipients who received the register's data
    # are told (subject_requests/services/follow_ups.py lists them from the disclosures).
    tell_recipients: bool = False

    def changes(self, record) -> dict:
        """{field: {"old", "new"}} of what this objection would change on `record`."""
        return {
            name: {"old": getattr(record, name), "new": value}
            for name, value in self.sets
            if getattr(record, name) != value
        }


@dataclass(frozen=True)
class MarketingPolicy:
    channels: tuple[str, ...]
    audience: tuple[tuple[str, object], ...]  # (field, value): who may receive marketing
    objections: tuple[Objection, ...]
    suppression_key: str  # a SUPPRESSION_FIELDS kind

    def problems(self, register) -> list[str]:
        declared = {spec.name for spec in register.fields}
        found = []
        if not set(self.channels) <= {BY_POST, BY_EMAIL}:
            found.append(f"unknown channel in {self.channels}")
        if not set(SUPPRESSION_FIELDS.get(self.suppression_key, ("?",))) <= declared:
            found.append(f"suppression key {self.suppression_key!r} does not fit the fields")
        for objection in self.objections:
            names = {name for name, _value in objection.sets} | {objection.stamp} - {""}
            if not names <= declared:
                found.append(f"{objection.choice}: not declared {names - declared}")
        if not {name for name, _value in self.audience} <= declared:
            found.append("the audience names fields the register does not declare")
        return found


def objection_choices(registers) -> list[Objection]:
    """Every objection choice the registers offer, once, in register order."""
    seen: dict[str, Objection] = {}
    for register in registers:
        for objection in register.marketing.objections if register.marketing else ():
            seen.setdefault(objection.choice, objection)
    return list(seen.values())
