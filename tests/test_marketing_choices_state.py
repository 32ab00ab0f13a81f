"""The marketing choices page shows what is in force now and offers only the choices that
apply to the person (preference-centre style)."""

import pytest
from django.utils import formats, timezone, translation

from portal.models import PostalRecipient
from tests.extracts import EMAIL, signed_in_customer
from tests.factories import DataSubjectFactory, NewsletterSubscriptionFactory

pytestmark = pytest.mark.django_db


def test_a_newsletter_only_reader_is_not_offered_postal_choices(client):
    subject = DataSubjectFactory(display_name="Matti Meikäläinen")
    NewsletterSubscriptionFactory(subject=subject, email=EMAIL)
    signed_in_customer(client)
    html = client.get("/en/requests/objection/").content.decode()
    assert 'name="unsubscribe"' in html
    assert 'name="no_postal_marketing"' not in html
    assert 'name="no_disclosure"' not in html
    assert "by post" not in html


def test_each_choice_shows_what_is_in_force_now(client, maija):
    subject, _ = maija
    html = client.get("/en/requests/objection/").content.decode()
    assert html.count("not in force: allowed") == 3
    client.post("/en/requests/objection/", {"no_postal_marketing": "on", "unsubscribe": "on"})
    assert not PostalRecipient.objects.get(subject=subject).postal_marketing_allowed
    html = client.get("/en/requests/objection/").content.decode()
    assert html.count("in force since") == 2
    with translation.override("en"):
        today = formats.date_format(timezone.localdate(), "SHORT_DATE_FORMAT")
    assert f"in force since {today}" in html
    assert html.count("not in force: allowed") == 1
    # What is already in force is not offered again; the disclosure choice still is.
    assert 'name="no_postal_marketing"' not in html and 'name="unsubscribe"' not in html
    assert 'name="no_disclosure"' in html


def test_a_completed_objection_shows_no_due_date(client, maija):
    client.post("/en/requests/objection/", {"unsubscribe": "on"}, follow=True)
    request = maija[1].data_requests.get()
    html = client.get(f"/en/requests/{request.public_id}/").content.decode()
    assert "Due date" not in html
