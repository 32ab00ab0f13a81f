"""Does the password form, or a password reset, take longer for a known login than an unknown?

Side by side with the real (configured) password hasher: the median time of each kind of
login, and its ratio to an unknown username. No assertions; the figures go to BENCHMARKS.md.
The accounts are made inside a transaction that is rolled back, on the development database
(`make migrate` first). Mail stays in memory; rate limits are off and every attempt comes from
an address of its own, so that nothing is refused or locked. A password reset is timed up to
the moment its answer is ready, before the server closes it (a reset mail goes out after).
Usage: .venv/bin/python bench/signin_timing.py [rounds]
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DEBUG", "true")  # the development database and mail

import django  # noqa: E402

django.setup()

from allauth.account.models import EmailAddress  # noqa: E402
from django.core.signals import request_finished  # noqa: E402
from django.db import close_old_connections, transaction  # noqa: E402
from django.test import Client, RequestFactory, override_settings  # noqa: E402
from django.test.client import ClientHandler  # noqa: E402

from accounts.models import User  # noqa: E402
from portal.models import DataSubject, WebshopAccount  # noqa: E402

PASSWORD = "bench-password-2026"
LOGINS = {
    "unknown username": "nobody.bench",
    "unknown email": "nobody.bench@example.fi",
    "staff (email)": "bench.staff@example.fi",
    "web shop (username)": "bench.shopper",
    "web shop (email)": "bench.shopper@example.fi",
    "code customer (email)": "bench.customer@example.fi",
    "customer with an old portal password": "bench.old@example.fi",
}
RESETS = {
    "unknown address": "nobody.bench@example.fi",
    "customer address": "bench.customer@example.fi",
    "staff address": "bench.staff@example.fi",
}


def _accounts() -> None:
    staff = User.objects.create_user("bench.staff@example.fi", "bench.staff@example.fi", PASSWORD)
    staff.is_staff = True
    staff.save()
    EmailAddress.objects.create(user=staff, email=staff.email, verified=True, primary=True)
    subject = DataSubject.objects.create(display_name="Bench Shopper")
    shop = WebshopAccount(
        subject=subject,
        customer_number="BENCH-1",
        first_name="Bench",
        last_name="Shopper",
        username="bench.shopper",
        email="bench.shopper@example.fi",
    )
    shop.set_password(PASSWORD)
    shop.save()
    customer = User.objects.create_user("bench.customer@example.fi", "bench.customer@example.fi")
    EmailAddress.objects.create(user=customer, email=customer.email, verified=True, primary=True)
    User.objects.create_user("bench.old@example.fi", "bench.old@example.fi", PASSWORD)


def _address(n: int) -> str:
    return f"198.18.{n // 250}.{n % 250 + 1}"


def _time_login(login: str, n: int) -> float:
    client = Client(REMOTE_ADDR=_address(n))
    start = time.perf_counter()
    client.post("/fi/accounts/login/", {"login": login, "password": "wrong-password-1"})
    return (time.perf_counter() - start) * 1000


def _time_reset(handler, email: str, n: int) -> float:
    request = RequestFactory().post("/fi/accounts/password/reset/", {"email": email})
    request.META["REMOTE_ADDR"] = _address(n)
    request._dont_enforce_csrf_checks = True
    start = time.perf_counter()
    response = handler.get_response(request)
    elapsed = (time.perf_counter() - start) * 1000
    request_finished.disconnect(close_old_connections)
    response.close()  # the mail, if any, goes out here: after the answer
    request_finished.connect(close_old_connections)
    return elapsed


def _report(title: str, timings: dict[str, list[float]]) -> None:
    baseline = statistics.median(next(iter(timings.values())))
    print(f"\n{title}")
    for label, values in timings.items():
        median = statistics.median(values)
        print(f"  {label:38} median {median:8.1f} ms   ratio {median / baseline:5.2f}")


def main(rounds: int) -> None:
    settings = {
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "ACCOUNT_RATE_LIMITS": False,
        "ALLOWED_HOSTS": ["testserver"],
    }
    with override_settings(**settings), transaction.atomic():
        _accounts()
        handler = ClientHandler()
        handler.load_middleware()
        logins = {label: [] for label in LOGINS}
        resets = {label: [] for label in RESETS}
        n = 0
        for _ in range(rounds + 1):  # the first round warms caches and templates
            for label, login in LOGINS.items():
                logins[label].append(_time_login(login, n))
                n += 1
            for label, email in RESETS.items():
                resets[label].append(_time_reset(handler, email, n))
                n += 1
        transaction.set_rollback(True)
    _report("Password form, wrong password", {k: v[1:] for k, v in logins.items()})
    _report("Password reset, time to the answer", {k: v[1:] for k, v in resets.items()})


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
