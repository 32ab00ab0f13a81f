from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.db import transaction

from portal.audit import audit_record
from portal.controller import CONTROLLER


class PortalAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # No separate sign-up: an email code or the web-shop password is all a customer needs.
        return False

    def send_mail(self, template_prefix, email, context):
        context = {
            **context,
            "controller_name": CONTROLLER.name,
            "code_minutes": settings.ACCOUNT_LOGIN_BY_CODE_TIMEOUT // 60,
        }
        super().send_mail(template_prefix, email, context)
        if template_prefix == "account/email/login_code":
            with transaction.atomic():
                audit_record(
                    action="auth.code.sent",
                    actor=context.get("user") if context.get("user") else None,
                    details={"email": email},
                )
