"""Does the newsletter's subscribe form take the same time for a subscribed and a new address?

Runs against the development database (run `make run` or `manage.py load_demo` first), with
mail kept in memory and rate limits off so that repeated requests are measured, not refused.
Usage: .venv/bin/python bench/newsletter_timing.py [rounds]
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

from portal.models import NewsletterSubscription  # noqa: E402


def _time_request(email: str) -> float:
    client = Client()
    start = time.perf_counter()
    response = client.post("/fi/newsletter/", {"email": email})
    elapsed = time.perf_counter() - start
    assert response.status_code == 302, response.status_code
    return elapsed * 1000


def main(rounds: int) -> None:
    subscribed = list(
        NewsletterSubscription.objects.filter(status="confirmed").values_list("email", flat=True)
    )
    if not subscribed:
        sys.exit("No confirmed subscriptions: run `python manage.py load_demo` first.")
    timings = {"subscribed": [], "new": []}
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        ACCOUNT_RATE_LIMITS=False,
        ALLOWED_HOSTS=["testserver"],
    ):
        # Everything runs in one transaction that is rolled back: the database is left as it was.
        with transaction.atomic():
            for n in range(rounds):
                timings["subscribed"].append(_time_request(subscribed[n % len(subscribed)]))
                timings["new"].append(_time_request(f"new-{uuid.uuid4().hex}@example.fi"))
            transaction.set_rollback(True)
    for label, values in timings.items():
        values = values[5:]  # the first requests warm caches and templates
        print(
            f"{label:10} median {statistics.median(values):6.2f} ms   "
            f"p90 {statistics.quantiles(values, n=10)[-1]:6.2f} ms   n={len(values)}"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
