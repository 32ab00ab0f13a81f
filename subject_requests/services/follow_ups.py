"""Art. 19: a rectification, erasure, restriction or objection is told to every recipient to
whom the data concerned was disclosed, and the person is told who they are.

The recipients come from the disclosures of the person's data (portal/extract/disclosures.py:
the ledger and the deliveries), never from the declaration alone: a follow-up names exactly
those who received the data. One row per recipient and register, kept as codes (recipient,
register, field names, how it was told), shown in each reader's language.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit import audit_record
from portal.errors import Refusal
from portal.extract.disclosures import received_by
from portal.registers import REGISTERS, REGISTERS_BY_KEY, get_register
from subject_requests.models import DataRequest, FollowUp


def audit(request: DataRequest, action: str, actor, **details):
    # As services.base.audit, which closes requests through this module.
    audit_record(
        action=f"request.{request.type}.{action}",
        actor=actor,
        subject=request.subject,
        target=request,
        details=details,
    )


# The requests whose outcome recipients must hear of (Art. 19 names 16, 17(1) and 18; an
# objection stops a use of the data the recipients may share in, so it is told too).
TOLD = (
    DataRequest.Type.RECTIFICATION,
    DataRequest.Type.ERASURE,
    DataRequest.Type.RESTRICTION,
    DataRequest.Type.OBJECTION,
)


def follow_up_scope(request: DataRequest) -> dict[str, list[str] | None]:
    """What a decided request changed, per register key: the fields (None: all its data)."""
    if request.type == DataRequest.Type.RECTIFICATION:
        scope: dict[str, list[str] | None] = {}
        for change in request.changes.filter(decision="approved"):
            scope.setdefault(change.register, []).append(change.field)
        return scope
    if request.type in (DataRequest.Type.ERASURE, DataRequest.Type.RESTRICTION):
        keys = [request.register] if request.register else [r.key for r in REGISTERS]
        # A register refused in the decision changed nothing (subject_requests RegisterOutcome).
        outcomes = getattr(request, "outcomes", None)
        refused = set(
            outcomes.filter(outcome="refused").values_list("register", flat=True)
            if outcomes is not None
            else ()
        )
        return {key: None for key in keys if key not in refused}
    return {}


def follow_ups_create(request: DataRequest, scope: dict[str, list[str] | None], *, actor):
    """List the recipients to tell (inside the caller's transaction); audited with their keys."""
    if request.subject_id is None or not scope:
        return []
    rows = []
    for key, fields in scope.items():
        register = REGISTERS_BY_KEY.get(key)
        if register is None:
            continue
        for received in received_by(register, [request.subject_id], fields):
            follow_up, _created = FollowUp.objects.get_or_create(
                request=request,
                register=key,
                recipient=received.recipient,
                defaults={"fields": list(received.fields), "last_disclosed_on": received.last_on},
            )
            rows.append(follow_up)
    if rows:
        audit(
            request,
            "follow_ups_listed",
            actor,
            recipients=[f"{f.register}:{f.recipient}" for f in rows],
        )
    return rows


def follow_ups_for_decision(request: DataRequest, *, actor):
    """The follow-ups of a request just decided (called as it is closed)."""
    if request.type not in TOLD or request.status not in (
        DataRequest.Status.COMPLETED,
        DataRequest.Status.PARTLY_APPROVED,
    ):
        return []
    return follow_ups_create(request, follow_up_scope(request), actor=actor)


def follow_up_told(
    *, request: DataRequest, follow_up_id: int, staff, told_on: datetime.date, how: str
) -> FollowUp:
    """Staff mark one recipient told: when and how. Looked up through its request."""
    if how not in FollowUp.How.values:
        raise Refusal(_("Choose how the recipient was told."), code="how")
    if told_on > timezone.localdate():
        raise Refusal(_("The date cannot be in the future."), code="future")
    with transaction.atomic():
        follow_up = (
            FollowUp.objects.select_for_update().filter(request=request, pk=follow_up_id).first()
        )
        if follow_up is None:
            raise Refusal(_("No such follow-up on this request."), code="no_follow_up")
        if follow_up.is_told:
            raise Refusal(_("This recipient was already marked told."), code="already_told")
        follow_up.told_on, follow_up.how, follow_up.told_by = told_on, how, staff
        follow_up.save(update_fields=["told_on", "how", "told_by"])
        audit(
            request,
            "recipient_told",
            staff,
            recipient=follow_up.recipient,
            register=follow_up.register,
            told_on=told_on.isoformat(),
            how=how,
        )
    return follow_up


def register_name(key: str):
    register = REGISTERS_BY_KEY.get(key)
    return register.name if register else key


def fields_text(follow_up: FollowUp) -> list[str]:
    register = get_register(follow_up.register)
    related = {r.key: r.title for r in register.related}
    return [str(related.get(n) or register.field_label(n)) for n in follow_up.fields]
