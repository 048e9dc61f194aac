#!/usr/bin/env python3
"""Counts the instructions one request costs the server, under Valgrind's callgrind.

The load bench's step-page ratio moves by 10-15 % between runs on a shared VM; an
instruction count does not, so two builds compare to a fraction of a percent. Starts
`flows serve` (release build) on a fresh SQLite file under callgrind, warms each request
up, then for each: zeroes the counters, sends N requests one after another on one
keep-alive connection, dumps the counters, and divides. The requests:

- `GET /healthz`, the trivial route;
- `GET /register` with a session standing at its first step: the step page;
- the JSON API's cheapest continue (`{"flowId"}` alone), the current view.

    cargo build --release && python3 tests/bench/instructions.py [--requests N] [--binary PATH]

What it does not count: the kernel's share (sockets, wake-ups), the same for every request.
The server's background work in the window (outbox and console checks) is counted with the
requests: a few thousand instructions a request at the default N. Valgrind hides SHA-NI, so
HMAC costs more here than on the machine. Needs valgrind (Debian: apt-get install valgrind).
Not part of the suite: a measuring tool, named in README's "Benchmarks".
"""

import argparse
import glob
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import time

API = "/api/server/v1/flow/execute"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    """One keep-alive connection with its cookies."""

    def __init__(self, port):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.cookies = {}

    def send(self, method, path, body=None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/json"
        self.conn.request(method, path, body=body, headers=headers)
        answer = self.conn.getresponse()
        text = answer.read()
        for name, value in answer.getheaders():
            if name.lower() == "set-cookie":
                key, val = value.split(";")[0].split("=", 1)
                self.cookies[key] = val
        if answer.status != 200:
            sys.exit(f"instructions: {method} {path} answered {answer.status}")
        return text


def main():
    args = argparse.ArgumentParser()
    args.add_argument("--requests", type=int, default=500)
    args.add_argument("--binary", default="target/release/flows")
    opts = args.parse_args()
    work = tempfile.mkdtemp(prefix="flows-instructions-")
    out = os.path.join(work, "callgrind.out")
    port = free_port()
    env = dict(
        os.environ,
        FLOWS_LISTEN=f"127.0.0.1:{port}",
        FLOWS_PUBLIC_URL=f"http://127.0.0.1:{port}",
        FLOWS_DATABASE_URL=f"sqlite:{work}/flows.db",
        FLOWS_MAIL_DIR=os.path.join(work, "mail"),
        FLOWS_LOG="warn",
        FLOWS_RATE_LIMIT_PER_MINUTE="0",
    )
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
        for _ in range(600):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
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
        for _, send in requests:
            for _ in range(100):
                send()
        counts = {}
        for name, send in requests:
            subprocess.run(["callgrind_control", "-z", str(server.pid)], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for _ in range(opts.requests):
                send()
            counts[name] = dumped() / opts.requests
        print(f"Instructions per request, {opts.requests} requests each, under callgrind:")
        for name, count in counts.items():
            print(f"  {name:32} {count:10,.0f}")
        trivial, step, view = counts.values()
        print(f"  {'step page ÷ trivial, as rates':32} {trivial / step:10.2f}")
        print(f"  {'API continue ÷ trivial, as rates':32} {trivial / view:10.2f}")
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


if __name__ == "__main__":
    main()
