from django.utils.translation import gettext_lazy as _

from portal.registers import common
from portal.registers.base import Category, Register
from portal.registers.erasure import customer_details_anonymised
from portal.registers.importing import ImportSpec, name_of_person_or_company
from portal.registers.interests import LegitimateInterest
from portal.registers.recipients import EMAIL_DELIVERY, HOSTING
from portal.registers.retention import CustomerRelationship
from portal.registers.scale import ScaleSpec

BILLING = Register(
    key="billing",
    seed_section="5.1",
    name=_("Billing and order register"),
    short_name=_("Billing"),
    model="portal.BillingCustomer",
    subject_relation="billingcustomer_records",
    purpose=_(
        "Handling your orders and deliveries, invoicing, credit sales and keeping in touch "
        "with you as a customer."
    ),
    legal_basis=_(
        "The customer contract (GDPR Art. 6(1)(b)); bookkeeping required by the Accounting Act "
        "(Art. 6(1)(c)); for payment terms and the credit limit, our legitimate interest in "
        "managing credit risk (Art. 6(1)(f))."
    ),
    data_categories=(
        Category.IDENTITY,
        Category.COMPANY,
        Category.CONTACT,
        Category.DELIVERY,
        Category.CREDIT,
        Category.ADMINISTRATIVE,
    ),
    sources=(common.CUSTOMER_SOURCE, common.UPDATE_SOURCE, common.CREDIT_SOURCE),
    data_subjects=common.CUSTOMER_SUBJECTS,
    provision=common.customer_provision(
        _(
            "Without your name, address and contact details we cannot deliver to you, invoice "
            "you or sell to you on credit, so we cannot make a customer contract with you."
        )
    ),
    recipient_list=(HOSTING, EMAIL_DELIVERY),
    transfers=common.NO_TRANSFERS,
    erasure=customer_details_anonymised(),
    retention=(
        _(
            "For as long as the customer relationship lasts: 2 years from the last update of "
            "your customer record. After that the record is anonymised, and only what the "
            "Accounting Act requires is kept (below)."
        ),
        common.ACCOUNTING_RETENTION,
    ),
    # The billing system holds the orders and invoices; the portal knows only when it last
    # updated the record, so both periods count from that day.
    retention_rule=CustomerRelationship(
        years=2,
        activity=("updated_at",),
        vouchers=("updated_at",),
        kept_scope=common.ACCOUNTING_KEPT_SCOPE,
    ),
    fields=common.CUSTOMER_DETAIL_FIELDS + common.ADMINISTRATIVE_FIELDS,
    import_format=ImportSpec(
        natural_key="customer_number",
        required=("customer_number",),
        row_checks=(name_of_person_or_company,),
    ),
    scale=ScaleSpec(share=0.6),
    legitimate_interests=(
        LegitimateInterest(
            key="credit_risk",
            purpose=_("Managing credit risk: your payment terms and credit limit"),
            fields=("payment_terms", "credit_limit"),
        ),
    ),
)
