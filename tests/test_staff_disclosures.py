"""The staff page of the disclosure ledger: a partner list downloaded is one ledger entry,
a disclosure to a principal is recorded for the one person named; other roles are refused;
any input is answered without a server error and a refused form writes nothing."""

import csv
import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts import roles
from portal.models import AuditEvent, Disclosure
from tests.factories import PostalRecipientFactory, WebshopAccountFactory
from tests.fuzz_strategies import HTML, either, fields, urlencoded
from tests.staff_queue_helpers import signed_in_staff

pytestmark = pytest.mark.django_db
PAGE, EXPORT, RECORD = (
    "/en/staff/disclosures/",
    "/en/staff/disclosures/export/",
    "/en/staff/disclosures/record/",
)
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "20")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def maintainer(client):
    signed_in_staff(client, roles.REGISTER_MAINTAINER)
    return client


def test_a_partner_list_downloads_as_csv_and_is_one_ledger_entry(maintainer):
    PostalRecipientFactory(last_name="Sallittu", street_address="Koivukuja 1", postal_code="00100")
    PostalRecipientFactory(last_name="Kieltäjä", street_address="Mäntytie 2", postal_code="00200")
    PostalRecipientFactory(last_name="Kielsi", disclosure_allowed=False)
    screen = SimpleUploadedFile(
        "robinson.csv", "last_name,street_address,postal_code\nKieltäjä,Mäntytie 2,00200\n".encode()
    )
    response = maintainer.post(
        EXPORT, {"recipient": "postal:partner", "purpose": "Kevät 2026", "screen": screen}
    )
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r["last_name"] for r in rows] == ["Sallittu"]
    disclosure = Disclosure.objects.get()
    assert disclosure.people.count() == 1 and disclosure.screened_out == 1
    assert AuditEvent.objects.filter(action="disclosure.list.exported").count() == 1
    page = maintainer.get(PAGE).content.decode()
    assert "Kevät 2026" in page


def test_a_disclosure_to_the_principal_is_recorded_for_the_person_named(maintainer):
    account = WebshopAccountFactory(username="maija.m")
    response = maintainer.post(
        RECORD,
        {
            "recipient": "webshop:principal",
            "customer": "maija.m",
            "fields": ["first_name", "invoices"],
            "purpose": "Takuuhuolto",
            "disclosed_on": "2026-05-06",
        },
    )
    assert response.status_code == 302
    disclosure = Disclosure.objects.get()
    assert list(disclosure.people.all()) == [account.subject]
    assert disclosure.fields == ["first_name", "invoices"]


def test_an_unknown_customer_is_refused_and_nothing_is_recorded(maintainer):
    response = maintainer.post(
        RECORD,
        {
            "recipient": "webshop:principal",
            "customer": "nobody",
            "fields": ["first_name"],
            "purpose": "x",
            "disclosed_on": "2026-05-06",
        },
    )
    assert response.status_code == 400 and not Disclosure.objects.exists()


def test_the_contact_person_may_not_export(client):
    signed_in_staff(client, roles.CONTACT_PERSON)
    PostalRecipientFactory()
    assert client.get(PAGE).status_code == 403
    response = client.post(EXPORT, {"recipient": "postal:partner", "purpose": "x"})
    assert response.status_code == 403 and not Disclosure.objects.exists()


def _answered(response, pairs):
    assert response.status_code < 500
    if response.get("Content-Type", "").startswith("text/html"):
        body = response.content.decode("utf-8", "replace")
        for piece in HTML:
            if any(piece in value for _name, value in pairs):
                assert piece not in body, piece


def test_fuzz_the_export_form(maintainer):
    PostalRecipientFactory()

    @FUZZ
    @given(pairs=fields(recipient=either("postal:partner"), purpose=either("Kevät")))
    def run(pairs):
        before = Disclosure.objects.count()
        response = maintainer.post(
            EXPORT, data=urlencoded(pairs), content_type="application/x-www-form-urlencoded"
        )
        _answered(response, pairs)
        if response.status_code != 200:
            assert Disclosure.objects.count() == before

    run()


def test_fuzz_the_record_form(maintainer):
    WebshopAccountFactory(username="maija.m")

    @FUZZ
    @given(
        pairs=fields(
            recipient=either("webshop:principal"),
            customer=either("maija.m"),
            fields=either("first_name", "invoices"),
            purpose=either("Takuu"),
            disclosed_on=st.one_of(st.just("2026-05-06"), st.text(max_size=12)),
        )
    )
    def run(pairs):
        before = Disclosure.objects.count()
        response = maintainer.post(
            RECORD, data=urlencoded(pairs), content_type="application/x-www-form-urlencoded"
        )
        _answered(response, pairs)
        if response.status_code != 302:
            assert Disclosure.objects.count() == before

    run()
