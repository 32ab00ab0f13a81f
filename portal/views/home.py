"""The signed-in person's front door: what they can do, and where their requests stand."""

from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from accounts.identity import linked_subjects
from portal.registers import REGISTERS_BY_KEY
from subject_requests.models import DataRequest
from subject_requests.selectors import customer_requests


@require_safe
@never_cache
def home(request):
    """Where a customer lands after signing in (LOGIN_REDIRECT_URL). Reads only: viewing the
    data itself is my-data's, and is audited there."""
    linking = linked_subjects(request.user)
    open_requests = customer_requests(request.user).filter(status__in=DataRequest.OPEN)
    return render(
        request,
        "portal/home.html",
        {
            "has_data": linking.has_data,
            # Each with the register it concerns (None: every register).
            "open_requests": [
                (item, REGISTERS_BY_KEY.get(item.register)) for item in open_requests[:20]
            ],
        },
    )
