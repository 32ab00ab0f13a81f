"""One request for staff: the request, its field changes (requested / current / proposed),
the person's register data beside it, the history, and the decision forms."""

from dataclasses import dataclass

from django.db import transaction
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from accounts.roles import staff_role
from portal.audit.chain import SHREDDED_DETAILS
from portal.audit.consultations import REQUEST_HANDLING, VIA_REQUEST, consultation_record
from portal.models import AuditEvent
from portal.registers import REGISTERS, REGISTERS_BY_KEY
from subject_requests import staff_forms
from subject_requests import staff_selectors as selectors
from subject_requests.follow_up_forms import FollowUpToldForm
from subject_requests.follow_up_rows import follow_up_rows
from subject_requests.intake_forms import IdentityInfoAnswerForm, IdentityInfoRequestForm
from subject_requests.interest_forms import InterestDecisionForm
from subject_requests.letters import request_address
from subject_requests.models import DataRequest
from subject_requests.notifications import request_recipient
from subject_requests.services.erasure import erasure_terms
from subject_requests.views.staff_access import queue_staff_required

STEP_LABELS = {
    "received": _("Received"),
    "assigned": _("Assigned"),
    "note_added": _("Internal note"),
    "extended": _("Deadline extended"),
    "fields_decided": _("Decided field by field"),
    "completed": _("Completed"),
    "partly_approved": _("Partly approved"),
    "rejected": _("Rejected"),
    "cancelled": _("Cancelled by the customer"),
    "details_shredded": _("Personal details erased from the history"),
    "identity_info_requested": _("More information about identity asked"),
    "identity_info_received": _("Information about identity received"),
    "subject_linked": _("Linked to the person"),
    "identity_confirmed": _("Identity verified"),
}
DECIDABLE = (DataRequest.Type.ERASURE, DataRequest.Type.RESTRICTION)


@dataclass
class HistoryRow:
    event: AuditEvent

    @property
    def step(self):
        key = self.event.action.rsplit(".", 1)[-1]
        return STEP_LABELS.get(key, self.event.action)

    @property
    def is_note(self) -> bool:
        return self.event.action.endswith(".note_added")

    @property
    def shredded(self) -> bool:
        return self.event.details == SHREDDED_DETAILS

    @property
    def text(self) -> str:
        details = self.event.details
        return (
            details.get("note")
            or details.get("reason")
            or details.get("decision")
            or details.get("message")
            or details.get("answer")
            or ""
        )


def held_registers(data_request: DataRequest) -> list:
    """The registers holding data about the person of a request covering all registers:
    the ones staff decide (selectors.register_data reads the same declarations)."""
    if data_request.subject is None:
        return []
    return [r for r in REGISTERS if r.records_for(data_request.subject).exists()]


def registers_form(data_request: DataRequest, data=None) -> staff_forms.RegisterDecisionForm:
    """The decision of a request of every register, register by register; for an erasure,
    with what its policy erases and keeps in each."""
    held = held_registers(data_request)
    erasure = data_request.type == DataRequest.Type.ERASURE
    terms = {register.key: erasure_terms(register) for register in held} if erasure else {}
    return staff_forms.RegisterDecisionForm(data, registers=held, terms=terms)


def data_request_or_404(public_id) -> DataRequest:
    return get_object_or_404(
        DataRequest.objects.select_related("subject", "user", "assignee", "decided_by"),
        public_id=public_id,
    )


def _follow_ups(data_request: DataRequest, posted: dict) -> list:
    """Art. 19: the recipients to tell, each not yet told with its form (a posted one keeps
    its errors)."""
    rows = follow_up_rows(data_request)
    for row in rows:
        pk = row.follow_up.pk
        if not row.follow_up.is_told:
            row.form = posted.get(pk) or FollowUpToldForm(follow_up_id=pk)
    return rows


def render_detail(request, data_request: DataRequest, *, status: int = 200, **forms):
    """The detail page; an action whose form did not validate passes its bound form in."""
    rows = selectors.change_rows(data_request)
    is_open = data_request.is_open
    pending = is_open and data_request.type == DataRequest.Type.RECTIFICATION and rows
    forms = {
        "note_form": staff_forms.NoteForm(),
        "reject_form": staff_forms.RejectForm(),
        "unfounded_form": staff_forms.UnfoundedForm(),
        "extend_form": staff_forms.ExtendForm(),
        "decision_form": staff_forms.DecisionForm(),
        "answer_form": staff_forms.AnswerForm(),
        "doubt_form": IdentityInfoRequestForm(),
        "doubt_answer_form": IdentityInfoAnswerForm(),
        "interest_form": (
            InterestDecisionForm()
            if is_open and data_request.type == DataRequest.Type.INTEREST_OBJECTION
            else None
        ),
        "rectification_form": staff_forms.RectificationForm(rows=rows) if pending else None,
        "registers_form": (
            registers_form(data_request)
            if is_open and data_request.type in DECIDABLE and not data_request.register
            else None
        ),
        **forms,
    }
    register = REGISTERS_BY_KEY.get(data_request.register)
    context = {
        "r": data_request,
        "register": register,
        "urgency": selectors.urgency(data_request),
        "change_rows": rows,
        "registers": selectors.register_data(data_request.subject),
        "history": [HistoryRow(e) for e in selectors.request_history(data_request)],
        "can_extend": selectors.can_extend(data_request),
        "decidable": is_open and data_request.type in DECIDABLE,
        "answerable": is_open and data_request.type == DataRequest.Type.OTHER,
        "follow_ups": _follow_ups(data_request, forms.pop("told_forms", None) or {}),
        # Requests without a portal account: how answers go, the letter to print.
        "by_letter": request_recipient(data_request) is None,
        "letter_address": request_address(data_request),
        **forms,
    }
    return render(request, "subject_requests/staff/detail.html", context, status=status)


@require_safe
@never_cache
@queue_staff_required
def detail(request, public_id):
    data_request = data_request_or_404(public_id)
    with transaction.atomic():
        # Staff reading a person's register data is an access like any other (Art. 5(2)),
        # and a consultation the person can read about, by role (C-579/21).
        consultation_record(
            actor=request.user,
            role=staff_role(request.user),
            subjects=[data_request.subject_id],
            purpose=REQUEST_HANDLING,
            via=VIA_REQUEST,
            extra={"request": str(data_request.public_id)},
        )
    return render_detail(request, data_request)
