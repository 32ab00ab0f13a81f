from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from portal import controller, processing
from portal.registers import REGISTERS
from portal.registers.interests import objectionable


@login_not_required
@require_safe
def privacy_notice(request):
    """The public privacy notice (tietosuojaseloste), generated from the declarations."""
    return render(
        request,
        "portal/privacy_notice.html",
        {
            "registers": REGISTERS,
            "interest_registers": objectionable(REGISTERS),
            "contact_role": controller.CONTACT_ROLE,
            "contact_email": controller.CONTACT_EMAIL,
            "contact_phone": controller.CONTACT_PHONE,
            "register_name": controller.REGISTER_NAME,
            "authority": controller.SUPERVISORY_AUTHORITY,
            "judicial_remedy": controller.JUDICIAL_REMEDY,
            "activities": processing.ACTIVITIES,
            "notice_date": controller.NOTICE_DATE,
        },
    )
