"""Correction (Art. 16): a form of the correctable fields, then a review of before → after.
A new email address takes one more step, a code (customer_email_code.py)."""

import re

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from portal.extract.values import human_value
from subject_requests import pending_correction as pending
from subject_requests.forms import RectificationForm, as_text
from subject_requests.selectors import customer_records
from subject_requests.services.rectification import rectification_submit
from subject_requests.views.customer_rights import repeated

get_or_post = require_http_methods(["GET", "HEAD", "POST"])
RECORD_ID = re.compile(r"[0-9]{1,19}")


def edit_url(register, record) -> str:
    url = reverse("request_rectification", args=[register.key])
    return f"{url}?{urlencode({'record': record.pk})}"


def submit(request, register, record, changes):
    waiting = pending.pending_get(request, register) or {}
    data_request = rectification_submit(
        user=request.user,
        record=record,
        changes=changes,
        language=translation.get_language(),
        submission_key=waiting.get("key", ""),
    )
    pending.pending_clear(request)
    if repeated(request, data_request):
        return redirect("my_requests")
    due = formats.date_format(data_request.due_on, "SHORT_DATE_FORMAT")
    messages.success(
        request,
        _(
            "Your correction request was sent. We will answer by %(date)s at the latest, "
            "and we have sent you a confirmation by email."
        )
        % {"date": due},
    )
    return redirect("my_requests")


def _fixed_fields(register, record) -> list[dict]:
    """Business decisions (payment terms, credit limit): shown, disputed, never edited."""
    return [
        {
            "name": spec.name,
            "label": register.field_label(spec.name),
            "value": human_value(record._meta.get_field(spec.name), getattr(record, spec.name)),
            "reason": spec.not_correctable_reason,
        }
        for spec in register.fields
        if spec.not_correctable_reason
    ]


@never_cache
@get_or_post
def rectification_edit(request, register):
    register = pending.correctable_register(register)
    records = list(customer_records(request.user, register))
    chosen = request.GET.get("record")
    if chosen is None and len(records) != 1:
        return render(
            request,
            "subject_requests/customer/rectification_choose.html",
            {"register": register, "records": records},
        )
    # A record id: ASCII digits ("²".isdigit() is true, but int("²") fails), and not so
    # many that int() refuses them.
    if chosen is not None and not RECORD_ID.fullmatch(chosen):
        raise Http404
    pk = int(chosen) if chosen is not None else records[0].pk
    # Only the user's own records are candidates: anyone else's pk is a 404.
    record = next((r for r in records if r.pk == pk), None)
    if record is None:
        raise Http404
    waiting = pending.pending_get(request, register)
    form = RectificationForm(
        request.POST if request.method == "POST" else None,
        register=register,
        record=record,
        initial=waiting["changes"] if waiting and waiting["record"] == record.pk else None,
    )
    if request.method == "POST" and form.is_valid():
        pending.pending_set(request, register, record, form.changes())
        return redirect("request_rectification_review", register.key)
    return render(
        request,
        "subject_requests/customer/rectification_form.html",
        {
            "register": register,
            "record": record,
            "form": form,
            "fixed": _fixed_fields(register, record),
            "several": len(records) > 1,
        },
    )


@never_cache
@get_or_post
def rectification_review(request, register):
    register = pending.correctable_register(register)
    record, changes = pending.pending_changes(request, register)
    if record is None:
        return redirect("request_rectification", register.key)
    if not changes:
        pending.pending_clear(request)
        messages.info(
            request, _("There is nothing to change: the record already has these values.")
        )
        return redirect(edit_url(register, record))
    new_email = pending.unverified_email(request, changes)
    if request.method == "POST":
        if new_email is None:
            return submit(request, register, record, changes)
        if not pending.EMAIL_CODE.send(request, new_email):
            messages.error(request, _("Too many codes were sent. Please try again later."))
            return redirect("request_rectification_review", register.key)
        return redirect("request_rectification_verify", register.key)
    rows = [
        (register.field_label(name), as_text(getattr(record, name)), value)
        for name, value in changes.items()
    ]
    return render(
        request,
        "subject_requests/customer/rectification_review.html",
        {
            "register": register,
            "record": record,
            "rows": rows,
            "new_email": new_email,
            "edit_url": edit_url(register, record),
        },
    )
