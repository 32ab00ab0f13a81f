"""Who receives a register's data (GDPR Art. 4(9), 13(1)(e), 15(1)(c)), declared as data.

Each register lists its recipients in its declaration (`Register.recipient_list`). A recipient
has a stable key, which a record of disclosures can point to; its name comes from
configuration (`settings.RECIPIENTS`), so the notice names the real companies without a code
change. What it receives is a list of the register's own field names (or keys of its related
events), so it can be shown in any language and compared with what was actually disclosed.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Kind:
    """Kinds of recipient, stored as codes and shown in the reader's language."""

    PROCESSOR = "processor"
    CARRIER = "carrier"
    PRINCIPAL = "principal"
    PARTNER = "partner"
    AUTHORITY = "authority"

    labels = {
        PROCESSOR: _("processor (processes the data on our behalf)"),
        CARRIER: _("carrier"),
        PRINCIPAL: _("principal (a manufacturer whose products we represent)"),
        PARTNER: _("partner"),
        AUTHORITY: _("authority"),
    }


ALL_DATA = _("all data in this register")


@dataclass(frozen=True)
class EventSource:
    """Disclosures read from a register's own events rather than written to the ledger: each
    event (a delivery) names its recipient in `recipient_field` (the carrier, the first word
    of the delivery method) and was disclosed on the date in `date_field` (when it shipped).
    The event row is itself the record of the disclosure, so nothing is copied."""

    related: str  # key of the register's RelatedSpec
    recipient_field: str
    date_field: str
    purpose: str  # a code of Purpose


class Purpose:
    """Purposes of the disclosures the portal records by itself, as codes (staff write their
    own purpose for the others)."""

    DELIVERY = "delivery"

    labels = {DELIVERY: _("Delivering your order")}


def carrier_key(method: str) -> str:
    """The recipient key a delivery method names: its first word, lower-cased
    ("Posti, kotiinkuljetus" -> "posti")."""
    words = re.findall(r"\w+", method or "")
    return words[0].lower() if words else ""


@dataclass(frozen=True)
class Recipient:
    key: str
    kind: str
    legal_basis: Promise
    # Field names of the register, or keys of its related events (the web shop's "invoices").
    fields: tuple[str, ...] = ()
    # A processor that holds the whole register (hosting) receives every field and event.
    all_data: bool = False
    note: Promise | None = None
    # Where the legal basis is a legitimate interest (Art. 6(1)(f)): whose, and what it is,
    # as the notice must say (Art. 13(1)(d)).
    interest: Promise | None = None
    # How its disclosures are recorded (a recipient with none of these, a processor, holds
    # the data on our behalf all the time and is named as such):
    # name-and-address lists exported to it, of the records with these (field, value) pairs;
    list_audience: tuple[tuple[str, object], ...] = ()
    # staff record each disclosure of one person's data (a principal, seed 7.4);
    recorded_by_staff: bool = False
    # or the register's events show them (a carrier's deliveries).
    events: EventSource | None = None

    def __post_init__(self):
        if self.kind not in Kind.labels:
            raise ValueError(f"Unknown kind of recipient {self.kind!r} for {self.key!r}.")
        if bool(self.fields) == self.all_data:
            raise ValueError(f"Recipient {self.key!r}: give either fields or all_data=True.")

    @property
    def name(self) -> str:
        # Read at render time, so that configuration (and a test's override) decides the name.
        return settings.RECIPIENTS.get(self.key, self.key)

    @property
    def kind_label(self):
        return Kind.labels[self.kind]

    def receives(self, register) -> tuple[str, ...]:
        """The names of the register's fields (and event keys) this recipient receives."""
        if self.all_data:
            return tuple(spec.name for spec in register.fields) + tuple(
                related.key for related in register.related
            )
        return self.fields

    def receives_labels(self, register) -> list:
        """What it receives, in the reader's language."""
        if self.all_data:
            return [ALL_DATA]
        related = {r.key: r.title for r in register.related}
        return [related[n] if n in related else register.field_label(n) for n in self.fields]


@dataclass(frozen=True)
class RecipientEntry:
    """A recipient of one register, ready to show (notice, my-data, extract) or export."""

    key: str
    name: str
    kind: str
    kind_label: Promise
    receives: tuple[str, ...]
    receives_labels: list
    legal_basis: Promise
    note: Promise | None
    interest: Promise | None = None


def recipient_for(register, key: str) -> Recipient | None:
    """The recipient `key` as `register` declares it, or None if it declares none such."""
    return next((r for r in register.recipient_list if r.key == key), None)


def register_recipients(register) -> list[RecipientEntry]:
    return [
        RecipientEntry(
            key=r.key,
            name=r.name,
            kind=r.kind,
            kind_label=r.kind_label,
            receives=r.receives(register),
            receives_labels=r.receives_labels(register),
            legal_basis=r.legal_basis,
            note=r.note,
            interest=r.interest,
        )
        for r in register.recipient_list
    ]


# --- Recipients of more than one register -------------------------------------------------

PROCESSOR_BASIS = _(
    "A data processing agreement (GDPR Art. 28): it may use the data only on our instructions, "
    "never for its own purposes."
)

HOSTING = Recipient("hosting", Kind.PROCESSOR, PROCESSOR_BASIS, all_data=True)
EMAIL_DELIVERY = Recipient(
    "email_delivery",
    Kind.PROCESSOR,
    PROCESSOR_BASIS,
    fields=("email",),
    note=_("Only to deliver the emails we send you."),
)
