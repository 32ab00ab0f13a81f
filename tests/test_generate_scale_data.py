"""generate_scale_data: invented people in every declared register, the same for a seed."""

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings

from portal.audit.verify import audit_verify
from portal.models import DataSubject
from portal.registers import REGISTERS
from subject_requests.models import DataRequest

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _debug(settings):
    settings.DEBUG = True


def _generate(**options):
    call_command("generate_scale_data", subjects=60, stdout=None, stderr=None, **options)


def _snapshot():
    """Every generated value but the times (those count back from the moment of the run)."""
    found = {}
    for register in REGISTERS:
        for model in (register.model_class, *(r.model_class for r in register.related)):
            names = [
                f.attname
                for f in model._meta.concrete_fields
                if f.get_internal_type() not in ("DateTimeField", "AutoField", "BigAutoField")
                and not f.is_relation
            ]
            found[model._meta.label] = sorted(model.objects.values_list(*names))
    return found


def test_every_register_and_its_events_get_valid_data():
    _generate()
    assert DataSubject.objects.count() == 60
    for register in REGISTERS:  # the tests' fifth register too, which declares no scale
        records = list(register.model_class.objects.all())
        assert records, register.key
        for record in records[:20]:
            record.full_clean()
        for related in register.related:
            events = related.model_class.objects.all()
            assert events.exists(), related.key
            for event in events[:20]:
                event.full_clean()
    assert DataRequest.objects.exists()
    checked, broken = audit_verify()
    assert checked > 0 and broken is None


def test_a_seed_gives_the_same_data():
    runs = []
    for seed in (7, 7, 8):
        with transaction.atomic():
            _generate(seed=seed)
            runs.append(_snapshot())
            transaction.set_rollback(True)
    assert runs[0] == runs[1] != runs[2]
    assert all(runs[0].values())


def test_it_refuses_a_second_run_of_a_seed_and_production():
    _generate()
    with pytest.raises(CommandError, match="already holds"):
        _generate()
    with override_settings(DEBUG=False), pytest.raises(CommandError, match="DEBUG"):
        _generate(seed=9)
    with override_settings(DEBUG=False):
        _generate(seed=9, force=True)
    assert DataSubject.objects.count() == 120
