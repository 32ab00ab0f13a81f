"""Requests received by letter, email, phone or in person (Art. 12(2)-(3); EDPB Guidelines
01/2022: the portal cannot be the only way). Staff register them; the deadline counts from
the day the request arrived, not from the day it was typed in.

Such a request has no portal account (`user` is None). It is never shown in the portal,
not even to someone who later signs in and links the same records: the request was made
outside the portal, its answers go to the address it was made from, and a link made later
proves nothing about who wrote the letter. Staff can link the person later."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.errors import Refusal
from portal.models import DataSubject
from subject_requests import deadlines, notifications
from subject_requests.letters import postal_address
from subject_requests.models import DataRequest, FieldChange
from subject_requests.services.base import audit, locked
from subject_requests.services.interest_objection import objection_restrict

Channel = DataRequest.Channel


def as_text(value) -> str:
    return "" if value is None else str(value)


def received_moment(received_on: datetime.date) -> datetime.datetime:
    """Today's request is received now; an earlier one at the start of its day."""
    if received_on == timezone.localdate():
        return timezone.now()
    return datetime.datetime.combine(
        received_on, datetime.time.min, tzinfo=timezone.get_current_timezone()
    )


def intake_register(
    *,
    staff,
    channel: str,
    received_on: datetime.date,
    type: str,
    identity_check: str,
    identity_note: str = "",
    subject: DataSubject | None = None,
    register: str = "",
    description: str = "",
    language: str = "fi",
    reply_email: str = "",
    contact_name: str = "",
    contact_address: str = "",
    record=None,
    changes: dict[str, str] | None = None,
) -> DataRequest:
    """Register one request that came outside the portal. A correction gives the record and
    its `changes` (field -> new value) from the rectification form. A received date in the
    future is refused; one long past gives a due date already past, which is the truth."""
    if channel not in Channel.values or channel == Channel.PORTAL:
        raise Refusal(_("Choose how the request was received."), code="channel")
    if received_on > timezone.localdate():
        raise Refusal(_("The date received cannot be in the future."), code="future")
    if type == DataRequest.Type.RECTIFICATION and (record is None or not changes):
        raise Refusal(
            _("A correction needs the person's record and the corrected details."),
            code="no_changes",
        )
    if record is not None and subject is not None and record.subject_id != subject.pk:
        raise Refusal(_("The record is not this person's."), code="record")
    on_file = postal_address(subject)
    if not contact_address.strip() and on_file is not None:
        # The address the answers go to is kept with the request: an erasure it leads to
        # removes the records, and the decision must still reach the person.
        contact_name = contact_name or on_file.name
        contact_address = "\n".join(on_file.lines)
    with transaction.atomic():
        request = DataRequest.objects.create(
            user=None,
            channel=channel,
            registered_by=staff,
            type=type,
            subject=subject,
            register=register,
            description=description,
            language=language,
            received_at=received_moment(received_on),
            due_on=deadlines.due_date(received_on),
            identity_check=identity_check,
            identity_note=identity_note,
            identity_verified=identity_check != DataRequest.IdentityCheck.NOT_CHECKED,
            reply_email=reply_email,
            contact_name=contact_name,
            contact_address=contact_address,
        )
        if changes:
            FieldChange.objects.bulk_create(
                FieldChange(
                    request=request,
                    register=register,
                    record_id=record.pk,
                    field=name,
                    old_value=as_text(getattr(record, name)),
                    new_value=as_text(value),
                )
                for name, value in changes.items()
            )
        if type == DataRequest.Type.INTEREST_OBJECTION:
            # Art. 18(1)(d): restricted from the moment it arrived, whatever the channel.
            objection_restrict(request, staff)
        audit(
            request,
            "received",
            staff,
            register=register,
            status=request.status,
            channel=channel,
            received_on=received_on.isoformat(),
            identity_check=identity_check,
            identity_note=identity_note,
        )
        notifications.notification_send(request, "received")
    return request


def intake_link_subject(*, request: DataRequest, staff, subject: DataSubject) -> DataRequest:
    """Link a registered request to the person it concerns, found later."""
    with transaction.atomic():
        request = locked(request)
        if request.user_id is not None:
            raise Refusal(_("Only a request registered by staff can be linked here."))
        if request.subject_id is not None:
            raise Refusal(_("This request is already linked to a person."))
        request.subject = subject
        request.save(update_fields=["subject"])
        audit(request, "subject_linked", staff)
        if request.type == DataRequest.Type.INTEREST_OBJECTION and request.is_open:
            objection_restrict(request, staff)
    return request
