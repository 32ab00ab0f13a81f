from django.apps import AppConfig


class FifthRegisterConfig(AppConfig):
    name = "tests.fifth_register"
    # An app label of its own, so that roles and the admin meet a register outside `portal`.
    label = "loyalty"
    verbose_name = "Loyalty programme (tests only)"
    default_auto_field = "django.db.models.BigAutoField"
