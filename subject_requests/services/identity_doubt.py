"""Reasonable doubt about who made a request (Art. 12(6)): staff ask for more about the
person's identity, and the answer comes in the portal or by the channel the request came by.

The due date stays what the law sets (Art. 12(3) counts from receipt; asking does not stop
the clock), and the extension remains available as for any request."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.errors import Refusal
from subject_requests import notifications
from subject_requests.models import DataRequest
from subject_requests.services.base import audit, locked


def identity_info_request(*, request: DataRequest, staff, message: str) -> DataRequest:
    """Ask the person for more information; they are told by email, or by a letter staff
    print from the request page."""
    if not message.strip():
        raise Refusal(_("Write what you need to know; it is sent to the customer."))
    with transaction.atomic():
        request = locked(request)
        request.info_requested_at = timezone.now()
        request.info_request = message
        request.info_answered_at = None
        request.info_answer = ""
        request.save(
            update_fields=["info_requested_at", "info_request", "info_answered_at", "info_answer"]
        )
        audit(request, "identity_info_requested", staff, message=message)
        notifications.notification_send(request, DataRequest.INFO_REQUESTED)
    return request


def identity_info_answer(
    *, request: DataRequest, actor, answer: str, by_staff: bool
) -> DataRequest:
    """The person's answer: typed by them in the portal, or by staff from the letter, email
    or call it came in."""
    if not answer.strip():
        raise Refusal(_("Write the answer."))
    with transaction.atomic():
        request = locked(request)
        if request.identity_state != DataRequest.INFO_REQUESTED:
            raise Refusal(_("No information about your identity is being asked for."))
        request.info_answered_at = timezone.now()
        request.info_answer = answer
        request.save(update_fields=["info_answered_at", "info_answer"])
        audit(request, "identity_info_received", actor, answer=answer, by_staff=by_staff)
    return request


def identity_confirm(*, request: DataRequest, staff) -> DataRequest:
    """Staff are now sure who made the request (e.g. from the answer): it can be approved."""
    with transaction.atomic():
        request = locked(request)
        if request.identity_verified:
            raise Refusal(_("The identity is already verified."))
        request.identity_verified = True
        request.save(update_fields=["identity_verified"])
        audit(request, "identity_confirmed", staff)
    return request
