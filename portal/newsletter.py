"""The newsletter's double opt-in and its unsubscribe links (seed 5.3; issue #11, item 6).

Subscribing stores nothing: the emailed link carries the address, the language and the
version of the consent text, signed and valid for 7 days. Only confirming it (a POST from
the page the link opens, so a mail scanner that opens links confirms nothing) creates or
activates the subscription and writes the consent record. Unsubscribing applies the
register declaration's own unsubscribe objection, so it does exactly what an objection
made in the portal does.
"""

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import prefetch_related_objects
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _

from outbox.messages import at_once
from portal import controller, marketing, suppression
from portal.audit import audit_record
from portal.audit.changes import record_update
from portal.errors import Refusal
from portal.models import DataSubject, NewsletterConsent, NewsletterSubscription, Suppression
from portal.registers import REGISTERS
from portal.registers.marketing import UNSUBSCRIBE

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

PAGE, ONE_CLICK = "page", "one_click"  # how an unsubscription was made


def _register():
    """The declaration of the register this model serves (found by model, not by key)."""
    return next(r for r in REGISTERS if r.model_class is NewsletterSubscription)


def _absolute(name: str, token: str, language: str) -> str:
    with translation.override(language):
        return settings.PORTAL_BASE_URL + reverse(name, args=[token])


# --- Subscribing --------------------------------------------------------------------------------


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


def is_subscribed(email: str) -> bool:
    """A confirmed subscription that is not suppressed: subscribing again changes nothing."""
    key = _register().marketing.suppression_key
    confirmed = NewsletterSubscription.objects.filter(
        email=email, status=NewsletterSubscription.Status.CONFIRMED
    )
    return confirmed.exists() and not suppression.values_suppressed(key, {"email": email})


def subscription_request(*, email: str, language: str) -> None:
    """Mail the address what to do next: the confirmation link, or, when it is subscribed
    already, a note that nothing changes. Either way one mail to that address only, and the
    page that asked shows the same, so nobody learns from the form who is subscribed."""
    context = {"email": email, "controller": controller.CONTROLLER}
    if is_subscribed(email):
        kind = "already"
        confirmed = NewsletterSubscription.objects.filter(
            email=email, status=NewsletterSubscription.Status.CONFIRMED
        )
        context["unsubscribe_url"] = unsubscribe_url(confirmed.earliest("pk"), language)
    else:
        kind = "confirm"
        token = confirmation_token(email=email, language=language)
        context["confirm_url"] = _absolute("newsletter_confirm", token, language)
        context["valid_days"] = CONFIRM_MAX_AGE // 86400
    with translation.override(language):
        subject = render_to_string(f"portal/newsletter/email/{kind}_subject.txt", context)
        body = render_to_string(f"portal/newsletter/email/{kind}_message.txt", context)
    # The person waits for it on the page: the outbox tries it at once, then as any other.
    message = EmailMessage(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [email])
    at_once(message).send()


def _subject_for(email: str) -> DataSubject:
    """The person whose records already carry the address, when exactly one does; else a new
    data subject (several: staff see the shared address as an identity case when it is used
    to sign in, as with an import)."""
    found = set()
    for register in REGISTERS:
        if "email" in {spec.name for spec in register.fields}:
            found |= set(
                register.model_class.objects.filter(email=email).values_list(
                    "subject_id", flat=True
                )
            )
    if len(found) == 1:
        return DataSubject.objects.get(pk=found.pop())
    return DataSubject.objects.create(display_name=email)


def subscription_confirm(*, token: str) -> NewsletterSubscription:
    """Activate the subscription the link asks for and record the consent, in one transaction.

    A suppressed address (the person unsubscribed, objected or had their data erased) is
    not brought back by the form: only this confirmation, which the person makes from their
    own mailbox after reading the consent text, is a new, specific consent (Art. 4(11),
    7), and it outweighs the earlier "no". So it lifts the suppression, and says so in the
    audit trail; an import or anything else still cannot."""
    confirmation = confirmation_read(token)
    now = timezone.now()
    email = confirmation.email
    try:
        with transaction.atomic():
            subscription = (
                NewsletterSubscription.objects.select_for_update()
                .filter(email=email)
                .order_by("pk")
                .first()
            )
            consent_details = {
                "language": confirmation.language,
                "text_version": confirmation.version,
            }
            if subscription is None:
                subscription = NewsletterSubscription.objects.create(
                    subject=_subject_for(email),
                    email=email,
                    status=NewsletterSubscription.Status.CONFIRMED,
                    subscribed_at=now,
                    confirmed_at=now,
                )
                audit_record(
                    action="newsletter.consent.given",
                    subject=subscription.subject,
                    target=subscription,
                    details={**consent_details, "created": True},
                )
            else:
                again = subscription.status != NewsletterSubscription.Status.PENDING
                record_update(
                    record=subscription,
                    changes={
                        "status": NewsletterSubscription.Status.CONFIRMED,
                        "subscribed_at": now if again else subscription.subscribed_at or now,
                        "confirmed_at": now,
                        "unsubscribed_at": None,
                    },
                    actor=None,
                    subject=subscription.subject,
                    action="newsletter.consent.given",
                    details=consent_details,
                )
            NewsletterConsent.objects.create(
                subscription=subscription,
                given_at=now,
                language=confirmation.language,
                text_version=confirmation.version,
                confirmation_id=confirmation.link_id,
            )
            _lift_suppression(subscription)
    except IntegrityError:
        # The same link confirmed twice at once: the other one did it.
        raise Refusal(_("This link has already been used."), code=USED) from None
    return subscription


def _lift_suppression(subscription) -> None:
    kind = _register().marketing.suppression_key
    digests = suppression.digests(kind, {"email": subscription.email})
    lifted = Suppression.objects.filter(kind=kind, digest__in=digests).delete()[0]
    if lifted:
        audit_record(
            action="newsletter.suppression.lifted",
            subject=subscription.subject,
            target=subscription,
            details={"kind": kind, "reason": "confirmed_consent"},
        )


# --- Unsubscribing ------------------------------------------------------------------------------


def _address_tag(email: str) -> str:
    # Binds a link to the address as well as the row: a corrected address, or a row number
    # used again after a deletion, does not inherit an old link.
    return salted_hmac(UNSUBSCRIBE_SALT, email).hexdigest()[:20]


def unsubscribe_token(subscription) -> str:
    """A link that never expires: RFC 8058 and every newsletter ever sent rely on it."""
    payload = {"s": subscription.pk, "a": _address_tag(subscription.email)}
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object(payload)


def unsubscribe_url(subscription, language: str) -> str:
    return _absolute("newsletter_unsubscribe", unsubscribe_token(subscription), language)


def one_click_url(subscription, language: str) -> str:
    return _absolute("newsletter_one_click", unsubscribe_token(subscription), language)


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


def is_unsubscribed(subscription) -> bool:
    return not any(o.changes(subscription) for o in _unsubscribe_objections())


def _unsubscribe_objections():
    policy = _register().marketing
    return [o for o in policy.objections if o.choice == UNSUBSCRIBE]


def subscription_unsubscribe(*, token: str, method: str) -> NewsletterSubscription:
    """Withdraw the consent: the declaration's unsubscribe objection on this one subscription,
    its key suppressed, the open consent stamped, audited. Idempotent: a second time changes
    nothing and writes nothing."""
    now = timezone.now()
    policy = _register().marketing
    with transaction.atomic():
        subscription = unsubscribe_read(token, lock=True)
        values = {}
        for objection in _unsubscribe_objections():
            changes = objection.changes(subscription)
            values.update({name: change["new"] for name, change in changes.items()})
            if changes and objection.stamp:
                values[objection.stamp] = now
            if objection.suppress:
                suppression.record_suppress(policy.suppression_key, subscription)
        changed = record_update(
            record=subscription,
            changes=values,
            actor=None,
            subject=subscription.subject,
            action="newsletter.unsubscribed",
            # "via": "objection" keeps the event through an erasure: it proves the withdrawal.
            details={"via": "objection", "choice": UNSUBSCRIBE, "method": method},
        )
        if changed:
            subscription.consents.filter(withdrawn_at__isnull=True).update(withdrawn_at=now)
    return subscription


# --- The mailing tool's list ------------------------------------------------------------------


EXPORT_HEADER = (
    "email",
    "language",
    "unsubscribe_url",
    "list_unsubscribe",
    "list_unsubscribe_post",
)


def recipient_rows() -> list[tuple[str, ...]]:
    """The mailing tool's list: confirmed subscribers the register's marketing policy allows
    (never a restricted record, never a suppressed address), each with the links to put in
    every newsletter: the page, and the List-Unsubscribe and List-Unsubscribe-Post headers
    (RFC 2369, RFC 8058) for one-click unsubscribing, in the subscriber's language."""
    subscriptions = [
        record
        for record in marketing.newsletter_recipients()
        if isinstance(record, NewsletterSubscription)
    ]
    prefetch_related_objects(subscriptions, "consents")
    rows, seen = [], set()
    for subscription in sorted(subscriptions, key=lambda s: s.pk):
        if subscription.email in seen:  # one address on two rows gets one newsletter
            continue
        seen.add(subscription.email)
        consents = sorted(subscription.consents.all(), key=lambda c: (c.given_at, c.pk))
        language = consents[-1].language if consents else settings.LANGUAGE_CODE
        rows.append(
            (
                subscription.email,
                language,
                unsubscribe_url(subscription, language),
                f"<{one_click_url(subscription, language)}>",
                "List-Unsubscribe=One-Click",
            )
        )
    return rows
