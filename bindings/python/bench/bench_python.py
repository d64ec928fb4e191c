"""The Python binding's benchmark (make bench): GET, SET, HSET and LPUSH
ops/s from Python, embedded (redlite.open on a file), against the same
calls through redis-py to a real redis-server on loopback, and against the
Go-native call (core.Session.Do, measured by bench/cmd/sessionbench and
passed in with --go). Prints a markdown section (also written to --out).

Each side runs alternately, --rounds rounds of --secs seconds per
operation, and keeps its best round (the machine is shared)."""

import argparse
import os
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time

import redis

import redlite

NKEYS = 1000
VALUE = b"0123456789abcdef0123456789abcdef"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_redis(workdir: str):
    port = free_port()
    # appendonly everysec: the durability closest to redlite's default
    # (nothing acknowledged is lost when the process crashes).
    args = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes",
            "--appendfsync", "everysec", "--dir", workdir]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            shown = [a if a != str(port) else "PORT" for a in args[:-2]]
            return proc, port, shlex.join(shown)
        except OSError:
            if time.monotonic() > deadline:
                proc.kill()
                raise SystemExit("redis-server did not start")
            time.sleep(0.05)


def operations(c):
    keys = [f"key:{i}".encode() for i in range(NKEYS)]
    hkeys = [b"h" + k for k in keys]
    lkeys = [b"l" + k for k in keys]
    get, set_, hset, lpush = c.get, c.set, c.hset, c.lpush
    return {
        "GET": lambda i: get(keys[i]),
        "SET": lambda i: set_(keys[i], VALUE),
        "HSET": lambda i: hset(hkeys[i], b"field", VALUE),
        "LPUSH": lambda i: lpush(lkeys[i], VALUE),
    }


def measure(op, secs: float) -> float:
    n = 0
    start = time.perf_counter()
    while True:
        for i in range(NKEYS):
            op(i)
        n += NKEYS
        elapsed = time.perf_counter() - start
        if elapsed >= secs:
            return n / elapsed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--secs", type=float, default=1.0)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--go", help="file with sessionbench's output (name ops/s per line)")
    ap.add_argument("--out")
    a = ap.parse_args()
    if shutil.which("redis-server") is None:
        raise SystemExit("redis-server is not installed (scripts/deps.sh installs it)")

    go = {}
    if a.go:
        with open(a.go) as f:
            for line in f:
                name, rate = line.split()
                go[name] = float(rate)

    with tempfile.TemporaryDirectory() as tmp:
        proc, port, redis_cmd = start_redis(tmp)
        db = redlite.open(os.path.join(tmp, "bench.db"))
        r = redis.Redis(host="127.0.0.1", port=port)
        try:
            for c in (db, r):
                c.mset({f"key:{i}": VALUE for i in range(NKEYS)})
            mine, theirs = operations(db), operations(r)
            best = {name: [0.0, 0.0] for name in mine}
            for _ in range(a.rounds):
                for name in mine:
                    best[name][0] = max(best[name][0], measure(mine[name], a.secs))
                    best[name][1] = max(best[name][1], measure(theirs[name], a.secs))
        finally:
            r.close()
            db.close()
            proc.terminate()
            proc.wait(10)

    lines = [
        "## Python binding (bindings/python)",
        "",
        f"`make bench` (bindings/python/bench/bench_python.py): ops/s from one Python {sys.version.split()[0]} thread, "
        f"best of {a.rounds} alternating rounds of {a.secs:g}s, {NKEYS} keys, 32-byte values. "
        "**embedded**: `redlite.open(file)` (typed fast paths of the C ABI, GIL released during calls); "
        f"**redis-py**: redis-py {redis.__version__} to a real redis-server on loopback (`{redis_cmd}`, "
        "the durability closest to redlite's default); **Go-native**: `core.Session.Do` on one session "
        "(bench/cmd/sessionbench), the call the binding wraps.",
        "",
        "| operation | embedded ops/s | redis-py ops/s | embedded / redis-py | Go-native ops/s | embedded / Go-native |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, (emb, rp) in best.items():
        g = go.get(name)
        gcol = f"{g:.0f} | {emb / g:.2f}x" if g else "not measured | -"
        lines.append(f"| {name} | {emb:.0f} | {rp:.0f} | {emb / rp:.2f}x | {gcol} |")
    text = "\n".join(lines) + "\n"
    print(text)
    if a.out:
        with open(a.out, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
