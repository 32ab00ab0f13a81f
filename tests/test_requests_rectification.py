"""Correction (Art. 16): a pre-filled form of the correctable fields, validated and
normalised, a review of before → after, and a request holding the field-level changes.
A new email address is verified by a code before the request is sent."""

import re

import pytest
from django.core import mail

from portal.models import BillingCustomer
from subject_requests.models import DataRequest
from tests.extracts import EMAIL, signed_in_customer
from tests.factories import BillingCustomerFactory, PostalRecipientFactory

pytestmark = pytest.mark.django_db

FORM = "/en/requests/rectification/billing/"
REVIEW = FORM + "review/"
VERIFY = FORM + "verify/"
NEW_EMAIL = "maija.uusi@example.fi"


@pytest.fixture
def billing(maija):
    return maija[0].billingcustomer_records.get()


def _form_data(record, **changes):
    """What the browser posts: every correctable field as it stands, plus the changes."""
    from portal.registers import get_register

    data = {
        spec.name: getattr(record, spec.name) or ""
        for spec in get_register("billing").correctable_fields
    }
    return {**data, **changes}


def _trading_name(record):
    """A private person's record with a trading name: the form asks for company details."""
    record.company_name = "Meikäläisen Toiminimi"
    record.save(update_fields=["company_name"])


def _code_from(to):
    message = next(m for m in reversed(mail.outbox) if to in m.to)
    return re.search(r"\b[A-Z0-9]{4}-[A-Z0-9]{4}\b", message.body).group(0)


def test_form_is_prefilled_with_the_correctable_fields(client, billing):
    html = client.get(FORM).content.decode()
    assert 'name="street_address"' in html and 'value="Koivukuja 3 B 12"' in html
    assert f'value="{EMAIL}"' in html
    assert 'autocomplete="postal-code"' in html


def test_business_fields_are_read_only_with_the_reason_and_the_way_to_dispute(client, billing):
    html = client.get(FORM).content.decode()
    assert 'name="payment_terms"' not in html and 'name="credit_limit"' not in html
    assert "14 pv netto" in html
    assert "This is a business decision of the company" in html
    assert "/en/requests/other/?register=billing&amp;field=payment_terms" in html
    assert "/en/requests/restriction/billing/" in html


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("postal_code", "0010", "A Finnish postal code has exactly five digits"),
        ("phone", "12ab", "Enter a phone number such as 040 123 4567"),
        ("business_id", "0700464-4", "The business ID 0700464-4 is not valid"),
        ("business_id", "123", "Enter the business ID as seven digits"),
        ("email", "maija@", "Enter an email address such as name@example.fi."),
    ],
)
def test_every_field_is_validated_and_what_was_typed_is_kept(
    client, maija, billing, field, typed, message
):
    _trading_name(billing)  # company details are asked only of a record that holds some
    response = client.post(FORM, _form_data(billing, street_address="Uusi 1", **{field: typed}))
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert f'value="{typed}"' in html and 'value="Uusi 1"' in html
    assert 'aria-invalid="true"' in html
    assert not maija[1].data_requests.exists()


def test_required_register_fields_cannot_be_emptied(client, maija):
    postal = maija[0].postalrecipient_records.get()
    from portal.registers import get_register

    data = {
        s.name: getattr(postal, s.name) or "" for s in get_register("postal").correctable_fields
    }
    response = client.post("/en/requests/rectification/postal/", {**data, "street_address": ""})
    assert "This field is required." in response.content.decode()


def test_no_changes_says_so(client, billing):
    # The same phone typed another way is no change.
    response = client.post(FORM, _form_data(billing, phone="040-123 4567"))
    assert "You did not change anything." in response.content.decode()


def test_review_shows_only_the_changed_fields_before_and_after(client, maija, billing):
    response = client.post(FORM, _form_data(billing, street_address="Uusi katu 1"))
    assert response.status_code == 302 and response["Location"] == REVIEW
    html = client.get(REVIEW).content.decode()
    assert "Street address" in html and "Koivukuja 3 B 12" in html and "Uusi katu 1" in html
    assert "Post office" not in html and "Phone" not in html
    assert not maija[1].data_requests.exists()  # nothing is sent before the customer confirms
    # Back to the form: what was typed is still there.
    assert 'value="Uusi katu 1"' in client.get(f"{FORM}?record={billing.pk}").content.decode()


def test_submitting_creates_a_request_with_normalised_field_changes(
    client, maija, billing, django_capture_on_commit_callbacks
):
    subject, user = maija
    _trading_name(billing)
    client.post(
        FORM,
        _form_data(
            billing, street_address="Uusi katu 1", phone="050 111 2222", business_id="07004645"
        ),
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REVIEW, follow=True)
    assert response.redirect_chain[-1][0] == "/en/requests/"
    html = response.content.decode()
    assert "Your correction request was sent." in html
    data_request = user.data_requests.get()
    assert data_request.type == DataRequest.Type.RECTIFICATION
    assert data_request.register == "billing" and data_request.subject == subject
    changes = {c.field: (c.old_value, c.new_value) for c in data_request.changes.all()}
    assert changes == {
        "street_address": ("Koivukuja 3 B 12", "Uusi katu 1"),
        "phone": ("+358401234567", "+358501112222"),
        "business_id": ("", "0700464-5"),
    }
    assert all(c.record_id == billing.pk for c in data_request.changes.all())
    billing.refresh_from_db()
    assert billing.street_address == "Koivukuja 3 B 12"  # staff decide first
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [EMAIL]
    assert "Uusi katu 1" in html  # listed in My requests
    # The pending change is gone: the review page sends the customer back to the form.
    assert client.get(REVIEW)["Location"] == FORM


def test_business_fields_cannot_be_changed_even_by_a_crafted_post(client, maija, billing):
    client.post(
        FORM,
        _form_data(
            billing,
            payment_terms="90 pv netto",
            credit_limit="999999",
            street_address="Uusi katu 1",
        ),
    )
    client.post(REVIEW)
    fields = set(maija[1].data_requests.get().changes.values_list("field", flat=True))
    assert fields == {"street_address"}
    response = client.post(FORM, _form_data(billing, payment_terms="90 pv netto"))
    assert "You did not change anything." in response.content.decode()


def test_several_records_one_form_each_chosen_through_the_user(client, maija):
    subject, _ = maija
    second = BillingCustomerFactory(subject=subject, street_address="Kesämökki 7")
    html = client.get(FORM).content.decode()
    assert f"?record={second.pk}" in html and 'name="street_address"' not in html
    html = client.get(f"{FORM}?record={second.pk}").content.decode()
    assert 'value="Kesämökki 7"' in html
    client.post(f"{FORM}?record={second.pk}", _form_data(second, street_address="Mökkitie 8"))
    client.post(REVIEW)
    change = DataRequest.objects.get().changes.get()
    assert change.record_id == second.pk and change.new_value == "Mökkitie 8"


def test_another_customers_record_gives_404(client, maija):
    theirs = BillingCustomerFactory(email="ville@example.fi")
    assert client.get(f"{FORM}?record={theirs.pk}").status_code == 404
    response = client.post(f"{FORM}?record={theirs.pk}", _form_data(theirs, street_address="X"))
    assert response.status_code == 404
    assert client.get(f"{FORM}?record=abc").status_code == 404
    assert not BillingCustomer.objects.filter(street_address="X").exists()


def test_register_without_data_offers_a_free_form_request(client):
    signed_in_customer(client)
    PostalRecipientFactory()  # somebody else's
    html = client.get("/en/requests/rectification/postal/").content.decode()
    assert "We hold no data linked to you in this register" in html
    assert "/en/requests/other/" in html


# --- A new email address is verified by code ------------------------------------------------


def _propose_new_email(client, billing, email=NEW_EMAIL):
    client.post(FORM, _form_data(billing, email=email))
    return client.post(REVIEW)


def test_new_email_is_verified_by_code_before_the_request_is_sent(
    client, maija, billing, django_capture_on_commit_callbacks
):
    _, user = maija
    assert "is not one you have verified" in (
        client.post(
            FORM, _form_data(billing, email=NEW_EMAIL.upper()), follow=True
        ).content.decode()
    )
    response = client.post(REVIEW)
    assert response["Location"] == VERIFY
    assert mail.outbox[-1].to == [NEW_EMAIL]
    # A mail of its own: it says what the code is for, and is no sign-in code.
    assert mail.outbox[-1].subject.endswith("Confirm your new email address")
    assert "change the email address" in mail.outbox[-1].body
    assert "sign-in" not in mail.outbox[-1].body.lower()
    assert not user.data_requests.exists()
    assert NEW_EMAIL in client.get(VERIFY).content.decode()
    # Only a hash of the code is kept in the session.
    code = _code_from(NEW_EMAIL)
    assert code not in str(dict(client.session))

    response = client.post(VERIFY, {"code": "AAAA-AAAA"})
    assert "Incorrect code. You have 2 tries left." in response.content.decode()
    assert not user.data_requests.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(VERIFY, {"code": code.lower().replace("-", "")}, follow=True)
    assert response.redirect_chain[-1][0] == "/en/requests/"
    change = user.data_requests.get().changes.get()
    assert (change.field, change.old_value, change.new_value) == ("email", EMAIL, NEW_EMAIL)


def test_three_wrong_codes_void_the_code(client, maija, billing):
    _, user = maija
    _propose_new_email(client, billing)
    code = _code_from(NEW_EMAIL)
    client.post(VERIFY, {"code": "AAAA-AAAA"})
    client.post(VERIFY, {"code": "AAAA-AAAB"})
    response = client.post(VERIFY, {"code": "AAAA-AAAC"}, follow=True)
    assert "entered wrongly too many times" in response.content.decode()
    client.post(VERIFY, {"code": code})
    assert not user.data_requests.exists()
    # A new code works.
    client.post(VERIFY, {"resend": "1"})
    assert _code_from(NEW_EMAIL) != code
    client.post(VERIFY, {"code": _code_from(NEW_EMAIL)})
    assert user.data_requests.get().changes.get().new_value == NEW_EMAIL


def test_code_expires(client, maija, billing, settings):
    _propose_new_email(client, billing)
    settings.ACCOUNT_LOGIN_BY_CODE_TIMEOUT = -1
    html = client.post(VERIFY, {"code": _code_from(NEW_EMAIL)}, follow=True).content.decode()
    assert "There is no valid code" in html
    assert not maija[1].data_requests.exists()


def test_codes_sent_to_a_typed_address_are_capped(client, maija, billing):
    _propose_new_email(client, billing)
    for _ in range(4):
        client.post(VERIFY, {"resend": "1"})
    # Three an hour to an address the customer typed (tests/test_mail_caps.py).
    assert len([m for m in mail.outbox if m.to == [NEW_EMAIL]]) == 3
    assert "Too many codes were sent." in client.get(VERIFY).content.decode()


def test_code_is_for_the_address_it_was_sent_to(client, maija, billing):
    _propose_new_email(client, billing)
    first = _code_from(NEW_EMAIL)
    # The customer goes back and proposes yet another address: the first code is void.
    client.post(FORM + f"?record={billing.pk}", _form_data(billing, email="toinen@example.fi"))
    client.post(VERIFY, {"code": first})
    assert not maija[1].data_requests.exists()


def test_an_already_verified_address_needs_no_code(client, maija, billing):
    from allauth.account.models import EmailAddress

    _, user = maija
    EmailAddress.objects.create(user=user, email=NEW_EMAIL, verified=True)
    response = _propose_new_email(client, billing)
    assert response["Location"] == "/en/requests/"
    assert user.data_requests.get().changes.get().new_value == NEW_EMAIL


def test_verify_page_without_a_pending_email_change_goes_back(client, maija, billing):
    assert client.get(VERIFY)["Location"] == FORM
    client.post(FORM, _form_data(billing, street_address="Uusi 1"))
    assert client.get(VERIFY)["Location"] == REVIEW
