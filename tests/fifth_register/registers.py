"""The declaration of the test-only loyalty register: all that the portal knows of it.

An anonymising erasure with kept fields, on purpose: the points still owed to a member are a
debt in the books, so the card number and the balance stay (dated like vouchers) while the
name, the email address and the customer number go.
"""

from portal.registers import common
from portal.registers.base import Category, Concept, FieldSpec, Register
from portal.registers.erasure import ACCOUNTING_ACT, ANONYMISE, ErasurePolicy
from portal.registers.importing import ImportSpec
from portal.registers.provision import Provision, Requirement
from portal.registers.recipients import EMAIL_DELIVERY, HOSTING
from portal.registers.retention import CustomerRelationship, voucher_keep_until


def points_are_whole(values):
    """A row check of the register's own: points are a count, not money."""
    points = values.get("points")
    if points is not None and points > 100_000:
        return [("points", "no card holds more than 100000 points")]
    return []


LOYALTY = Register(
    key="loyalty",
    seed_section="T.1",
    name="Loyalty-card register (tests only)",
    short_name="Loyalty card",
    model="loyalty.LoyaltyMember",
    subject_relation="loyaltymember_records",
    purpose="Running the loyalty card: collecting and redeeming points.",
    legal_basis="The loyalty programme's terms, a contract with you (GDPR Art. 6(1)(b)).",
    data_categories=(
        Category.IDENTITY,
        Category.CONTACT,
        Category.TRANSACTIONS,
        Category.ADMINISTRATIVE,
    ),
    sources=("You, when you joined the loyalty programme.",),
    data_subjects=("members of the loyalty programme",),
    provision=Provision(
        Requirement.VOLUNTARY, "Without a card you collect no points; nothing else follows."
    ),
    recipient_list=(HOSTING, EMAIL_DELIVERY),
    transfers=common.NO_TRANSFERS,
    retention=(
        "While you are a member, and 2 years after the card was last used; the card number "
        "and its points balance then stay as long as the Accounting Act requires.",
    ),
    retention_rule=CustomerRelationship(
        years=2,
        activity=("updated_at",),
        vouchers=("updated_at",),
        kept_scope="The card number and its points balance",
    ),
    erasure=ErasurePolicy(
        method=ANONYMISE,
        suppress=("email",),
        kept=("card_number", "points"),
        erased=("email", "name", "customer_number"),
        basis=ACCOUNTING_ACT,
        keep_until=voucher_keep_until,
    ),
    fields=(
        FieldSpec("name", Category.IDENTITY, correctable=True, concept=Concept.FULL_NAME),
        FieldSpec("email", Category.CONTACT, correctable=True, concept=Concept.EMAIL),
        FieldSpec("card_number", Category.ADMINISTRATIVE),
        # Points earned from purchases: a business record, disputed rather than corrected.
        FieldSpec("points", Category.TRANSACTIONS, not_correctable_reason=common.BUSINESS_DECISION),
    )
    + common.ADMINISTRATIVE_FIELDS,
    import_format=ImportSpec(
        natural_key="card_number",
        required=("card_number", "email", "name"),
        row_checks=(points_are_whole,),
    ),
)
