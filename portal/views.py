from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from accounts.identity import linked_subjects, verified_emails
from accounts.services import identity_conflicts_record
from portal import controller
from portal.registers import REGISTERS


@login_not_required
@require_safe
def privacy_notice(request):
    """The public privacy notice (tietosuojaseloste), generated from the declarations."""
    return render(
        request,
        "portal/privacy_notice.html",
        {
            "registers": REGISTERS,
            "contact_role": controller.CONTACT_ROLE,
            "contact_email": controller.CONTACT_EMAIL,
            "contact_phone": controller.CONTACT_PHONE,
            "register_name": controller.REGISTER_NAME,
            "authority": controller.SUPERVISORY_AUTHORITY,
            "notice_date": controller.NOTICE_DATE,
        },
    )


@require_safe
def my_data(request):
    """The signed-in customer's own page: which registers hold data linked to them.

    Issue #4 turns each section into the full data with the reasons for it.
    """
    linking = linked_subjects(request.user)
    if linking.ambiguous:
        identity_conflicts_record(user=request.user, ambiguous=linking.ambiguous)
    sections = [
        {
            "register": register,
            "count": sum(register.records_for(s).count() for s in linking.subjects),
        }
        for register in REGISTERS
    ]
    return render(
        request,
        "portal/my_data.html",
        {
            "linking": linking,
            "sections": sections,
            "emails": verified_emails(request.user),
            "contact_email": controller.CONTACT_EMAIL,
        },
    )
