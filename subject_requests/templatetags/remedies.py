"""{% remedies %}: the complaint to the Ombudsman and the courts (Art. 12(4), 77-79), in the
reader's language, from the one declaration of the authority (portal/controller.py)."""

from django import template

from portal import controller

register = template.Library()


@register.inclusion_tag("subject_requests/customer/includes/remedies.html")
def remedies():
    return {
        "authority": controller.SUPERVISORY_AUTHORITY,
        "judicial_remedy": controller.JUDICIAL_REMEDY,
    }
