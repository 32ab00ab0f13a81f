"""Writes for sign-in and identity; each audits itself in the same transaction."""

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from accounts.models import IdentityConflict, User, WebshopLink
from portal.audit import audit_record


def customer_user_ensure(*, email: str) -> User:
    """The portal user for an address that asked for a sign-in code, created if need be.

    Every address gets the same treatment whether or not the registers know it, so the
    sign-in flow cannot reveal who is a customer. The user has no password; the address
    is verified only when the code is entered.
    """
    email = email.strip().lower()
    with transaction.atomic():
        address = EmailAddress.objects.filter(email__iexact=email).select_related("user").first()
        if address is not None:
            return address.user
        user = User(username=email, email=email)
        user.set_unusable_password()
        user.save()
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
        return user


def webshop_link_ensure(*, account) -> User:
    """The portal user for a web-shop account whose password was just checked."""
    with transaction.atomic():
        link = WebshopLink.objects.filter(account=account).select_related("user").first()
        if link is not None:
            return link.user
        user = User(username=f"webshop:{account.username}"[:150])
        user.set_unusable_password()
        user.save()
        WebshopLink.objects.create(user=user, account=account)
        audit_record(
            action="auth.webshop.linked",
            actor=user,
            subject=account.subject,
            target=account,
            details={"username": account.username},
        )
        return user


def identity_conflicts_record(*, user, ambiguous: dict[str, set[int]]) -> int:
    """Open a case for staff for each ambiguous address not already open; returns new cases."""
    new = 0
    with transaction.atomic():
        for email, subject_ids in ambiguous.items():
            conflict, created = IdentityConflict.objects.get_or_create(
                user=user, email=email, resolved_at__isnull=True
            )
            if created:
                conflict.subjects.set(subject_ids)
                audit_record(
                    action="identity.conflict.found",
                    actor=user,
                    target=conflict,
                    details={"email": email, "subjects": sorted(subject_ids)},
                )
                new += 1
    return new


def identity_conflict_resolve(*, conflict, staff, resolution: str) -> None:
    with transaction.atomic():
        conflict.resolved_at = timezone.now()
        conflict.resolution = resolution
        conflict.save(update_fields=["resolved_at", "resolution"])
        audit_record(
            action="identity.conflict.resolved",
            actor=staff,
            target=conflict,
            details={"resolution": resolution},
        )
