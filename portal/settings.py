"""Settings for the Privacy Portal, read from the environment.

Production is the default: with DEBUG unset the portal refuses to start without a real
SECRET_KEY, ALLOWED_HOSTS and EMAIL_URL, and turns on HTTPS-only cookies, HSTS and the HTTPS
redirect. A forgotten variable must never open the development mailbox (every sign-in code)
to the world. DEBUG=true (set by `make run` and the test settings) gives development: SQLite
under var/, emails as files under var/mail/.
"""

import datetime
import json
import os
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEVELOPMENT_SECRET_KEY = "development-only-secret-key-never-use-in-production"

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])

if not DEBUG:
    if SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "DEBUG is off: set SECRET_KEY to a random value of at least 50 characters."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("DEBUG is off: set ALLOWED_HOSTS to the portal's host names.")

INSTALLED_APPS = [
    "portal",
    "accounts",
    "subject_requests",
    "outbox",
    # Django's task framework (the backport of django.tasks) and its database backend.
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files from the app server itself (collectstatic into STATIC_ROOT), after the HTTPS
    # redirect and before sessions: a stylesheet gets no session and no cookie.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outermost of ours: it hands the final response the work left for after it is sent.
    "accounts.middleware.AfterResponseMiddleware",
    "portal.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.PortalLoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Before the CSRF check reads the form: an unreadable body is a 400, not a 500.
    "portal.middleware.UnreadableFormMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "accounts.middleware.SessionTimeoutMiddleware",
    "accounts.middleware.StaffMFARequiredMiddleware",
    "accounts.middleware.CustomerPasswordPagesMiddleware",
    # Last, so that it sees every failed attempt and turns a lockout into its clear page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
ASGI_APPLICATION = "portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take the write lock up front, so two writers queue instead of
    # failing half-way with "database is locked" (the audit chain relies on this).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
    # A file (not memory) so that threads in tests get real, separate connections; one per
    # test process so that two test runs never share it.
    DATABASES["default"].setdefault("TEST", {})["NAME"] = str(
        VAR_DIR / f"test-db-{os.getpid()}.sqlite3"
    )
elif os.environ.get("TEST_DATABASE_NAME"):
    # Lets two test runs share one PostgreSQL server without sharing a test database.
    DATABASES["default"].setdefault("TEST", {})["NAME"] = os.environ["TEST_DATABASE_NAME"]
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_request_login_code"
LOGIN_REDIRECT_URL = "home"  # the front door: tasks first, then open requests
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out username+IP before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    # Staff: username/email and password (then TOTP, allauth MFA); allauth's backend, staff only.
    "accounts.backends.StaffPasswordBackend",
    # Customers: the web-shop username (or email) and password from the web-shop register.
    # Last: it spends the one hash an attempt costs when no account has that login.
    "accounts.backends.WebshopBackend",
]

# --- Sign-in (django-allauth) -----------------------------------------------------------------
ACCOUNT_ADAPTER = "accounts.adapter.PortalAccountAdapter"
ACCOUNT_FORMS = {
    "request_login_code": "accounts.forms.RequestLoginCodeForm",
    "login": "accounts.forms.PasswordLoginForm",
    "add_email": "accounts.forms.AddEmailForm",
    # Portal passwords are for staff only (accounts.passwords).
    "reset_password": "accounts.passwords.StaffResetPasswordForm",
    "user_token": "accounts.passwords.StaffUserTokenForm",
}
ACCOUNT_LOGIN_METHODS = {"email", "username"}
# The name shown to the person: never the internal `webshop:` username (accounts.display).
ACCOUNT_USER_DISPLAY = "accounts.display.user_display"
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*"]  # sign-up itself is closed
# Addresses are verified by code; web-shop sign-ins may have no address at all.
ACCOUNT_EMAIL_VERIFICATION = "optional"
# Another address is verified through a link mailed to it (allauth's code variant needs
# mandatory verification, which would shut out web-shop sign-ins that have no address).
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 1
ACCOUNT_EMAIL_CONFIRMATION_HMAC = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_MAX_EMAIL_ADDRESSES = 5
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = env.int("LOGIN_CODE_TIMEOUT", default=15 * 60)
ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS = 3
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Tector: "
ACCOUNT_RATE_LIMITS = {
    # Per IP and per address, so nobody can flood one mailbox or spray many.
    "request_login_code": env.str("RATE_LIMIT_LOGIN_CODE", default="20/h/ip,5/h/key"),
    # A throttle on failed passwords and second-factor codes, per client and per login (allauth's
    # TOTP step counts here too). The lockout itself is django-axes' (AXES_FAILURE_LIMIT): the
    # per-login part stays above it, so that a lock is seen as the clear lockout page.
    "login_failed": env.str("RATE_LIMIT_LOGIN_FAILED", default="10/m/ip,10/5m/key"),
    # The newsletter's subscribe form (portal.views.newsletter): each request mails an address.
    "newsletter_subscribe": env.str("RATE_LIMIT_NEWSLETTER", default="10/h/ip,3/h/key"),
}
MFA_FORMS = {
    "authenticate": "accounts.second_factor.AuthenticateForm",
    "reauthenticate": "accounts.second_factor.ReauthenticateForm",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Tector Privacy Portal"
USERSESSIONS_TRACK_ACTIVITY = True

# Customer sessions end after 15 minutes idle and 8 hours at most (accounts.middleware).
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=15 * 60)
SESSION_MAX_AGE = env.int("SESSION_MAX_AGE", default=8 * 60 * 60)
SESSION_COOKIE_AGE = SESSION_MAX_AGE
# The cookie ends with the browser session too: a closed browser on a shared computer is out.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Downloads of register extracts may ask for a fresh code when sign-in is older than this.
FRESH_SIGN_IN_MAX_AGE = env.int("FRESH_SIGN_IN_MAX_AGE", default=15 * 60)

# --- Lockout (django-axes) --------------------------------------------------------------------
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
# Passwords: per account and client; a second factor: per account (accounts.lockout).
AXES_LOCKOUT_PARAMETERS = "accounts.lockout.lockout_parameters"
# One counter per account, whichever spelling of its login was typed (accounts.lockout).
AXES_USERNAME_CALLABLE = "accounts.lockout.axes_username"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.locked_out_response"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# No log of successful sign-ins with IP and browser kept for ever: the audit trail records
# sign-ins, and shreds their details after AUTH_EVENT_RETENTION_DAYS (the notice says so).
AXES_DISABLE_ACCESS_LOG = True

# --- The client behind reverse proxies ------------------------------------------------------
# How many reverse proxies stand in front of the portal, each appending to X-Forwarded-For.
# Lockout, rate limits and audit events all take the client from accounts.client_ip.
PROXY_COUNT = env.int("PROXY_COUNT", default=0)
if PROXY_COUNT < 0:
    raise ImproperlyConfigured("PROXY_COUNT must be 0 or more.")
AXES_CLIENT_IP_CALLABLE = "accounts.client_ip.client_ip"
# allauth's own reading of the header; the adapter asks accounts.client_ip first.
ALLAUTH_TRUSTED_PROXY_COUNT = PROXY_COUNT

# --- Languages ----------------------------------------------------------------------------
LANGUAGE_CODE = "fi"
LANGUAGES = [
    ("fi", _("Finnish")),
    ("sv", _("Swedish")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
# Dates per language: 30.11.2026 in Finnish and Swedish, 30 Nov 2026 in English.
FORMAT_MODULE_PATH = ["portal.formats"]
USE_TZ = True
TIME_ZONE = "Europe/Helsinki"

# --- Static files -------------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
# Development (and the tests, whose runner turns settings.DEBUG off): the files straight from
# static/, found afresh on each request, with no collectstatic.
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = DEBUG
if not DEBUG:
    # Production: whitenoise serves the files `collectstatic` wrote, compressed and under
    # content-hashed names cached for ever: run `collectstatic` on every install and upgrade.
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }

# --- Email --------------------------------------------------------------------------------
# Every email is written to the outbox in the transaction of the action that sends it
# (outbox.backend); a task worker delivers it through OUTBOX_DELIVERY_BACKEND, with retries.
EMAIL_BACKEND = "outbox.backend.OutboxEmailBackend"
MAIL_DIR = VAR_DIR / "mail"
EMAIL_URL = env.str("EMAIL_URL", default="")
if EMAIL_URL:
    _email_config = env.email_url_config(EMAIL_URL)
    OUTBOX_DELIVERY_BACKEND = _email_config.pop("EMAIL_BACKEND")
    vars().update(_email_config)
elif DEBUG:
    # Development: every message is written to var/mail/ and echoed to the console.
    OUTBOX_DELIVERY_BACKEND = "portal.mail.DevelopmentMailBackend"
else:
    raise ImproperlyConfigured("DEBUG is off: set EMAIL_URL, e.g. smtp+tls://user:pw@host:587")
# Seconds a mail server may take before an attempt counts as failed (Django's default waits
# for ever); a sign-in code tried at once in the web process waits OUTBOX_AT_ONCE_TIMEOUT.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
OUTBOX_AT_ONCE_TIMEOUT = env.int("OUTBOX_AT_ONCE_TIMEOUT", default=5)
# After a failed attempt the next waits 1 min, 5 min, 30 min, 2 h, 12 h, 24 h; then the
# message is given up and shown to staff (/<lang>/staff/outbox/).
OUTBOX_RETRY_DELAYS = [60, 5 * 60, 30 * 60, 2 * 3600, 12 * 3600, 24 * 3600]
# A row "sending" for longer than this belonged to a process that died; the sweep frees it.
OUTBOX_CLAIM_TIMEOUT = 10 * 60
# Delivered (already without their bodies) and undeliverable rows are purged after this.
OUTBOX_KEEP_DAYS = env.int("OUTBOX_KEEP_DAYS", default=30)
# The development mailbox page (/dev/mailbox/) exists only in development, never in production.
DEV_MAILBOX = DEBUG and env.bool("DEV_MAILBOX", default=True)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Tector rekisteriasiat <noreply@localhost>"
)
# The portal's public address, for links in mail (a mail has no request to take it from).
PORTAL_BASE_URL = env.str(
    "PORTAL_BASE_URL", default="http://127.0.0.1:8000" if DEBUG else ""
).rstrip("/")
if not DEBUG and not PORTAL_BASE_URL.startswith("https://"):
    # Request emails link back to the portal; a wrong address sends people elsewhere.
    raise ImproperlyConfigured("DEBUG is off: set PORTAL_BASE_URL to https://<the portal's host>.")
# A second click on "take a copy" within this many seconds gives the copy just made.
PORTAL_COPY_REPEAT_SECONDS = env.int("PORTAL_COPY_REPEAT_SECONDS", default=60)
# A PDF extract of more web-shop orders than this is made by a task worker (portal/extract/jobs.py),
# and the file is kept for the person to download for this many seconds.
PORTAL_EXTRACT_WORKER_ORDERS = env.int("PORTAL_EXTRACT_WORKER_ORDERS", default=200)
PORTAL_EXTRACT_JOB_KEEP_SECONDS = env.int("PORTAL_EXTRACT_JOB_KEEP_SECONDS", default=3600)
# An attempt at such a copy begun longer ago than this belonged to a worker that died (the
# slowest copy measured takes seconds, bench/extract_speed.py); the job is run again, at most
# PORTAL_EXTRACT_JOB_ATTEMPTS attempts in all, and then the person is asked to try again.
PORTAL_EXTRACT_JOB_STALE_SECONDS = env.int("PORTAL_EXTRACT_JOB_STALE_SECONDS", default=300)
PORTAL_EXTRACT_JOB_ATTEMPTS = 3

# --- Security -----------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # The health check answers load balancers probing the app server over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# --- Background work (Django's task framework, the django-tasks backport) -------------------
# The database backend: one PostgreSQL serves any number of app servers and workers
# (`manage.py db_worker`; `make run` starts one beside the development server).
TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Rate limits and lockouts must hold across processes, so the cache lives in the database.
CACHES = {
    "default": env.cache_url("CACHE_URL", default="dbcache://portal_cache"),
}

# Keys of the keyed hashes of marketing suppressions (portal/suppression.py). Their
# own setting, not SECRET_KEY: rotating that must not bring back everyone who objected or was
# erased. The first key hashes new entries; all are tried when matching, so a rotation puts
# the new key first and keeps the old ones after it.
DEVELOPMENT_SUPPRESSION_KEY = "development-only-suppression-key-never-use-in-production"
SUPPRESSION_KEYS = env.list(
    "SUPPRESSION_KEYS", default=[DEVELOPMENT_SUPPRESSION_KEY] if DEBUG else []
)
if not DEBUG and (
    not SUPPRESSION_KEYS
    or DEVELOPMENT_SUPPRESSION_KEY in SUPPRESSION_KEYS
    or any(len(key) < 32 for key in SUPPRESSION_KEYS)
):
    raise ImproperlyConfigured(
        "DEBUG is off: set SUPPRESSION_KEYS to random keys of at least 32 characters, "
        "comma-separated, the current one first (never change or drop an old one while "
        "suppressions made with it must hold)."
    )

# --- Retention (portal.registers.retention, `manage.py apply_retention` daily) ---------------
# The last day of the financial year, MM-DD: the Accounting Act's periods count from it.
FINANCIAL_YEAR_END = env.str("FINANCIAL_YEAR_END", default="12-31")
try:
    datetime.date.fromisoformat(f"2001-{FINANCIAL_YEAR_END}")  # 2001: every year has the day
except ValueError:
    raise ImproperlyConfigured(
        "FINANCIAL_YEAR_END must be the last day of the financial year as MM-DD, e.g. 03-31."
    ) from None
# Days after which the personal details (email, IP, login) of auth.* audit events are shredded.
AUTH_EVENT_RETENTION_DAYS = env.int("AUTH_EVENT_RETENTION_DAYS", default=365)
if AUTH_EVENT_RETENTION_DAYS < 1:
    raise ImproperlyConfigured("AUTH_EVENT_RETENTION_DAYS must be 1 or more.")

# --- Registers ----------------------------------------------------------------------------
# The registers the portal serves, in this order: the dotted path of each one's declaration
# (portal/registers/). Read once at start-up (portal.registers.REGISTERS). Adding a register
# takes its model, its declaration and one line here (see README, "Adding a register").
PORTAL_REGISTERS = [
    "portal.registers.billing.BILLING",
    "portal.registers.postal.POSTAL",
    "portal.registers.newsletter.NEWSLETTER",
    "portal.registers.webshop.WEBSHOP",
]

# --- Recipients ---------------------------------------------------------------------------
# The names of the recipients the register declarations list by key (portal.registers.recipients).
# The defaults are demo values: set RECIPIENT_NAMES so the notice names the real companies,
# either "key=Name,key=Name" or, when a name has a comma, a JSON object.
DEMO_RECIPIENT_NAMES = {
    "hosting": "Pilvipalvelu Esimerkki Oy",
    "email_delivery": "Sähköpostipalvelu Esimerkki Oy",
    "posti": "Posti Oy",
    "matkahuolto": "Oy Matkahuolto Ab",
    "principal": "Venttiilitehdas Esimerkki Oy",
    "partner": "LVI-kumppani Esimerkki Oy",
}


def _recipient_names(raw: str) -> dict:
    try:
        names = json.loads(raw) if raw.lstrip().startswith("{") else env.parse_value(raw, dict)
    except ValueError as error:
        raise ImproperlyConfigured(
            f"RECIPIENT_NAMES is not key=Name,... or JSON: {error}"
        ) from None
    return {str(key).strip(): str(name).strip() for key, name in names.items()}


RECIPIENTS = DEMO_RECIPIENT_NAMES | _recipient_names(env.str("RECIPIENT_NAMES", default="{}"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
    # WeasyPrint logs every step of every PDF at INFO: only its warnings are worth reading.
    "loggers": {"weasyprint": {"level": "WARNING"}},
}
