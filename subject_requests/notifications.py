"""Emails to the customer about their request, in their language.

Sent inside the action's transaction: the mail is an outbox row (outbox.backend) that
commits with the decision or not at all, and a worker delivers it afterwards."""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.display import main_verified_email
from portal import controller
from portal.registers import REGISTERS, get_register
from subject_requests.models import DataRequest


def recipient(user) -> str | None:
    address = main_verified_email(user)
    if address:
        return address
    link = user.webshop_links.select_related("account").first()
    return link.account.email if link is not None and link.account.email else None


def reference(request: DataRequest) -> str:
    """The short reference a person can quote: the start of the request's public id."""
    return str(request.public_id)[:8].upper()


def registers_concerned(request: DataRequest, changes) -> list[str]:
    """The names of the registers the request concerns, in declaration order."""
    keys = {request.register} | {change.register for change in changes}
    if request.type == DataRequest.Type.OBJECTION:
        chosen = set(request.description.split(", "))
        keys |= {
            r.key
            for r in REGISTERS
            if r.marketing and chosen & {o.choice for o in r.marketing.objections}
        }
    if request.type in CROSS_REGISTER and not request.register and request.subject_id:
        # A request of every register: the registers holding the person's data, or once
        # decided, those with an outcome.
        outcomes = {outcome.register for outcome in request.outcomes.all()}
        keys |= outcomes or {r.key for r in REGISTERS if r.records_for(request.subject).exists()}
    return [str(get_register(key).name) for key in sorted(keys - {""}, key=_order)]


CROSS_REGISTER = (DataRequest.Type.ERASURE, DataRequest.Type.RESTRICTION)


def _order(key: str) -> int:
    return [r.key for r in REGISTERS].index(key)


def request_recipient(request: DataRequest) -> str | None:
    """Where the answers go by email: the account's address; for a request staff registered,
    an address given with it, else a confirmed portal address that the person's records
    hold. None: they go by letter (subject_requests.letters)."""
    if request.user is not None:
        return recipient(request.user)
    if request.reply_email:
        return request.reply_email
    return subject_verified_email(request.subject) if request.subject_id else None


def subject_verified_email(subject) -> str | None:
    """An address on the person's records that someone confirmed in the portal (how the
    portal links people to records: accounts.identity)."""
    held = {
        getattr(record, "email", "")
        for register in REGISTERS
        for record in register.records_for(subject)
    } - {""}
    return (
        EmailAddress.objects.filter(verified=True, email__in=held)
        .order_by("pk")
        .values_list("email", flat=True)
        .first()
    )


def notification_send(request: DataRequest, kind: str, **extra) -> None:
    """Mail the customer `kind` (received, extended, decided, restriction_lifted); inside the
    caller's transaction. `extra` goes into the templates' context. Without an address the
    answer is a letter staff print from the request page, rendered from the same templates."""
    request = DataRequest.objects.select_related("user").get(pk=request.pk)
    to = request_recipient(request)
    if to is None:
        return
    subject, body = notification_render(request, kind, **extra)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])


def notification_render(request: DataRequest, kind: str, **extra) -> tuple[str, str]:
    """The subject line and text of message `kind`, in the request's language."""
    changes = list(request.changes.all())
    with translation.override(request.language):
        # Mail has no request to build an absolute address from: the setting names the portal.
        # A request without an account is not shown in the portal: no link.
        url = ""
        if request.user_id is not None:
            path = reverse("request_detail", args=[request.public_id])
            url = settings.PORTAL_BASE_URL.rstrip("/") + path
        context = {
            "request": request,
            "reference": reference(request),
            "url": url,
            "registers": registers_concerned(request, changes),
            "controller": controller.CONTROLLER,
            "authority": controller.SUPERVISORY_AUTHORITY,
            "judicial_remedy": controller.JUDICIAL_REMEDY,
            "contact_email": controller.CONTACT_EMAIL,
            "changes": changes,
            **extra,
        }
        subject = render_to_string(f"subject_requests/email/{kind}_subject.txt", context)
        body = render_to_string(f"subject_requests/email/{kind}_message.txt", context)
    return " ".join(subject.split()), body
