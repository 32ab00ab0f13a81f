"""Reads the customer's request pages share. Everything is reached through the signed-in
user: their own requests, and the records of the data subjects linked to them."""

from django.db.models import QuerySet

from accounts.identity import linked_subjects
from portal.models import DataSubject
from portal.registers import Register


def customer_requests(user) -> QuerySet:
    """The user's own requests, newest first, with their field changes."""
    return user.data_requests.prefetch_related("changes").order_by("-received_at", "-pk")


def customer_records(user, register: Register, subjects=None) -> QuerySet:
    """The records of `register` held about the data subjects linked to `user`."""
    if subjects is None:
        subjects = linked_subjects(user).subjects
    return register.model_class.objects.filter(subject__in=subjects).order_by("pk")


def subject_for_register(subjects: list[DataSubject], register: Register) -> DataSubject | None:
    """The linked subject holding a record in `register`; else the first linked subject."""
    holder = (
        register.model_class.objects.filter(subject__in=subjects)
        .order_by("subject_id")
        .values_list("subject_id", flat=True)
        .first()
    )
    return next((s for s in subjects if s.pk == holder), subjects[0] if subjects else None)
