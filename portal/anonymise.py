"""Anonymising a record as its register's erasure policy says: the fields it erases are
blanked and the related events it does not keep are deleted. One implementation for the
two that do it: an erasure request (subject_requests/services/erasure.py) and the end of a
retention period (portal/retention_service.py).
"""

from django.core.exceptions import ImproperlyConfigured

from portal.disclosures import event_disclosures_keep
from portal.registers.erasure import ANONYMISE


def anonymising_policy(register):
    """The register's erasure policy, which must anonymise (not delete) to be used here."""
    policy = register.erasure
    if policy is None or policy.method != ANONYMISE:
        raise ImproperlyConfigured(
            f"{register.key!r} is to be anonymised, but its erasure policy does not say how."
        )
    return policy


def blank_value(record, name):
    """The value an anonymised field gets: empty, or unique where the model needs it."""
    field = record._meta.get_field(name)
    if field.null:
        return None
    if field.unique:
        return f"erased-{record.pk}"
    return field.get_default() if field.has_default() else ""


def related_to_delete(register, record, policy) -> list:
    """Querysets of the related events the policy does not keep (one kept only while a
    date is set, e.g. an invoice's, is deleted when it is not)."""
    specs = {spec.key: spec for spec in register.related}
    querysets = []
    for rule in policy.related:
        if rule.kept:
            continue
        spec = specs[rule.key]
        events = spec.model_class.objects.filter(**{spec.path: record})
        if rule.kept_if:
            events = events.filter(**{f"{rule.kept_if}__isnull": True})
        querysets.append(events)
    return querysets


def related_held(register, record, policy) -> list[str]:
    """The keys of the related events the record still has under the policy's rules."""
    specs = {spec.key: spec for spec in register.related}
    return [
        rule.key
        for rule in policy.related
        if specs[rule.key].model_class.objects.filter(**{specs[rule.key].path: record}).exists()
    ]


def still_to_anonymise(register, record) -> bool:
    """Whether anonymising would change anything (it may have been done already)."""
    policy = anonymising_policy(register)
    if any(getattr(record, name) != blank_value(record, name) for name in policy.erased):
        return True
    return any(events.exists() for events in related_to_delete(register, record, policy))


def record_anonymise(register, record) -> dict:
    """Blank the fields the erasure policy erases and delete the related events it does not
    keep; {"erased": field names, "events_deleted": count}. The record is updated in place
    without touching `updated_at`: retention periods count from its last real update, and
    anonymising must not restart them (nor move the date an erasure's answer gave)."""
    policy = anonymising_policy(register)
    blanks = {name: blank_value(record, name) for name in policy.erased}
    erased = sorted(name for name, blank in blanks.items() if getattr(record, name) != blank)
    deleted = 0
    # A delivery deleted here was still a disclosure to its carrier: the ledger keeps it.
    event_disclosures_keep(register, record)
    for events in related_to_delete(register, record, policy):
        deleted += events.delete()[0]
    if erased:
        register.model_class.objects.filter(pk=record.pk).update(
            **{name: blanks[name] for name in erased}
        )
        for name in erased:
            setattr(record, name, blanks[name])
    return {"erased": erased, "events_deleted": deleted}
