"""Suppression survives key rotation: the keyed hashes use SUPPRESSION_KEYS, not SECRET_KEY;
the first key hashes new entries and every listed key still matches, so after a rotation a
re-import of an old list still leaves out everyone who objected or was erased."""

import hashlib
import hmac

import pytest

from portal import suppression
from portal.models import NewsletterSubscription, PostalRecipient, Suppression
from portal.registers.marketing import NO_POSTAL_MARKETING, UNSUBSCRIBE
from subject_requests.services.objection import objection_submit
from tests.extracts import EMAIL
from tests.marketing_lists import re_import_old_lists
from tests.test_settings import PRODUCTION_ENV, _manage

pytestmark = pytest.mark.django_db

OLD_KEY = "old-suppression-key-" + "a" * 32
NEW_KEY = "new-suppression-key-" + "b" * 32
def _object_and_forget(maija):
    subject, user = maija
    postal = PostalRecipient.objects.get(subject=subject)
    objection_submit(user=user, subjects=[subject], choices={NO_POSTAL_MARKETING, UNSUBSCRIBE})
    PostalRecipient.objects.all().delete()
    NewsletterSubscription.objects.all().delete()
    return postal


def test_suppression_still_matches_after_the_keys_are_rotated_and_a_list_re_imported(
    maija, settings
):
    settings.SUPPRESSION_KEYS = [OLD_KEY]
    postal = _object_and_forget(maija)
    settings.SUPPRESSION_KEYS = [NEW_KEY, OLD_KEY]  # rotated: the new key first
    re_import_old_lists(postal)
    assert list(NewsletterSubscription.objects.values_list("email", flat=True)) == [
        "new.reader@example.fi"
    ]
    assert list(PostalRecipient.objects.values_list("last_name", flat=True)) == ["Asiakas"]


def test_without_the_old_key_the_old_suppressions_would_no_longer_match(maija, settings):
    """Why old keys stay listed: dropped, the re-import brings the person back."""
    settings.SUPPRESSION_KEYS = [OLD_KEY]
    postal = _object_and_forget(maija)
    settings.SUPPRESSION_KEYS = [NEW_KEY]
    re_import_old_lists(postal)
    assert NewsletterSubscription.objects.filter(email=EMAIL).exists()


def test_new_entries_are_hashed_with_the_first_key(settings):
    settings.SUPPRESSION_KEYS = [NEW_KEY, OLD_KEY]
    suppression.values_suppress("email", {"email": "Liisa@Example.fi"})
    expected = hmac.new(NEW_KEY.encode(), b"email:liisa@example.fi", hashlib.sha256).hexdigest()
    assert list(Suppression.objects.values_list("digest", flat=True)) == [expected]


def test_changing_the_secret_key_changes_no_suppression(settings):
    suppression.values_suppress("email", {"email": EMAIL})
    settings.SECRET_KEY = "another-secret-key-" * 4
    assert suppression.values_suppressed("email", {"email": EMAIL})


def test_development_has_a_default_key(settings):
    assert settings.SUPPRESSION_KEYS and all(settings.SUPPRESSION_KEYS)


@pytest.mark.parametrize(
    "keys",
    [None, "", "development-only-suppression-key-never-use-in-production", "too-short"],
    ids=["unset", "empty", "development", "short"],
)
def test_production_refuses_to_start_without_its_own_suppression_keys(keys):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SUPPRESSION_KEYS"}
    if keys is not None:
        env["SUPPRESSION_KEYS"] = keys
    result = _manage("check", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "SUPPRESSION_KEYS" in result.stderr


def test_production_starts_with_a_rotated_list_of_keys():
    result = _manage("check", **{**PRODUCTION_ENV, "SUPPRESSION_KEYS": f"{NEW_KEY},{OLD_KEY}"})
    assert result.returncode == 0, result.stderr
