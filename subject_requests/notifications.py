"""Emails to the customer about their request, in their language.

Sent inside the action's transaction: the mail is an outbox row (outbox.backend) that
commits with the decision or not at all, and a worker delivers it afterwards."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from accounts.display import main_verified_email
from portal import controller
from subject_requests.models import DataRequest


def recipient(user) -> str | None:
    address = main_verified_email(user)
    if address:
        return address
    link = user.webshop_links.select_related("account").first()
    return link.account.email if link is not None and link.account.email else None


def notification_send(request: DataRequest, kind: str) -> None:
    """Mail the customer `kind` (received, extended, decided); inside the caller's transaction."""
    request = DataRequest.objects.select_related("user").get(pk=request.pk)
    to = recipient(request.user)
    if to is None:
        return
    with translation.override(request.language):
        context = {
            "request": request,
            "controller": controller.CONTROLLER,
            "authority": controller.SUPERVISORY_AUTHORITY,
            "contact_email": controller.CONTACT_EMAIL,
            "changes": list(request.changes.all()),
        }
        subject = render_to_string(f"subject_requests/email/{kind}_subject.txt", context)
        body = render_to_string(f"subject_requests/email/{kind}_message.txt", context)
    send_mail(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [to])
