"""Rectification (Art. 16): the customer proposes, staff decide field by field."""

from collections import Counter

from django.db import transaction
from django.utils.translation import gettext as _

from portal.audit.changes import record_update
from portal.errors import Refusal
from portal.registers import REGISTERS, get_register
from subject_requests.decisions import Code
from subject_requests.models import DataRequest, FieldChange
from subject_requests.services.base import audit, locked, request_close, request_create
from subject_requests.services.once import request_create_once, request_fingerprint


class RecordChanged(Refusal):
    """The register record changed after the customer submitted; staff must look again."""

    def __init__(self, fields):
        self.fields = fields  # [(register key, field name)]
        super().__init__(
            _(
                "The record has changed since the request was made. Check the "
                "current values and decide again."
            ),
            code="record_changed",
        )


def _as_text(value) -> str:
    return "" if value is None else str(value)


def rectification_submit(
    *, user, record, changes: dict[str, str], language="fi", submission_key=""
) -> DataRequest:
    """`changes` maps correctable field names to their new (validated) values. The same
    changes to the same record, still open, give that request (`repeated` set on it)."""
    register = next(r for r in REGISTERS if isinstance(record, r.model_class))
    allowed = {spec.name for spec in register.correctable_fields}
    if not changes or not set(changes) <= allowed:
        raise Refusal(_("Only the fields marked correctable can be changed."))
    fingerprint = request_fingerprint(
        type=DataRequest.Type.RECTIFICATION,
        subject=record.subject_id,
        register=register.key,
        record=record.pk,
        changes={name: _as_text(value) for name, value in changes.items()},
    )

    def create() -> DataRequest:
        request = request_create(
            user=user,
            type=DataRequest.Type.RECTIFICATION,
            subject=record.subject,
            register=register.key,
            language=language,
            submission_key=submission_key,
            fingerprint=fingerprint,
        )
        FieldChange.objects.bulk_create(
            FieldChange(
                request=request,
                register=register.key,
                record_id=record.pk,
                field=name,
                old_value=_as_text(getattr(record, name)),
                new_value=_as_text(value),
            )
            for name, value in changes.items()
        )
        return request

    with transaction.atomic():
        return request_create_once(
            user=user, submission_key=submission_key, fingerprint=fingerprint, create=create
        )


def rectification_submit_across(
    *, user, targets: list[tuple], language="fi", submission_key=""
) -> DataRequest:
    """One correction of details held in several registers: `targets` lists (record, field
    name, new value) for every record holding a corrected detail. One request, register
    blank, with a FieldChange per record and field; staff decide each as usual."""
    if not targets:
        raise Refusal(_("Only the fields marked correctable can be changed."))
    rows = []
    for record, name, value in targets:
        register = next(r for r in REGISTERS if isinstance(record, r.model_class))
        if name not in {spec.name for spec in register.correctable_fields}:
            raise Refusal(_("Only the fields marked correctable can be changed."))
        rows.append((register, record, name, _as_text(value)))
    # The request is about the person most of the records belong to (one, nearly always).
    subjects = Counter(record.subject_id for _r, record, _n, _v in rows)
    subject = next(
        rec.subject for _r, rec, _n, _v in rows if rec.subject_id == subjects.most_common(1)[0][0]
    )
    fingerprint = request_fingerprint(
        type=DataRequest.Type.RECTIFICATION,
        subject=subject.pk,
        register="",
        changes=sorted([r.key, rec.pk, name, value] for r, rec, name, value in rows),
    )

    def create() -> DataRequest:
        request = request_create(
            user=user,
            type=DataRequest.Type.RECTIFICATION,
            subject=subject,
            register="",
            language=language,
            submission_key=submission_key,
            fingerprint=fingerprint,
        )
        FieldChange.objects.bulk_create(
            FieldChange(
                request=request,
                register=register.key,
                record_id=record.pk,
                field=name,
                old_value=_as_text(getattr(record, name)),
                new_value=value,
            )
            for register, record, name, value in rows
        )
        return request

    with transaction.atomic():
        return request_create_once(
            user=user, submission_key=submission_key, fingerprint=fingerprint, create=create
        )


def current_values(request: DataRequest) -> dict[int, str]:
    """The present value of each changed field, to show staff current vs proposed."""
    values = {}
    for change in request.changes.all():
        model = get_register(change.register).model_class
        record = model.objects.filter(pk=change.record_id).first()
        values[change.pk] = _as_text(getattr(record, change.field)) if record else ""
    return values


def rectification_decide(
    *, request: DataRequest, staff, decisions: dict[int, tuple[bool, str]], seen: dict[int, str]
) -> DataRequest:
    """Apply the approved changes in one transaction, old and new values in the audit trail.

    `decisions` maps each change id to (approve, reason); `seen` to the value the staff
    member saw as current. If the record changed since (another edit, or since submission
    with staff not yet shown it), nothing is applied and RecordChanged names the fields.
    """
    with transaction.atomic():
        request = locked(request)
        if not request.identity_verified:
            raise Refusal(_("Only requests from a verified identity can be approved."))
        changes = list(request.changes.select_for_update())
        if {c.pk for c in changes} != set(decisions):
            raise Refusal(_("Decide every field: approve or reject each change."))
        records = {}
        stale = []
        for change in changes:
            model = get_register(change.register).model_class
            record = records.setdefault(
                (change.register, change.record_id),
                model.objects.select_for_update().get(pk=change.record_id),
            )
            if _as_text(getattr(record, change.field)) != seen.get(change.pk, change.old_value):
                stale.append((change.register, change.field))
        if stale:
            raise RecordChanged(stale)
        approved = 0
        for change in changes:
            approve, reason = decisions[change.pk]
            if not approve and not reason.strip():
                raise Refusal(_("Give a reason for each rejected change."))
            change.decision = "approved" if approve else "rejected"
            change.reason = reason
            change.save(update_fields=["decision", "reason"])
            if approve:
                record = records[(change.register, change.record_id)]
                field = record._meta.get_field(change.field)
                new = change.new_value
                value = field.to_python(new or None) if field.null else new
                record_update(
                    record=record,
                    changes={change.field: value},
                    actor=staff,
                    subject=record.subject,
                    details={"via": "rectification", "request": str(request.public_id)},
                )
                approved += 1
        status = (
            DataRequest.Status.COMPLETED
            if approved == len(changes)
            else DataRequest.Status.REJECTED
            if approved == 0
            else DataRequest.Status.PARTLY_APPROVED
        )
        audit(request, "fields_decided", staff, decisions={c.field: c.decision for c in changes})
        return request_close(
            request=request,
            staff=staff,
            status=status,
            code=Code.BY_FIELD,
        )
