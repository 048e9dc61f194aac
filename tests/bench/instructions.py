#!/usr/bin/env python3
"""Counts the instructions one request costs the server, under Valgrind's callgrind.

The load bench's step-page ratio moves by 10-15 % between runs on a shared VM; an
instruction count does not, so two builds compare to a fraction of a percent. Starts
`flows serve` (release build) on a fresh SQLite file under callgrind, warms each request
up, then for each: zeroes the counters, sends N requests one after another on one
keep-alive connection, dumps the counters, and divides. The requests:

- `GET /healthz`, the trivial route;
- `GET /register` with a session standing at its first step: the step page;
- the JSON API's cheapest continue (`{"flowId"}` alone), the current view;
- a whole registration through the hosted pages (form, details, the mailed code, done) and
  one through the JSON API, each with its mail sent: with Argon2id made nearly free (64 KiB,
  one pass), so what is counted is the server's own work around the hash.

    cargo build --release && python3 tests/bench/instructions.py [--requests N] [--binary PATH]

What it does not count: the kernel's share (sockets, wake-ups), the same for every request.
The server's background work in the window (outbox and console checks) is counted with the
requests: a few thousand instructions a request at the default N. Valgrind hides SHA-NI, so
HMAC costs more here than on the machine. Needs valgrind (Debian: apt-get install valgrind).
Not part of the suite: a measuring tool, named in README's "Benchmarks".
"""

import argparse
import glob
import json
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from commits import NEARLY_FREE_HASHING, PASSWORD, Browser, code_for, free_port, h1, server_env, wait_for_port  # noqa: E402

API = "/api/server/v1/flow/execute"
REGISTRATIONS = 20


class Client(Browser):
    """A browser that expects 200s, and speaks JSON when it sends a body."""

    def __init__(self, port):
        super().__init__(port, timeout=120)

    def send(self, method, path, body=None):
        status, _, text = self.request(method, path, body, "application/json")
        if status != 200:
            sys.exit(f"instructions: {method} {path} answered {status}")
        return text


def through_pages(port, mail_dir, tag):
    browser = Browser(port)
    email = f"pages.{tag}@example.com"
    _, _, html = browser.request("GET", "/register")
    html = browser.press(
        "/register", html, dict(given_name="Ada", email=email, password=PASSWORD, terms="true")
    )
    html = browser.press("/register", html, dict(otp=code_for(mail_dir, email)))
    if h1(html) != "Your account is ready":
        sys.exit(f"instructions: a registration ended on {h1(html)!r}")


def through_api(port, mail_dir, tag):
    client = Client(port)
    email = f"api.{tag}@example.com"
    start = json.loads(client.send("POST", API, '{"flowType":"REGISTRATION"}'))
    details = {
        "http://wso2.org/claims/givenname": "Ada",
        "http://wso2.org/claims/lastname": "Lovelace",
        "http://wso2.org/claims/emailaddress": email,
        "password": PASSWORD,
        "terms": True,
    }
    client.send("POST", API, json.dumps(
        {"flowId": start["flowId"], "actionId": "continue", "inputs": details}))
    code = code_for(mail_dir, email)
    done = json.loads(client.send("POST", API, json.dumps(
        {"flowId": start["flowId"], "actionId": "verify", "inputs": {"otp": code}})))
    if done.get("flowStatus") != "COMPLETE":
        sys.exit(f"instructions: an API registration ended {done.get('flowStatus')!r}")


def main():
    args = argparse.ArgumentParser()
    args.add_argument("--requests", type=int, default=500)
    args.add_argument("--binary", default="target/release/flows")
    opts = args.parse_args()
    work = tempfile.mkdtemp(prefix="flows-instructions-")
    out = os.path.join(work, "callgrind.out")
    port = free_port()
    env = server_env(work, port, **NEARLY_FREE_HASHING)
    mail_dir = env["FLOWS_MAIL_DIR"]
    server = subprocess.Popen(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", opts.binary, "serve"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def dumped():
        """The instructions counted since the last zeroing."""
        before = set(glob.glob(out + "*"))
        subprocess.run(["callgrind_control", "-d", str(server.pid)], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            new = set(glob.glob(out + "*")) - before
            if new:
                time.sleep(0.2)  # written whole
                for line in open(new.pop()):
                    if line.startswith("summary:"):
                        return int(line.split()[1])
            time.sleep(0.1)
        sys.exit("instructions: callgrind wrote no dump")

    try:
        wait_for_port(port, seconds=240)
        page = Client(port)
        page.send("GET", "/register")
        api = Client(port)
        flow_id = json.loads(api.send("POST", API, '{"flowType":"REGISTRATION"}'))["flowId"]
        asks = json.dumps({"flowType": "REGISTRATION", "flowId": flow_id})
        requests = [
            ("GET /healthz (trivial)", lambda: page.send("GET", "/healthz")),
            ("GET /register (step page)", lambda: page.send("GET", "/register")),
            ('API continue {"flowId"}', lambda: api.send("POST", API, asks)),
        ]
        journeys = [
            ("registration, hosted pages", lambda n: through_pages(port, mail_dir, n)),
            ("registration, JSON API", lambda n: through_api(port, mail_dir, n)),
        ]

        def counted(send, times):
            subprocess.run(["callgrind_control", "-z", str(server.pid)], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for n in range(times):
                send(n)
            return dumped() / times

        for _, send in requests:
            for _ in range(100):
                send()
        for name, walk in journeys:
            for n in range(3):
                walk(f"warm.{n}")
        counts = {name: counted(lambda _: send(), opts.requests) for name, send in requests}
        print(f"Instructions per request, {opts.requests} requests each, under callgrind:")
        for name, count in counts.items():
            print(f"  {name:32} {count:12,.0f}")
        trivial, step, view = counts.values()
        print(f"  {'step page ÷ trivial, as rates':32} {trivial / step:12.2f}")
        print(f"  {'API continue ÷ trivial, as rates':32} {trivial / view:12.2f}")
        print(f"Instructions per registration, {REGISTRATIONS} each, Argon2id nearly free:")
        for name, walk in journeys:
            count = counted(lambda n, walk=walk: walk(f"counted.{n}"), REGISTRATIONS)
            print(f"  {name:32} {count:12,.0f}")
        print(f"callgrind's dumps, one per line above in order, for callgrind_annotate: {work}")
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


if __name__ == "__main__":
    main()
