"""Subscribing: the form mails a link and stores nothing; confirming it is the consent."""

import hashlib

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, connection, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from outbox.messages import at_once
from portal import controller, suppression
from portal.audit import audit_record
from portal.audit.changes import record_update
from portal.errors import Refusal
from portal.models import DataSubject, NewsletterConsent, NewsletterSubscription, Suppression
from portal.newsletter.links import (
    CONFIRM_MAX_AGE,
    USED,
    absolute,
    confirmation_read,
    confirmation_token,
    newsletter_register,
    unsubscribe_url,
)
from portal.registers import REGISTERS


def subscribed(email: str) -> NewsletterSubscription | None:
    """The address's confirmed subscription, unless the address is suppressed (then a new
    confirmation is what it takes): subscribing again would change nothing. The same two
    queries whatever the answer, so the time taken does not tell it either."""
    key = newsletter_register().marketing.suppression_key
    confirmed = NewsletterSubscription.objects.filter(
        email=email, status=NewsletterSubscription.Status.CONFIRMED
    ).first()
    suppressed = suppression.values_suppressed(key, {"email": email})
    return confirmed if not suppressed else None


def subscription_request(*, email: str, language: str) -> None:
    """Mail the address what to do next: the confirmation link, or, when it is subscribed
    already, a note that nothing changes. Either way one mail to that address only, and the
    page that asked shows the same, so nobody learns from the form who is subscribed."""
    context = {"email": email, "controller": controller.CONTROLLER}
    if (subscription := subscribed(email)) is not None:
        kind = "already"
        context["unsubscribe_url"] = unsubscribe_url(subscription, language)
    else:
        kind = "confirm"
        token = confirmation_token(email=email, language=language)
        context["confirm_url"] = absolute("newsletter_confirm", token, language)
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


def _lock_address(email: str) -> None:
    """Two confirmations of one new address at once must not make two subscriptions: there is
    no row to lock yet, so PostgreSQL takes a lock on the address for the transaction. (SQLite's
    IMMEDIATE transactions already queue every writer.)"""
    if connection.vendor == "postgresql":
        key = int.from_bytes(hashlib.sha256(email.encode()).digest()[:8], "big", signed=True)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


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
            _lock_address(email)
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
                if subscription.unsubscribed_at is not None:
                    # Withdrawn where saving did not stamp it (an import's opt-out is an
                    # UPDATE): the earlier consent ended then all the same.
                    subscription.consents.filter(withdrawn_at__isnull=True).update(
                        withdrawn_at=subscription.unsubscribed_at
                    )
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
    kind = newsletter_register().marketing.suppression_key
    digests = suppression.digests(kind, {"email": subscription.email})
    lifted = Suppression.objects.filter(kind=kind, digest__in=digests).delete()[0]
    if lifted:
        audit_record(
            action="newsletter.suppression.lifted",
            subject=subscription.subject,
            target=subscription,
            details={"kind": kind, "reason": "confirmed_consent"},
        )
