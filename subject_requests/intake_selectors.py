"""Finding the person a letter, email or call is about: by customer number, name or email
in any register. The people listed are recorded as shown to staff (the consultation log)."""

from django.db.models import Q

from portal.models import DataSubject
from portal.registers import REGISTERS

LIMIT = 20


def subjects_matching(query: str) -> list[DataSubject]:
    query = query.strip()
    ids = set()
    for register in REGISTERS:
        model = register.model_class
        names = {f.name for f in model._meta.get_fields()}
        match = Q(customer_number=query)
        if "email" in names:
            match |= Q(email__iexact=query)
        ids |= set(model.objects.filter(match).values_list("subject_id", flat=True)[:LIMIT])
    return list(
        DataSubject.objects.filter(Q(display_name__icontains=query) | Q(pk__in=ids))[:LIMIT]
    )


def subject_records(subject: DataSubject) -> list[tuple]:
    """[(register, record)] of the person, for choosing the record a correction concerns."""
    return [
        (register, record)
        for register in REGISTERS
        if register.correctable_fields
        for record in register.records_for(subject)
    ]


def subject_record(subject: DataSubject, key: str):
    """The (register, record) named "register:pk" among the person's records, or None."""
    register_key, _sep, pk = key.partition(":")
    for register, record in subject_records(subject):
        if register.key == register_key and str(record.pk) == pk:
            return register, record
    return None
