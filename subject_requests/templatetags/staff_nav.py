"""Which staff pages the signed-in member of staff may open, so that the staff navigation
offers only those (a register maintainer is not offered the request queue, a contact person
not the disclosure ledger)."""

from django import template

from subject_requests.views.staff_access import can_work_queue
from subject_requests.views.staff_disclosures import can_record_disclosures

register = template.Library()


@register.simple_tag(takes_context=True)
def staff_may(context) -> dict:
    user = context["request"].user
    return {"queue": can_work_queue(user), "disclosures": can_record_disclosures(user)}
