from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self):
        # Imported once the app registry is ready: both use the models.
        from accounts import signals
        from accounts.roles import ensure_role_groups

        signals.connect()
        post_migrate.connect(ensure_role_groups, dispatch_uid="accounts.ensure_role_groups")
