"""Model fields that store identifiers in their normalised form.

Normalising on the way in (assignment through to_python, queries through get_prep_value)
means the same address or number always matches, whatever the case or spacing it was typed in.
"""

from django.core.exceptions import ValidationError
from django.db import models

from portal import validators


class _NormalizingMixin:
    normalizer = staticmethod(lambda value: value)

    def _normalize(self, value):
        if not value:
            return value
        try:
            return self.normalizer(value)
        except ValidationError:
            return value.strip() if isinstance(value, str) else value  # the validator reports it

    def to_python(self, value):
        return self._normalize(super().to_python(value))

    def get_prep_value(self, value):
        return super().get_prep_value(self._normalize(value))

    def pre_save(self, model_instance, add):
        value = self._normalize(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value


class NormalizedEmailField(_NormalizingMixin, models.EmailField):
    normalizer = staticmethod(validators.normalize_email)
    default_validators = [validators.validate_email]


class PhoneNumberField(_NormalizingMixin, models.CharField):
    normalizer = staticmethod(validators.normalize_phone)
    default_validators = [validators.validate_phone]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(*args, **kwargs)


class BusinessIdField(_NormalizingMixin, models.CharField):
    normalizer = staticmethod(validators.normalize_business_id)
    default_validators = [validators.validate_business_id]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 9)
        super().__init__(*args, **kwargs)


class PostalCodeField(_NormalizingMixin, models.CharField):
    normalizer = staticmethod(validators.normalize_postal_code)
    default_validators = [validators.validate_postal_code]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 5)
        super().__init__(*args, **kwargs)
