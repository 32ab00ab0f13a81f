"""One request across registers (issue #13, item 1): Maija moves house with one correction
that covers billing, postal and the web shop; one erasure and one restriction cover every
register, decided register by register, each register's outcome shown to her and to staff."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from portal.models import BillingCustomer, PostalRecipient, WebshopAccount
from subject_requests.models import DataRequest, FieldChange, RegisterOutcome
from tests.extracts import EMAIL, signed_in_customer
from tests.factories import (
    BillingCustomerFactory,
    DataSubjectFactory,
    InvoiceFactory,
    NewsletterSubscriptionFactory,
    OrderFactory,
    PostalRecipientFactory,
    WebshopAccountFactory,
)
from tests.staff_queue_helpers import staff_member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


ADDRESS = {"street_address": "Koivukuja 3 B 12", "postal_code": "00100", "post_office": "Helsinki"}
NAME = {"first_name": "Maija", "last_name": "Meikäläinen"}
NEW = {"street_address": "Rantatie 7 A 3", "postal_code": "33100", "post_office": "Tampere"}
REGISTER_MODELS = (BillingCustomer, PostalRecipient, WebshopAccount)


def maija_in_three_registers(*, newsletter=False):
    """Maija as in the demo: the same name and address in billing, postal and the web shop."""
    subject = DataSubjectFactory(display_name="Maija Meikäläinen")
    common = {"subject": subject, "customer_number": "100101", **NAME, **ADDRESS}
    BillingCustomerFactory(**common, email=EMAIL, phone="040 123 4567")
    PostalRecipientFactory(**common)
    account = WebshopAccountFactory(**common, email=EMAIL, username="maija.m")
    InvoiceFactory(order=OrderFactory(account=account, number="T550001"))
    if newsletter:
        NewsletterSubscriptionFactory(subject=subject, customer_number="100101", email=EMAIL)
    return subject


@pytest.fixture
def maija(client):
    subject = maija_in_three_registers(newsletter=True)
    return subject, signed_in_customer(client)


def _form_fields(html: str) -> dict[str, str]:
    """The text inputs of a page: name -> value."""
    found = {}
    for tag in re.findall(r"<input [^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name and 'type="hidden"' not in tag:
            found[name.group(1)] = value.group(1) if value else ""
    return found


def _correct(client, changes: dict[str, str]):
    """Fill in the form as shown, with `changes` (form key -> new value), and send it."""
    page = client.get(reverse("request_rectification_all"))
    assert page.status_code == 200
    data = _form_fields(page.content.decode())
    data.update(changes)
    response = client.post(reverse("request_rectification_all"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == reverse("request_rectification_all_review")
    return client.post(reverse("request_rectification_all_review"))


def test_the_address_held_in_three_registers_is_one_field_naming_them(client, maija):
    html = client.get(reverse("request_rectification_all")).content.decode()
    fields = _form_fields(html)
    assert fields["street_address"] == "Koivukuja 3 B 12"
    assert "street_address-2" not in fields  # one value, one field
    assert "Held in: Billing, Postal marketing, Web shop" in html
    # The email address of billing, the newsletter and the web shop, once too.
    assert fields["email"] == EMAIL
    assert "email-2" not in fields


def test_different_values_of_one_detail_are_shown_each_with_its_registers(client, maija):
    PostalRecipient.objects.update(street_address="Vanhatie 1")
    html = client.get(reverse("request_rectification_all")).content.decode()
    fields = _form_fields(html)
    assert fields["street_address"] == "Koivukuja 3 B 12"
    assert fields["street_address-2"] == "Vanhatie 1"
    assert "Held in: Billing, Web shop" in html
    assert "Held in: Postal marketing" in html


def test_one_correction_files_one_request_covering_every_register_holding_the_value(client, maija):
    subject, user = maija
    response = _correct(client, NEW)
    data_request = DataRequest.objects.get(user=user)
    assert response["Location"] == reverse("request_detail", args=[data_request.public_id])
    assert data_request.type == DataRequest.Type.RECTIFICATION
    assert data_request.register == "" and data_request.subject == subject
    changes = {
        (c.register, c.field): (c.old_value, c.new_value) for c in data_request.changes.all()
    }
    assert set(changes) == {
        (register, field) for register in ("billing", "postal", "webshop") for field in NEW
    }
    assert changes[("postal", "street_address")] == ("Koivukuja 3 B 12", "Rantatie 7 A 3")
    assert {c.record_id for c in data_request.changes.filter(register="webshop")} == {
        WebshopAccount.objects.get().pk
    }


def test_the_customer_sees_the_registers_of_each_change(client, maija):
    _correct(client, {"street_address": "Rantatie 7 A 3"})
    data_request = DataRequest.objects.get()
    html = client.get(reverse("request_detail", args=[data_request.public_id])).content.decode()
    for name in ("Billing", "Postal marketing", "Web shop"):
        assert f"<td>{name}</td>" in html


def test_staff_approve_and_every_register_shows_the_new_address(client, maija):
    _subject, _user = maija
    _correct(client, NEW)
    data_request = DataRequest.objects.get()
    staff = staff_member()
    client.force_login(staff)
    page = client.get(reverse("staff_request", args=[data_request.public_id]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "(Postal marketing)" in html and "(Web shop)" in html  # per field and register
    data = dict(re.findall(r'<input type="hidden" name="(seen_\d+)" value="([^"]*)"', html))
    for change in data_request.changes.all():
        data[f"decision_{change.pk}"] = "approve"
    response = client.post(
        reverse("staff_request_rectification", args=[data_request.public_id]), data
    )
    assert response.status_code == 302
    data_request.refresh_from_db()
    assert data_request.status == DataRequest.Status.COMPLETED
    for model in REGISTER_MODELS:
        record = model.objects.get()
        assert (record.street_address, record.postal_code, record.post_office) == (
            "Rantatie 7 A 3",
            "33100",
            "Tampere",
        )


def test_staff_can_reject_one_register_of_a_field(client, maija):
    _correct(client, {"street_address": "Rantatie 7 A 3"})
    data_request = DataRequest.objects.get()
    client.force_login(staff_member())
    html = client.get(reverse("staff_request", args=[data_request.public_id])).content.decode()
    data = dict(re.findall(r'<input type="hidden" name="(seen_\d+)" value="([^"]*)"', html))
    for change in data_request.changes.all():
        data[f"decision_{change.pk}"] = "reject" if change.register == "postal" else "approve"
        data[f"reason_{change.pk}"] = "Posti tells us otherwise" * (change.register == "postal")
    client.post(reverse("staff_request_rectification", args=[data_request.public_id]), data)
    data_request.refresh_from_db()
    assert data_request.status == DataRequest.Status.PARTLY_APPROVED
    assert PostalRecipient.objects.get().street_address == "Koivukuja 3 B 12"
    assert BillingCustomer.objects.get().street_address == "Rantatie 7 A 3"


def test_a_record_changed_in_one_register_stops_the_whole_decision(client, maija):
    _correct(client, {"street_address": "Rantatie 7 A 3"})
    data_request = DataRequest.objects.get()
    client.force_login(staff_member())
    html = client.get(reverse("staff_request", args=[data_request.public_id])).content.decode()
    data = dict(re.findall(r'<input type="hidden" name="(seen_\d+)" value="([^"]*)"', html))
    for change in data_request.changes.all():
        data[f"decision_{change.pk}"] = "approve"
    PostalRecipient.objects.update(street_address="Muuttunut 1")
    response = client.post(
        reverse("staff_request_rectification", args=[data_request.public_id]), data, follow=True
    )
    messages = " ".join(str(m) for m in response.context["messages"])
    assert "Changed: street address. Nothing was applied." in messages
    assert BillingCustomer.objects.get().street_address == "Koivukuja 3 B 12"


def test_private_persons_are_not_shown_the_company_fields(client, maija):
    fields = _form_fields(client.get(reverse("request_rectification_all")).content.decode())
    assert "company_name" not in fields and "business_id" not in fields
    assert fields["given_name"] == "Maija"


def test_company_customers_are_shown_the_company_fields(client):
    subject = DataSubjectFactory(display_name="Liisa Lähtinen")
    BillingCustomerFactory(
        subject=subject,
        email=EMAIL,
        customer_type="company",
        company_name="Lähtisen LVI-huolto Oy",
        business_id="2876543-5",
    )
    signed_in_customer(client)
    fields = _form_fields(client.get(reverse("request_rectification_all")).content.decode())
    assert fields["company_name"] == "Lähtisen LVI-huolto Oy"
    assert fields["business_id"] == "2876543-5"


def test_nothing_changed_is_a_form_error(client, maija):
    page = client.get(reverse("request_rectification_all"))
    response = client.post(
        reverse("request_rectification_all"), _form_fields(page.content.decode())
    )
    assert response.status_code == 200
    assert "You did not change anything" in response.content.decode()
    assert not DataRequest.objects.exists()


def test_a_new_email_address_needs_a_code_before_the_request_is_sent(client, maija):
    new = "maija.uusi@example.fi"
    response = _correct(client, {"email": new})
    verify = reverse("request_rectification_all_verify")
    assert response["Location"] == verify
    assert not DataRequest.objects.exists()
    assert new in client.get(verify).content.decode()
    client.post(verify, {"code": "AAAA-AAAA"})
    assert not DataRequest.objects.exists()
    message = next(m for m in reversed(mail.outbox) if new in m.to)
    code = re.search(r"\b[A-Z0-9]{4}-[A-Z0-9]{4}\b", message.body).group(0)
    client.post(verify, {"code": code})
    data_request = DataRequest.objects.get()
    # The address held in billing, the newsletter and the web shop: one change each.
    assert {(c.register, c.new_value) for c in data_request.changes.all()} == {
        ("billing", new),
        ("newsletter", new),
        ("webshop", new),
    }


def test_the_same_correction_sent_twice_makes_one_request(client, maija):
    _correct(client, {"phone": "050 765 4321"})
    client.post(reverse("request_rectification_all_review"))
    assert DataRequest.objects.count() == 1
    assert FieldChange.objects.count() == 1  # the phone is held in billing only


def test_the_per_register_correction_still_works(client, maija):
    response = client.get(reverse("request_rectification", args=["postal"]))
    assert response.status_code == 200
    assert "Postal register for direct marketing" in response.content.decode()


# --- Erasure and restriction across registers ---------------------------------------------


def _ask(client, name):
    response = client.post(reverse(name), {"description": ""})
    assert response.status_code == 302
    return DataRequest.objects.get()


def _decide_registers(client, data_request, decisions: dict[str, tuple[str, str]]):
    data = {}
    for key, (decision, reason) in decisions.items():
        data[f"decision_{key}"] = decision
        data[f"reason_{key}"] = reason
    return client.post(
        reverse("staff_request_decide_registers", args=[data_request.public_id]),
        data,
        follow=True,
    )


def test_the_erasure_form_lists_what_each_register_holding_data_does(client, maija):
    html = client.get(reverse("request_erasure_all")).content.decode()
    assert "Billing and order register" in html and "Everything this register holds" in html
    assert "No data about you in:" in html and "Loyalty-card register" in html


def test_one_erasure_request_covers_every_register(client, maija):
    subject, _user = maija
    data_request = _ask(client, "request_erasure_all")
    assert data_request.type == DataRequest.Type.ERASURE
    assert data_request.register == "" and data_request.subject == subject


def test_staff_decide_per_register_and_each_outcome_is_kept_and_shown(client, maija):
    data_request = _ask(client, "request_erasure_all")
    customer_user = data_request.user
    client.force_login(staff_member())
    html = client.get(reverse("staff_request", args=[data_request.public_id])).content.decode()
    assert "Decide each register" in html
    # Beside each register, what approving does there (from its erasure policy).
    assert "Everything this register holds about you is deleted." in html
    response = _decide_registers(
        client,
        data_request,
        {
            "billing": ("reject", "An unpaid invoice is being collected."),
            "postal": ("approve", ""),
            "newsletter": ("approve", ""),
            "webshop": ("approve", ""),
        },
    )
    assert response.status_code == 200
    data_request.refresh_from_db()
    assert data_request.status == DataRequest.Status.PARTLY_APPROVED
    outcomes = {o.register: o for o in data_request.outcomes.all()}
    assert set(outcomes) == {"billing", "postal", "newsletter", "webshop"}
    assert outcomes["billing"].outcome == RegisterOutcome.Outcome.REFUSED
    assert outcomes["billing"].reason == "An unpaid invoice is being collected."
    assert outcomes["postal"].outcome == RegisterOutcome.Outcome.ERASED
    assert outcomes["postal"].kept == []
    webshop = outcomes["webshop"]
    assert webshop.outcome == RegisterOutcome.Outcome.ANONYMISED
    assert "street_address" in webshop.kept and "email" not in webshop.kept
    assert webshop.kept_until is not None and webshop.basis == "accounting_act"
    newsletter = outcomes["newsletter"]
    assert newsletter.outcome == RegisterOutcome.Outcome.ERASED
    assert "confirmed_at" in newsletter.kept and newsletter.basis == "consent_proof"
    # The refused register is untouched; the others are erased.
    assert BillingCustomer.objects.get().email == EMAIL
    assert not PostalRecipient.objects.exists()
    assert WebshopAccount.objects.get().email == ""
    # Staff see the outcomes on the request, and so does the customer.
    staff_html = response.content.decode()
    assert "Outcome in each register" in staff_html
    client.force_login(customer_user)
    page = client.get(reverse("request_detail", args=[data_request.public_id]))
    html = page.content.decode()
    assert "Outcome in each register" in html
    assert "An unpaid invoice is being collected." in html
    assert webshop.kept_until.strftime("%-d %b %Y") in html


def test_every_register_refused_rejects_the_request(client, maija):
    data_request = _ask(client, "request_erasure_all")
    client.force_login(staff_member())
    _decide_registers(
        client,
        data_request,
        {key: ("reject", "Not now.") for key in ("billing", "postal", "newsletter", "webshop")},
    )
    data_request.refresh_from_db()
    assert data_request.status == DataRequest.Status.REJECTED
    assert PostalRecipient.objects.exists()
    assert data_request.outcomes.filter(outcome="refused").count() == 4


def test_a_refusal_needs_its_reason(client, maija):
    data_request = _ask(client, "request_erasure_all")
    client.force_login(staff_member())
    response = _decide_registers(
        client,
        data_request,
        {
            "billing": ("reject", ""),
            "postal": ("approve", ""),
            "newsletter": ("approve", ""),
            "webshop": ("approve", ""),
        },
    )
    assert response.status_code == 400
    assert PostalRecipient.objects.exists()
    data_request.refresh_from_db()
    assert data_request.is_open


def test_one_restriction_request_restricts_every_register_with_an_outcome_each(client, maija):
    data_request = _ask(client, "request_restriction_all")
    client.force_login(staff_member())
    _decide_registers(
        client,
        data_request,
        {key: ("approve", "") for key in ("billing", "postal", "newsletter", "webshop")},
    )
    data_request.refresh_from_db()
    assert data_request.status == DataRequest.Status.COMPLETED
    assert {o.register: o.outcome for o in data_request.outcomes.all()} == {
        key: "restricted" for key in ("billing", "postal", "newsletter", "webshop")
    }
    for model in REGISTER_MODELS:
        assert model.objects.get().restricted_at is not None


def test_a_single_register_erasure_still_works_and_records_its_outcome(client, maija):
    response = client.post(reverse("request_erasure", args=["postal"]), {"description": ""})
    assert response.status_code == 302
    data_request = DataRequest.objects.get()
    assert data_request.register == "postal"
    client.force_login(staff_member())
    html = client.get(reverse("staff_request", args=[data_request.public_id])).content.decode()
    assert "Decide each register" not in html
    client.post(
        reverse("staff_request_decide", args=[data_request.public_id]), {"decision": "approve"}
    )
    data_request.refresh_from_db()
    assert data_request.status == DataRequest.Status.COMPLETED
    assert [(o.register, o.outcome) for o in data_request.outcomes.all()] == [("postal", "erased")]
    assert BillingCustomer.objects.exists()


def test_the_register_form_refuses_a_single_register_request(client, maija):
    client.post(reverse("request_erasure", args=["postal"]), {"description": ""})
    data_request = DataRequest.objects.get()
    client.force_login(staff_member())
    response = _decide_registers(client, data_request, {"postal": ("approve", "")})
    assert "not decided with this form" in " ".join(str(m) for m in response.context["messages"])
    assert PostalRecipient.objects.exists()


def test_without_data_the_erasure_form_offers_a_free_form_request(client):
    signed_in_customer(client)
    response = client.get(reverse("request_erasure_all"))
    assert response.status_code == 200
    assert "make a free-form request" in response.content.decode()
    assert client.post(reverse("request_erasure_all"), {}).status_code == 200
    assert not DataRequest.objects.exists()


def test_the_mails_of_an_erasure_of_every_register_name_the_registers(client, maija):
    data_request = _ask(client, "request_erasure_all")
    received = mail.outbox[-1].body
    for name in ("Billing and order register", "Postal register", "Tector tiedottaa"):
        assert name in received
    client.force_login(staff_member())
    _decide_registers(
        client,
        data_request,
        {
            "billing": ("reject", "An unpaid invoice is being collected."),
            "postal": ("approve", ""),
            "newsletter": ("approve", ""),
            "webshop": ("approve", ""),
        },
    )
    decided = mail.outbox[-1].body
    assert "Postal register" in decided and "Billing and order register" in decided
    assert "An unpaid invoice is being collected." in decided


def test_a_request_of_every_register_says_so_in_the_lists(client, maija):
    _ask(client, "request_erasure_all")
    assert "Erasure</a> – every register" in client.get(reverse("my_requests")).content.decode()
    client.force_login(staff_member())
    assert "<td>all registers</td>" in client.get(reverse("staff_home")).content.decode()


def test_the_per_register_form_hides_company_fields_from_private_persons(client, maija):
    html = client.get(reverse("request_rectification", args=["billing"])).content.decode()
    assert 'name="company_name"' not in html and 'name="business_id"' not in html
    assert 'name="street_address"' in html
    BillingCustomer.objects.update(company_name="Meikäläisen Toiminimi")
    html = client.get(reverse("request_rectification", args=["billing"])).content.decode()
    assert 'name="company_name"' in html and 'name="business_id"' in html
