"""Production settings refuse to start half-configured, and pass Django's deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "x7!k2#" * 10,
    "ALLOWED_HOSTS": "tietosuoja.tector.fi",
    "DATABASE_URL": "sqlite:////tmp/privacy-portal-deploy-check.sqlite3",
    "EMAIL_URL": "smtp+tls://portal:secret@mail.example.fi:587",
    "SUPPRESSION_KEYS": "q3!vR8#m" * 5,
    "PORTAL_BASE_URL": "https://tietosuoja.tector.fi",
}


def _manage(*args, **env):
    # The browser harness allows async-unsafe ORM use in its own process; production must not.
    # manage.py loads its own default settings, not the test settings pytest names.
    skip = {*PRODUCTION_ENV, "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE"}
    full_env = {k: v for k, v in os.environ.items() if k not in skip}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_without_debug_set_the_portal_is_production_and_refuses_to_start_unconfigured():
    # Nothing set, as when someone runs manage.py by hand: production, failing loudly.
    result = _manage("check")
    assert result.returncode != 0
    assert "DEBUG is off" in result.stderr
    assert "ImproperlyConfigured" in result.stderr


def test_make_run_and_the_tests_switch_development_on(settings):
    assert 'export DEBUG ?= true' in (ROOT / "Makefile").read_text()
    # The test settings (pyproject.toml) run the development configuration.
    assert settings.DEV_MAILBOX and settings.SECRET_KEY != PRODUCTION_ENV["SECRET_KEY"]


def test_production_refuses_the_development_secret_key():
    env = {**PRODUCTION_ENV}
    env.pop("SECRET_KEY")
    result = _manage("check", **env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_without_allowed_hosts():
    env = {**PRODUCTION_ENV, "ALLOWED_HOSTS": ""}
    result = _manage("check", **env)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_development_mail_is_written_to_files(settings, tmp_path):
    from django.core import mail

    settings.EMAIL_BACKEND = "portal.mail.DevelopmentMailBackend"
    settings.MAIL_DIR = tmp_path
    mail.send_mail("Koodi", "Koodisi on 123456", None, ["maija@example.fi"])
    (saved,) = tmp_path.glob("*.eml")
    text = saved.read_text()
    assert "maija@example.fi" in text and "Koodi" in text


def test_production_refuses_to_start_without_the_portals_https_address():
    env = {**PRODUCTION_ENV, "PORTAL_BASE_URL": "http://tietosuoja.tector.fi"}
    result = _manage("check", **env)
    assert result.returncode != 0 and "PORTAL_BASE_URL" in result.stderr
