"""The newsletter's signed links: the confirmation (7 days, used once) and the unsubscribe
link (for ever, bound to the subscription and its address), and the consent texts."""

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _

from portal.errors import Refusal
from portal.models import NewsletterConsent, NewsletterSubscription
from portal.registers import REGISTERS

CONFIRM_SALT = "portal.newsletter.confirm"
UNSUBSCRIBE_SALT = "portal.newsletter.unsubscribe"
CONFIRM_MAX_AGE = 7 * 24 * 3600

# The consent texts by version. A published version is never edited: a new wording is a new
# version, so that every consent record still names the words the person agreed to.
CONSENT_TEXTS = {
    "2026-1": _(
        'I want to receive the "Tector tiedottaa" customer newsletter of Tekninen Toimisto '
        "Tector Oy by email. I can withdraw this consent at any time with the unsubscribe "
        "link in every newsletter."
    ),
}
CONSENT_VERSION = "2026-1"  # the version the subscribe form shows now

# Why a link is refused: a forged or damaged link, an old one, one already used.
FORGED, EXPIRED, USED, GONE = "forged", "expired", "used", "gone"


def newsletter_register():
    """The declaration of the register this model serves (found by model, not by key)."""
    return next(r for r in REGISTERS if r.model_class is NewsletterSubscription)


def absolute(name: str, token: str, language: str) -> str:
    with translation.override(language):
        return settings.PORTAL_BASE_URL + reverse(name, args=[token])


@dataclass(frozen=True)
class Confirmation:
    email: str
    language: str
    version: str
    link_id: str

    @property
    def text(self):
        return CONSENT_TEXTS[self.version]


def confirmation_token(*, email: str, language: str) -> str:
    payload = {"e": email, "l": language, "v": CONSENT_VERSION, "n": secrets.token_hex(16)}
    return signing.dumps(payload, salt=CONFIRM_SALT, compress=True)


def confirmation_read(token: str) -> Confirmation:
    """The confirmation a link carries; Refusal (code FORGED, EXPIRED or USED) otherwise."""
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.SignatureExpired:
        raise Refusal(_("This link has expired."), code=EXPIRED) from None
    except signing.BadSignature:
        raise Refusal(_("This link is not valid."), code=FORGED) from None
    try:
        found = Confirmation(data["e"], data["l"], data["v"], data["n"])
    except (KeyError, TypeError):
        raise Refusal(_("This link is not valid."), code=FORGED) from None
    if found.version not in CONSENT_TEXTS:  # a withdrawn wording cannot be agreed to any more
        raise Refusal(_("This link has expired."), code=EXPIRED)
    if NewsletterConsent.objects.filter(confirmation_id=found.link_id).exists():
        raise Refusal(_("This link has already been used."), code=USED)
    return found


def _address_tag(email: str) -> str:
    # Binds a link to the address as well as the row: a corrected address, or a row number
    # used again after a deletion, does not inherit an old link.
    return salted_hmac(UNSUBSCRIBE_SALT, email).hexdigest()[:20]


def unsubscribe_token(subscription) -> str:
    """A link that never expires: RFC 8058 and every newsletter ever sent rely on it."""
    payload = {"s": subscription.pk, "a": _address_tag(subscription.email)}
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object(payload)


def unsubscribe_url(subscription, language: str) -> str:
    return absolute("newsletter_unsubscribe", unsubscribe_token(subscription), language)


def one_click_url(subscription, language: str) -> str:
    return absolute("newsletter_one_click", unsubscribe_token(subscription), language)


def unsubscribe_read(token: str, *, lock: bool = False) -> NewsletterSubscription:
    """The subscription an unsubscribe link names; Refusal (FORGED or GONE) otherwise."""
    try:
        data = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)
        pk, tag = int(data["s"]), str(data["a"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise Refusal(_("This link is not valid."), code=FORGED) from None
    rows = NewsletterSubscription.objects.select_related("subject")
    subscription = (rows.select_for_update() if lock else rows).filter(pk=pk).first()
    if subscription is None or not constant_time_compare(tag, _address_tag(subscription.email)):
        raise Refusal(_("This address is no longer on the mailing list."), code=GONE)
    return subscription
