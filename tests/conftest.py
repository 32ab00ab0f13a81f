import pytest

from subject_requests.services.rectification import rectification_submit
from tests.extracts import customer_in_every_register, signed_in_customer
from tests.staff_queue_helpers import customer


@pytest.fixture(autouse=True)
def _mail_in_memory(settings, tmp_path):
    """Tests never write into the developer's var/mail/; mail goes to a temporary folder."""
    settings.MAIL_DIR = tmp_path / "mail"
    settings.MAIL_QUIET = True


@pytest.fixture(autouse=True)
def _mail_through_the_outbox(settings):
    """Django's test set-up swaps EMAIL_BACKEND for its in-memory mailbox; the portal's mail
    goes through the outbox as in production, and the outbox delivers to that mailbox
    (OUTBOX_DELIVERY_BACKEND in portal/settings_test.py)."""
    settings.EMAIL_BACKEND = "outbox.backend.OutboxEmailBackend"


@pytest.fixture(autouse=True)
def _allowed_hosts(settings):
    settings.ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Tests hash many passwords; the real hasher's cost is measured elsewhere."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_rate_limits(request, django_db_blocker):
    """Rate limits live in the database cache, which test transactions and flushes do not
    reset; every test that uses the database starts with none used."""
    uses_db = request.node.get_closest_marker("django_db") or {
        "db",
        "transactional_db",
        "live_server",
    } & set(request.fixturenames)
    if uses_db:
        request.getfixturevalue("django_db_setup")
        from django.core.cache import cache

        with django_db_blocker.unblock():
            cache.clear()


@pytest.fixture
def maija(client):
    """A customer in every register, signed in: (data subject, portal user)."""
    subject, _ = customer_in_every_register()
    return subject, signed_in_customer(client)


@pytest.fixture
def rectification():
    """Aino's correction of her street address and phone, waiting for staff:
    (request, billing record)."""
    user, _, record = customer(email="aino@example.fi", name="Aino Asiakas")
    data_request = rectification_submit(
        user=user,
        record=record,
        changes={"street_address": "Uusikatu 5", "phone": "040 765 4321"},
        language="en",
    )
    return data_request, record
