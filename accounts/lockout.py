"""django-axes glue: which counter a failed attempt counts against, and the lockout pages.

One counter per account: every spelling of a login (username or email, any case, any Unicode
form that normalises to it) counts against the account it names (accounts.backends), per
client address. A login that names no account counts under its normalised text. A wrong
second-factor code counts against the account alone, from wherever it comes: its password
was right, so the client's address tells nothing apart.
"""

from django.conf import settings
from django.shortcuts import render

from accounts.backends import login_key

# In the credentials handed to axes: the id of the user whose second factor was wrong.
SECOND_FACTOR = "second_factor_of"
_SECOND_FACTOR_PREFIX = "mfa:user:"


def second_factor_credentials(user) -> dict:
    return {SECOND_FACTOR: user.pk}


def axes_username(request, credentials) -> str:
    credentials = credentials or {}
    if credentials.get(SECOND_FACTOR) is not None:
        return f"{_SECOND_FACTOR_PREFIX}{credentials[SECOND_FACTOR]}"
    name = credentials.get("username") or credentials.get("email")
    if not name and request is not None:
        name = request.POST.get("login") or request.POST.get("username", "")
    return login_key(name or "", request)


def lockout_parameters(request_or_attempt, credentials=None) -> list:
    username = getattr(request_or_attempt, "username", "") or ""  # an AccessAttempt
    if (credentials or {}).get(SECOND_FACTOR) is not None or username.startswith(
        _SECOND_FACTOR_PREFIX
    ):
        return ["username"]
    return [["username", "ip_address"]]


def locked_out_response(request, original_response=None, credentials=None):
    minutes = round(float(settings.AXES_COOLOFF_TIME) * 60)
    second_factor = (credentials or {}).get(SECOND_FACTOR) is not None
    return render(
        request,
        "accounts/second_factor_locked.html" if second_factor else "accounts/locked_out.html",
        {"failure_limit": settings.AXES_FAILURE_LIMIT, "cooloff_minutes": minutes},
        status=429,
    )
