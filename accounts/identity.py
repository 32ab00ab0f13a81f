"""Who is this customer in the registers? Linking a signed-in user to data subjects.

A user sees the subjects whose records carry one of the user's *verified* addresses, the
subjects of web-shop accounts the user proved with the web-shop password, the subjects
whose postal address received a letter whose code the user entered, and the subjects
tied to those by customer number when their records are about the same person (see
portal/persons.py). An address on the records of more than one subject, or a customer
number on the records of different people, is not guessed at: those subjects stay hidden
and the case goes to staff, whose decision the linking then follows.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress

from accounts.models import IdentityConflict
from accounts.postal_claims import claimed_subject_ids
from accounts.services import identity_conflict_open
from portal.models import DataSubject
from portal.persons import Person, person_of, register_person_fields, vouched_for
from portal.registers import REGISTERS

EMAIL_REGISTERS = [r for r in REGISTERS if "email" in {f.name for f in r.fields}]


@dataclass
class Linking:
    subjects: list[DataSubject] = field(default_factory=list)
    # address -> ids of the subjects its records belong to, when there is more than one
    ambiguous: dict[str, set[int]] = field(default_factory=dict)

    @property
    def has_data(self) -> bool:
        return bool(self.subjects)


def verified_emails(user) -> list[str]:
    return sorted(
        e.lower()
        for e in EmailAddress.objects.filter(user=user, verified=True).values_list(
            "email", flat=True
        )
    )


def _subjects_by_email(emails) -> dict[str, set[int]]:
    found: dict[str, set[int]] = defaultdict(set)
    for register in EMAIL_REGISTERS:
        rows = register.model_class.objects.filter(email__in=emails).values_list(
            "email", "subject_id"
        )
        for email, subject_id in rows:
            found[email].add(subject_id)
    return found


def _people_by_number(**lookup) -> dict[str, dict[int, list[Person]]]:
    """customer number -> subject id -> who each of its records with that number is about."""
    found: dict[str, dict[int, list[Person]]] = defaultdict(lambda: defaultdict(list))
    for register in REGISTERS:
        fields = register_person_fields(register)
        rows = (
            register.model_class.objects.filter(**lookup)
            .exclude(customer_number="")
            .values("customer_number", "subject_id", *fields)
        )
        for row in rows:
            found[row["customer_number"]][row["subject_id"]].append(person_of(row))
    return found


def _linked_by_customer_number(anchors: set[int]) -> tuple[set[int], dict[str, set[int]]]:
    """The subjects `anchors`' customer numbers tie to them, and the numbers that tie
    them to other people (number -> those anchors and the others), which are left out.

    A number links a subject when its records with that number are about the same person
    as the anchors' records with it, or when staff decided they are one person; staff can
    also decide they are different people, and then nothing links them.
    """
    held = _people_by_number(subject_id__in=anchors)
    sharing = _people_by_number(customer_number__in=list(held))
    others = {s for by_subject in sharing.values() for s in by_subject} - anchors
    same = IdentityConflict.objects.decided(IdentityConflict.Decision.SAME_PERSON)
    apart = IdentityConflict.objects.decided(IdentityConflict.Decision.DIFFERENT_PEOPLE)
    same_sets, apart_sets = same.subject_sets(others), apart.subject_sets(others)
    linked: set[int] = set()
    mismatched: dict[str, set[int]] = defaultdict(set)
    for number, by_subject in sharing.items():
        known = [person for people in held[number].values() for person in people]
        for subject, people in by_subject.items():
            if subject in anchors:
                continue
            if any(subject in ids and ids & anchors for ids in apart_sets):
                continue  # decided for good; no new case either
            if vouched_for(known, people) or any(
                subject in ids and ids & anchors for ids in same_sets
            ):
                linked.add(subject)
            else:
                mismatched[number] |= {subject, *held[number]}
    # A subject one number links is the customer's, whatever another number says.
    mismatched = {n: ids - linked for n, ids in mismatched.items() if (ids - linked) - anchors}
    return linked, mismatched


def _email_subjects_decided_same(by_email: dict[str, set[int]]) -> set[str]:
    """Addresses on several subjects that staff decided are all one person's."""
    shared = {s for ids in by_email.values() if len(ids) > 1 for s in ids}
    if not shared:
        return set()
    same = IdentityConflict.objects.decided(IdentityConflict.Decision.SAME_PERSON)
    sets = same.subject_sets(shared)
    return {email for email, ids in by_email.items() if any(ids <= s for s in sets)}


def linked_subjects(user) -> Linking:
    """The data subjects this signed-in user may see, and any ambiguous addresses.

    Subjects a shared customer number would tie in although they are other people are left
    out, and staff get a case about them (`identity_conflict_open`).
    """
    if not user.is_authenticated:
        return Linking()
    by_email = _subjects_by_email(verified_emails(user))
    decided_same = _email_subjects_decided_same(by_email)
    ambiguous = {
        email: ids for email, ids in by_email.items() if len(ids) > 1 and email not in decided_same
    }
    clear = {s for email, ids in by_email.items() if email not in ambiguous for s in ids}
    clear.update(user.webshop_links.values_list("account__subject_id", flat=True))
    # Proved with the code of a letter sent to the postal address on file (postal_claims).
    clear.update(claimed_subject_ids(user))
    if clear:
        linked, mismatched = _linked_by_customer_number(clear)
        clear |= linked
        for number, ids in mismatched.items():
            identity_conflict_open(
                customer_number=number, subjects=ids, user=user, source={"found": "linking"}
            )
    subjects = list(DataSubject.objects.filter(pk__in=clear).order_by("pk"))
    return Linking(subjects=subjects, ambiguous=ambiguous)
