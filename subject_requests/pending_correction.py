"""A correction on its way: the changes wait in the session between the form, the review
and the code step. Each step looks the record up again through the signed-in user, so
nothing the browser sends names a record unchecked, and only a hash of a code is kept."""

import secrets

from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.identity import verified_emails
from accounts.mail_caps import MailCap
from portal.registers import REGISTERS_BY_KEY, Register
from subject_requests.email_code import EmailCode
from subject_requests.forms import as_text
from subject_requests.selectors import customer_records

SESSION_KEY = "portal_rectification"
EMAIL_CODE = EmailCode(
    "portal_rectification_code",
    "subject_requests/email/address_code",
    cap=MailCap("correction_code", per_user=5, per_address=3),
)


def correctable_register(key: str) -> Register:
    register = REGISTERS_BY_KEY.get(key)
    if register is None or not register.correctable_fields:
        raise Http404
    return register


def pending_get(request, register: Register) -> dict | None:
    pending = request.session.get(SESSION_KEY)
    return pending if pending and pending["register"] == register.key else None


def pending_set(request, register: Register, record, changes: dict[str, str]) -> None:
    request.session[SESSION_KEY] = {
        "register": register.key,
        "record": record.pk,
        "changes": changes,
        # The correction is sent once, however often its review or code step is posted.
        "key": secrets.token_urlsafe(24),
    }
    EMAIL_CODE.clear(request)  # a code is for the changes it was sent for


def pending_clear(request) -> None:
    request.session.pop(SESSION_KEY, None)
    EMAIL_CODE.clear(request)


def pending_changes(request, register: Register):
    """(record, the changes that still differ from it) or (None, None)."""
    pending = pending_get(request, register)
    if pending is None:
        return None, None
    record = get_object_or_404(customer_records(request.user, register), pk=pending["record"])
    allowed = {spec.name for spec in register.correctable_fields}
    changes = {
        name: value
        for name, value in pending["changes"].items()
        if name in allowed and value != as_text(getattr(record, name))
    }
    return record, changes


def unverified_email(request, changes: dict[str, str]) -> str | None:
    """The new email address, when it is not one of the user's verified addresses."""
    email = changes.get("email")
    return email if email and email not in verified_emails(request.user) else None
