from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from portal.registers import common
from portal.registers.base import Category, Concept, FieldSpec, Register
from portal.registers.erasure import (
    CONSENT_PROOF,
    DELETE,
    ErasurePolicy,
    claims_keep_until,
)
from portal.registers.importing import ImportSpec, OptOut, consent_is_dated
from portal.registers.marketing import BY_EMAIL, UNSUBSCRIBE, MarketingPolicy, Objection
from portal.registers.provision import Provision, Requirement
from portal.registers.recipients import EMAIL_DELIVERY, HOSTING
from portal.registers.retention import Consent
from portal.registers.scale import ScaleSpec


def consistent_subscription(rng, label, values) -> None:
    """Generated data (registers/scale.py): most subscribers confirmed, and the dates fit the
    status: confirmed after subscribing, unsubscribed only when the status says so."""
    values["status"] = rng.choices(("confirmed", "pending", "unsubscribed"), (80, 8, 12))[0]
    joined = values["subscribed_at"] = values["created_at"]
    confirmed = joined + timedelta(minutes=rng.randint(2, 90))
    values["confirmed_at"] = confirmed if values["status"] != "pending" else None
    unsubscribed = confirmed + timedelta(days=rng.randint(20, 400))
    values["unsubscribed_at"] = unsubscribed if values["status"] == "unsubscribed" else None


NEWSLETTER = Register(
    key="newsletter",
    seed_section="5.3",
    name=_('Mailing list "Tector tiedottaa"'),
    short_name=_("Newsletter"),
    model="portal.NewsletterSubscription",
    subject_relation="newslettersubscription_records",
    purpose=_('Sending you the "Tector tiedottaa" customer newsletter by email.'),
    legal_basis=_(
        "Your consent (GDPR Art. 6(1)(a)), given by confirming the subscription (double "
        "opt-in), as the Act on Electronic Communications Services (917/2014, section 200) "
        "requires for email marketing. You may withdraw it at any time."
    ),
    data_categories=(Category.CONTACT, Category.MARKETING, Category.ADMINISTRATIVE),
    sources=(
        _(
            "You, when you joined the list on our website and confirmed the subscription, "
            "or when you asked us to add you."
        ),
    ),
    data_subjects=(_("subscribers of the newsletter"),),
    provision=Provision(
        Requirement.VOLUNTARY,
        _("Without your email address we cannot send you the newsletter; nothing else follows."),
    ),
    recipient_list=(HOSTING, EMAIL_DELIVERY),
    transfers=common.NO_TRANSFERS,
    erasure=ErasurePolicy(
        method=DELETE,
        suppress=("email",),
        # The proof of consent outlives the address (Art. 7(1)); the address does not.
        evidence=("status", "subscribed_at", "confirmed_at", "unsubscribed_at"),
        evidence_basis=CONSENT_PROOF,
        evidence_until=claims_keep_until,
    ),
    marketing=MarketingPolicy(
        channels=(BY_EMAIL,),
        audience=(("status", "confirmed"),),
        suppression_key="email",
        objections=(
            Objection(
                UNSUBSCRIBE,
                _('Unsubscribe me from the "Tector tiedottaa" newsletter.'),
                sets=(("status", "unsubscribed"),),
                stamp="unsubscribed_at",
            ),
        ),
    ),
    retention=(
        _(
            "Until you unsubscribe: the address is deleted the day after. A subscription that "
            "is never confirmed is deleted 30 days after it was made."
        ),
    ),
    retention_rule=Consent(
        unconfirmed_days=30,
        status="status",
        pending="pending",
        withdrawn="unsubscribed",
        asked_at="subscribed_at",
        withdrawn_at="unsubscribed_at",
        open_ended=_("until you unsubscribe"),
    ),
    fields=(
        FieldSpec("email", Category.CONTACT, correctable=True, concept=Concept.EMAIL),
        FieldSpec("status", Category.MARKETING),
        FieldSpec("subscribed_at", Category.MARKETING),
        FieldSpec("confirmed_at", Category.MARKETING),
        FieldSpec("unsubscribed_at", Category.MARKETING),
    )
    + common.ADMINISTRATIVE_FIELDS,
    import_format=ImportSpec(
        natural_key="email",
        required=("email", "status"),
        row_checks=(consent_is_dated,),
        opt_outs=(OptOut("status", "unsubscribed", companions=("unsubscribed_at",)),),
    ),
    scale=ScaleSpec(share=0.4, adjust=consistent_subscription),
)
