"""Marketing follows each register's declared marketing policy: the channels it serves, who
on it may be marketed to, what each objection sets and which key keeps the person out; the
objection form offers exactly the declared choices; nothing branches on a register key."""

import dataclasses
from pathlib import Path

import pytest
from django.utils import timezone

from portal import marketing, suppression
from portal.models import AuditEvent
from portal.registers import REGISTERS, get_register
from portal.registers.marketing import BY_EMAIL, BY_POST, MarketingPolicy, objection_choices
from subject_requests.forms import ObjectionForm
from subject_requests.services.objection import objection_submit
from tests.extracts import customer_in_every_register
from tests.factories import (
    NewsletterSubscriptionFactory,
    PostalRecipientFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent
MARKETING = [r for r in REGISTERS if r.marketing is not None]
OBJECTIONS = [(r, o) for r in MARKETING for o in r.marketing.objections]


@pytest.mark.parametrize("register", MARKETING, ids=lambda r: r.key)
def test_every_marketing_policy_fits_its_register(register):
    assert register.marketing.problems(register) == []
    assert register.marketing.objections, "a register used for marketing must allow objecting"


def test_the_postal_and_email_channels_are_each_served_by_a_register():
    channels = {c for r in MARKETING for c in r.marketing.channels}
    assert channels == {BY_POST, BY_EMAIL}


def test_no_marketing_code_branches_on_a_register_key():
    for path in (
        "portal/marketing.py",
        "subject_requests/services/objection.py",
        "subject_requests/services/erasure.py",
    ):
        source = (ROOT / path).read_text()
        assert "from portal.models import" not in source, path
        for register in REGISTERS:
            assert f'"{register.key}"' not in source, (path, register.key)


def test_the_objection_form_offers_exactly_the_declared_choices():
    form = ObjectionForm()
    declared = objection_choices(REGISTERS)
    visible = [field.name for field in form.visible_fields()]
    assert visible == [o.choice for o in declared]
    assert [str(form.fields[o.choice].label) for o in declared] == [str(o.label) for o in declared]
    bound = ObjectionForm({o.choice: "on" for o in declared})
    assert bound.is_valid() and bound.choices() == {o.choice for o in declared}


@pytest.mark.parametrize(
    "register,objection", OBJECTIONS, ids=lambda x: getattr(x, "choice", getattr(x, "key", ""))
)
def test_each_declared_objection_sets_its_fields_and_suppresses_its_key(register, objection):
    subject, _ = customer_in_every_register(orders=0)
    user = UserFactory()
    record = register.records_for(subject).get()
    request = objection_submit(user=user, subjects=[subject], choices={objection.choice})
    record.refresh_from_db()
    for name, value in objection.sets:
        assert getattr(record, name) == value, name
    if objection.stamp:
        assert getattr(record, objection.stamp) is not None
    kind = register.marketing.suppression_key
    assert suppression.unsuppressed(kind, [record]) == ([] if objection.suppress else [record])
    target = f"{register.model_class._meta.label}:{record.pk}"
    changed = AuditEvent.objects.get(action="register.record.changed", target=target)
    assert changed.details["via"] == "objection"
    stamped = {objection.stamp} - {""}
    assert set(changed.details["fields"]) == {name for name, _value in objection.sets} | stamped
    # No sentence is stored for staff; nothing was disclosed, so nobody is to be told.
    assert request.follow_up == "" and not request.follow_ups.exists()
    # Other registers' records are untouched by this choice.
    for other in MARKETING:
        if other is not register and objection not in other.marketing.objections:
            for name, value in other.marketing.audience:
                assert getattr(other.records_for(subject).get(), name) == value


@pytest.mark.parametrize("register", MARKETING, ids=lambda r: r.key)
def test_marketing_reaches_only_the_declared_audience_unrestricted_and_unsuppressed(register):
    subject, _ = customer_in_every_register(orders=0)
    policy = register.marketing
    record = register.records_for(subject).get()
    (channel,) = policy.channels
    assert marketing.marketing_recipients(channel) == [record]
    # Outside the audience (the first audience field off), restricted, or suppressed: none.
    name, value = policy.audience[0]
    out = {"confirmed": "pending", True: False}[value]
    register.model_class.objects.filter(pk=record.pk).update(**{name: out})
    assert marketing.marketing_recipients(channel) == []
    register.model_class.objects.filter(pk=record.pk).update(**{name: value})
    register.model_class.objects.filter(pk=record.pk).update(restricted_at=timezone.now())
    assert marketing.marketing_recipients(channel) == []
    register.model_class.objects.filter(pk=record.pk).update(restricted_at=None)
    suppression.record_suppress(policy.suppression_key, record)
    assert marketing.marketing_recipients(channel) == []


def test_a_register_declaring_marketing_is_marketed_with_no_other_edit(monkeypatch):
    """A policy in the declaration is all it takes: the billing register declared as an
    email channel (a stand-in for a fifth register) is on the email list at once."""
    customer = customer_in_every_register(orders=0)[0]
    billing = get_register("billing")
    declared = dataclasses.replace(
        billing,
        marketing=MarketingPolicy(
            channels=(BY_EMAIL,), audience=(), objections=(), suppression_key="email"
        ),
    )
    monkeypatch.setattr(
        marketing, "REGISTERS", tuple(declared if r is billing else r for r in REGISTERS)
    )
    billing_record = billing.records_for(customer).get()
    assert billing_record in marketing.marketing_recipients(BY_EMAIL)
    suppression.record_suppress("email", billing_record)
    # The same address suppressed keeps her off every email list, the newsletter too.
    assert marketing.marketing_recipients(BY_EMAIL) == []


def test_many_recipients_are_checked_in_few_queries(django_assert_max_num_queries):
    for _ in range(30):
        PostalRecipientFactory()
        NewsletterSubscriptionFactory()
    with django_assert_max_num_queries(6):
        assert len(marketing.postal_marketing_recipients()) == 30
        assert len(marketing.newsletter_recipients()) == 30
