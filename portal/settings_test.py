"""Settings of the test suite: the development configuration, as `make run` has it.

The portal's settings default to production and refuse to start without its configuration.
pytest names this module (pyproject.toml), so `.venv/bin/pytest`, `make test` and `.ci/run`
all test development mode without anyone setting DEBUG. DEBUG=false in the environment still
wins. (A conftest.py would come too late: pytest-django loads the settings before it.)
"""

import os

os.environ.setdefault("DEBUG", "true")

from portal.settings import *  # noqa: E402, F403

# A fifth register, only in the tests (tests/fifth_register/): its model's app and one line in
# PORTAL_REGISTERS, and every page, request, import, role and admin page serves it (issue #10).
INSTALLED_APPS = [*INSTALLED_APPS, "tests.fifth_register"]  # noqa: F405
PORTAL_REGISTERS = [*PORTAL_REGISTERS, "tests.fifth_register.registers.LOYALTY"]  # noqa: F405

# Tasks run at once, in the process and transaction that enqueues them: a mail written to the
# outbox is delivered before the view returns, so tests read it from Django's test mailbox
# (tests/conftest.py puts the outbox back in front of it: Django's test set-up replaces
# EMAIL_BACKEND with its in-memory one).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
