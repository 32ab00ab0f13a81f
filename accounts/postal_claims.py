"""Claiming data held under a postal address only, with a code sent by letter.

A signed-in person gives a name and postal address (`claim_submit`): the answer is the same
whatever the registers hold, so nobody learns from it whether a person is on file. Staff see
the records whose address fits (`claim_candidates`, compared as portal/persons.py compares
people) and, if one fits, print a letter with a one-time code to that record's address on
file (`letter_issue`), never to the address typed. Only the user who made the claim can
enter the code (`code_enter`); it expires and has an attempt limit, after which the claim is
locked. The right code links the subject to the account (accounts/identity.py).
"""

import secrets
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from accounts.models import PostalClaim
from portal.audit import audit_record
from portal.errors import Refusal
from portal.persons import normalise, person_of, same_person
from portal.processing import POSTAL_CLAIM_KEEP_DAYS
from portal.registers import REGISTERS, Concept

CODE_VALID = timedelta(days=30)
MAX_ATTEMPTS = 5
# Open claims one account may have at once; more are answered alike but not kept.
MAX_OPEN = 3
# No 0/O, 1/I/L: read from paper and typed by hand.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10
ADDRESS = (Concept.STREET_ADDRESS, Concept.POSTAL_CODE, Concept.POST_OFFICE)
OPEN = (PostalClaim.Status.RECEIVED, PostalClaim.Status.LETTER_SENT)


def _address_fields(register) -> dict[str, str] | None:
    """concept -> field name of the register's postal address, when it declares one."""
    names = {spec.concept: spec.name for spec in register.fields if spec.concept in ADDRESS}
    return names if len(names) == len(ADDRESS) else None


def _hash(claim: PostalClaim, code: str) -> str:
    cleaned = "".join(c for c in code.upper() if c.isalnum())
    return salted_hmac(
        "accounts.postal_claim", f"{claim.public_id}:{cleaned}", algorithm="sha256"
    ).hexdigest()


def new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


def claim_submit(*, user, data: dict, language: str) -> PostalClaim | None:
    """Record the claim (audited) and return it; None when the account has too many open."""
    with transaction.atomic():
        if user.postal_claims.filter(status__in=OPEN).count() >= MAX_OPEN:
            return None
        claim = PostalClaim.objects.create(user=user, language=language, **data)
        audit_record(action="identity.postal_claim.received", actor=user, target=claim)
    return claim


@dataclass
class Candidate:
    subject: object
    register: object
    record: object
    name_matches: bool
    address: dict = field(default_factory=dict)  # street_address, postal_code, post_office

    @property
    def name(self) -> str:
        return str(self.record)


def _address_of(record, names) -> dict:
    return {concept: getattr(record, names[concept]) for concept in ADDRESS}


def claim_candidates(claim: PostalClaim) -> list[Candidate]:
    """Records whose postal address on file is the one typed (postal code and street, in any
    case or accents), with whether the name fits too."""
    typed = person_of({"first_name": claim.first_name, "last_name": claim.last_name})
    street = normalise(claim.street_address)
    found = []
    for register in REGISTERS:
        names = _address_fields(register)
        if names is None:
            continue
        code_field = names[Concept.POSTAL_CODE]
        records = register.model_class.objects.filter(
            **{code_field: claim.postal_code.strip().replace(" ", "")}
        ).select_related("subject")
        for record in records:
            if normalise(getattr(record, names[Concept.STREET_ADDRESS])) != street:
                continue
            values = {name: getattr(record, name, "") for name in ("first_name", "last_name")}
            found.append(
                Candidate(
                    subject=record.subject,
                    register=register,
                    record=record,
                    name_matches=same_person(typed, person_of(values)),
                    address=_address_of(record, names),
                )
            )
    return found


def address_on_file(subject) -> tuple[str, dict] | None:
    """(name, address) of the subject's first record with a complete postal address."""
    for register in REGISTERS:
        names = _address_fields(register)
        if names is None:
            continue
        for record in register.records_for(subject).order_by("pk"):
            address = _address_of(record, names)
            if all(address.values()):
                return str(record), address
    return None


def letter_issue(*, claim: PostalClaim, subject, staff) -> tuple[str, str, dict]:
    """A new code for the claim, bound to `subject`: (code, name, address on file). An
    earlier code of the claim stops working. Audited; the code itself is never stored."""
    with transaction.atomic():
        claim = PostalClaim.objects.select_for_update().get(pk=claim.pk)
        if claim.status not in OPEN:
            raise Refusal(_("This claim is closed; nothing was changed."), code="claim_closed")
        if subject is None or subject.pk not in {c.subject.pk for c in claim_candidates(claim)}:
            raise Refusal(_("Choose one of the matching records."), code="no_match")
        on_file = address_on_file(subject)
        if on_file is None:
            raise Refusal(_("No postal address is on file for this person."), code="no_address")
        code = new_code()
        now = timezone.now()
        claim.subject = subject
        claim.code_hash = _hash(claim, code)
        claim.code_expires_at = now + CODE_VALID
        claim.attempts = 0
        claim.letter_sent_at = now
        claim.letter_by = staff
        claim.status = PostalClaim.Status.LETTER_SENT
        claim.save()
        audit_record(
            action="identity.postal_claim.letter_printed",
            actor=staff,
            subject=subject,
            target=claim,
            details={"expires": claim.code_expires_at.isoformat()},
        )
    name, address = on_file
    return code, name, address


def claim_close(*, claim: PostalClaim, staff) -> None:
    """No record fits: the claim ends without a letter (the person is not told either way)."""
    with transaction.atomic():
        claim = PostalClaim.objects.select_for_update().get(pk=claim.pk)
        if claim.status not in OPEN:
            raise Refusal(_("This claim is closed; nothing was changed."), code="claim_closed")
        claim.status = PostalClaim.Status.CLOSED
        claim.code_hash = ""
        claim.save(update_fields=["status", "code_hash"])
        audit_record(action="identity.postal_claim.closed", actor=staff, target=claim)


class CodeResult:
    LINKED = "linked"
    WRONG = "wrong"
    LOCKED = "locked"
    EXPIRED = "expired"
    NONE = "none"  # no letter is waiting for a code


def code_enter(*, user, code: str) -> tuple[str, int]:
    """Check `code` against the user's own claims with a letter out: (result, attempts left).
    A wrong code counts against each of them; at the limit a claim is locked."""
    now = timezone.now()
    with transaction.atomic():
        claims = list(
            user.postal_claims.select_for_update()
            .filter(status=PostalClaim.Status.LETTER_SENT)
            .order_by("pk")
        )
        if not claims:
            return CodeResult.NONE, 0
        for claim in claims:
            if claim.code_expires_at <= now:
                claim.status = PostalClaim.Status.EXPIRED
                claim.code_hash = ""
                claim.save(update_fields=["status", "code_hash"])
                audit_record(action="identity.postal_claim.expired", actor=user, target=claim)
        live = [c for c in claims if c.status == PostalClaim.Status.LETTER_SENT]
        if not live:
            return CodeResult.EXPIRED, 0
        for claim in live:
            if constant_time_compare(claim.code_hash, _hash(claim, code)):
                claim.status = PostalClaim.Status.LINKED
                claim.linked_at = now
                claim.code_hash = ""
                claim.save(update_fields=["status", "linked_at", "code_hash"])
                audit_record(
                    action="identity.postal_claim.linked",
                    actor=user,
                    subject=claim.subject,
                    target=claim,
                )
                return CodeResult.LINKED, 0
        left = 0
        for claim in live:
            claim.attempts += 1
            if claim.attempts >= MAX_ATTEMPTS:
                claim.status = PostalClaim.Status.LOCKED
                claim.code_hash = ""
            claim.save(update_fields=["attempts", "status", "code_hash"])
            audit_record(
                action="identity.postal_claim.wrong_code",
                actor=user,
                target=claim,
                details={"attempts": claim.attempts, "locked": claim.attempts >= MAX_ATTEMPTS},
            )
            left = max(left, MAX_ATTEMPTS - claim.attempts)
    return (CodeResult.WRONG, left) if left else (CodeResult.LOCKED, 0)


def claimed_subject_ids(user) -> list[int]:
    """The subjects the user linked by entering a letter's code."""
    return list(
        user.postal_claims.filter(
            status=PostalClaim.Status.LINKED, subject__isnull=False
        ).values_list("subject_id", flat=True)
    )


def claims_purge(today) -> int:
    """Delete the claims that linked nothing once POSTAL_CLAIM_KEEP_DAYS have passed since they
    were made (the privacy notice says so); a claim whose code linked records stays with the
    account as the proof of the link. Run daily by apply_retention; returns how many went."""
    since = timezone.make_aware(
        datetime.combine(today - timedelta(days=POSTAL_CLAIM_KEEP_DAYS), time.min)
    )
    stale = PostalClaim.objects.exclude(status=PostalClaim.Status.LINKED).filter(
        created_at__lt=since
    )
    with transaction.atomic():
        count = stale.count()
        if count:
            stale.delete()
            audit_record(
                action="identity.postal_claim.purged",
                details={"count": count, "older_than_days": POSTAL_CLAIM_KEEP_DAYS},
            )
    return count
