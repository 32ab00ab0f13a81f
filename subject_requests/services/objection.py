"""Direct-marketing objection (Art. 21(2)-(3)): absolute, so it takes effect at once."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit import audit_record
from portal.models import NewsletterSubscription, PostalRecipient
from subject_requests import suppression
from subject_requests.models import DataRequest
from subject_requests.services.base import request_create

NO_POSTAL_MARKETING = "no_postal_marketing"
NO_DISCLOSURE = "no_disclosure"
UNSUBSCRIBE = "unsubscribe"
CHOICES = (NO_POSTAL_MARKETING, NO_DISCLOSURE, UNSUBSCRIBE)


def objection_submit(*, user, subjects, choices: set[str], language="fi") -> DataRequest:
    """Change the register records now, in this transaction; staff get only the follow-up."""
    if not choices or not choices <= set(CHOICES):
        raise ValueError(_("Choose at least one of the options."))
    now = timezone.now()
    follow_up = []
    with transaction.atomic():
        postal = list(PostalRecipient.objects.select_for_update().filter(subject__in=subjects))
        for record in postal:
            changed = {}
            if NO_POSTAL_MARKETING in choices and record.postal_marketing_allowed:
                record.postal_marketing_allowed = False
                changed["postal_marketing_allowed"] = {"old": True, "new": False}
            if NO_DISCLOSURE in choices and record.disclosure_allowed:
                record.disclosure_allowed = False
                changed["disclosure_allowed"] = {"old": True, "new": False}
                # Art. 19: partners who already received the name and address must be told.
                follow_up.append(
                    _(
                        "Tell the partners who have received the name and address "
                        "of postal register entry %(number)s that the customer "
                        "has forbidden disclosure (Art. 19)."
                    )
                    % {"number": record.customer_number or record.pk}
                )
            if changed:
                record.save()
                audit_record(
                    action="register.record.changed",
                    actor=user,
                    subject=record.subject,
                    target=record,
                    details={"via": "objection", "fields": changed},
                )
            if NO_POSTAL_MARKETING in choices:
                suppression.suppress(postal=suppression.postal_key(record))
        if UNSUBSCRIBE in choices:
            for record in (
                NewsletterSubscription.objects.select_for_update()
                .filter(subject__in=subjects)
                .exclude(status="unsubscribed")
            ):
                old = record.status
                record.status, record.unsubscribed_at = "unsubscribed", now
                record.save()
                suppression.suppress(email=record.email)
                audit_record(
                    action="register.record.changed",
                    actor=user,
                    subject=record.subject,
                    target=record,
                    details={
                        "via": "objection",
                        "fields": {"status": {"old": old, "new": "unsubscribed"}},
                    },
                )
        request = request_create(
            user=user,
            type=DataRequest.Type.OBJECTION,
            subject=subjects[0] if subjects else None,
            language=language,
            description=", ".join(sorted(choices)),
            status=DataRequest.Status.COMPLETED,
        )
        request.decided_at = now
        request.decision = _("Your objection took effect immediately when you sent it.")
        request.follow_up = "\n".join(follow_up)
        request.save(update_fields=["decided_at", "decision", "follow_up"])
    return request
