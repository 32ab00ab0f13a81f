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
def _fresh_rate_limits(request):
    """Rate limits live in the database cache, which test transactions and flushes do not
    reset; every test starts with none used."""
    if "django_db_setup" not in request.fixturenames and not any(
        m.name == "django_db" for m in request.node.iter_markers()
    ):
        yield
        return
    from django.core.cache import cache

    cache.clear()
    yield
