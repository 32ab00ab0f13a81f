import contextlib

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db.models import Q

from accounts.services import webshop_link_ensure
from portal.models import WebshopAccount
from portal.validators import normalize_email


class WebshopBackend:
    """Customers sign in with the web-shop username (or email) and password of the web-shop
    register (seed 5.4). The register keeps the only copy of the password hash."""

    def authenticate(self, request, username=None, password=None, email=None, **kwargs):
        login = (username or email or "").strip()
        if not login or not password:
            return None
        lookup = Q(username__iexact=login)
        if "@" in login:
            with contextlib.suppress(ValidationError):  # not an address: the username stands
                lookup |= Q(email=normalize_email(login))
        accounts = [a for a in WebshopAccount.objects.filter(lookup) if a.has_password]
        if not accounts:
            # Hash anyway, so an unknown username takes as long as a wrong password.
            make_password(password)
            return None
        for account in accounts:
            if account.check_password(password):
                return webshop_link_ensure(account=account)
        return None

    def get_user(self, user_id):
        from accounts.models import User

        return User.objects.filter(pk=user_id, is_active=True).first()
