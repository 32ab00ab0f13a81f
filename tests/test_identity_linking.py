"""A signed-in customer sees exactly the subjects their verified addresses and web-shop
sign-in prove, plus those tied by customer number; ambiguous addresses go to staff."""

import pytest
from allauth.account.models import EmailAddress

from accounts.identity import linked_subjects
from accounts.models import IdentityConflict, WebshopLink
from portal.registers import REGISTERS
from tests.factories import (
    BillingCustomerFactory,
    DataSubjectFactory,
    NewsletterSubscriptionFactory,
    PostalRecipientFactory,
    UserFactory,
    WebshopAccountFactory,
)
from tests.signin import sign_in_by_code

pytestmark = pytest.mark.django_db


def _user_with(*emails, verified=True):
    user = UserFactory()
    for n, email in enumerate(emails):
        EmailAddress.objects.create(user=user, email=email, verified=verified, primary=n == 0)
    return user


def test_linked_by_verified_email_case_insensitively():
    record = NewsletterSubscriptionFactory(email="matti@example.com")
    user = _user_with("Matti@Example.com")
    assert linked_subjects(user).subjects == [record.subject]


def test_unverified_addresses_link_nothing():
    NewsletterSubscriptionFactory(email="matti@example.com")
    assert linked_subjects(_user_with("matti@example.com", verified=False)).subjects == []


def test_linked_by_customer_number_across_registers():
    billing = BillingCustomerFactory(
        email="maija@example.fi",
        customer_number="100101",
        first_name="Maija",
        last_name="Meikäläinen",
    )
    # The postal entry has no email and was imported as a separate subject; the same
    # person's name, written differently, is still the same name.
    postal = PostalRecipientFactory(
        customer_number="100101", first_name=" MAIJA ", last_name="Meikalainen"
    )
    other = PostalRecipientFactory(customer_number="999999")
    subjects = linked_subjects(_user_with("maija@example.fi")).subjects
    assert set(subjects) == {billing.subject, postal.subject}
    assert other.subject not in subjects


def test_second_verified_address_adds_its_records():
    first = BillingCustomerFactory(email="work@example.fi")
    second = NewsletterSubscriptionFactory(email="home@example.fi")
    user = _user_with("work@example.fi", "home@example.fi")
    assert set(linked_subjects(user).subjects) == {first.subject, second.subject}


def test_webshop_sign_in_links_the_account_subject():
    account = WebshopAccountFactory()
    user = UserFactory()
    WebshopLink.objects.create(user=user, account=account)
    assert linked_subjects(user).subjects == [account.subject]


def test_address_on_two_subjects_is_not_guessed_and_goes_to_staff(client):
    mine = BillingCustomerFactory(email="shared@example.fi")
    theirs = NewsletterSubscriptionFactory(email="shared@example.fi")
    clear = PostalRecipientFactory()
    user = _user_with("shared@example.fi", "own@example.fi")
    NewsletterSubscriptionFactory(email="own@example.fi", subject=clear.subject)
    linking = linked_subjects(user)
    assert linking.subjects == [clear.subject]  # what is clearly theirs
    assert linking.ambiguous == {"shared@example.fi": {mine.subject_id, theirs.subject_id}}

    client.force_login(user)
    page = client.get("/en/my-data/").content.decode()
    assert "We do not guess" in page
    conflict = IdentityConflict.objects.get()
    assert conflict.email == "shared@example.fi" and conflict.user == user
    assert set(conflict.subjects.all()) == {mine.subject, theirs.subject}
    client.get("/en/my-data/")
    assert IdentityConflict.objects.count() == 1  # one open case, not one per visit


def test_code_sign_in_shows_only_the_customers_own_registers(client):
    BillingCustomerFactory(email="maija@example.fi")
    BillingCustomerFactory(email="someone.else@example.fi")
    sign_in_by_code(client, "maija@example.fi")
    page = client.get("/en/my-data/").content.decode()
    assert page.count("1 record about you") == 1
    # Every declared register but billing (the test settings declare a fifth).
    empty = len(REGISTERS) - 1
    assert page.count('<span class="none">No data in this register.</span>') == empty


def test_subject_of_another_customer_is_never_linked():
    a = BillingCustomerFactory(email="a@example.fi")
    b = BillingCustomerFactory(email="b@example.fi")
    unrelated = DataSubjectFactory()
    subjects = linked_subjects(_user_with("a@example.fi")).subjects
    assert subjects == [a.subject]
    assert b.subject not in subjects and unrelated not in subjects
