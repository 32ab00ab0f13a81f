"""Writes for sign-in and identity; each audits itself in the same transaction."""

import hashlib

from allauth.account.models import EmailAddress
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import IdentityConflict, User, WebshopLink
from portal.audit import audit_record
from portal.errors import Refusal


def _code_username(email: str) -> str:
    """The username of the portal user created for an address that asked for a code."""
    if len(email) <= 150:
        return email
    return "code:" + hashlib.sha256(email.encode()).hexdigest()


def customer_user_ensure(*, email: str) -> User | None:
    """The portal user a code sign-in for `email` opens, created if need be; None for staff.

    Every address gets the same treatment whether or not the registers know it, so the
    sign-in flow cannot reveal who is a customer. Only a *verified* address decides whose
    account opens: an address someone else added to their account (and never verified)
    never does, or adding another person's address would open her data to him. Otherwise
    the account is the one created for this address by an earlier code request. The user
    has no password; the address is verified only when the code is entered.
    """
    email = email.strip().lower()
    with transaction.atomic():
        owner = (
            EmailAddress.objects.filter(email__iexact=email, verified=True)
            .select_related("user")
            .first()
        )
        if owner is not None:
            user = owner.user
        else:
            user = User.objects.filter(username=_code_username(email)).first()
            if user is None and not _is_staff_address(email):
                user = User(username=_code_username(email), email=email)
                user.set_unusable_password()
                user.save()
            if user is not None and not user.is_staff and not user.is_superuser:
                EmailAddress.objects.get_or_create(
                    user=user, email=email, defaults={"primary": True, "verified": False}
                )
        if user is None or user.is_staff or user.is_superuser or not user.is_active:
            return None  # staff sign in with password and TOTP, never by code
        return user


def _is_staff_address(email: str) -> bool:
    staff = User.objects.filter(Q(is_staff=True) | Q(is_superuser=True))
    return staff.filter(Q(email__iexact=email) | Q(emailaddress__email__iexact=email)).exists()


def email_address_claimed(*, email_address) -> int:
    """An address was verified by its owner: other accounts' unverified claims to it lapse.

    Someone may have added the address to their own account without being able to confirm
    it; once its owner proves it, those claims can never be confirmed, so they are removed
    (with their pending confirmations) and audited. Returns how many were removed.
    """
    with transaction.atomic():
        claims = list(
            EmailAddress.objects.filter(email__iexact=email_address.email, verified=False)
            .exclude(pk=email_address.pk)
            .select_related("user")
        )
        for claim in claims:
            audit_record(
                action="auth.email.claim_lapsed",
                actor=email_address.user,
                details={"email": claim.email, "claimed_by_user_id": claim.user_id},
            )
            claim.delete()
    return len(claims)


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


def _settled(subject_ids) -> bool:
    """Staff already have these subjects before them (an open case), or decided about them."""
    ids = set(subject_ids)
    return any(ids <= case for case in IdentityConflict.objects.standing().subject_sets(ids))


def identity_conflicts_record(*, user, ambiguous: dict[str, set[int]]) -> int:
    """Open a case for staff for each ambiguous address not already open; returns new cases.

    Subjects staff decided about are not brought back to them."""
    new = 0
    with transaction.atomic():
        for email, subject_ids in ambiguous.items():
            decided = IdentityConflict.objects.exclude(decision="").subject_sets(subject_ids)
            if any(set(subject_ids) <= case for case in decided):
                continue
            conflict, created = IdentityConflict.objects.get_or_create(
                user=user,
                email=email,
                kind=IdentityConflict.Kind.SHARED_EMAIL,
                resolved_at__isnull=True,
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


def identity_conflict_open(
    *, customer_number: str, subjects, user=None, actor=None, source=None
) -> IdentityConflict | None:
    """A case for staff: records sharing `customer_number` whose people differ.

    `subjects` are saved data subjects (ids or objects). Nothing is opened when staff
    already have a case covering them or decided about them. Runs inside the caller's
    transaction when there is one (an import writes its rows and its cases together).
    """
    ids = {getattr(s, "pk", s) for s in subjects}
    with transaction.atomic():
        if user is not None:
            # Two requests of one customer at once must not open the same case twice.
            User.objects.select_for_update().filter(pk=user.pk).first()
        if len(ids) < 2 or _settled(ids):
            return None
        conflict = IdentityConflict.objects.create(
            kind=IdentityConflict.Kind.CUSTOMER_NUMBER,
            customer_number=customer_number,
            user=user,
            source=source or {},
        )
        conflict.subjects.set(ids)
        audit_record(
            action="identity.conflict.found",
            actor=actor if actor is not None else user,
            target=conflict,
            details={
                "kind": conflict.kind,
                "customer_number": customer_number,
                "subjects": sorted(ids),
                **(source or {}),
            },
        )
        return conflict


class ConflictAlreadyResolved(Refusal):
    """Someone else resolved the case first; nothing was changed."""

    def __init__(self):
        super().__init__(
            _("This case was already resolved. Nothing was changed."), code="conflict_resolved"
        )


def identity_conflict_resolve(*, conflict, staff, decision: str, resolution: str) -> None:
    """Staff decide whether the case's subjects are one person; the linking follows it."""
    if decision not in IdentityConflict.Decision.values:
        raise ValueError(f"Unknown decision {decision!r}.")
    with transaction.atomic():
        locked = IdentityConflict.objects.select_for_update().get(pk=conflict.pk)
        if locked.resolved_at is not None:
            raise ConflictAlreadyResolved
        locked.resolved_at = timezone.now()
        locked.resolved_by = staff
        locked.decision = decision
        locked.resolution = resolution
        locked.save(update_fields=["resolved_at", "resolved_by", "decision", "resolution"])
        audit_record(
            action="identity.conflict.resolved",
            actor=staff,
            target=locked,
            details={
                "kind": locked.kind,
                "decision": decision,
                "resolution": resolution,
                "subjects": sorted(locked.subjects.values_list("pk", flat=True)),
            },
        )
