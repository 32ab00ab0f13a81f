"""The code step of a correction: a new email address must be shown to reach the customer
before the request is sent (a code mailed to it, ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS tries)."""

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from accounts.client_ip import client_ip
from portal.audit import audit_record
from subject_requests import pending_correction as pending
from subject_requests.email_code import OK, OVER
from subject_requests.forms import CodeForm
from subject_requests.views.customer_rectification import get_or_post, submit


def _audit_wrong_code(request, email, result):
    with transaction.atomic():
        audit_record(
            action="request.email_code.failed",
            actor=request.user,
            details={"email": email, "result": result, "ip": client_ip(request)},
        )


def _resend(request, email):
    if pending.EMAIL_CODE.send(request, email):
        messages.info(request, _("We sent a new code to %(email)s.") % {"email": email})
    else:
        messages.error(request, _("Too many codes were sent. Please try again later."))


@sensitive_post_parameters("code")
@never_cache
@get_or_post
def rectification_verify(request, register):
    register = pending.correctable_register(register)
    record, changes = pending.pending_changes(request, register)
    new_email = pending.unverified_email(request, changes) if changes else None
    if new_email is None:
        return redirect(
            "request_rectification_review" if changes else "request_rectification", register.key
        )
    return code_step(
        request,
        new_email=new_email,
        here=reverse("request_rectification_verify", args=[register.key]),
        review_url=reverse("request_rectification_review", args=[register.key]),
        send=lambda: submit(request, register, record, changes),
        register=register,
    )


def code_step(request, *, new_email, here, review_url, send, **context):
    """The page that asks for the code mailed to `new_email`: resend, check, count the tries;
    `send()` files the request once the code is right. Shared by the per-register correction
    and the correction of every register (customer_correction)."""
    code = pending.EMAIL_CODE
    if request.method == "POST" and "resend" in request.POST:
        _resend(request, new_email)
        return redirect(here)
    live = code.pending_for(request) == new_email
    form = CodeForm(request.POST if request.method == "POST" else None) if live else None
    if request.method == "POST" and form is None:
        return redirect(here)
    if request.method == "POST" and form.is_valid():
        result = code.check(request, form.cleaned_data["code"], email=new_email)
        if result == OK:
            return send()
        _audit_wrong_code(request, new_email, result)
        if result == OVER:
            messages.error(
                request,
                _("The code expired or was entered wrongly too many times. Ask for a new code."),
            )
            return redirect(here)
        left = code.tries_left(request)
        form.add_error(
            "code",
            ngettext(
                "Incorrect code. You have %(count)d try left.",
                "Incorrect code. You have %(count)d tries left.",
                left,
            )
            % {"count": left},
        )
    return render(
        request,
        "subject_requests/customer/rectification_verify.html",
        {
            **context,
            "email": new_email,
            "form": form,
            "can_resend": code.can_send(request, new_email),
            "minutes": settings.ACCOUNT_LOGIN_BY_CODE_TIMEOUT // 60,
            "review_url": review_url,
        },
    )
