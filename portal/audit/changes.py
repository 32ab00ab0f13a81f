"""One way to change fields of a record: validated, saved, and audited with old and new values.

    record_update(record=record, changes={"phone": "040 765 4321"}, actor=staff,
                  subject=record.subject, details={"via": "rectification"})

must run inside the transaction of the action it belongs to (audit_record checks).
"""

from portal.audit.record import audit_record


def _timestamped(record) -> list[str]:
    """The fields the model stamps on every save (updated_at): saved with the change."""
    return [field.name for field in record._meta.concrete_fields if getattr(field, "auto_now", 0)]


def record_update(
    *,
    record,
    changes: dict,
    actor,
    subject=None,
    action: str = "register.record.changed",
    details: dict | None = None,
) -> dict:
    """Set `changes` ({field: value}) on `record`, validate those fields as the model does,
    save only the fields that changed (and the model's updated_at) and write one audit event
    with {field: {"old": ..., "new": ...}} under "fields", beside `details`.

    Returns what changed, as in the event; {} when nothing did (nothing saved, no event).
    A value the field refuses raises ValidationError before anything is saved. The values
    audited are the ones stored (a phone number normalised, not as typed).
    """
    # Compared and audited by column (a foreign key by its id, not the object).
    columns = {name: record._meta.get_field(name).attname for name in changes}
    old = {name: getattr(record, column) for name, column in columns.items()}
    for name, value in changes.items():
        setattr(record, name, value)
    record.full_clean(exclude=[f.name for f in record._meta.fields if f.name not in changes])
    changed = {
        name: {"old": old[name], "new": getattr(record, column)}
        for name, column in columns.items()
        if getattr(record, column) != old[name]
    }
    if not changed:
        return {}
    record.save(update_fields=[*changed, *_timestamped(record)])
    audit_record(
        action=action,
        actor=actor,
        subject=subject,
        target=record,
        details={**(details or {}), "fields": changed},
    )
    return changed
