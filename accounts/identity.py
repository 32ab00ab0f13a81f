"""Who is this customer in the registers? Linking a signed-in user to data subjects.

A user sees the subjects whose records carry one of the user's *verified* addresses, the
subjects of web-shop accounts the user proved with the web-shop password, and the subjects
tied to those by customer number. An address on the records of more than one subject is
not guessed at: those subjects stay hidden and the case goes to staff.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress

from portal.models import DataSubject
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


def _customer_numbers(subject_ids) -> set[str]:
    numbers: set[str] = set()
    for register in REGISTERS:
        numbers.update(
            register.model_class.objects.filter(subject_id__in=subject_ids)
            .exclude(customer_number="")
            .values_list("customer_number", flat=True)
        )
    return numbers


def _subjects_by_customer_number(numbers) -> set[int]:
    ids: set[int] = set()
    for register in REGISTERS:
        ids.update(
            register.model_class.objects.filter(customer_number__in=numbers).values_list(
                "subject_id", flat=True
            )
        )
    return ids


def linked_subjects(user) -> Linking:
    """The data subjects this signed-in user may see, and any ambiguous addresses."""
    if not user.is_authenticated:
        return Linking()
    by_email = _subjects_by_email(verified_emails(user))
    ambiguous = {email: ids for email, ids in by_email.items() if len(ids) > 1}
    clear = {next(iter(ids)) for ids in by_email.values() if len(ids) == 1}
    clear.update(user.webshop_links.values_list("account__subject_id", flat=True))
    if clear:
        clear |= _subjects_by_customer_number(_customer_numbers(clear))
    subjects = list(DataSubject.objects.filter(pk__in=clear).order_by("pk"))
    return Linking(subjects=subjects, ambiguous=ambiguous)
