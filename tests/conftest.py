import pytest


@pytest.fixture(autouse=True)
def _mail_in_memory(settings, tmp_path):
    """Tests never write into the developer's var/mail/; mail goes to a temporary folder."""
    settings.MAIL_DIR = tmp_path / "mail"
    settings.MAIL_QUIET = True


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
