"""Access (Art. 15) is answered at once by the extract itself; it is still recorded as a
request, so the customer and staff see every access in one list."""

from django.utils import timezone

from subject_requests.decisions import Code
from subject_requests.models import DataRequest
from subject_requests.services.base import audit


def access_request_new(*, user, subjects, issued, language) -> DataRequest:
    """The answered access request for a copy about to be issued, not saved yet: the copy
    lists it among the customer's requests before it is written."""
    now = timezone.now()
    return DataRequest(
        user=user,
        type=DataRequest.Type.ACCESS,
        status=DataRequest.Status.COMPLETED,
        subject=subjects[0] if subjects else None,
        language=language,
        identity_verified=True,
        received_at=now,
        due_on=timezone.localdate(now),
        decided_at=now,
        decision_code=Code.ACCESS,
        decision_params={"reference": issued.reference, "format": issued.format},
    )


def access_request_save(request: DataRequest, *, user, reference) -> DataRequest:
    """Must run inside the transaction that records the issued copy."""
    request.save()
    audit(request, "completed", user, reference=reference)
    return request
