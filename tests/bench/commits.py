#!/usr/bin/env python3
"""Counts the database commits one registration costs on SQLite (docs/SCALING.md).

With `synchronous=FULL` every SQLite commit is one fsync of the WAL, so fsyncs counted by
strace on the server are commits. Starts `flows serve` (release build) on a fresh SQLite file
under `strace -f -e trace=fsync,fdatasync`, walks N registrations one at a time through the
hosted pages (details, then the e-mailed code), and prints the fsyncs each step cost.

    cargo build --release && python3 tests/bench/commits.py [--journeys N] [--binary PATH]

Needs strace (Debian: apt-get install strace). Not part of the suite: a measuring tool.
"""

import argparse
import glob
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse

PASSWORD = "correct horse battery staple"


class Browser:
    """One keep-alive connection with its cookies (instructions.py speaks JSON through it)."""

    def __init__(self, port, timeout=None):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        self.jar = {}

    def request(self, method, path, body=None, content_type="application/x-www-form-urlencoded"):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.jar.items())}
        if body is not None:
            headers["Content-Type"] = content_type
        try:
            self.conn.request(method, path, body=body, headers=headers)
            answer = self.conn.getresponse()
        except (ConnectionError, http.client.RemoteDisconnected):
            # The server closed a keep-alive connection left idle (callgrind is slow to
            # dump): once more, on a new one.
            self.conn.close()
            self.conn.request(method, path, body=body, headers=headers)
            answer = self.conn.getresponse()
        html = answer.read().decode()
        for name, value in answer.getheaders():
            if name.lower() == "set-cookie":
                key, val = value.split(";")[0].split("=", 1)
                self.jar[key] = val
        return answer.status, answer.getheader("Location"), html

    def press(self, path, html, fields):
        """Sends the page's form back with `fields`, the honeypot empty, and follows the 303."""
        form = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
        trap = re.search(r'<input id="(\w+)" name="\1" type="text" value="" tabindex', html)
        if trap:
            form[trap.group(1)] = ""
        form["action"] = re.search(r'name="action" value="(\w+)"', html).group(1)
        form.update(fields)
        status, location, html = self.request("POST", path, urllib.parse.urlencode(form))
        if status == 303:
            status, location, html = self.request("GET", location)
        return html


def h1(html):
    return re.search(r"<h1[^>]*>([^<]*)", html).group(1)


def wait_for_port(port, seconds=10.0):
    """Until the server listens on `port` (under valgrind it takes a minute)."""
    end = time.time() + seconds
    while time.time() < end:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    sys.exit(f"no server came up on port {port}")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# Argon2id made nearly free (64 KiB, one pass): what is measured is the server's own work
# around the hash, which the real hash would drown.
NEARLY_FREE_HASHING = {"FLOWS_ARGON2_MEMORY_KIB": "64", "FLOWS_ARGON2_ITERATIONS": "1"}


def server_env(work, port, **more):
    """A measured server's environment: a fresh SQLite file and mail folder under `work`,
    quiet logs, and no limit that a single client posting fast would meet."""
    return dict(
        os.environ,
        FLOWS_LISTEN=f"127.0.0.1:{port}",
        FLOWS_PUBLIC_URL=f"http://127.0.0.1:{port}",
        FLOWS_DATABASE_URL=f"sqlite:{work}/flows.db",
        FLOWS_MAIL_DIR=os.path.join(work, "mail"),
        FLOWS_LOG="warn",
        FLOWS_RATE_LIMIT_PER_MINUTE="0",
        FLOWS_FORM_MIN_FILL_MS="0",
        **more,
    )


def code_for(mail_dir, email, timeout=10.0):
    end = time.time() + timeout
    while time.time() < end:
        for path in glob.glob(os.path.join(mail_dir, "*")):
            text = open(path, errors="replace").read()
            if email in text:
                found = re.search(r"\b(\d{6})\b", text)
                if found:
                    return found.group(1)
        time.sleep(0.05)
    sys.exit(f"commits: no code mailed to {email}")


def main():
    args = argparse.ArgumentParser()
    args.add_argument("--journeys", type=int, default=5)
    args.add_argument("--binary", default="target/release/flows")
    opts = args.parse_args()
    work = tempfile.mkdtemp(prefix="flows-commits-")
    trace = os.path.join(work, "strace.log")
    mail_dir = os.path.join(work, "mail")
    port = free_port()
    env = server_env(work, port)
    server = subprocess.Popen(
        ["strace", "-f", "-qq", "-o", trace, "-e", "trace=fsync,fdatasync", opts.binary, "serve"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def fsyncs():
        with open(trace) as lines:
            return sum(1 for line in lines if "fsync(" in line or "fdatasync(" in line)

    def settled():
        # The outbox sends after the commit: wait until no fsync has come for a moment.
        last = fsyncs()
        while True:
            time.sleep(0.5)
            now = fsyncs()
            if now == last:
                return now
            last = now

    try:
        wait_for_port(port)
        steps = {}
        totals = []
        for n in range(opts.journeys):
            browser = Browser(port)
            email = f"commits.{n}@example.com"
            before = settled()
            _, _, html = browser.request("GET", "/register")
            after_get = settled()
            html = browser.press(
                "/register",
                html,
                dict(given_name="Ada", email=email, password=PASSWORD, terms="true"),
            )
            assert h1(html) == "Check your e-mail", h1(html)
            code = code_for(mail_dir, email)
            after_details = settled()
            html = browser.press("/register", html, dict(otp=code))
            assert h1(html) == "Your account is ready", h1(html)
            after_code = settled()
            for step, cost in (
                # Stores nothing itself: the commit is the funnel's batch of starts, which
                # the server writes once a second for all the starts of that second.
                ("GET /register (the funnel's batch)", after_get - before),
                ("details submit, and its mail sent", after_details - after_get),
                ("code submit", after_code - after_details),
            ):
                steps.setdefault(step, []).append(cost)
            totals.append(after_code - before)
        print(f"{opts.journeys} registrations, one at a time, SQLite (synchronous=FULL):")
        for step, costs in steps.items():
            print(f"  {step:40} {costs} commits")
        print(f"  {'a whole registration':40} {totals} commits")
    finally:
        # The server is strace's child: stopping strace alone leaves it running.
        children = f"/proc/{server.pid}/task/{server.pid}/children"
        for child in open(children).read().split() if os.path.exists(children) else []:
            os.kill(int(child), signal.SIGTERM)
        try:
            server.wait(timeout=40)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


if __name__ == "__main__":
    main()
