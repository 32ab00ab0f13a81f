"""Does asking for a sign-in code take the same time for a known and an unknown address?

Runs against the development database (run `make run` or `manage.py load_demo` first), with
mail kept in memory and rate limits off so that repeated requests are measured, not refused.
Usage: .venv/bin/python bench/sign_in_timing.py [rounds]
"""

import os
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DEBUG", "true")  # the development database and mail

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

from portal.models import BillingCustomer  # noqa: E402


def _time_request(path: str, email: str) -> float:
    client = Client()
    start = time.perf_counter()
    response = client.post(path, {"email": email})
    elapsed = time.perf_counter() - start
    assert response.status_code == 302, response.status_code
    return elapsed * 1000


def compare(path: str, existing: list[str], labels: tuple[str, str], rounds: int) -> None:
    """POST the form at `path` alternately with an address we hold and a new one; print the
    median and p90 of each. Mail stays in memory, rate limits are off, and everything runs in
    one transaction that is rolled back: the database is left as it was.
    (bench/newsletter_timing.py uses it too.)"""
    timings = {labels[0]: [], labels[1]: []}
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        ACCOUNT_RATE_LIMITS=False,
        ALLOWED_HOSTS=["testserver"],
    ):
        with transaction.atomic():
            for n in range(rounds):
                timings[labels[0]].append(_time_request(path, existing[n % len(existing)]))
                timings[labels[1]].append(
                    _time_request(path, f"{labels[1]}-{uuid.uuid4().hex}@example.fi")
                )
            transaction.set_rollback(True)
    for label, values in timings.items():
        values = values[5:]  # the first requests warm caches and templates
        print(
            f"{label:10} median {statistics.median(values):6.2f} ms   "
            f"p90 {statistics.quantiles(values, n=10)[-1]:6.2f} ms   n={len(values)}"
        )


def main(rounds: int) -> None:
    known = list(BillingCustomer.objects.exclude(email="").values_list("email", flat=True)[:rounds])
    if not known:
        sys.exit("No customers with an email: run `python manage.py load_demo` first.")
    compare("/fi/accounts/login/code/", known, ("known", "unknown"), rounds)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
