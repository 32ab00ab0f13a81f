"""A request is made once: the same form sent again gives the request it made the first time.

Two things mark a repeat: the form's submission key (a random token put in the form when it
was shown, so a double click, a retry or a replay of that form repeats it) and the
fingerprint of what was asked (the same request, still open, from a second tab or a fresh
form). Both are unique in the database, so of twenty identical posts at the same moment
exactly one makes a request and the others are given it.
"""

import hashlib
import json
from collections.abc import Callable

from django.db import IntegrityError, transaction

from subject_requests.models import DataRequest


def request_fingerprint(**asked) -> str:
    """A hash of what a request asks for (its type, subject, register and content)."""
    canonical = json.dumps(asked, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def request_repeated(*, user, submission_key: str = "", fingerprint: str = ""):
    """The request this submission repeats, or None."""
    if submission_key:
        found = DataRequest.objects.filter(user=user, submission_key=submission_key).first()
        if found is not None:
            return found
    if fingerprint:
        return (
            DataRequest.objects.filter(user=user, fingerprint=fingerprint)
            .filter(status__in=DataRequest.OPEN)
            .first()
        )
    return None


def as_repeat(request: DataRequest) -> DataRequest:
    """`request`, marked as what a repeated submission was given."""
    request.repeated = True
    return request


def request_create_once(
    *, user, submission_key: str, fingerprint: str, create: Callable[[], DataRequest]
) -> DataRequest:
    """`create()` unless this submission repeats a request. Runs inside the caller's
    transaction; `create` runs in a savepoint, so that losing the race to an identical
    submission (a unique constraint) leaves that transaction usable."""
    existing = request_repeated(user=user, submission_key=submission_key, fingerprint=fingerprint)
    if existing is not None:
        return as_repeat(existing)
    try:
        with transaction.atomic():
            return create()
    except IntegrityError:
        # The winner has committed by now (PostgreSQL waits for it before refusing ours).
        existing = request_repeated(
            user=user, submission_key=submission_key, fingerprint=fingerprint
        )
        if existing is None:
            raise
        return as_repeat(existing)
