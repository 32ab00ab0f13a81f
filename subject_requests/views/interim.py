from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from portal import controller
from portal.registers import REGISTERS_BY_KEY

KINDS = {
    "rectification": _("Correct your data"),
    "objection": _("Forbid direct marketing"),
    "erasure": _("Ask for erasure"),
    "restriction": _("Ask for restriction of processing"),
}


@require_safe
def request_by_email(request, kind, register=None):
    if register is not None and register not in REGISTERS_BY_KEY:
        raise Http404
    return render(
        request,
        "subject_requests/request_by_email.html",
        {
            "title": KINDS[kind],
            "register": REGISTERS_BY_KEY.get(register),
            "contact_email": controller.CONTACT_EMAIL,
        },
    )
