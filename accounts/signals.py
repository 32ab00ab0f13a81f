"""Audit events for sign-in, written as each event happens (DESIGN: audit trail)."""

import time

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from axes.signals import user_locked_out
from django.contrib.auth import signals as auth_signals
from django.db import transaction

from accounts.client_ip import client_ip
from accounts.middleware import LAST_SEEN_AT, SIGNED_IN_AT
from accounts.second_factor import second_factor_failure_record, second_factor_reset
from accounts.services import email_address_claimed
from portal.audit import audit_record


def _ip(request):
    return client_ip(request) if request is not None else ""


def _record(action, *, request=None, actor=None, **details):
    with transaction.atomic():
        audit_record(action=action, actor=actor, details={"ip": _ip(request), **details})


def on_logged_in(sender, request, user, **kwargs):
    now = time.time()
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN_AT] = now
    methods = request.session.get("account_authentication_methods", [])
    method = methods[-1].get("method", "") if methods else ""
    _record("auth.sign_in.succeeded", request=request, actor=user, method=method)


def on_login_failed(sender, credentials, request=None, **kwargs):
    name = credentials.get("username") or credentials.get("email") or ""
    _record("auth.sign_in.failed", request=request, login=name, method="password")


def on_code_rejected(sender, request, user, last_attempt, **kwargs):
    _record(
        "auth.sign_in.failed",
        request=request,
        actor=None,
        method="code",
        user_id=user.pk,
        last_attempt=last_attempt,
    )


def on_logged_out(sender, request, user, **kwargs):
    if user is not None:
        _record("auth.sign_out", request=request, actor=user)


def on_locked_out(sender, request, username, ip_address, **kwargs):
    _record("auth.locked_out", request=request, login=username)


def on_mfa_failed(sender, request, user, authenticator, reauthentication=False, **kwargs):
    second_factor_failure_record(
        request,
        user,
        reason="wrong_code",
        type=authenticator.type,
        reauthentication=reauthentication,
    )


def on_mfa_used(sender, request, user, authenticator, **kwargs):
    second_factor_reset(user)


def on_authenticator_added(sender, request, user, authenticator, **kwargs):
    _record("auth.mfa.enrolled", request=request, actor=user, type=authenticator.type)


def on_authenticator_removed(sender, request, user, authenticator, **kwargs):
    _record("auth.mfa.removed", request=request, actor=user, type=authenticator.type)


def on_email_added(sender, request, user, email_address, **kwargs):
    _record("auth.email.added", request=request, actor=user, email=email_address.email)


def on_email_confirmed(sender, request, email_address, **kwargs):
    _record(
        "auth.email.verified", request=request, actor=email_address.user, email=email_address.email
    )
    email_address_claimed(email_address=email_address)


def connect():
    auth_signals.user_logged_in.connect(on_logged_in, dispatch_uid="audit_logged_in")
    auth_signals.user_login_failed.connect(on_login_failed, dispatch_uid="audit_login_failed")
    auth_signals.user_logged_out.connect(on_logged_out, dispatch_uid="audit_logged_out")
    account_signals.login_code_rejected.connect(on_code_rejected, dispatch_uid="audit_code")
    account_signals.email_added.connect(on_email_added, dispatch_uid="audit_email_added")
    account_signals.email_confirmed.connect(on_email_confirmed, dispatch_uid="audit_email_ok")
    mfa_signals.authentication_failed.connect(on_mfa_failed, dispatch_uid="audit_mfa_failed")
    mfa_signals.authenticator_used.connect(on_mfa_used, dispatch_uid="mfa_lock_reset")
    mfa_signals.authenticator_added.connect(on_authenticator_added, dispatch_uid="audit_mfa_add")
    mfa_signals.authenticator_removed.connect(
        on_authenticator_removed, dispatch_uid="audit_mfa_remove"
    )
    user_locked_out.connect(on_locked_out, dispatch_uid="audit_locked_out")
