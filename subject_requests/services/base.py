from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.audit import audit_record
from portal.errors import Refusal
from subject_requests import deadlines, notifications
from subject_requests.models import DataRequest
from subject_requests.services import follow_ups
from subject_requests.services.once import request_create_once, request_fingerprint


class RequestClosed(Refusal):
    """The request was already decided or cancelled, e.g. by someone else a moment ago."""

    def __init__(self, request):
        super().__init__(
            _("This request was already %(status)s; nothing was changed.")
            % {"status": request.get_status_display()},
            code="request_closed",
        )


def audit(request: DataRequest, action: str, actor, **details):
    audit_record(
        action=f"request.{request.type}.{action}",
        actor=actor,
        subject=request.subject,
        target=request,
        details=details,
    )


def locked(request: DataRequest, *, must_be_open: bool = True) -> DataRequest:
    """Re-read the request under a row lock (PostgreSQL: SELECT ... FOR UPDATE), so that of
    two staff deciding at once exactly one decision applies."""
    fresh = DataRequest.objects.select_for_update().get(pk=request.pk)
    if must_be_open and not fresh.is_open:
        raise RequestClosed(fresh)
    return fresh


def request_create(
    *,
    user,
    type,
    subject=None,
    register="",
    description="",
    status=DataRequest.Status.RECEIVED,
    language="fi",
    submission_key="",
    fingerprint="",
    follow_up_scope=None,
) -> DataRequest:
    """Must run inside a transaction; the caller audits what kind of request it is. A request
    in force on receipt (an objection) gives `follow_up_scope` (register key -> fields, None
    for all): the recipients to tell are listed before the receipt names them (Art. 19)."""
    now = timezone.now()
    request = DataRequest.objects.create(
        user=user,
        type=type,
        subject=subject,
        register=register,
        description=description,
        status=status,
        language=language,
        received_at=now,
        due_on=deadlines.due_date(timezone.localdate(now)),
        # Signed in with a verified address or the web-shop password (Art. 12(6)).
        identity_verified=user.is_authenticated,
        submission_key=submission_key,
        fingerprint=fingerprint,
    )
    audit(request, "received", user, register=register, status=status)
    if follow_up_scope:
        follow_ups.follow_ups_create(request, follow_up_scope, actor=user)
    notifications.notification_send(request, "received")
    return request


def request_submit(
    *,
    user,
    type,
    subject=None,
    register="",
    description="",
    language="fi",
    submission_key="",
) -> DataRequest:
    """Erasure, restriction and free-form requests: they wait for staff. A repeat of an
    earlier submission, or of an identical open request, gives that request
    (`repeated` set on it)."""
    fingerprint = request_fingerprint(
        type=type,
        subject=subject.pk if subject else None,
        register=register,
        description=description,
    )
    with transaction.atomic():
        return request_create_once(
            user=user,
            submission_key=submission_key,
            fingerprint=fingerprint,
            create=lambda: request_create(
                user=user,
                type=type,
                subject=subject,
                register=register,
                description=description,
                language=language,
                submission_key=submission_key,
                fingerprint=fingerprint,
            ),
        )


def request_cancel(*, request: DataRequest, user) -> None:
    with transaction.atomic():
        request = locked(request)
        request.status = DataRequest.Status.CANCELLED
        request.decided_at = timezone.now()
        request.save(update_fields=["status", "decided_at"])
        audit(request, "cancelled", user)
        if request.type == DataRequest.Type.INTEREST_OBJECTION:
            # Withdrawn by the person: the restriction it set ends (imported here: that
            # module builds on this one).
            from subject_requests.services.interest_objection import objection_restriction_end

            objection_restriction_end(request, user)


def request_assign(*, request: DataRequest, staff) -> None:
    with transaction.atomic():
        request = locked(request)
        request.assignee = staff
        if request.status == DataRequest.Status.RECEIVED:
            request.status = DataRequest.Status.IN_REVIEW
        request.save(update_fields=["assignee", "status"])
        audit(request, "assigned", staff, assignee=staff.pk)


def request_note(*, request: DataRequest, staff, note: str) -> None:
    with transaction.atomic():
        audit(request, "note_added", staff, note=note)


def request_extend(*, request: DataRequest, staff, months: int, reason: str) -> None:
    """Art. 12(3): once, with reasons told to the customer, and only within the first month."""
    if not reason.strip():
        raise Refusal(_("Give the reason for the extension; it is sent to the customer."))
    with transaction.atomic():
        request = locked(request)
        if request.extended_at is not None:
            raise Refusal(_("This request has already been extended once."))
        received = timezone.localdate(request.received_at)
        if timezone.localdate() > deadlines.due_date(received):
            raise Refusal(
                _("The first month has passed; the deadline can no longer be extended.")
            )
        request.due_on = deadlines.extended_due_date(received, months)
        request.extended_at = timezone.now()
        request.extension_reason = reason
        request.extension_language = translation.get_language() or ""
        request.save(
            update_fields=["due_on", "extended_at", "extension_reason", "extension_language"]
        )
        audit(
            request,
            "extended",
            staff,
            months=months,
            reason=reason,
            due_on=request.due_on.isoformat(),
        )
        notifications.notification_send(request, "extended")


def request_close(
    *,
    request: DataRequest,
    staff,
    status,
    decision: str = "",
    code: str = "",
    params: dict | None = None,
    unfounded: bool = False,
) -> DataRequest:
    """Record the decision on a locked, open request (inside the caller's transaction): what
    the portal says as `code` and `params`, staff's own words as `decision`, with the
    language staff write in (the active one)."""
    request.status = status
    request.decided_at = timezone.now()
    request.decided_by = staff
    request.decision_code = code
    request.decision_params = params or {}
    request.decision = decision.strip()
    # The language staff write in: of their own words here, of each field's or register's
    # reasons, and of the reasons in `params`.
    request.decision_language = translation.get_language() or ""
    request.manifestly_unfounded = unfounded
    request.save(
        update_fields=[
            "status",
            "decided_at",
            "decided_by",
            "decision_code",
            "decision_params",
            "decision",
            "decision_language",
            "manifestly_unfounded",
        ]
    )
    audit(
        request,
        str(status),
        staff,
        decision=decision,
        code=code,
        params=request.decision_params,
        manifestly_unfounded=unfounded,
    )
    # Art. 19: the recipients who received the data concerned, before the mail names them.
    follow_ups.follow_ups_for_decision(request, actor=staff)
    notifications.notification_send(request, "decided")
    return request


def request_reject(*, request: DataRequest, staff, reason: str, unfounded: bool = False):
    if not reason.strip():
        raise Refusal(_("Give the reason; it is sent to the customer."))
    with transaction.atomic():
        request = locked(request)
        request.changes.update(decision="rejected", reason=reason)
        request = request_close(
            request=request,
            staff=staff,
            status=DataRequest.Status.REJECTED,
            decision=reason,
            unfounded=unfounded,
        )
        if request.type == DataRequest.Type.INTEREST_OBJECTION:
            # Rejected (e.g. as manifestly unfounded) after the person was told: the
            # restriction the objection set ends too.
            from subject_requests.services.interest_objection import objection_restriction_end

            objection_restriction_end(request, staff)
        return request


def request_answer(*, request: DataRequest, staff, answer: str) -> DataRequest:
    """A free-form request answered in writing: the answer is the decision sent to the customer."""
    if not answer.strip():
        raise Refusal(_("Write the answer; it is sent to the customer."))
    with transaction.atomic():
        request = locked(request)
        if not request.identity_verified:
            raise Refusal(_("Only requests from a verified identity can be answered."))
        return request_close(
            request=request, staff=staff, status=DataRequest.Status.COMPLETED, decision=answer
        )
