"""Confirmations at the same moment, each in its own thread and connection: one link
confirms once, and two links for one new address make one subscription with two consents."""

import re
import threading
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.db import connection
from django.test import Client

from portal.models import NewsletterConsent, NewsletterSubscription

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = "at.once@example.fi"


def _confirmation_link() -> str:
    Client().post("/en/newsletter/", {"email": EMAIL})
    body = mail.outbox[-1].body
    return urlsplit(re.search(r"https?://\S+/newsletter/confirm/\S+/", body).group(0)).path


def _all_at_once(paths) -> list[int]:
    start = threading.Barrier(len(paths))
    statuses = []

    def run(path):
        try:
            start.wait()
            statuses.append(Client().post(path).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(path,)) for path in paths]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(statuses)


def test_one_link_posted_four_times_at_once_confirms_once():
    path = _confirmation_link()
    assert _all_at_once([path] * 4) == [200, 410, 410, 410]
    assert NewsletterSubscription.objects.filter(email=EMAIL).count() == 1
    assert NewsletterConsent.objects.count() == 1


def test_two_links_for_one_new_address_at_once_make_one_subscription():
    paths = [_confirmation_link(), _confirmation_link()]
    assert _all_at_once(paths) == [200, 200]
    subscription = NewsletterSubscription.objects.get(email=EMAIL)
    assert subscription.consents.count() == 2
