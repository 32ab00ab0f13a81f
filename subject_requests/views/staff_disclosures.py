"""The disclosure ledger for staff: the disclosures recorded, a partner's name-and-address
list (a CSV download, recorded as one ledger entry), and a disclosure of one person's data to
a principal. Register maintainers and administrators (it is register work, not the queue)."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from accounts import roles
from accounts.staff import staff_required
from portal.disclosures import (
    disclosure_record,
    list_csv,
    list_recipients,
    postal_disclosure_export,
    screen_rows,
    staff_recorded_recipients,
)
from portal.errors import Refusal
from portal.models import Disclosure
from portal.registers import REGISTERS_BY_KEY, get_register
from portal.registers.recipients import recipient_for
from subject_requests.follow_up_forms import DisclosureRecordForm, ListExportForm

DISCLOSURE_ROLES = (roles.REGISTER_MAINTAINER, roles.ADMINISTRATOR)


def can_record_disclosures(user) -> bool:
    return user.is_superuser or user.groups.filter(name__in=DISCLOSURE_ROLES).exists()


def disclosure_staff_required(view):
    @staff_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not can_record_disclosures(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _rows():
    rows = []
    ledger = Disclosure.objects.annotate(people_count=Count("included")).select_related(
        "recorded_by"
    )
    for disclosure in ledger[:100]:
        register = REGISTERS_BY_KEY.get(disclosure.register)
        recipient = recipient_for(register, disclosure.recipient) if register else None
        disclosure.recipient_name = recipient.name if recipient else disclosure.recipient
        disclosure.register_name = register.short_name if register else disclosure.register
        rows.append(disclosure)
    return rows


def _page(request, *, status=200, export_form=None, record_form=None):
    context = {
        "current": "disclosures",
        "disclosures": _rows(),
        "export_form": export_form or ListExportForm(pairs=list_recipients()),
        "record_form": record_form or DisclosureRecordForm(pairs=staff_recorded_recipients()),
    }
    return render(request, "subject_requests/staff/disclosures.html", context, status=status)


@disclosure_staff_required
@require_safe
@never_cache
def ledger(request):
    return _page(request)


@disclosure_staff_required
@require_POST
@never_cache
def export(request):
    form = ListExportForm(request.POST, request.FILES, pairs=list_recipients())
    if not form.is_valid():
        return _page(request, status=400, export_form=form)
    text = form.cleaned_data["screen"]
    _register, recipient = form.cleaned_data["recipient"].split(":", 1)
    try:
        result = postal_disclosure_export(
            recipient_key=recipient,
            purpose=form.cleaned_data["purpose"],
            screen=screen_rows(text) if text else (),
            actor=request.user,
        )
    except Refusal as refusal:
        form.add_error(None, str(refusal))
        return _page(request, status=400, export_form=form)
    # Excel reads UTF-8 only with the byte-order mark.
    response = HttpResponse("\ufeff" + list_csv(result), content_type="text/csv; charset=utf-8")
    name = f"{recipient}-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _record_of(register, text: str):
    """The one record of `register` with this customer number or natural key, or None."""
    natural = register.import_format.natural_key if register.import_format else "customer_number"
    found = list(
        register.model_class.objects.filter(Q(customer_number=text) | Q(**{natural: text}))[:2]
    )
    return found[0] if len(found) == 1 else None


@disclosure_staff_required
@require_POST
@never_cache
def record(request):
    form = DisclosureRecordForm(request.POST, pairs=staff_recorded_recipients())
    if not form.is_valid():
        return _page(request, status=400, record_form=form)
    register_key, recipient = form.cleaned_data["recipient"].split(":", 1)
    register = get_register(register_key)
    found = _record_of(register, form.cleaned_data["customer"].strip())
    if found is None:
        form.add_error("customer", _("No single record in %(register)s has this number or name.")
                       % {"register": register.short_name})  # fmt: skip
        return _page(request, status=400, record_form=form)
    try:
        disclosure_record(
            actor=request.user,
            register_key=register_key,
            recipient_key=recipient,
            record=found,
            fields=form.cleaned_data["fields"],
            purpose=form.cleaned_data["purpose"],
            disclosed_on=form.cleaned_data["disclosed_on"],
        )
    except Refusal as refusal:
        form.add_error(None, str(refusal))
        return _page(request, status=400, record_form=form)
    messages.success(request, _("The disclosure is recorded."))
    return redirect("staff_disclosures")
