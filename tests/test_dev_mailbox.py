import pytest
from django.core import mail
from django.test import override_settings

from tests.factories import BillingCustomerFactory

pytestmark = pytest.mark.django_db


@override_settings(EMAIL_BACKEND="portal.mail.DevelopmentMailBackend")
def test_mailbox_lists_development_mail_newest_first(client, settings):
    BillingCustomerFactory(email="maija@example.fi")
    mail.send_mail("Vanha viesti", "first", None, ["a@example.fi"])
    client.post("/fi/accounts/login/code/", {"email": "maija@example.fi"})
    page = client.get("/dev/mailbox/").content.decode()
    assert "maija@example.fi" in page
    assert page.index("maija@example.fi") < page.index("Vanha viesti")


def test_mailbox_is_absent_in_production(client, settings):
    settings.DEV_MAILBOX = False
    assert client.get("/dev/mailbox/").status_code == 404
