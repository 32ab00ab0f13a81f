"""Helpers for sign-in tests: request a code, read it from the sent mail, enter it."""

import re

from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.core import mail

CODE_RE = re.compile(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", re.MULTILINE)
REQUEST_URL = "/en/accounts/login/code/"
CONFIRM_URL = "/en/accounts/login/code/confirm/"
PASSWORD_URL = "/en/accounts/login/"


def last_code(to: str) -> str:
    for message in reversed(mail.outbox):
        if to.lower() in [a.lower() for a in message.to]:
            return CODE_RE.search(message.body).group(1)
    raise AssertionError(f"no sign-in code was mailed to {to}")


def request_code(client, email):
    return client.post(REQUEST_URL, {"email": email})


def sign_in_by_code(client, email):
    request_code(client, email)
    return client.post(CONFIRM_URL, {"code": last_code(email)})


def totp_now(secret: str, *, margin: float = 5.0) -> str:
    """The code of the current period. The portal accepts no neighbouring period, so a
    code read in the last seconds of its period could expire before the form is sent:
    then wait for the next period and give its code."""
    import time

    from allauth.mfa import app_settings

    period = app_settings.TOTP_PERIOD
    left = period - time.time() % period
    if left < margin:
        time.sleep(left + 0.05)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))


def enrol_totp(user, secret="JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"):
    TOTP.activate(user, secret)
    return secret
