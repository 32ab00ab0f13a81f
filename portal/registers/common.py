"""Declarations shared by more than one register."""

from django.utils.translation import gettext_lazy as _

from portal.registers.base import Category, Concept, FieldSpec
from portal.registers.provision import Provision, Requirement

BUSINESS_DECISION = _(
    "This is a business decision of the company, not a fact about you. You can dispute it "
    "with a free-form request and ask for its use to be restricted meanwhile."
)

ADMINISTRATIVE_FIELDS = (
    FieldSpec("customer_number", Category.ADMINISTRATIVE),
    FieldSpec("created_at", Category.ADMINISTRATIVE),
    FieldSpec("updated_at", Category.ADMINISTRATIVE),
    FieldSpec("restricted_at", Category.ADMINISTRATIVE),
)

# The contact and credit details of seed sections 5.1 and 5.4.
CUSTOMER_DETAIL_FIELDS = (
    FieldSpec("customer_type", Category.IDENTITY),
    FieldSpec("first_name", Category.IDENTITY, correctable=True, concept=Concept.GIVEN_NAME),
    FieldSpec("last_name", Category.IDENTITY, correctable=True, concept=Concept.FAMILY_NAME),
    FieldSpec("company_name", Category.COMPANY, correctable=True, concept=Concept.COMPANY_NAME),
    FieldSpec("business_id", Category.COMPANY, correctable=True, concept=Concept.BUSINESS_ID),
    FieldSpec("contact_person", Category.COMPANY, correctable=True, concept=Concept.CONTACT_PERSON),
    FieldSpec("street_address", Category.CONTACT, correctable=True, concept=Concept.STREET_ADDRESS),
    FieldSpec("postal_code", Category.CONTACT, correctable=True, concept=Concept.POSTAL_CODE),
    FieldSpec("post_office", Category.CONTACT, correctable=True, concept=Concept.POST_OFFICE),
    FieldSpec(
        "delivery_address", Category.DELIVERY, correctable=True, concept=Concept.DELIVERY_ADDRESS
    ),
    FieldSpec(
        "delivery_postal_code",
        Category.DELIVERY,
        correctable=True,
        concept=Concept.DELIVERY_POSTAL_CODE,
    ),
    FieldSpec(
        "delivery_post_office",
        Category.DELIVERY,
        correctable=True,
        concept=Concept.DELIVERY_POST_OFFICE,
    ),
    FieldSpec(
        "delivery_instructions",
        Category.DELIVERY,
        correctable=True,
        concept=Concept.DELIVERY_INSTRUCTIONS,
    ),
    FieldSpec("phone", Category.CONTACT, correctable=True, concept=Concept.PHONE),
    FieldSpec("fax", Category.CONTACT, correctable=True, concept=Concept.FAX),
    FieldSpec("email", Category.CONTACT, correctable=True, concept=Concept.EMAIL),
    FieldSpec("payment_terms", Category.CREDIT, not_correctable_reason=BUSINESS_DECISION),
    FieldSpec("credit_limit", Category.CREDIT, not_correctable_reason=BUSINESS_DECISION),
)

CREDIT_SOURCE = _(
    "Credit information (creditworthiness) from the credit information register of "
    "Suomen Asiakastieto Oy."
)
CUSTOMER_SOURCE = _(
    "You, when the customer relationship begins or when you contact us, orally or in writing."
)
UPDATE_SOURCE = _(
    "Updates from your own notices to us and from generally available publications and "
    "files (such as the Trade Register)."
)
NO_TRANSFERS = _("None. No data is transferred outside the EU or the European Economic Area.")

ACCOUNTING_RETENTION = _(
    "Invoices, refunds and the customer details on them are accounting vouchers. The "
    "Accounting Act (1336/1997, chapter 2, section 10) requires us to keep vouchers for at "
    "least 6 years from the end of the calendar year in which the financial year ended, and "
    "the books for 10 years from the end of the financial year. Until then your name, business "
    "ID and billing address are kept with them; everything else is erased."
)
# What stays of a billing or web-shop customer while the vouchers are kept (retention_rule).
ACCOUNTING_KEPT_SCOPE = _("Your name, business ID and billing address, as on the invoices")

# Whose data the customer registers hold (Art. 30(1)(c)).
CUSTOMER_SUBJECTS = (
    _("customers who are private persons"),
    _("contact persons of company customers"),
)


def customer_provision(consequence) -> Provision:
    """Art. 13(2)(e) for a customer register: a requirement of the customer contract."""
    return Provision(Requirement.CONTRACT, consequence)
