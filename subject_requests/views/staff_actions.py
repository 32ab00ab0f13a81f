"""The decisions staff take on a request. Each view validates its form, calls one service
and says what happened; a form that does not validate shows the page again with its errors."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from portal.errors import Refusal
from portal.registers import get_register
from subject_requests import staff_forms
from subject_requests import staff_selectors as selectors
from subject_requests.models import DataRequest
from subject_requests.notifications import request_recipient
from subject_requests.services.base import (
    RequestClosed,
    request_answer,
    request_assign,
    request_extend,
    request_note,
    request_reject,
)
from subject_requests.services.erasure import erasure_decide, restriction_decide
from subject_requests.services.rectification import RecordChanged, rectification_decide
from subject_requests.views.staff_access import queue_staff_required
from subject_requests.views.staff_detail import (
    data_request_or_404,
    registers_form,
    render_detail,
)

DECIDED = gettext_lazy("Decision saved. The customer is told by email.")
BY_LETTER = gettext_lazy(
    "This person has no email address we can use: print the letter on this page and post it."
)


def _run(request, data_request: DataRequest, action, success: str):
    """Call the service; what it refuses (a Refusal: someone else decided first, an extension
    too late) is told to the user and nothing is changed. Anything else is a bug and goes
    on to be logged as a server error, not shown as a message."""
    try:
        action()
    except RecordChanged as error:
        labels = ", ".join(str(get_register(key).field_label(name)) for key, name in error.fields)
        messages.error(
            request,
            _("%(message)s Changed: %(fields)s. Nothing was applied.")
            % {"message": error, "fields": labels},
        )
    except Refusal as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, success)
        if request_recipient(data_request) is None:
            messages.warning(request, BY_LETTER)
    return redirect("staff_request", public_id=data_request.public_id)


def _form_action(form_class, form_name):
    """A view that validates `form_class` and hands the cleaned form to the decorated
    function, which returns (service call, success message)."""

    def decorator(function):
        @queue_staff_required
        @require_POST
        def view(request, public_id):
            data_request = data_request_or_404(public_id)
            form = form_class(request.POST)
            if not form.is_valid():
                return render_detail(request, data_request, status=400, **{form_name: form})
            action, success = function(request, data_request, form)
            return _run(request, data_request, action, success)

        view.__name__ = function.__name__
        view.__doc__ = function.__doc__
        return view

    return decorator


@queue_staff_required
@require_POST
def assign(request, public_id):
    data_request = data_request_or_404(public_id)
    return _run(
        request,
        data_request,
        lambda: request_assign(request=data_request, staff=request.user),
        _("The request is assigned to you."),
    )


@_form_action(staff_forms.NoteForm, "note_form")
def note(request, data_request, form):
    return (
        lambda: request_note(
            request=data_request, staff=request.user, note=form.cleaned_data["note"]
        ),
        _("Note added."),
    )


@_form_action(staff_forms.RejectForm, "reject_form")
def reject(request, data_request, form):
    return (
        lambda: request_reject(
            request=data_request, staff=request.user, reason=form.cleaned_data["reason"]
        ),
        DECIDED,
    )


@_form_action(staff_forms.UnfoundedForm, "unfounded_form")
def unfounded(request, data_request, form):
    """Art. 12(5): refused as manifestly unfounded or excessive, with the justification."""
    return (
        lambda: request_reject(
            request=data_request,
            staff=request.user,
            reason=form.cleaned_data["justification"],
            unfounded=True,
        ),
        _(
            "The request is marked manifestly unfounded and rejected. The customer is told "
            "by email."
        ),
    )


@_form_action(staff_forms.ExtendForm, "extend_form")
def extend(request, data_request, form):
    return (
        lambda: request_extend(
            request=data_request,
            staff=request.user,
            months=form.cleaned_data["months"],
            reason=form.cleaned_data["reason"],
        ),
        _("The deadline is extended. The customer is told the reason by email."),
    )


@_form_action(staff_forms.DecisionForm, "decision_form")
def decide(request, data_request, form):
    """Erasure or restriction, approved or rejected (services refuse other types)."""
    services = {
        DataRequest.Type.ERASURE: erasure_decide,
        DataRequest.Type.RESTRICTION: restriction_decide,
    }
    service = services.get(data_request.type)

    def action():
        if service is None:
            raise Refusal(_("This kind of request is not decided with this form."))
        service(
            request=data_request,
            staff=request.user,
            approve=form.approve,
            reason=form.cleaned_data["reason"],
        )

    return action, DECIDED


@queue_staff_required
@require_POST
def decide_registers(request, public_id):
    """Erasure or restriction of every register, decided register by register."""
    data_request = data_request_or_404(public_id)
    services = {
        DataRequest.Type.ERASURE: erasure_decide,
        DataRequest.Type.RESTRICTION: restriction_decide,
    }
    service = services.get(data_request.type)
    if service is None or data_request.register:
        messages.error(request, _("This kind of request is not decided with this form."))
        return redirect("staff_request", public_id=data_request.public_id)
    form = registers_form(data_request, request.POST)
    if not form.is_valid():
        return render_detail(request, data_request, status=400, registers_form=form)

    def action():
        if not form.registers:
            raise Refusal(
                _(
                    "No register data is linked to this request; reject it with "
                    "an explanation instead."
                )
            )
        service(
            request=data_request,
            staff=request.user,
            approve=True,
            reason=form.cleaned_data["reason"],
            refused=form.refused(),
        )

    return _run(request, data_request, action, DECIDED)


@queue_staff_required
@require_POST
def rectification(request, public_id):
    """Per field: approve or reject with a reason, against the current values that were
    shown (a record changed meanwhile is not overwritten)."""
    data_request = data_request_or_404(public_id)
    form = staff_forms.RectificationForm(request.POST, rows=selectors.change_rows(data_request))
    if not data_request.is_open:  # decided by someone else since the page was shown
        messages.error(request, str(RequestClosed(data_request)))
        return redirect("staff_request", public_id=data_request.public_id)
    if not form.is_valid():
        return render_detail(request, data_request, status=400, rectification_form=form)
    decisions = form.decisions()
    approved = sum(approve for approve, _reason in decisions.values())
    return _run(
        request,
        data_request,
        lambda: rectification_decide(
            request=data_request, staff=request.user, decisions=decisions, seen=form.seen()
        ),
        _(
            "Decision saved: %(approved)d of %(total)d changes approved and applied. "
            "The customer is told by email."
        )
        % {"approved": approved, "total": len(decisions)},
    )


@_form_action(staff_forms.AnswerForm, "answer_form")
def answer(request, data_request, form):
    """A free-form request is completed with a written answer."""
    return (
        lambda: request_answer(
            request=data_request, staff=request.user, answer=form.cleaned_data["answer"]
        ),
        DECIDED,
    )
