"""A direct-marketing objection takes effect at once (Art. 21(3)) and keeps the person out
of marketing, even after a re-import of an old list."""

import pytest
from django.core import mail

from portal.audit import audit_verify
from portal.marketing import newsletter_recipients, postal_marketing_recipients
from portal.models import AuditEvent, NewsletterSubscription, PostalRecipient
from portal.registers.marketing import NO_DISCLOSURE, NO_POSTAL_MARKETING, UNSUBSCRIBE
from subject_requests.models import DataRequest
from subject_requests.services.objection import objection_submit
from tests.extracts import EMAIL
from tests.marketing_lists import re_import_old_lists

pytestmark = pytest.mark.django_db


def test_objection_takes_effect_before_any_staff_action(maija, django_capture_on_commit_callbacks):
    subject, user = maija
    with django_capture_on_commit_callbacks(execute=True):
        request = objection_submit(
            user=user, subjects=[subject], choices={NO_POSTAL_MARKETING, NO_DISCLOSURE, UNSUBSCRIBE}
        )
    postal = PostalRecipient.objects.get(subject=subject)
    assert not postal.postal_marketing_allowed and not postal.disclosure_allowed
    assert NewsletterSubscription.objects.get(subject=subject).status == "unsubscribed"
    assert request.status == DataRequest.Status.COMPLETED and request.decided_at
    # Nobody received her data yet: no recipient to tell (tests/test_follow_ups.py).
    assert not request.follow_ups.exists() and request.follow_up == ""
    assert len(mail.outbox) == 1 and EMAIL in mail.outbox[0].to
    assert AuditEvent.objects.filter(action="request.objection.received").exists()
    assert audit_verify()[1] is None


def test_objecting_person_is_excluded_from_all_marketing(maija):
    subject, user = maija
    assert postal_marketing_recipients() and newsletter_recipients()
    objection_submit(user=user, subjects=[subject], choices={NO_POSTAL_MARKETING, UNSUBSCRIBE})
    assert postal_marketing_recipients() == []
    assert newsletter_recipients() == []


def test_suppression_survives_deletion_and_re_import(maija):
    subject, user = maija
    postal = PostalRecipient.objects.get(subject=subject)
    objection_submit(user=user, subjects=[subject], choices={NO_POSTAL_MARKETING, UNSUBSCRIBE})
    # The records are later removed (e.g. erasure), then an old list is imported again.
    PostalRecipient.objects.all().delete()
    NewsletterSubscription.objects.all().delete()
    re_import_old_lists(postal)
    assert list(NewsletterSubscription.objects.values_list("email", flat=True)) == [
        "new.reader@example.fi"
    ]
    assert list(PostalRecipient.objects.values_list("last_name", flat=True)) == ["Asiakas"]


def test_restricted_records_are_never_marketed(maija):
    from django.utils import timezone

    subject, _ = maija
    PostalRecipient.objects.update(restricted_at=timezone.now())
    NewsletterSubscription.objects.update(restricted_at=timezone.now())
    assert postal_marketing_recipients() == [] and newsletter_recipients() == []
