"""Issuing a copy: the file is made before anything is written, and a copy that cannot be
made leaves no trace of having been issued."""

import pytest
from django.db import connection

from portal.extract import services
from portal.models import AuditEvent, IssuedExtract
from subject_requests.decisions import decision_text
from subject_requests.models import DataRequest
from tests.extracts import EMAIL, customer_in_every_register
from tests.factories import UserFactory


class RenderingFailed(Exception):
    pass


@pytest.mark.django_db(transaction=True)
def test_the_file_is_made_outside_any_transaction_and_then_recorded():
    subject, _ = customer_in_every_register()
    user = UserFactory()
    seen = {}

    def produce(*, issued, registers, requests, emails, portal):
        # A long extract takes WeasyPrint seconds: no write lock may be held meanwhile.
        seen["in_transaction"] = connection.in_atomic_block
        seen["recorded"] = IssuedExtract.objects.exists()
        seen["listed_first"] = requests[0].type == DataRequest.Type.ACCESS
        return b"file"

    issued, content = services._issue(
        user=user, subjects=[subject], emails=[EMAIL], fmt="pdf", produce=produce
    )
    assert seen == {"in_transaction": False, "recorded": False, "listed_first": True}
    assert content == b"file" and IssuedExtract.objects.get() == issued
    access = DataRequest.objects.get(type=DataRequest.Type.ACCESS)
    assert issued.reference in decision_text(access)
    assert AuditEvent.objects.filter(action="data.extract.issued").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_copy_that_cannot_be_made_is_not_recorded():
    subject, _ = customer_in_every_register()
    user = UserFactory()
    events_before = AuditEvent.objects.count()

    def produce(**data):
        raise RenderingFailed

    with pytest.raises(services.CopyNotMade):
        services._issue(user=user, subjects=[subject], emails=[EMAIL], fmt="pdf", produce=produce)
    assert not IssuedExtract.objects.exists()
    assert not DataRequest.objects.filter(type=DataRequest.Type.ACCESS).exists()
    assert AuditEvent.objects.count() == events_before
