"""Erasure policies (GDPR Art. 17): what erasing a register's records does, declared with it.

A policy is one of two kinds:

- DELETE: the records go; a keyed hash of the suppression key stays, so that a later import
  does not bring the person back into marketing. Fields named as evidence (the dates of a
  newsletter consent) are copied into the record of the erasure, which is never shredded,
  as proof of what was consented to and when (Art. 5(2), 7(1), 17(3)(e)).
- ANONYMISE: the `erased` fields are blanked, the `kept` fields stay for the declared legal
  basis until a date computed from the record, and each kind of related event is deleted or
  kept as declared (the web shop: deliveries deleted, orders without invoices deleted,
  invoiced orders with their invoices and returns kept).

A register without a policy refuses to be erased: saying "erased" while keeping the data would
be false. The service (subject_requests/services/erasure.py) reads only these objects.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from portal.registers.marketing import SUPPRESSION_FIELDS

# Vouchers are kept as retention counts them: from the end of the financial year (2:10).
from portal.registers.retention import voucher_keep_until

DELETE = "delete"
ANONYMISE = "anonymise"
# The record's own dates stay with an anonymised record and are not listed as kept data.
RECORD_DATES = ("created_at", "updated_at", "restricted_at")


@dataclass(frozen=True)
class KeptBasis:
    """Why something is kept after an erasure: a stable code, stored with the erasure and
    its answer, and the text rendered in the reader's language."""

    code: str
    text: Promise


ACCOUNTING_ACT = KeptBasis(
    "accounting_act",
    _(
        "the Accounting Act (1336/1997, chapter 2, section 10) requires us to keep accounting "
        "vouchers (GDPR Art. 17(3)(b))"
    ),
)
CONSENT_PROOF = KeptBasis(
    "consent_proof",
    _(
        "they prove your consent and its withdrawal, should our emails to you be disputed "
        "(GDPR Art. 7(1) and 17(3)(e))"
    ),
)
BASES = {basis.code: basis for basis in (ACCOUNTING_ACT, CONSENT_PROOF)}


def claims_keep_until(erased: datetime.date) -> datetime.date:
    """Evidence for claims: the general limitation period of 3 years (Act on the Limitation
    of Debts 728/2003, section 4), to the end of that year."""
    return datetime.date(erased.year + 3, 12, 31)


@dataclass(frozen=True)
class RelatedErasure:
    """What an anonymising erasure does to one kind of related event (a RelatedSpec key).

    Deleted, unless `kept` (kept whole, e.g. invoices) or it has rows under `kept_if`
    (a related name on the event model: orders that have invoices are kept)."""

    key: str
    kept: bool = False
    kept_if: str = ""


@dataclass(frozen=True)
class ErasurePolicy:
    method: str  # DELETE or ANONYMISE
    # Suppression key kinds written on erasure (marketing.SUPPRESSION_FIELDS).
    suppress: tuple[str, ...] = ()
    # ANONYMISE: every declared field except RECORD_DATES is in exactly one of these.
    kept: tuple[str, ...] = ()
    erased: tuple[str, ...] = ()
    basis: KeptBasis | None = None
    related: tuple[RelatedErasure, ...] = ()
    # The kept data's until-date, from the latest `dated_by` (related key, date field), or
    # the record's last update when there is none.
    keep_until: Callable[[datetime.date], datetime.date] | None = None
    dated_by: tuple[str, str] | None = None
    # DELETE: fields copied into the record of the erasure as evidence, and why and how long.
    evidence: tuple[str, ...] = ()
    evidence_basis: KeptBasis | None = None
    evidence_until: Callable[[datetime.date], datetime.date] | None = None

    def problems(self, register) -> list[str]:
        """What is wrong with this policy for `register` (checked by a test per register)."""
        declared = {spec.name for spec in register.fields}
        related = {spec.key for spec in register.related}
        found = []
        if self.method not in (DELETE, ANONYMISE):
            found.append(f"unknown method {self.method!r}")
        for kind in self.suppress:
            if not set(SUPPRESSION_FIELDS.get(kind, (kind,))) <= declared:
                found.append(f"suppression key {kind!r} does not fit the register's fields")
        if not set(self.evidence) <= declared:
            found.append(f"evidence not declared: {set(self.evidence) - declared}")
        if self.evidence and (self.evidence_basis is None or self.evidence_until is None):
            found.append("evidence needs a basis and an until-date")
        if self.method == DELETE:
            if self.kept or self.erased or self.related:
                found.append("a deleting policy keeps nothing and lists no fields")
            return found
        kept, erased = set(self.kept), set(self.erased)
        if kept & erased:
            found.append(f"both kept and erased: {kept & erased}")
        uncovered = declared - kept - erased - set(RECORD_DATES)
        if uncovered:
            found.append(f"neither kept nor erased: {uncovered}")
        if (kept | erased) - declared:
            found.append(f"not declared fields: {(kept | erased) - declared}")
        if kept and (self.basis is None or self.keep_until is None):
            found.append("kept fields need a legal basis and an until-date")
        if {r.key for r in self.related} != related:
            found.append("every related event needs a rule, and only those")
        if self.dated_by and self.dated_by[0] not in related:
            found.append(f"dated by an unknown related event {self.dated_by[0]!r}")
        return found


def customer_details_anonymised(
    *, erased: tuple[str, ...] = (), related=(), dated_by=None
) -> ErasurePolicy:
    """The billing and web-shop customers: whom the invoices were for is kept as long as the
    vouchers are; contact, delivery and credit details (and `erased`) go."""
    return ErasurePolicy(
        method=ANONYMISE,
        suppress=("email",),
        kept=(
            "customer_type",
            "first_name",
            "last_name",
            "company_name",
            "business_id",
            "street_address",
            "postal_code",
            "post_office",
            "customer_number",
        ),
        erased=erased
        + (
            "contact_person",
            "delivery_address",
            "delivery_postal_code",
            "delivery_post_office",
            "delivery_instructions",
            "phone",
            "fax",
            "email",
            "payment_terms",
            "credit_limit",
        ),
        basis=ACCOUNTING_ACT,
        keep_until=voucher_keep_until,
        related=related,
        dated_by=dated_by,
    )
