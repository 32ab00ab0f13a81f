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
