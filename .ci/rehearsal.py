"""The production rehearsal (issue #15): the portal as an operator runs it, driven over HTTP.

A fresh PostgreSQL database, production settings (DEBUG off, every required variable set to a
test value), `check --deploy` with no warning, `migrate` alone (no createcachetable),
`collectstatic`, a customer imported from CSV, a member of staff made by `create_staff_user
--totp`; then gunicorn with 2 workers on loopback, one task worker (`run_worker`) and a real
SMTP server (aiosmtpd) on loopback. A short journey as a browser behind a TLS-terminating
proxy would make it (`X-Forwarded-Proto: https`, one proxy in `X-Forwarded-For`): the health
check, the HTTPS redirect, the notice and its stylesheet, sign-in by a code read from the
mail the SMTP server received, my-data, taking a copy (a PDF), filing a request (its receipt
delivered by the task worker), the staff sign-in with password and TOTP, the request in the
queue, a second member of staff setting up TOTP at first sign-in, `verify_audit`, and the
client address in the audit trail. Any failure exits non-zero; every process started is
stopped and the database dropped.

    .venv/bin/python .ci/rehearsal.py          # needs PostgreSQL on 127.0.0.1:5432
    REHEARSAL_DATABASE_URL=postgres://user@host:5432/postgres .venv/bin/python .ci/rehearsal.py
"""

import base64
import email
import hashlib
import hmac
import html.parser
import os
import re
import secrets
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from email import policy
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
ADMIN_URL = os.environ.get("REHEARSAL_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
DB_NAME = f"portal_rehearsal_{os.getpid()}"
HOST = "localhost"
CUSTOMER = "reija.harjoitus@example.fi"
STAFF = "kaisa.kokeilu@example.fi"  # made with --totp
NEW_STAFF = "ville.vasta@example.fi"  # enrols TOTP at first sign-in, as the guide says
STAFF_PASSWORD = "rehearsal-staff-password-" + secrets.token_hex(4)
CLIENT_IP = "198.51.100.23"  # what the (imagined) proxy appends to X-Forwarded-For
CODE_RE = re.compile(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", re.MULTILINE)
DEADLINE = time.monotonic() + 240  # the whole rehearsal (SIGALRM then); CI must not hang


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def step(text):
    print(f"-- {text} ({time.monotonic() - STARTED:.1f} s)", flush=True)


class Failure(Exception):
    pass


def check(condition, what):
    if not condition:
        raise Failure(what)


# --- Processes ---------------------------------------------------------------------------


class Processes:
    """Every process started, each in a process group of its own, all stopped at the end."""

    def __init__(self):
        self.running = []

    def start(self, name, args, env, log_dir):
        log = open(Path(log_dir) / f"{name}.log", "wb")  # noqa: SIM115 - closed in stop_all
        process = subprocess.Popen(  # noqa: S603 - our own commands
            args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.running.append((name, process, log))
        return process

    def check_alive(self):
        for name, process, _log in self.running:
            check(process.poll() is None, f"{name} exited with {process.returncode}")

    def stop_all(self):
        for _name, process, _log in reversed(self.running):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for name, process, log in reversed(self.running):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                print(f"   {name} did not stop on SIGTERM; killing it", flush=True)
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
            log.close()


def manage(env, *args, stdin=None) -> str:
    result = subprocess.run(  # noqa: S603 - manage.py with our arguments
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=max(5, DEADLINE - time.monotonic()),
        check=False,
    )
    if result.returncode != 0:
        raise Failure(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout + result.stderr


# --- HTTP as a browser behind the proxy --------------------------------------------------


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Forms(html.parser.HTMLParser):
    """Every <form> of a page: its action and the name -> value of its inputs."""

    def __init__(self, page_path):
        super().__init__()
        self.page_path = page_path
        self.forms = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append((attrs.get("action") or self.page_path, {}))
        elif tag == "input" and attrs.get("name") and self.forms:
            self.forms[-1][1].setdefault(attrs["name"], attrs.get("value") or "")


class Browser:
    """Cookies kept by name (the portal's cookies are Secure: the proxy speaks HTTPS to the
    browser, plain HTTP to gunicorn), every request marked as forwarded over HTTPS."""

    def __init__(self, port):
        self.base = f"http://127.0.0.1:{port}"
        self.host = f"{HOST}:{port}"
        self.cookies = {}
        self.opener = urllib.request.build_opener(NoRedirect)

    def request(self, method, path, data=None, https=True, expect=None):
        headers = {"Host": self.host, "Accept-Language": "en", "X-Forwarded-For": CLIENT_IP}
        if https:
            headers["X-Forwarded-Proto"] = "https"
            headers["Origin"] = f"https://{self.host}"
            headers["Referer"] = f"https://{self.host}{path}"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        url = self.base + path  # always http://127.0.0.1:<port>/...
        request = urllib.request.Request(url, data=body, headers=headers, method=method)  # noqa: S310
        try:
            response = self.opener.open(request, timeout=60)
        except urllib.error.HTTPError as error:
            response = error  # a 3xx, 4xx or 5xx: a response all the same
        content = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if "max-age=0" in header.lower() or value in ("", '""'):
                self.cookies.pop(name, None)  # a deletion: no value to protect
            else:
                check("; secure" in header.lower(), f"cookie {name} is not Secure: {header}")
                check("; httponly" in header.lower() or name == "csrftoken", f"{header}")
                self.cookies[name] = value
        status = response.status
        if expect is not None:
            check(status == expect, f"{method} {path}: {status}, not {expect}\n{content[:800]!r}")
        return status, response.headers, content

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, data, **kwargs):
        return self.request("POST", path, data=data, **kwargs)

    def form(self, path, action=None):
        """GET a page; the inputs of its form that posts to `action` (default: the page)."""
        _, self.last_headers, content = self.get(path, expect=200)
        self.last_page = content.decode()
        parser = Forms(path.split("?")[0])
        parser.feed(content.decode())
        action = action or path.split("?")[0]
        found = [inputs for form_action, inputs in parser.forms if form_action == action]
        check(found, f"{path}: no form posts to {action}")
        check("csrfmiddlewaretoken" in found[0], f"{path}: no CSRF token in the form")
        return found[0]


def assert_production_headers(headers, what):
    csp = headers.get("Content-Security-Policy", "")
    check(csp and "unsafe-inline" not in csp, f"{what}: CSP {csp!r}")
    check("frame-ancestors 'none'" in csp, f"{what}: CSP {csp!r}")
    hsts = headers.get("Strict-Transport-Security", "")
    check("max-age=31536000" in hsts and "includeSubDomains" in hsts, f"{what}: HSTS {hsts!r}")
    check(headers.get("X-Content-Type-Options") == "nosniff", f"{what}: nosniff")


# --- Mail ----------------------------------------------------------------------------------


def start_smtp(port):
    from aiosmtpd.controller import Controller

    class Recorder:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):
            self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
            return "250 Message accepted for delivery"

    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, recorder


def wait_for_mail(recorder, to, after, what, timeout=30):
    """The text of the first message to `to` among those received after the first `after`."""
    until = time.monotonic() + timeout
    while time.monotonic() < until:
        for message in recorder.messages[after:]:
            if to in message["To"]:
                return message["Subject"], message.get_body(("plain",)).get_content()
        time.sleep(0.2)
    raise Failure(f"no {what} reached the SMTP server for {to} within {timeout} s")


# --- PostgreSQL ------------------------------------------------------------------------------


def admin_sql(statement):
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True) as connection:
        connection.execute(statement)


def database_url():
    parts = urllib.parse.urlsplit(ADMIN_URL)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{DB_NAME}"))


# --- The rehearsal -----------------------------------------------------------------------------


def production_env(smtp_port) -> dict:
    """The environment of a production start-up on loopback (also used by bench/)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "TEST_DATABASE"))
    }
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        DATABASE_URL=database_url(),
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
        SUPPRESSION_KEYS=secrets.token_urlsafe(32),
        PORTAL_BASE_URL=f"https://{HOST}",
        DEFAULT_FROM_EMAIL="Tector rekisteriasiat <rekisteriasiat@example.fi>",
        PROXY_COUNT="1",
        LOG_LEVEL="INFO",
    )
    return env


def start_gunicorn(processes, env, log_dir, port, workers=2):
    return processes.start(
        "gunicorn",
        [
            PYTHON, "-m", "gunicorn", "portal.wsgi:application",
            "--workers", str(workers), "--bind", f"127.0.0.1:{port}", "--timeout", "60",
            "--access-logfile", "-", "--no-control-socket",
        ],
        env,
        log_dir,
    )  # fmt: skip


def rehearse(processes, log_dir):
    web_port, smtp_port = free_port(), free_port()
    env = production_env(smtp_port)

    step("check --deploy with production settings: no warning")
    out = manage(env, "check", "--deploy", "--fail-level", "WARNING")
    check("no issues" in out, f"check --deploy: {out}")

    step(f"a fresh PostgreSQL database {DB_NAME}; migrate alone, collectstatic")
    admin_sql(f'CREATE DATABASE "{DB_NAME}"')
    manage(env, "migrate", "--no-input", "--verbosity", "0")
    manage(env, "collectstatic", "--no-input", "--verbosity", "0")

    step("a customer imported from CSV; a member of staff with TOTP (create_staff_user)")
    csv = Path(log_dir) / "billing.csv"
    csv.write_text(
        "customer_number,customer_type,first_name,last_name,email\n"
        f"R-1001,person,Reija,Harjoitus,{CUSTOMER}\n"
    )
    manage(env, "import_register", "billing", str(csv))
    out = manage(
        env,
        "create_staff_user",
        STAFF,
        "--role",
        "contact_person",
        "--password-stdin",
        "--totp",
        stdin=STAFF_PASSWORD + "\n",
    )
    totp_secret = re.search(r"TOTP secret: ([A-Z2-7]+)", out).group(1)
    manage(
        env,
        "create_staff_user",
        NEW_STAFF,
        "--role",
        "administrator",
        "--password-stdin",
        stdin=STAFF_PASSWORD + "\n",
    )

    step("gunicorn (2 workers), run_worker and an SMTP server on loopback")
    smtp, mailbox = start_smtp(smtp_port)
    try:
        start_gunicorn(processes, env, log_dir, web_port)
        processes.start(
            "run_worker",
            [PYTHON, "manage.py", "run_worker", "--no-reload", "--interval", "0.5"],
            env,
            log_dir,
        )
        journey(Browser(web_port), mailbox, totp_secret, processes)
    finally:
        smtp.stop()

    step("verify_audit")
    out = manage(env, "verify_audit")
    check("Audit trail OK" in out, out)

    step("the audit trail names the client the proxy saw (PROXY_COUNT=1)")
    import psycopg

    with psycopg.connect(database_url()) as connection:
        (signed_in_from,) = connection.execute(
            "SELECT details->>'ip' FROM portal_auditevent WHERE action = 'auth.sign_in.succeeded'"
            " ORDER BY seq LIMIT 1"
        ).fetchone()
    check(signed_in_from == CLIENT_IP, f"sign-in recorded from {signed_in_from!r}")


def wait_until_healthy(browser, processes):
    until = time.monotonic() + 30
    while True:
        processes.check_alive()
        try:
            if browser.get("/healthz", https=False)[0] == 200:
                break
        except (ConnectionError, urllib.error.URLError):
            pass
        check(time.monotonic() < until, "gunicorn did not answer /healthz within 30 s")
        time.sleep(0.3)


def sign_in_by_code(browser, mailbox, address):
    """Sign in with the code read from the mail the SMTP server received for `address`."""
    received = len(mailbox.messages)
    form = browser.form("/en/accounts/login/code/")
    status, headers, _ = browser.post(
        "/en/accounts/login/code/", {**form, "email": address}, expect=302
    )
    _, code_mail = wait_for_mail(mailbox, address, received, "sign-in code")
    code = CODE_RE.search(code_mail).group(1)
    form = browser.form(headers["Location"])
    status, headers, _ = browser.post(headers["Location"], {**form, "code": code}, expect=302)
    check("/accounts/" not in headers["Location"], f"after the code: {headers['Location']}")


def journey(browser, mailbox, totp_secret, processes):
    wait_until_healthy(browser, processes)

    step("the health check over plain HTTP (200, no cookie); every other page goes to HTTPS")
    status, headers, content = browser.get("/healthz", https=False, expect=200)
    check(content == b"ok\n" and not browser.cookies, "health check answer or cookie")
    status, headers, _ = browser.get("/en/", https=False, expect=301)
    check(headers["Location"].startswith(f"https://{browser.host}/en/"), headers["Location"])

    step("the notice and its stylesheet (whitenoise)")
    _, headers, content = browser.get("/en/", expect=200)
    assert_production_headers(headers, "the notice")
    page = content.decode()
    stylesheet = re.search(r'href="(/static/css/portal\.[0-9a-f]{12}\.css)"', page)
    check(stylesheet, "the notice links no content-hashed stylesheet")
    _, headers, content = browser.get(stylesheet.group(1), expect=200)
    check(headers["Content-Type"].startswith("text/css") and b".due" in content, "stylesheet")
    check("immutable" in headers.get("Cache-Control", ""), "the stylesheet is not cached")

    step("sign-in by a code read from the mail the SMTP server received")
    sign_in_by_code(browser, mailbox, CUSTOMER)

    step("my data")
    _, headers, content = browser.get("/en/my-data/", expect=200)
    assert_production_headers(headers, "my data")
    check("Harjoitus" in content.decode(), "my-data does not show the imported record")

    step("taking a copy: a PDF")
    form = browser.form("/en/my-data/", action="/en/my-data/extract.pdf")
    _, headers, content = browser.post("/en/my-data/extract.pdf", form, expect=200)
    check(headers["Content-Type"] == "application/pdf", headers["Content-Type"])
    check(content.startswith(b"%PDF") and len(content) > 5000, "not a PDF")

    step("filing a request; its receipt is delivered by the task worker")
    form = browser.form("/en/requests/other/")
    received = len(mailbox.messages)
    description = "Rehearsal: please tell me which partners received my address."
    status, headers, _ = browser.post(
        "/en/requests/other/", {**form, "description": description}, expect=302
    )
    _, _, content = browser.get(headers["Location"], expect=200)
    check(description in content.decode(), "the request page does not show the request")
    subject, _ = wait_for_mail(mailbox, CUSTOMER, received, "request receipt")
    check(subject.strip().startswith("Tector: "), f"receipt subject {subject!r}")

    step("signing out; the staff sign-in with password and TOTP")
    form = browser.form("/en/my-data/", action="/en/accounts/logout/")
    browser.post("/en/accounts/logout/", form, expect=302)
    form = browser.form("/en/accounts/login/")
    status, headers, _ = browser.post(
        "/en/accounts/login/", {**form, "login": STAFF, "password": STAFF_PASSWORD}, expect=302
    )
    check("/2fa/authenticate/" in headers["Location"], f"after the password: {headers}")
    form = browser.form(headers["Location"])
    status, headers, _ = browser.post(
        headers["Location"], {**form, "code": totp_code(totp_secret)}, expect=302
    )
    _, headers, content = browser.get("/en/staff/", expect=200)
    assert_production_headers(headers, "the staff queue")
    check("Harjoitus" in content.decode(), "the staff queue does not list the request")

    step("a new member of staff sets up TOTP at first sign-in (QR code page), then works")
    form = browser.form("/en/staff/", action="/en/accounts/logout/")
    browser.post("/en/accounts/logout/", form, expect=302)
    form = browser.form("/en/accounts/login/")
    status, headers, _ = browser.post(
        "/en/accounts/login/", {**form, "login": NEW_STAFF, "password": STAFF_PASSWORD}, expect=302
    )
    status, headers, _ = browser.get("/en/staff/", expect=302)
    activate = headers["Location"]
    check(activate == "/en/accounts/2fa/totp/activate/", f"no enrolment: {activate}")
    status, headers, _ = browser.get(activate, expect=302)  # the password once more first
    form = browser.form(headers["Location"])
    browser.post(headers["Location"], {**form, "password": STAFF_PASSWORD}, expect=302)
    form = browser.form(activate)  # one visit: each shows a new secret
    assert_production_headers(browser.last_headers, "the TOTP set-up")
    page = browser.last_page
    check('src="data:image/svg+xml' in page, "the set-up page shows no QR code")
    secret = re.search(r'class="secret"><code>([A-Z2-7]+)</code>', page).group(1)
    browser.post(activate, {**form, "code": totp_code(secret)}, expect=302)
    browser.get("/en/staff/", expect=200)
    processes.check_alive()


def totp_code(secret, period=30, digits=6):
    """The code an authenticator app shows (RFC 6238: HMAC-SHA1, 30 s, 6 digits), computed
    here on its own, as a phone would, rather than by the code that checks it."""
    counter = struct.pack(">Q", int(time.time()) // period)
    digest = hmac.new(base64.b32decode(secret, casefold=True), counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 10**digits:0{digits}d}"


STARTED = time.monotonic()


def _stop(signum, frame):
    raise Failure(f"stopped by signal {signal.Signals(signum).name} (time limit or CI)")


def main():
    # A hung step must not hang CI: 4 minutes at most, and a SIGTERM (`timeout`) still cleans up.
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGALRM, _stop)
    signal.alarm(240)
    processes = Processes()
    log_dir = tempfile.mkdtemp(prefix="portal-rehearsal-")
    try:
        rehearse(processes, log_dir)
    except Exception as error:  # noqa: BLE001 - any failure fails the rehearsal, with the logs
        print(f"REHEARSAL FAILED: {type(error).__name__}: {error}", flush=True)
        processes.stop_all()
        for log in sorted(Path(log_dir).glob("*.log")):
            print(f"--- {log.name} (last lines)")
            print("\n".join(log.read_text(errors="replace").splitlines()[-40:]))
        return 1
    finally:
        signal.alarm(0)  # the clean-up itself is not interrupted
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        processes.stop_all()
        try:
            admin_sql(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        except Exception as error:  # noqa: BLE001 - reported, never hides the result
            print(f"could not drop {DB_NAME}: {error}", flush=True)
        shutil.rmtree(log_dir, ignore_errors=True)
    print(f"Production rehearsal passed in {time.monotonic() - STARTED:.1f} s.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
