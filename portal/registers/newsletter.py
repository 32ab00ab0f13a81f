from django.utils.translation import gettext_lazy as _

from portal.registers import common
from portal.registers.base import Category, FieldSpec, Register
from portal.registers.importing import ImportSpec, OptOut, consent_is_dated
from portal.registers.recipients import EMAIL_DELIVERY, HOSTING

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
    recipient_list=(HOSTING, EMAIL_DELIVERY),
    transfers=common.NO_TRANSFERS,
    retention=(
        _(
            "Until you unsubscribe. A subscription that is never confirmed is removed "
            "after 30 days."
        ),
    ),
    fields=(
        FieldSpec("email", Category.CONTACT, correctable=True),
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
)
