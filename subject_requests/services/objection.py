"""Direct-marketing objection (Art. 21(2)-(3)): absolute, so it takes effect at once.

What each choice does is declared with the registers (the objections of their marketing
policies, portal/registers/marketing.py): this service sets what they say on the person's
records, suppresses the records' keys and leaves staff the follow-ups they declare.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import suppression
from portal.audit.changes import record_update
from portal.errors import Refusal
from portal.registers import REGISTERS
from portal.registers.marketing import Objection, objection_choices
from subject_requests.decisions import Code
from subject_requests.models import DataRequest
from subject_requests.services.base import request_create
from subject_requests.services.once import as_repeat, request_create_once, request_repeated


def _object(register, chosen, record, *, user, now, follow_up: set) -> bool:
    """Apply the chosen objections to one locked record; whether it changed. `follow_up`
    gathers the keys of registers whose recipients must be told (Art. 19)."""
    values = {}
    for objection in chosen:
        changes = objection.changes(record)
        values.update({name: change["new"] for name, change in changes.items()})
        if changes and objection.stamp:
            values[objection.stamp] = now
        if changes and objection.tell_recipients:
            follow_up.add(register.key)
        if objection.suppress:
            suppression.record_suppress(register.marketing.suppression_key, record)
    changed = record_update(
        record=record,
        changes=values,
        actor=user,
        subject=record.subject,
        # "via": "objection" also keeps this event through an erasure: it is the proof of
        # the objection (portal/audit/shred.py).
        details={"via": "objection"},
    )
    return bool(changed)


def objection_submit(
    *, user, subjects, choices: set[str], language="fi", submission_key=""
) -> DataRequest:
    """Change the register records now, in this transaction; staff get only the follow-up.

    The same form sent again, or the same objection again when it changes nothing, gives
    the earlier request (`repeated` set on it)."""
    if not choices or not choices <= {o.choice for o in objection_choices(REGISTERS)}:
        raise Refusal(_("Choose at least one of the options."))
    now = timezone.now()
    follow_up: set[str] = set()
    description = ", ".join(sorted(choices))
    with transaction.atomic():
        repeat = request_repeated(user=user, submission_key=submission_key)
        if repeat is not None:
            return as_repeat(repeat)
        changed_any = False
        for register in REGISTERS:
            policy = register.marketing
            chosen = [o for o in policy.objections if o.choice in choices] if policy else []
            if not chosen:
                continue
            records = register.model_class.objects.select_for_update()
            for record in records.filter(subject__in=subjects):
                changed_any |= _object(
                    register, chosen, record, user=user, now=now, follow_up=follow_up
                )
        # The records were locked above, so of two identical objections at once the second
        # finds nothing left to change, and the first one's request.
        last = user.data_requests.filter(type=DataRequest.Type.OBJECTION).order_by("-pk").first()
        if not changed_any and last is not None and last.description == description:
            return as_repeat(last)

        def create() -> DataRequest:
            request = request_create(
                user=user,
                type=DataRequest.Type.OBJECTION,
                subject=subjects[0] if subjects else None,
                language=language,
                description=description,
                status=DataRequest.Status.COMPLETED,
                submission_key=submission_key,
                follow_up_scope=dict.fromkeys(sorted(follow_up)),
            )
            request.decided_at = now
            request.decision_code = Code.OBJECTION
            request.save(update_fields=["decided_at", "decision_code"])
            return request

        return request_create_once(
            user=user, submission_key=submission_key, fingerprint="", create=create
        )


@dataclass(frozen=True)
class ObjectionState:
    """One objection choice as it stands for a person: in force (since when) or not."""

    objection: Objection
    in_force: bool
    since: object = None  # a datetime, when known


def objection_states(*, user, subjects) -> list[ObjectionState]:
    """The choices that apply to the person (a register with marketing holds a record of
    them), each with what is in force now, read from the records themselves."""
    found: dict[str, ObjectionState] = {}
    for register in REGISTERS:
        policy = register.marketing
        if policy is None:
            continue
        records = list(register.model_class.objects.filter(subject__in=subjects))
        if not records:
            continue
        for objection in policy.objections:
            in_force = not any(objection.changes(record) for record in records)
            since = None
            if in_force and objection.stamp:
                since = max((getattr(r, objection.stamp) for r in records), default=None)
            earlier = found.get(objection.choice)
            found[objection.choice] = ObjectionState(
                objection,
                in_force and (earlier is None or earlier.in_force),
                since or (earlier.since if earlier else None),
            )
    states = list(found.values())
    # Without a stamp on the record, the person's own objection tells when it took effect.
    for i, state in enumerate(states):
        if state.in_force and state.since is None:
            states[i] = ObjectionState(state.objection, True, _objected_at(user, state))
    return states


def _objected_at(user, state):
    for request in user.data_requests.filter(
        type=DataRequest.Type.OBJECTION, status=DataRequest.Status.COMPLETED
    ).order_by("-decided_at"):
        if state.objection.choice in request.description.split(", "):
            return request.decided_at
    return None
