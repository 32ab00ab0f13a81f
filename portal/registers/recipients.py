"""Who receives a register's data (GDPR Art. 4(9), 13(1)(e), 15(1)(c)), declared as data.

Each register lists its recipients in its declaration (`Register.recipient_list`). A recipient
has a stable key, which a record of disclosures can point to; its name comes from
configuration (`settings.RECIPIENTS`), so the notice names the real companies without a code
change. What it receives is a list of the register's own field names (or keys of its related
events), so it can be shown in any language and compared with what was actually disclosed.
"""

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
class Recipient:
    key: str
    kind: str
    legal_basis: Promise
    # Field names of the register, or keys of its related events (the web shop's "invoices").
    fields: tuple[str, ...] = ()
    # A processor that holds the whole register (hosting) receives every field and event.
    all_data: bool = False
    note: Promise | None = None

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
