from django.utils.translation import gettext_lazy as _

from portal.registers import common
from portal.registers.base import Category, Concept, FieldSpec, Register
from portal.registers.erasure import DELETE, ErasurePolicy
from portal.registers.importing import ImportSpec, OptOut, some_name
from portal.registers.marketing import (
    BY_POST,
    NO_DISCLOSURE,
    NO_POSTAL_MARKETING,
    MarketingPolicy,
    Objection,
)
from portal.registers.provision import Provision, Requirement
from portal.registers.recipients import HOSTING, Kind, Recipient
from portal.registers.retention import MarketingEntry
from portal.registers.scale import ScaleSpec

POSTAL = Register(
    key="postal",
    seed_section="5.2",
    name=_("Postal register for direct marketing"),
    short_name=_("Postal marketing"),
    model="portal.PostalRecipient",
    subject_relation="postalrecipient_records",
    purpose=_("Sending customer news and direct marketing by post from Tector and its partners."),
    legal_basis=_(
        "Our legitimate interest in direct marketing (GDPR Art. 6(1)(f), recital 47). "
        "You may object at any time, and the objection takes effect at once (Art. 21(2)-(3))."
    ),
    data_categories=(
        Category.IDENTITY,
        Category.COMPANY,
        Category.CONTACT,
        Category.MARKETING,
        Category.ADMINISTRATIVE,
    ),
    sources=(common.CUSTOMER_SOURCE, common.UPDATE_SOURCE),
    data_subjects=(
        _(
            "customers, and contact persons of company customers, who receive direct "
            "marketing by post"
        ),
    ),
    provision=Provision(
        Requirement.VOLUNTARY,
        _(
            "If you do not give your name and address, or forbid direct marketing, you receive "
            "no direct marketing by post from us or our partners; nothing else follows."
        ),
    ),
    recipient_list=(
        HOSTING,
        Recipient(
            "partner",
            Kind.PARTNER,
            _(
                "Our partners' legitimate interest in direct marketing (GDPR Art. 6(1)(f)). "
                "You may forbid the disclosure at any time."
            ),
            fields=(
                "company_name",
                "first_name",
                "last_name",
                "street_address",
                "postal_code",
                "post_office",
            ),
            note=_("Only if you have not forbidden it."),
            interest=_(
                "Our partners, companies whose products and services suit our customers, want "
                "to offer them to you by post; we want to offer our customers those partners' "
                "offers."
            ),
            # Seed 7.2: lists of name and address (export_postal_disclosure), of the entries
            # that allow it; restricted, objecting and suppressed entries never.
            list_audience=(("disclosure_allowed", True),),
        ),
    ),
    transfers=common.NO_TRANSFERS,
    erasure=ErasurePolicy(method=DELETE, suppress=("postal",)),
    marketing=MarketingPolicy(
        channels=(BY_POST,),
        audience=(("postal_marketing_allowed", True),),
        suppression_key="postal",
        objections=(
            Objection(
                NO_POSTAL_MARKETING,
                _("Send me no direct marketing by post."),
                sets=(("postal_marketing_allowed", False),),
            ),
            Objection(
                NO_DISCLOSURE,
                _(
                    "Do not disclose my name and address to your partners for their direct "
                    "marketing."
                ),
                sets=(("disclosure_allowed", False),),
                suppress=False,
                tell_recipients=True,
            ),
        ),
    ),
    retention=(
        _(
            "Until you remove yourself from the register or forbid direct marketing (the entry "
            "is then deleted the next day), and at most 2 years from the last update of the "
            "entry: entries are reviewed every 2 years, and an entry not renewed at the review "
            "is deleted."
        ),
    ),
    retention_rule=MarketingEntry(review_years=2, allowed="postal_marketing_allowed"),
    fields=(
        FieldSpec("company_name", Category.COMPANY, correctable=True, concept=Concept.COMPANY_NAME),
        FieldSpec("first_name", Category.IDENTITY, correctable=True, concept=Concept.GIVEN_NAME),
        FieldSpec("last_name", Category.IDENTITY, correctable=True, concept=Concept.FAMILY_NAME),
        FieldSpec(
            "street_address", Category.CONTACT, correctable=True, concept=Concept.STREET_ADDRESS
        ),
        FieldSpec("postal_code", Category.CONTACT, correctable=True, concept=Concept.POSTAL_CODE),
        FieldSpec("post_office", Category.CONTACT, correctable=True, concept=Concept.POST_OFFICE),
        FieldSpec("disclosure_allowed", Category.MARKETING),
        FieldSpec("postal_marketing_allowed", Category.MARKETING),
    )
    + common.ADMINISTRATIVE_FIELDS,
    import_format=ImportSpec(
        natural_key="customer_number",
        required=("customer_number", "street_address", "postal_code", "post_office"),
        row_checks=(some_name,),
        opt_outs=(
            OptOut("disclosure_allowed", False),
            OptOut("postal_marketing_allowed", False),
        ),
    ),
    scale=ScaleSpec(share=0.5),
)
