from django.utils.translation import gettext_lazy as _

from portal.registers import common
from portal.registers.base import Category, FieldSpec, Register, RelatedSpec
from portal.registers.erasure import RelatedErasure, customer_details_anonymised
from portal.registers.importing import ImportSpec
from portal.registers.recipients import (
    EMAIL_DELIVERY,
    HOSTING,
    EventSource,
    Kind,
    Purpose,
    Recipient,
)
from portal.registers.retention import CustomerRelationship
from portal.registers.scale import ScaleSpec

# What a carrier needs to deliver an order to you.
DELIVERY_NAME_AND_ADDRESS = (
    "first_name",
    "last_name",
    "company_name",
    "delivery_address",
    "delivery_postal_code",
    "delivery_post_office",
    "delivery_instructions",
)
CARRIER_BASIS = _("Delivering your order, under the customer contract (GDPR Art. 6(1)(b)).")
CARRIER_NOTE = _("Only for the orders it delivers to you.")


def delivered_mostly(rng, label, values) -> None:
    """Generated data (registers/scale.py): most orders have been delivered."""
    if label == "portal.Order":
        values["status"] = rng.choices(("delivered", "received", "cancelled"), (90, 6, 4))[0]


# A delivery is a disclosure of name and delivery address to its carrier on the day it ships.
DELIVERED_BY = EventSource("deliveries", "method", "shipped_at", Purpose.DELIVERY)

WEBSHOP = Register(
    key="webshop",
    seed_section="5.4",
    name=_("Web-shop billing and order register (kauppa.tector.fi)"),
    short_name=_("Web shop"),
    model="portal.WebshopAccount",
    subject_relation="webshopaccount_records",
    purpose=_(
        "Running your web-shop account: orders, deliveries, invoicing, returns and credit "
        "sales in kauppa.tector.fi, and keeping in touch with you about them."
    ),
    legal_basis=_(
        "The customer contract and the web-shop terms (GDPR Art. 6(1)(b)); bookkeeping "
        "required by the Accounting Act (Art. 6(1)(c)); for payment terms and the credit "
        "limit, our legitimate interest in managing credit risk (Art. 6(1)(f))."
    ),
    data_categories=(
        Category.IDENTITY,
        Category.COMPANY,
        Category.CONTACT,
        Category.DELIVERY,
        Category.CREDIT,
        Category.CREDENTIALS,
        Category.TRANSACTIONS,
        Category.ADMINISTRATIVE,
    ),
    sources=(common.CUSTOMER_SOURCE, common.UPDATE_SOURCE, common.CREDIT_SOURCE),
    data_subjects=common.CUSTOMER_SUBJECTS,
    provision=common.customer_provision(
        _(
            "Without these details you cannot open a web-shop account or order in the web "
            "shop, and we cannot deliver or invoice your orders."
        )
    ),
    recipient_list=(
        HOSTING,
        EMAIL_DELIVERY,
        Recipient(
            "posti",
            Kind.CARRIER,
            CARRIER_BASIS,
            DELIVERY_NAME_AND_ADDRESS,
            note=CARRIER_NOTE,
            events=DELIVERED_BY,
        ),
        Recipient(
            "matkahuolto",
            Kind.CARRIER,
            CARRIER_BASIS,
            DELIVERY_NAME_AND_ADDRESS,
            note=CARRIER_NOTE,
            events=DELIVERED_BY,
        ),
        Recipient(
            "principal",
            Kind.PRINCIPAL,
            _(
                "Our legitimate interest, and the manufacturer's, in the warranty, service "
                "and support of its products (GDPR Art. 6(1)(f))."
            ),
            fields=("first_name", "last_name", "company_name", "business_id", "invoices"),
            note=_("Only data on invoices and service work that concern its own products."),
            interest=_(
                "The manufacturer must know who bought which of its products, and what service "
                "work was done on them, to honour the warranty, to service the products and to "
                "support their users; we want our customers' warranties and service to work."
            ),
            # Seed 7.4: staff record each disclosure (the staff disclosures page).
            recorded_by_staff=True,
        ),
    ),
    transfers=common.NO_TRANSFERS,
    erasure=customer_details_anonymised(
        erased=("username", "password", "password_changed_at"),
        related=(
            RelatedErasure("orders", kept_if="invoices"),
            RelatedErasure("deliveries"),
            RelatedErasure("invoices", kept=True),
            RelatedErasure("returns", kept=True),
        ),
        dated_by=("invoices", "issued_on"),
    ),
    retention=(
        _(
            "For as long as your web-shop account is in use: 2 years from your last order (or "
            "from the opening of the account, if you have not ordered). After that the account "
            "is anonymised, and only what the Accounting Act requires is kept (below)."
        ),
        common.ACCOUNTING_RETENTION,
    ),
    retention_rule=CustomerRelationship(
        years=2,
        activity=("orders__placed_at",),
        vouchers=("orders__invoices__issued_on", "orders__returns__returned_on"),
        kept_scope=_(
            "Your name, business ID and billing address, with the invoices, the orders they "
            "belong to and the refunds"
        ),
    ),
    fields=(
        FieldSpec("username", Category.CREDENTIALS),
        FieldSpec("password", Category.CREDENTIALS, secret=True),
        FieldSpec("password_changed_at", Category.CREDENTIALS),
    )
    + common.CUSTOMER_DETAIL_FIELDS
    + common.ADMINISTRATIVE_FIELDS,
    import_format=ImportSpec(natural_key="username", required=("username", "email")),
    related=(
        RelatedSpec(
            "orders",
            "portal.Order",
            "account",
            ("number", "placed_at", "status", "items", "total"),
            internal_fields=("id", "account"),
        ),
        RelatedSpec(
            "deliveries",
            "portal.Delivery",
            "order__account",
            ("order", "method", "address", "shipped_at", "delivered_at", "tracking_code"),
        ),
        RelatedSpec(
            "invoices",
            "portal.Invoice",
            "order__account",
            ("order", "number", "issued_on", "due_on", "amount", "paid_on"),
        ),
        RelatedSpec(
            "returns",
            "portal.Return",
            "order__account",
            ("order", "returned_on", "items", "reason", "refund"),
        ),
    ),
    scale=ScaleSpec(
        share=0.5,
        related=(("orders", 4), ("deliveries", 1), ("invoices", 1), ("returns", 0.05)),
        adjust=delivered_mostly,
    ),
)
