"""load_demo: the named personas, the generated customers, idempotence and the DEBUG guard."""

import re
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts import roles
from accounts.models import User
from portal import models
from portal.audit import audit_verify
from portal.demo import DEMO_DOMAINS
from portal.demo.generated import generated_people
from portal.demo.loader import demo_load
from portal.validators import normalize_business_id

REGISTER_MODELS = (
    models.DataSubject,
    models.BillingCustomer,
    models.PostalRecipient,
    models.NewsletterSubscription,
    models.WebshopAccount,
    models.Order,
    models.Delivery,
    models.Invoice,
    models.Return,
    User,
)


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def loaded(db):
    return demo_load()


def _counts():
    return {model._meta.label: model.objects.count() for model in REGISTER_MODELS}


def _subject(name):
    return models.DataSubject.objects.get(display_name=name)


def test_loading_twice_leaves_the_same_counts(db, settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    first = _counts()
    call_command("load_demo", stdout=StringIO())
    assert _counts() == first
    assert all(first.values())


def test_rerun_creates_nothing_and_writes_no_second_audit_event(loaded):
    assert loaded["portal.Order"] >= 230
    assert not any(demo_load().values())
    assert models.AuditEvent.objects.filter(action="demo.loaded").count() == 1
    assert audit_verify()[1] is None


def test_maija_is_in_all_four_registers_under_one_customer_number(loaded):
    maija = _subject("Maija Meikäläinen")
    billing = maija.billingcustomer_records.get()
    postal = maija.postalrecipient_records.get()
    newsletter = maija.newslettersubscription_records.get()
    account = maija.webshopaccount_records.get()
    assert {r.customer_number for r in (billing, postal, newsletter, account)} == {"100101"}
    assert billing.email == "maija.meikalainen@example.fi"
    assert billing.payment_terms == "14 pv netto" and billing.credit_limit
    assert postal.disclosure_allowed
    assert newsletter.status == "confirmed" and newsletter.confirmed_at and newsletter.subscribed_at
    assert account.username == "maija.m" and account.check_password("demo-password-2026")


def test_maija_has_a_long_order_history_with_deliveries_invoices_and_returns(loaded):
    account = _subject("Maija Meikäläinen").webshopaccount_records.get()
    orders = account.orders.all()
    assert orders.count() >= 30
    assert all(o.deliveries.count() == 1 and o.invoices.count() == 1 for o in orders)
    assert models.Return.objects.filter(order__account=account).count() >= 1


def test_matti_is_on_the_newsletter_only(loaded):
    matti = _subject("Matti Virtanen")
    assert matti.newslettersubscription_records.get().email == "matti.virtanen@example.com"
    assert not matti.billingcustomer_records.exists()
    assert not matti.postalrecipient_records.exists()
    assert not matti.webshopaccount_records.exists()


def test_liisa_is_the_contact_of_a_company_with_a_valid_business_id(loaded):
    liisa = _subject("Liisa Lähtinen")
    billing = liisa.billingcustomer_records.get()
    assert billing.customer_type == "company"
    assert billing.company_name == "Lähtisen LVI-huolto Oy"
    assert normalize_business_id(billing.business_id) == billing.business_id
    assert billing.contact_person == "Liisa Lähtinen"
    account = liisa.webshopaccount_records.get()
    assert account.username == "liisa.lahtinen"
    assert account.check_password("demo-password-2026")
    assert not account.check_password("wrong-password")
    assert models.Invoice.objects.filter(order__account=account).exists()


def test_postal_only_person_has_no_email_anywhere(loaded):
    toivo = _subject("Toivo Mäkinen")
    assert toivo.postalrecipient_records.get().post_office == "Tampere"
    assert not toivo.billingcustomer_records.exists()
    assert not toivo.newslettersubscription_records.exists()
    assert not toivo.webshopaccount_records.exists()


def test_at_least_200_generated_customers_use_example_domains(loaded):
    assert models.DataSubject.objects.count() >= 204
    emails = [
        *models.BillingCustomer.objects.values_list("email", flat=True),
        *models.NewsletterSubscription.objects.values_list("email", flat=True),
        *models.WebshopAccount.objects.values_list("email", flat=True),
    ]
    assert emails and all(e.rsplit("@", 1)[1] in DEMO_DOMAINS for e in emails)
    codes = models.PostalRecipient.objects.values_list("postal_code", flat=True)
    assert all(re.fullmatch(r"\d{5}", code) for code in codes)


def test_generated_customers_are_the_same_on_every_run():
    today = date(2026, 1, 15)
    assert generated_people(today, taken=set()) == generated_people(today, taken=set())


def test_generated_web_shop_accounts_have_no_usable_password(loaded):
    generated = models.WebshopAccount.objects.exclude(username__in=["maija.m", "liisa.lahtinen"])
    assert generated.exists()
    assert not generated.exclude(password="").exists()


def test_staff_users_have_their_roles_and_demo_passwords(loaded):
    katri = User.objects.get(username="rekisteriasiat@example.fi")
    assert katri.is_staff and (katri.first_name, katri.last_name) == ("Katri", "Rissanen")
    assert katri.groups.filter(name=roles.CONTACT_PERSON).exists()
    assert katri.check_password("demo-staff-2026")
    maintainer = User.objects.get(username="rekisterinpito@example.fi")
    assert maintainer.groups.filter(name=roles.REGISTER_MAINTAINER).exists()
    assert maintainer.check_password("demo-maintainer-2026")


def test_command_prints_sign_ins_staff_and_the_mailbox(db, settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("load_demo", stdout=out)
    text = out.getvalue()
    for needle in (
        "maija.meikalainen@example.fi",
        "rekisteriasiat@example.fi",
        "demo-staff-2026",
        "demo-maintainer-2026",
        "/dev/mailbox/",
    ):
        assert needle in text


def test_dry_run_saves_nothing(db, settings):
    settings.DEBUG = True
    call_command("load_demo", "--dry-run", stdout=StringIO())
    assert not models.DataSubject.objects.exists()


def test_command_refuses_with_debug_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo", stdout=StringIO())
    assert not models.DataSubject.objects.exists()
