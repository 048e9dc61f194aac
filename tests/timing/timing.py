#!/usr/bin/env python3
"""Enumeration by timing: do registration, recovery and sign-in answer an address that has an
account as fast as one that has none?

Starts the release `flows serve` on a fresh SQLite database, creates accounts, then sends the
same form for existing and unknown addresses, interleaved (existing, unknown, existing, ...)
so that drift in the machine's load falls on both sides alike, and prints the median of each
side and their ratio. The issue's bar: within 10 %.

    cargo build --release && python3 tests/timing/timing.py [--tries 300] [--binary PATH]
"""

import argparse
import html.parser
import http.cookiejar
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

PASSWORD = "correct horse battery staple 42"


class Form(html.parser.HTMLParser):
    """The fields of the first flow form (or any form) on a page, as a browser would send."""

    def __init__(self):
        super().__init__()
        self.fields = {}
        self.in_form = False
        self.done = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and not self.done and "restart" not in (a.get("action") or ""):
            self.in_form = True
        elif tag == "input" and self.in_form and a.get("name"):
            if a.get("type") in ("hidden",) or a.get("tabindex") == "-1":
                self.fields[a["name"]] = a.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form" and self.in_form:
            self.in_form = False
            self.done = True


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Client:
    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )

    def get(self, path):
        try:
            with self.opener.open(self.base + path, timeout=30) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    def post(self, path, fields):
        data = urllib.parse.urlencode(fields).encode()
        request = urllib.request.Request(self.base + path, data=data, method="POST")
        request.add_header("Origin", self.base)
        started = time.perf_counter()
        try:
            with self.opener.open(request, timeout=30) as r:
                status = r.status
                r.read()
        except urllib.error.HTTPError as e:
            status = e.code
            e.read()
        return status, time.perf_counter() - started

    def form(self, path):
        status, page = self.get(path)
        assert status == 200, (path, status)
        parser = Form()
        parser.feed(page)
        return parser.fields


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(binary, workdir):
    port = free_port()
    env = dict(
        os.environ,
        FLOWS_LISTEN=f"127.0.0.1:{port}",
        FLOWS_PUBLIC_URL=f"http://127.0.0.1:{port}",
        FLOWS_DATABASE_URL=f"sqlite://{workdir}/flows.db",
        FLOWS_MAIL_DIR=f"{workdir}/mail",
        FLOWS_LOG="error",
        # A script sends forms faster than a person and far more often: no bot or rate
        # refusals, which would answer both sides alike and hide the difference measured.
        FLOWS_FORM_MIN_FILL_MS="0",
        FLOWS_RATE_LIMIT_PER_MINUTE="0",
        FLOWS_MAIL_QUOTA_PER_HOUR="100",
    )
    process = subprocess.Popen([binary, "serve"], env=env, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(base + "/readyz", timeout=1)
            return process, base
        except OSError:
            time.sleep(0.05)
    process.kill()
    sys.exit("the server did not start")


def details(fields, email):
    return dict(
        fields,
        given_name="Ada",
        family_name="Lovelace",
        email=email,
        password=PASSWORD,
        terms="true",
        action="continue",
    )


def register(base, email):
    """A whole registration by code, so that the address has an account."""
    client = Client(base)
    status, _ = client.post("/register", details(client.form("/register"), email))
    assert status == 303, status
    code = None
    for _ in range(100):
        code = latest_code(email)
        if code:
            break
        time.sleep(0.05)
    fields = client.form("/register")
    status, _ = client.post("/register", dict(fields, otp=code, action="verify"))
    assert status == 303, status


MAIL_DIR = None


def latest_code(email):
    if not os.path.isdir(MAIL_DIR):
        return None
    for name in sorted(os.listdir(MAIL_DIR), reverse=True):
        # A message being written is a hidden .tmp file until it is renamed into place.
        if name.startswith(".") or not name.endswith(".eml"):
            continue
        try:
            text = open(os.path.join(MAIL_DIR, name), errors="replace").read()
        except FileNotFoundError:
            continue
        if email in text:
            found = re.search(r"\b(\d{6})\b", text)
            if found:
                return found.group(1)
    return None


def registration_try(base, email):
    client = Client(base)
    return client.post("/register", details(client.form("/register"), email))


def recovery_try(base, email):
    client = Client(base)
    return client.post("/recover", dict(client.form("/recover"), login=email, action="continue"))


def sign_in_try(base, email):
    client = Client(base)
    fields = client.form("/login")
    return client.post("/login", dict(fields, email=email, password="not the password at all"))


def measure(name, attempt, base, existing, tries):
    times = {"existing": [], "unknown": []}
    statuses = {"existing": set(), "unknown": set()}
    for n in range(tries):
        for side in ("existing", "unknown") if n % 2 == 0 else ("unknown", "existing"):
            email = existing[n % len(existing)] if side == "existing" else f"nobody{n}.{time.time_ns()}@example.com"
            status, elapsed = attempt(base, email)
            times[side].append(elapsed)
            statuses[side].add(status)
    a, b = statistics.median(times["existing"]), statistics.median(times["unknown"])
    ratio = max(a, b) / min(a, b)
    verdict = "within 10 %" if ratio <= 1.10 else "NOT within 10 %"
    print(
        f"{name:<13} existing {a * 1000:7.1f} ms   unknown {b * 1000:7.1f} ms   "
        f"ratio {ratio:.3f}  {verdict}   statuses {sorted(statuses['existing'])} / {sorted(statuses['unknown'])}"
    )
    return ratio


def main():
    global MAIL_DIR
    parser = argparse.ArgumentParser()
    parser.add_argument("--tries", type=int, default=300)
    target = os.environ.get("CARGO_TARGET_DIR", "target")
    parser.add_argument("--binary", default=os.path.join(target, "release", "flows"))
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="flows-timing-")
    MAIL_DIR = os.path.join(workdir, "mail")
    process, base = start_server(args.binary, workdir)
    try:
        # Enough accounts that no address reaches the sign-in throttle (10 failures): a
        # throttled answer skips the hash and would be measured instead of the check.
        existing = [f"member{n}@example.com" for n in range(max(10, args.tries // 8 + 1))]
        for email in existing:
            register(base, email)
        print(f"timing: {args.tries} tries a side, medians, {base}")
        worst = max(
            measure("registration", registration_try, base, existing, args.tries),
            measure("recovery", recovery_try, base, existing, args.tries),
            measure("sign-in", sign_in_try, base, existing, args.tries),
        )
        print(f"worst ratio {worst:.3f}")
    finally:
        process.kill()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
