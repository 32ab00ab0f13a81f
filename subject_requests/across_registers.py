"""One correction across registers: each distinct detail the person's records hold, once.

An address held in billing, the postal register and the web shop is one detail to the person:
the declarations give each correctable field a concept (portal.registers.base.Concept), and
the fields of the same concept holding the same value are grouped, with every record that
holds it. The correction of a detail then covers all of them (one request, one FieldChange per
record). Nothing here names a register: what is grouped comes from the declarations.
"""

import secrets
from dataclasses import dataclass, field

from portal.registers import REGISTERS, Category, FieldSpec, Register
from subject_requests.forms import as_text
from subject_requests.selectors import customer_records

SESSION_KEY = "portal_correction_across"


@dataclass(frozen=True)
class Holder:
    """One record's field that holds a detail."""

    register: Register
    record: object
    spec: FieldSpec

    @property
    def model_field(self):
        return self.record._meta.get_field(self.spec.name)


@dataclass
class Detail:
    key: str  # the form field's name: the concept, and "-<n>" for its n-th distinct value
    concept: str
    value: str
    holders: list[Holder] = field(default_factory=list)

    @property
    def category(self) -> str:
        return self.holders[0].spec.category

    @property
    def label(self):
        return self.holders[0].register.field_label(self.holders[0].spec.name)

    @property
    def registers(self) -> list[Register]:
        return list({h.register.key: h.register for h in self.holders}.values())

    @property
    def field_names(self) -> set[str]:
        return {h.spec.name for h in self.holders}


def _concept(register: Register, spec: FieldSpec) -> str:
    # A field declared without a concept is a detail of its register alone.
    return spec.concept or f"{register.key}__{spec.name}"


def person_details(user, subjects=None) -> list[Detail]:
    """The correctable details held about `user`'s linked subjects, each distinct value once,
    in declaration order. A concept's empty value is offered only where no record holds a
    value for it (to add a missing phone, say), and company details only to people whose
    records hold any (private persons are not asked for a business ID)."""
    grouped: dict[tuple[str, str], Detail] = {}
    for register in REGISTERS:
        if not register.correctable_fields:
            continue
        for record in customer_records(user, register, subjects):
            for spec in register.correctable_fields:
                concept = _concept(register, spec)
                value = as_text(getattr(record, spec.name))
                detail = grouped.setdefault((concept, value), Detail("", concept, value))
                detail.holders.append(Holder(register, record, spec))
    # The values of one concept side by side, in the order the concepts first appear.
    first = {}
    for concept, _value in grouped:
        first.setdefault(concept, len(first))
    details = sorted(grouped.values(), key=lambda d: first[d.concept])
    filled = {d.concept for d in details if d.value}
    details = [d for d in details if d.value or d.concept not in filled]
    if not any(d.value for d in details if d.category == Category.COMPANY):
        details = [d for d in details if d.category != Category.COMPANY]
    seen: dict[str, int] = {}
    for detail in details:
        n = seen[detail.concept] = seen.get(detail.concept, 0) + 1
        detail.key = detail.concept if n == 1 else f"{detail.concept}-{n}"
    return details


# --- The correction on its way, between the form, the review and the code step ---------------


def pending_set(request, changes: dict[str, tuple[str, str]]) -> None:
    """`changes`: form key -> (the value shown, the new value)."""
    request.session[SESSION_KEY] = {
        "changes": {key: list(pair) for key, pair in changes.items()},
        # The correction is sent once, however often its review or code step is posted.
        "key": secrets.token_urlsafe(24),
    }


def pending_get(request) -> dict | None:
    return request.session.get(SESSION_KEY)


def pending_clear(request) -> None:
    request.session.pop(SESSION_KEY, None)


@dataclass(frozen=True)
class Change:
    detail: Detail
    new: str


def pending_changes(request) -> list[Change] | None:
    """The pending changes, looked up again through the signed-in user: a detail whose value
    changed meanwhile, or that now already has the new value, is left out. None when no
    correction is pending."""
    pending = pending_get(request)
    if pending is None:
        return None
    details = {d.key: d for d in person_details(request.user)}
    found = []
    for key, (old, new) in pending["changes"].items():
        detail = details.get(key)
        if detail is not None and detail.value == old and old != new:
            found.append(Change(detail, new))
    return found


def new_values_by_field(changes: list[Change]) -> dict[str, str]:
    """Field name -> new value, to find a new email address needing a code."""
    return {name: c.new for c in changes for name in c.detail.field_names}


def targets(changes: list[Change]) -> list[tuple]:
    """(record, field name, new value) for every record holding a changed detail."""
    return [(h.record, h.spec.name, c.new) for c in changes for h in c.detail.holders]
