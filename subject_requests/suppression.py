"""Keyed hashes of addresses that must stay out of marketing (Art. 21(3), erasure).

Only an HMAC is kept, never the address, so the list itself holds no readable personal data.
"""

import hashlib
import hmac

from django.conf import settings

from portal.validators import normalize_email


def _digest(text: str) -> str:
    return hmac.new(settings.AUDIT_SECRET.encode(), text.encode(), hashlib.sha256).hexdigest()


def email_digest(email: str) -> str:
    return _digest("email:" + normalize_email(email))


def postal_digest(
    *, street_address: str, postal_code: str, last_name: str = "", company_name: str = ""
) -> str:
    parts = [company_name or last_name, street_address, postal_code]
    return _digest("postal:" + "|".join(" ".join(p.lower().split()) for p in parts))


def suppress(*, email: str = "", postal: dict | None = None) -> None:
    from subject_requests.models import Suppression

    if email:
        Suppression.objects.get_or_create(kind="email", digest=email_digest(email))
    if postal:
        Suppression.objects.get_or_create(kind="postal", digest=postal_digest(**postal))


def is_suppressed(*, email: str = "", postal: dict | None = None) -> bool:
    from subject_requests.models import Suppression

    if email and Suppression.objects.filter(kind="email", digest=email_digest(email)).exists():
        return True
    return (
        bool(postal)
        and Suppression.objects.filter(kind="postal", digest=postal_digest(**postal)).exists()
    )


def postal_key(record) -> dict:
    return {
        "street_address": record.street_address,
        "postal_code": record.postal_code,
        "last_name": record.last_name,
        "company_name": record.company_name,
    }
