"""The general right to object (Art. 21(1)) to processing based on legitimate interest.

Which processing that is, is declared with the registers (`legitimate_interests`,
portal/registers/interests.py). The objection is not absolute: staff weigh whether compelling
legitimate grounds override the person's interests, and write that assessment down. Meanwhile
the person's records in the register are restricted (Art. 18(1)(d)), from the moment the
objection arrives. Upheld, the processing stops (the declared fields are cleared); either
way the person is told the decision first and the restriction the objection set then ends.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from portal.audit.changes import record_update
from portal.errors import Refusal
from portal.registers import REGISTERS, REGISTERS_BY_KEY
from portal.registers.interests import objectionable
from subject_requests.decisions import Code
from subject_requests.models import DataRequest
from subject_requests.services.base import audit, locked, request_close, request_create
from subject_requests.services.once import request_create_once, request_fingerprint

TYPE = DataRequest.Type.INTEREST_OBJECTION


def interest_registers(subjects) -> list:
    """The registers whose processing on legitimate interest concerns the person: those
    that declare some and hold a record of one of `subjects`."""
    return [
        register
        for register in objectionable(REGISTERS)
        if register.model_class.objects.filter(subject__in=subjects).exists()
    ]


def _restrict(request, register, actor) -> int:
    """Art. 18(1)(d): the person's records in `register` are not used while the objection
    is weighed. Stamped with the moment the objection arrived, so that its decision lifts
    only the restriction it set."""
    records = register.model_class.objects.select_for_update().filter(
        subject=request.subject, restricted_at__isnull=True
    )
    count = 0
    for record in records:
        record_update(
            record=record,
            changes={"restricted_at": request.received_at},
            actor=actor,
            subject=request.subject,
            action="register.record.restricted",
            details={"register": register.key, "via": "interest_objection"},
        )
        count += 1
    return count


def objection_restrict(request, actor) -> int:
    """Restrict the person's records in the register the objection names, as it is filed
    (in the portal, or registered by staff from a letter or call, or when staff link such a
    request to the person later). Inside the caller's transaction."""
    register = REGISTERS_BY_KEY.get(request.register)
    if register is None or not register.legitimate_interests or request.subject is None:
        return 0
    restricted = _restrict(request, register, actor)
    audit(request, "restricted", actor, register=register.key, records=restricted)
    return restricted


def interest_objection_submit(
    *, user, subject, register_key: str, grounds: str, language="fi", submission_key=""
) -> DataRequest:
    """File the objection and restrict the register's records at once, in one transaction.
    The same form sent again, or the same objection while it is open, gives that request."""
    register = REGISTERS_BY_KEY.get(register_key)
    if register is None or not register.legitimate_interests or subject is None:
        raise Refusal(_("Choose a register."))
    fingerprint = request_fingerprint(
        type=TYPE, subject=subject.pk, register=register.key, description=grounds
    )

    def create() -> DataRequest:
        request = request_create(
            user=user,
            type=TYPE,
            subject=subject,
            register=register.key,
            description=grounds,
            language=language,
            submission_key=submission_key,
            fingerprint=fingerprint,
        )
        objection_restrict(request, user)
        return request

    with transaction.atomic():
        return request_create_once(
            user=user, submission_key=submission_key, fingerprint=fingerprint, create=create
        )


def _restricted_otherwise(request, register) -> bool:
    """An approved restriction request of the same person covers the register: its
    restriction stays when the objection is decided."""
    return DataRequest.objects.filter(
        subject=request.subject,
        type=DataRequest.Type.RESTRICTION,
        status__in=(DataRequest.Status.COMPLETED, DataRequest.Status.PARTLY_APPROVED),
        register__in=("", register.key),
    ).exists()


def _lift(request, register, staff) -> int:
    """End the restriction this objection set (after the decision's notice is in the outbox)."""
    if _restricted_otherwise(request, register):
        return 0
    records = register.model_class.objects.select_for_update().filter(
        subject=request.subject, restricted_at=request.received_at
    )
    count = 0
    for record in records:
        record_update(
            record=record,
            changes={"restricted_at": None},
            actor=staff,
            subject=request.subject,
            action="register.record.restriction_lifted",
            details={"register": register.key, "request": str(request.public_id)},
        )
        count += 1
    return count


def objection_restriction_end(request, actor) -> int:
    """The objection ended otherwise than by its decision (the person withdrew it, told on
    the page where they did; staff rejected it as unfounded, the email sent first): the
    restriction it set ends. Inside the caller's transaction."""
    register = REGISTERS_BY_KEY.get(request.register)
    if register is None or request.subject is None:
        return 0
    lifted = _lift(request, register, actor)
    audit(request, "restriction_lifted", actor, register=register.key, records=lifted)
    return lifted


def _stop_processing(request, register, staff) -> list[str]:
    """Clear the fields of every legitimate-interest purpose on the person's records."""
    stopped = []
    records = register.model_class.objects.select_for_update().filter(subject=request.subject)
    for interest in register.legitimate_interests:
        for record in records:
            record_update(
                record=record,
                changes=interest.cleared_values(register),
                actor=staff,
                subject=request.subject,
                details={"via": "interest_objection", "interest": interest.key},
            )
        stopped.append(interest.key)
    return stopped


def interest_objection_decide(
    *, request: DataRequest, staff, uphold: bool, assessment: str
) -> DataRequest:
    """Uphold (the processing stops) or refuse (compelling legitimate grounds, written down
    and sent to the person with the remedies); then the objection's restriction ends."""
    if request.type != TYPE:
        raise Refusal(_("This kind of request is not decided with this form."))
    if not uphold and not assessment.strip():
        raise Refusal(
            _(
                "Write the assessment of the compelling legitimate grounds; it is sent to "
                "the customer."
            )
        )
    register = REGISTERS_BY_KEY.get(request.register)
    with transaction.atomic():
        request = locked(request)
        if uphold and not request.identity_verified:
            raise Refusal(_("Only requests from a verified identity can be approved."))
        if register is None or request.subject is None:
            raise Refusal(
                _(
                    "No register data is linked to this request; reject it with "
                    "an explanation instead."
                )
            )
        stopped = _stop_processing(request, register, staff) if uphold else []
        # The portal's lead and closing sentence as a code, rendered in each reader's
        # language; the assessment is staff's own words.
        request = request_close(
            request=request,
            staff=staff,
            status=DataRequest.Status.COMPLETED if uphold else DataRequest.Status.REJECTED,
            code=Code.INTEREST_UPHELD if uphold else Code.INTEREST_REFUSED,
            params={"register": register.key} if uphold else {},
            decision=assessment,
        )
        # Told first (the decision is in the outbox, in this transaction), then lifted.
        lifted = _lift(request, register, staff)
        audit(
            request,
            "upheld" if uphold else "refused",
            staff,
            register=register.key,
            stopped=stopped,
            assessment=assessment,
            lifted=lifted,
        )
    return request
