"""Direct-marketing objection (Art. 21(2)-(3)): absolute, so it takes effect at once."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit import audit_record
from portal.models import NewsletterSubscription, PostalRecipient
from subject_requests import suppression
from subject_requests.models import DataRequest
from subject_requests.services.base import request_create
from subject_requests.services.once import as_repeat, request_create_once, request_repeated

NO_POSTAL_MARKETING = "no_postal_marketing"
NO_DISCLOSURE = "no_disclosure"
UNSUBSCRIBE = "unsubscribe"
CHOICES = (NO_POSTAL_MARKETING, NO_DISCLOSURE, UNSUBSCRIBE)


def objection_submit(
    *, user, subjects, choices: set[str], language="fi", submission_key=""
) -> DataRequest:
    """Change the register records now, in this transaction; staff get only the follow-up.

    The same form sent again, or the same objection again when it changes nothing, gives
    the earlier request (`repeated` set on it)."""
    if not choices or not choices <= set(CHOICES):
        raise ValueError(_("Choose at least one of the options."))
    now = timezone.now()
    follow_up = []
    description = ", ".join(sorted(choices))
    with transaction.atomic():
        repeat = request_repeated(user=user, submission_key=submission_key)
        if repeat is not None:
            return as_repeat(repeat)
        changed_any = False
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
                changed_any = True
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
                changed_any = True
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
        # The records were locked above, so of two identical objections at once the second
        # finds nothing left to change, and the first one's request.
        last = user.data_requests.filter(type=DataRequest.Type.OBJECTION).order_by("-pk").first()
        if not changed_any and last is not None and last.description == description:
            return as_repeat(last)

        def create() -> DataRequest:
            request = request_create(
                user=user,
                type=DataRequest.Type.OBJECTION,
                subject=subjects[0] if subjects else None,
                language=language,
                description=description,
                status=DataRequest.Status.COMPLETED,
                submission_key=submission_key,
            )
            request.decided_at = now
            request.decision = _("Your objection took effect immediately when you sent it.")
            request.follow_up = "\n".join(follow_up)
            request.save(update_fields=["decided_at", "decision", "follow_up"])
            return request

        return request_create_once(
            user=user, submission_key=submission_key, fingerprint="", create=create
        )
