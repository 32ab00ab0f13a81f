"""Who may work the request queue: the contact person for register matters and
administrators (Art. 32, least privilege); other staff get 403, customers too."""

from functools import wraps

from django.core.exceptions import PermissionDenied

from accounts import roles
from accounts.staff import staff_required

QUEUE_ROLES = (roles.CONTACT_PERSON, roles.ADMINISTRATOR)


def can_work_queue(user) -> bool:
    return user.is_superuser or user.groups.filter(name__in=QUEUE_ROLES).exists()


def queue_staff_required(view):
    """Anonymous visitors sign in, customers and other staff get 403 (MFA is enforced for
    every staff page by accounts.middleware.StaffMFARequiredMiddleware)."""

    @staff_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not can_work_queue(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
