#!/usr/bin/env python3
"""What one registration costs the server around its hash, kernel included: CPU time
(user and system) and context switches, read from /proc for the server process.

`instructions.py` counts the server's own instructions but not the kernel's share, which
is about half of a registration's cost besides the hash on this project's VM: each
statement is a round trip to sqlx's SQLite connection thread (two context switches), each
commit an fsync. The registration ratio of the load bench follows from this figure:
registrations ÷ hashes is about `H / (H + R)`, with `H` the time of one hash and `R` the
CPU time measured here. Starts `flows serve` (release build, pinned to CPU 0) on a fresh
SQLite file with Argon2id made nearly free (64 KiB, one pass), warms it up, then walks N
registrations one after another through the hosted pages and N through the JSON API, each
with its mail sent, and divides.

    cargo build --release && taskset -c 1 python3 tests/bench/switches.py [--journeys N] [--binary PATH]

CPU time is read in clock ticks and swings by ±15 % between runs on a shared VM; the
context switches move by a few per cent, so they compare two builds. Linux only (/proc,
taskset). Not part of the suite: a measuring tool, named in README's "Benchmarks".
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from commits import NEARLY_FREE_HASHING, free_port, server_env, wait_for_port  # noqa: E402
from instructions import through_api, through_pages  # noqa: E402

WARM_UP = 20


def cpu_seconds(pid):
    """User and system CPU time of the whole process, in seconds."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    tick = os.sysconf("SC_CLK_TCK")
    return int(fields[11]) / tick, int(fields[12]) / tick


def switches(pid):
    """Context switches of all the process's threads, voluntary or not."""
    total = 0
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/status") as status:
                total += sum(int(line.split()[1]) for line in status if "ctxt_switches" in line)
        except OSError:
            pass  # a thread that ended meanwhile
    return total


def main():
    args = argparse.ArgumentParser()
    args.add_argument("--journeys", type=int, default=300)
    args.add_argument("--binary", default="target/release/flows")
    opts = args.parse_args()
    work = tempfile.mkdtemp(prefix="flows-switches-")
    port = free_port()
    env = server_env(work, port, **NEARLY_FREE_HASHING)
    mail_dir = env["FLOWS_MAIL_DIR"]
    server = subprocess.Popen(
        ["taskset", "-c", "0", opts.binary, "serve"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port)
        for n in range(WARM_UP):
            through_pages(port, mail_dir, f"warm{n}")
            through_api(port, mail_dir, f"warm{n}")
        print(f"Server cost per registration around its hash, {opts.journeys} each, Argon2id nearly free:")
        for name, walk in (("hosted pages", through_pages), ("JSON API", through_api)):
            time.sleep(1)  # the last mail recorded
            (user, system), switched = cpu_seconds(server.pid), switches(server.pid)
            for n in range(opts.journeys):
                walk(port, mail_dir, f"{name[0]}{n}")
            time.sleep(1)
            (user2, system2), switched2 = cpu_seconds(server.pid), switches(server.pid)
            per = 1000 / opts.journeys
            print(
                f"  {name:12} user {(user2 - user) * per:.2f} ms, system {(system2 - system) * per:.2f} ms, "
                f"{(switched2 - switched) / opts.journeys:.0f} context switches"
            )
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
