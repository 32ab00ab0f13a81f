"""How a signed-in person is named to them (allauth's ACCOUNT_USER_DISPLAY).

The username of a web-shop sign-in is an internal key (`webshop:<username>`) and that of an
email sign-in is the address it was made for, confirmed or not: neither is what the person
would call themselves. They see their confirmed address, else their web-shop username.
"""

from allauth.account.models import EmailAddress

from accounts.models import WebshopLink

WEBSHOP_PREFIX = "webshop:"


def main_verified_email(user) -> str | None:
    """The person's main confirmed address (any confirmed one if none is marked main)."""
    return (
        EmailAddress.objects.filter(user=user, verified=True)
        .order_by("-primary", "pk")
        .values_list("email", flat=True)
        .first()
    )


def user_display(user) -> str:
    verified = main_verified_email(user)
    if verified:
        return verified
    link = WebshopLink.objects.filter(user=user).select_related("account").order_by("pk").first()
    if link is not None:
        return link.account.username
    return user.username.removeprefix(WEBSHOP_PREFIX)
