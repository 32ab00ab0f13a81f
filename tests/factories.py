"""factory_boy factories for the register models; fictitious data only."""

import datetime
import itertools
from decimal import Decimal

import factory
from django.utils import timezone

from accounts.models import User
from portal import models


class DataSubjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.DataSubject

    display_name = factory.Faker("name", locale="fi_FI")


_customer_numbers = itertools.count(100000)


class _RecordFactory(factory.django.DjangoModelFactory):
    subject = factory.SubFactory(DataSubjectFactory)
    # One counter for every register: equal customer numbers mean the same customer.
    customer_number = factory.LazyFunction(lambda: f"C{next(_customer_numbers)}")


class BillingCustomerFactory(_RecordFactory):
    class Meta:
        model = models.BillingCustomer

    first_name = "Aino"
    last_name = factory.Sequence(lambda n: f"Asiakas{n}")
    street_address = "Testikatu 1"
    postal_code = "00100"
    post_office = "Helsinki"
    phone = "040 123 4567"
    email = factory.Sequence(lambda n: f"customer{n}@example.fi")
    payment_terms = "14 pv netto"
    credit_limit = Decimal("1000.00")


class PostalRecipientFactory(_RecordFactory):
    class Meta:
        model = models.PostalRecipient

    first_name = "Eino"
    last_name = factory.Sequence(lambda n: f"Postittaja{n}")
    street_address = "Postikatu 2"
    postal_code = "00200"
    post_office = "Helsinki"


class NewsletterSubscriptionFactory(_RecordFactory):
    class Meta:
        model = models.NewsletterSubscription

    email = factory.Sequence(lambda n: f"reader{n}@example.fi")
    status = models.NewsletterSubscription.Status.CONFIRMED
    subscribed_at = factory.LazyFunction(timezone.now)
    confirmed_at = factory.LazyFunction(timezone.now)


class WebshopAccountFactory(_RecordFactory):
    class Meta:
        model = models.WebshopAccount
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"shopper{n}")
    first_name = "Ville"
    last_name = factory.Sequence(lambda n: f"Ostaja{n}")
    email = factory.Sequence(lambda n: f"shopper{n}@example.fi")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        if extracted:
            self.set_password(extracted)
            if create:
                self.save(update_fields=["password", "password_changed_at"])


class LoyaltyMemberFactory(_RecordFactory):
    """The test-only fifth register (tests/fifth_register/)."""

    class Meta:
        model = "loyalty.LoyaltyMember"

    email = factory.Sequence(lambda n: f"member{n}@example.fi")
    name = "Kaisa Kanta-asiakas"
    card_number = factory.Sequence(lambda n: f"6001{n:08d}")
    points = 120


class OrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Order

    account = factory.SubFactory(WebshopAccountFactory)
    number = factory.Sequence(lambda n: f"T{n + 500000}")
    placed_at = factory.LazyFunction(timezone.now)
    status = models.Order.Status.DELIVERED
    items = "1 × Venttiili DN15"
    total = Decimal("49.90")


class InvoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Invoice

    order = factory.SubFactory(OrderFactory)
    number = factory.Sequence(lambda n: f"L{n + 700000}")
    issued_on = factory.LazyFunction(datetime.date.today)
    due_on = factory.LazyAttribute(lambda o: o.issued_on + datetime.timedelta(days=14))
    amount = Decimal("49.90")


class DeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Delivery

    order = factory.SubFactory(OrderFactory)
    method = "Posti"
    address = "Esimerkkitie 1, 00100 Helsinki"
    shipped_at = factory.LazyFunction(timezone.now)


class ReturnFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Return

    order = factory.SubFactory(OrderFactory)
    returned_on = factory.LazyFunction(datetime.date.today)
    items = "1 × Venttiili DN15"
    reason = "Väärä koko"
    refund = Decimal("49.90")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}@example.fi")
    email = factory.LazyAttribute(lambda o: o.username)
    password = factory.django.Password("correct-horse-battery-9")
