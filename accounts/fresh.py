"""A fresh sign-in before sensitive downloads (register extracts).

If the sign-in is older than FRESH_SIGN_IN_MAX_AGE, the customer confirms with a new code
mailed to their verified address, or signs in again with the web-shop password. allauth's
code sign-in cannot do this for someone already signed in, so this small flow reuses its
code generator and mail template and keeps its own state in the session.
"""

import secrets
import time
from functools import wraps

from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from accounts.mail_caps import MailCap
from accounts.middleware import SIGNED_IN_AT
from portal.audit import audit_record

STATE_KEY = "portal_fresh_code"
# Per user and per address, across sessions: signing in again does not reset it.
MAIL_CAP = MailCap("fresh_code", per_user=5, per_address=5)


def sign_in_is_fresh(request) -> bool:
    signed_in = request.session.get(SIGNED_IN_AT, 0)
    return time.time() - signed_in <= settings.FRESH_SIGN_IN_MAX_AGE


def fresh_sign_in_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not sign_in_is_fresh(request):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('fresh_sign_in')}?{query}")
        return view(request, *args, **kwargs)

    return wrapper


class CodeForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Code"), max_length=20)


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("my_data")


def _send_code(request, address) -> bool:
    """Mail a new code; False when too many were sent lately."""
    if not MAIL_CAP.consume(user=request.user, email=address.email):
        return False
    adapter = get_adapter(request)
    code = adapter.generate_login_code()
    request.session[STATE_KEY] = {
        "hash": make_password(code),
        "at": time.time(),
        "tries": 0,
        "nonce": secrets.token_hex(8),
    }
    adapter.send_mail("account/email/login_code", address.email, {"code": code})
    return True


def _check_code(request, code: str) -> str:
    """'ok', 'wrong' (tries left) or 'over' (expired or out of tries)."""
    state = request.session.get(STATE_KEY)
    if not state or time.time() - state["at"] > settings.ACCOUNT_LOGIN_BY_CODE_TIMEOUT:
        return "over"
    normalised = code.strip().upper().replace(" ", "")
    if check_password(normalised, state["hash"]):
        del request.session[STATE_KEY]
        return "ok"
    state["tries"] += 1
    if state["tries"] >= settings.ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS:
        del request.session[STATE_KEY]
        return "over"
    request.session[STATE_KEY] = state
    return "wrong"


@never_cache
def fresh_sign_in(request):
    next_url = _safe_next(request)
    address = (
        EmailAddress.objects.filter(user=request.user, verified=True)
        .order_by("-primary", "pk")
        .first()
    )
    form = CodeForm(request.POST or None) if STATE_KEY in request.session else None
    if request.method == "POST" and form is None:
        if address is None:
            # Web-shop sign-in: no address to send a code to, so the password is asked again.
            logout(request)
            messages.info(request, _("Please sign in again to continue."))
            return redirect(f"{reverse('account_login')}?{urlencode({'next': next_url})}")
        if not _send_code(request, address):
            messages.error(request, _("Too many codes were sent. Please try again later."))
        return redirect(f"{reverse('fresh_sign_in')}?{urlencode({'next': next_url})}")
    if request.method == "POST" and form.is_valid():
        result = _check_code(request, form.cleaned_data["code"])
        if result == "ok":
            request.session[SIGNED_IN_AT] = time.time()
            with transaction.atomic():
                audit_record(action="auth.sign_in.renewed", actor=request.user)
            return redirect(next_url)
        with transaction.atomic():
            audit_record(
                action="auth.sign_in.failed",
                actor=None,
                details={"method": "fresh_code", "user_id": request.user.pk},
            )
        if result == "over":
            messages.error(
                request,
                _("The code expired or was entered wrongly too many times. Ask for a new code."),
            )
            return redirect(f"{reverse('fresh_sign_in')}?{urlencode({'next': next_url})}")
        form.add_error("code", _("Incorrect code."))
    return render(
        request,
        "accounts/fresh_sign_in.html",
        {
            "next": next_url,
            "address": address,
            "form": form,
            "minutes": settings.FRESH_SIGN_IN_MAX_AGE // 60,
        },
    )
