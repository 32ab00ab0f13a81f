"""/dev/mailbox/: the development emails under var/mail/, newest first (DEBUG only).

Someone trying the demo reads their sign-in code here; production has no such page.
"""

from email import policy
from email.parser import BytesParser

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache

MAX_MESSAGES = 50


def _read(path):
    message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    body = message.get_body(preferencelist=("plain", "html"))
    return {
        "name": path.name,
        "to": message["To"],
        "subject": message["Subject"],
        "date": message["Date"],
        "body": body.get_content() if body is not None else "",
    }


@login_not_required
@never_cache
def mailbox(request):
    if not settings.DEV_MAILBOX:
        raise Http404
    mail_dir = settings.MAIL_DIR
    paths = sorted(mail_dir.glob("*.eml"), reverse=True)[:MAX_MESSAGES] if mail_dir.exists() else []
    return render(request, "dev/mailbox.html", {"messages_": [_read(p) for p in paths]})
