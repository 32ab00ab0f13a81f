"""Email the contact persons the open requests that fall due within the next days.

Run it every morning from cron, so that no request passes its legal deadline (Art. 12(3))
unnoticed: `python manage.py remind_due_requests` (`--days 5` by default, `--dry-run`).
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts import roles
from portal.audit import audit_record
from subject_requests.models import DataRequest


class Command(BaseCommand):
    help = "Email contact persons the open requests due within --days days (for cron)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=5)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, days, dry_run, **options):
        today = timezone.localdate()
        due = list(
            DataRequest.objects.filter(
                status__in=DataRequest.OPEN, due_on__lte=today + datetime.timedelta(days=days)
            )
            .select_related("subject", "assignee")
            .order_by("due_on")
        )
        staff = list(
            get_user_model()
            .objects.filter(is_active=True, is_staff=True, groups__name=roles.CONTACT_PERSON)
            .exclude(email="")
        )
        if not due or dry_run:
            self.stdout.write(
                f"{len(due)} request(s) due within {days} days; "
                f"{'nothing sent (dry run)' if dry_run else 'nothing to send'}."
            )
            return
        with translation.override(settings.LANGUAGE_CODE):
            context = {"requests": due, "today": today, "days": days}
            subject = " ".join(
                render_to_string("subject_requests/email/reminder_subject.txt", context).split()
            )
            body = render_to_string("subject_requests/email/reminder_message.txt", context)
        with transaction.atomic():
            audit_record(
                action="request.reminder.sent",
                details={"requests": len(due), "recipients": len(staff)},
            )
        for member in staff:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [member.email])
        self.stdout.write(f"Reminded {len(staff)} contact person(s) of {len(due)} request(s).")
