"""The bounded load test's users (issue #14, item 5); run by bench/load_test.py, which signs
everyone in beforehand (customers by the mailed code, staff by password and TOTP) and hands
the sessions over in the JSON file named by LOAD_SESSIONS.

Customers browse my data, take copies (PDF and JSON, by POST as the buttons do) and file
requests; staff open the queue and the requests in it and add notes. Every request is sent
as the TLS proxy would forward it (X-Forwarded-Proto: https, the client in X-Forwarded-For),
with the cookies set by hand (they are Secure, and locust speaks plain HTTP to gunicorn).
What was filed is written to LOAD_RESULTS at the end, for the runner to count against the
database. LOAD_MODE=ceiling: every user asks for /healthz only (the bare view), with no pause
between requests: the most this server answers.
"""

import itertools
import json
import os
import re
import uuid

from locust import HttpUser, between, constant, events, task

SESSIONS = json.loads(open(os.environ["LOAD_SESSIONS"]).read())  # noqa: SIM115, PTH123
HOST = SESSIONS["host"]
CEILING = os.environ.get("LOAD_MODE") == "ceiling"
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STAFF_LINK_RE = re.compile(r'href="(/en/staff/requests/[0-9a-f-]{36}/)"')
filed, copies = [], {"pdf": 0, "json": 0}
customers = itertools.cycle(SESSIONS["customers"])
staff = itertools.cycle(SESSIONS["staff"])


class Portal(HttpUser):
    abstract = True
    wait_time = constant(0) if CEILING else between(0.5, 2)  # the ceiling: no pause

    def on_start(self):
        self.session = next(self.pool)
        self.cookies = dict(self.session["cookies"])

    def _headers(self, path):
        return {
            "Host": HOST,
            "Accept-Language": "en",
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": self.session["ip"],
            "Origin": f"https://{HOST}",
            "Referer": f"https://{HOST}{path}",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }

    def _keep_cookies(self, response):
        for name, morsel in response.cookies.items():
            self.cookies[name] = morsel

    def get(self, path, name, **kwargs):
        with self.client.get(
            path, headers=self._headers(path), name=name, allow_redirects=False,
            catch_response=True, **kwargs,
        ) as response:  # fmt: skip
            if response.status_code != 200:
                response.failure(f"{response.status_code}")
            self._keep_cookies(response)
            return response

    def post(self, path, data, name, ok=(302,)):
        match = CSRF_RE.search(self.last_page or "")
        if match is None:  # the page before failed (and was counted as a failure)
            return None
        token = match.group(1)
        with self.client.post(
            path, data={**data, "csrfmiddlewaretoken": token}, headers=self._headers(path),
            name=name, allow_redirects=False, catch_response=True,
        ) as response:  # fmt: skip
            if response.status_code not in ok:
                response.failure(f"{response.status_code}")
            self._keep_cookies(response)
            return response


class Customer(Portal):
    weight = 50
    pool = customers

    @task(6)
    def my_data(self):
        if CEILING:
            self.get("/healthz", "/healthz")
            return
        self.last_page = self.get("/en/my-data/", "my data").text

    @task(1)
    def pdf_copy(self):
        if CEILING:
            return
        self.last_page = self.get("/en/my-data/", "my data").text
        response = self.post("/en/my-data/extract.pdf", {}, "PDF copy (POST)", ok=(200, 302))
        if response is not None and response.status_code == 200 and response.content[:4] == b"%PDF":
            copies["pdf"] += 1

    @task(1)
    def json_copy(self):
        if CEILING:
            return
        self.last_page = self.get("/en/my-data/", "my data").text
        response = self.post("/en/my-data/export.json", {}, "JSON copy (POST)", ok=(200, 302))
        if response is not None and response.status_code == 200:
            copies["json"] += 1

    @task(1)
    def file_request(self):
        if CEILING:
            return
        self.last_page = self.get("/en/requests/other/", "request form").text
        description = f"Load test {uuid.uuid4()}: which partners received my address?"
        response = self.post(
            "/en/requests/other/", {"description": description}, "file request (POST)"
        )
        if response is None:
            return
        if response.status_code == 302 and "/requests/" in response.headers.get("Location", ""):
            filed.append(description)
            self.get(response.headers["Location"], "request page")


class Staff(Portal):
    fixed_count = 2
    pool = staff

    @task
    def work_the_queue(self):
        if CEILING:
            self.get("/healthz", "/healthz")
            return
        queue = self.get("/en/staff/", "staff queue").text
        links = STAFF_LINK_RE.findall(queue)
        if not links:
            return
        path = links[hash(self.session["ip"]) % len(links)]
        self.last_page = self.get(path, "staff request").text
        note = f"Load test note {uuid.uuid4()}"
        self.post(f"{path}note/", {"note": note}, "staff note (POST)")


@events.test_stop.add_listener
def _write_results(environment, **kwargs):
    with open(os.environ["LOAD_RESULTS"], "w") as out:  # noqa: PTH123
        json.dump({"filed": filed, "copies": copies}, out)
