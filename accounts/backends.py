"""Password sign-in: a login names one account, and every attempt costs one hash.

Two kinds of account have a password: staff (a portal password, then TOTP) and web-shop
customers (the web-shop password, checked against the hash in the web-shop register).
Customers who sign in by code have no portal password, and one set earlier is never used.

A login is normalised (NFKC, case-folded) and must equal the stored username or address after
the same normalisation: a database that folds more than Python does (PostgreSQL matches
`maıja.m` with a dotless ı to `maija.m` case-insensitively) finds a candidate, and the
comparison here refuses it. Every attempt runs exactly one hash of the configured hasher,
for a known or an unknown login, so the time taken does not tell which accounts exist.
The same resolution gives django-axes its counter (accounts.lockout).
"""

import hashlib
import unicodedata

from allauth.account.auth_backends import AuthenticationBackend
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db.models import Q

from accounts.models import User
from accounts.services import webshop_link_ensure
from portal.models import WebshopAccount

MAX_LOGIN_LENGTH = 254
_CACHE_ATTRIBUTE = "_portal_password_targets"


def login_normalize(login: str) -> str:
    return unicodedata.normalize("NFKC", login or "").strip().casefold()


def _only(candidates: list):
    """The one candidate, or nothing: an ambiguous login signs in to no account."""
    return candidates[0] if len(candidates) == 1 else None


def _staff_with_login(typed: str, wanted: str) -> User | None:
    staff = User.objects.filter(Q(is_staff=True) | Q(is_superuser=True))
    by_username = [
        u for u in staff.filter(username__iexact=typed) if login_normalize(u.username) == wanted
    ]
    if by_username:
        return _only(by_username)
    by_email = {u for u in staff.filter(email__iexact=typed) if login_normalize(u.email) == wanted}
    verified = EmailAddress.objects.filter(email__iexact=typed, verified=True, user__in=staff)
    by_email |= {
        a.user for a in verified.select_related("user") if login_normalize(a.email) == wanted
    }
    return _only(list(by_email))


def _webshop_account_with_login(typed: str, wanted: str) -> WebshopAccount | None:
    accounts = [
        a
        for a in WebshopAccount.objects.filter(Q(username__iexact=typed) | Q(email__iexact=typed))
        if a.has_password
    ]
    by_username = [a for a in accounts if login_normalize(a.username) == wanted]
    if by_username:
        return _only(by_username)
    # An address on more than one web-shop account names none of them: use the username.
    return _only([a for a in accounts if login_normalize(a.email) == wanted])


def _resolve(login: str):
    wanted = login_normalize(login)
    if not wanted or len(wanted) > MAX_LOGIN_LENGTH or "\x00" in wanted:
        return None
    typed = unicodedata.normalize("NFKC", login).strip()
    user = _staff_with_login(typed, wanted)
    if user is not None and user.has_usable_password():
        return user
    if user is not None:
        return None
    return _webshop_account_with_login(typed, wanted)


def password_target(login: str, request=None) -> User | WebshopAccount | None:
    """The account whose password `login` is checked against: staff, web shop, or none."""
    cache = getattr(request, _CACHE_ATTRIBUTE, None) if request is not None else None
    if cache is None:
        cache = {}
        if request is not None:
            setattr(request, _CACHE_ATTRIBUTE, cache)
    if login not in cache:
        cache[login] = _resolve(login)
    return cache[login]


def login_key(login: str, request=None) -> str:
    """The lockout counter of a login: its account's, or its normalised text's."""
    target = password_target(login, request)
    if isinstance(target, WebshopAccount):
        return f"webshop:{target.pk}"
    if target is not None:
        return f"user:{target.pk}"
    # After a sign-in axes resets the counter of the user's own username: a web-shop
    # customer's portal user stands for the web-shop account it was made for.
    if login and len(login) <= 150 and "\x00" not in login:
        user = User.objects.filter(username=login).first()
        link = user.webshop_links.first() if user is not None else None
        if link is not None:
            return f"webshop:{link.account_id}"
    key = "login:" + login_normalize(login).replace("\x00", "")
    if len(key) > 200:  # axes keeps 255 characters
        key = "login#" + hashlib.sha256(key.encode()).hexdigest()
    return key


class StaffPasswordBackend(AuthenticationBackend):
    """allauth's backend for staff only, checking the one staff account a login names."""

    def authenticate(self, request, **credentials):
        password = credentials.get("password")
        login = credentials.get("username") or credentials.get("email") or ""
        if not password:
            return None
        target = password_target(login, request)
        if not isinstance(target, User):
            return None  # the web-shop backend (last) spends this attempt's one hash
        return self._check_password(target, password)


class WebshopBackend:
    """Customers sign in with the web-shop username (or email) and password of the web-shop
    register (seed 5.4). The register keeps the only copy of the password hash."""

    def authenticate(self, request, username=None, password=None, email=None, **kwargs):
        login = username or email or ""
        if not login or not password:
            return None
        target = password_target(login, request)
        if isinstance(target, WebshopAccount):
            return webshop_link_ensure(account=target) if target.check_password(password) else None
        if target is None:
            # No account has this login: hash anyway, as long as checking a password takes.
            make_password(password)
        return None

    def get_user(self, user_id):
        return User.objects.filter(pk=user_id, is_active=True).first()
