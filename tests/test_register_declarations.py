"""One declaration drives everything: it must describe every model field, and only those."""

import dataclasses

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation

import portal.registers as registers_module
from portal.registers import REGISTERS, Category

BASE_INTERNAL = {"id"}
FIFTH = "loyalty"  # the test-only register of tests/fifth_register/


@pytest.mark.parametrize("register", REGISTERS, ids=lambda r: r.key)
def test_declaration_covers_every_model_field(register):
    model_fields = {f.name for f in register.model_class._meta.concrete_fields}
    declared = {spec.name for spec in register.fields}
    assert declared <= model_fields, f"declared but not in the model: {declared - model_fields}"
    undeclared = model_fields - declared - set(register.internal_fields)
    assert not undeclared, f"model fields missing from the {register.key} declaration: {undeclared}"


@pytest.mark.parametrize(
    "related", [r for reg in REGISTERS for r in reg.related], ids=lambda r: r.key
)
def test_related_event_declarations_cover_every_field(related):
    model_fields = {f.name for f in related.model_class._meta.concrete_fields}
    assert set(related.fields) <= model_fields
    assert model_fields - set(related.fields) - set(related.internal_fields) == set()


def test_the_four_registers_of_the_seed_in_order():
    """The seed's four, first and in order; the test settings add the fifth after them."""
    seed = [r for r in REGISTERS if r.key != FIFTH]
    assert [r.key for r in seed] == ["billing", "postal", "newsletter", "webshop"]
    assert [r.seed_section for r in seed] == ["5.1", "5.2", "5.3", "5.4"]
    assert [r.key for r in REGISTERS] == [r.key for r in seed] + [FIFTH]


def test_the_default_setting_declares_the_four_of_the_seed_only():
    """The fifth register is the test settings' alone: `make run` and production serve the
    four of the seed."""
    from portal import settings as production_settings

    assert production_settings.PORTAL_REGISTERS == [
        "portal.registers.billing.BILLING",
        "portal.registers.postal.POSTAL",
        "portal.registers.newsletter.NEWSLETTER",
        "portal.registers.webshop.WEBSHOP",
    ]
    assert "tests.fifth_register" not in production_settings.INSTALLED_APPS


# A declaration whose key no URL, export or request could carry (for the test below).
BADLY_KEYED = dataclasses.replace(REGISTERS[0], key="Loyalty-Card")


@pytest.mark.parametrize(
    ("paths", "problem"),
    [
        (["portal.registers.common.NO_TRANSFERS"], "is not a Register declaration"),
        (["tests.test_register_declarations.BADLY_KEYED"], "has the key 'Loyalty-Card'"),
        (["portal.registers.postal.POSTAL", "portal.registers.postal.POSTAL"], "keys repeat"),
    ],
)
def test_the_registers_setting_is_checked_at_start(paths, problem):
    with pytest.raises(ImproperlyConfigured, match=problem):
        registers_module._declared(paths)


@pytest.mark.parametrize("register", REGISTERS, ids=lambda r: r.key)
def test_every_article_15_item_is_declared(register):
    for attr in ("purpose", "legal_basis", "transfers", "automated_decisions"):
        assert str(getattr(register, attr)).strip(), attr
    for attr in ("sources", "retention", "data_categories"):
        assert getattr(register, attr), attr
    assert all(c in Category.labels for c in register.data_categories)
    assert {spec.category for spec in register.fields} <= set(register.data_categories)


def test_credit_data_source_is_suomen_asiakastieto():
    by_key = {r.key: r for r in REGISTERS}
    for key in ("billing", "webshop"):
        assert any("Suomen Asiakastieto Oy" in str(s) for s in by_key[key].sources)


def test_business_decisions_are_not_correctable_and_passwords_are_secret():
    for register in REGISTERS:
        specs = {spec.name: spec for spec in register.fields}
        for name in ("payment_terms", "credit_limit"):
            if name in specs:
                assert not specs[name].correctable
                assert specs[name].not_correctable_reason
        if "password" in specs:
            assert specs["password"].secret and not specs["password"].correctable


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_declaration_texts_are_translated(lang):
    with translation.override(lang):
        # Not the test-only fifth register: its texts are plain English on purpose, so that
        # the portal's catalogues never carry strings no customer sees (tests/fifth_register/).
        for register in (r for r in REGISTERS if r.key != FIFTH):
            texts = [
                register.name,
                register.purpose,
                register.legal_basis,
                register.transfers,
                register.automated_decisions,
                *register.sources,
                *register.retention,
            ]
            texts += [register.field_label(spec.name) for spec in register.fields]
            texts += [
                text
                for recipient in register.recipient_list
                for text in (recipient.kind_label, recipient.legal_basis, recipient.note)
                if text
            ]
            with translation.override("en"):
                english = [str(t) for t in texts]
            untranslated = [
                e
                for t, e in zip(texts, english, strict=True)
                if str(t) == e and any(c.isalpha() for c in e) and " " in e
            ]
            assert not untranslated, (
                f"{register.key} has untranslated texts in {lang}: {untranslated}"
            )
