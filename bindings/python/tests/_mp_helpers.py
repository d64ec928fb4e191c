"""Functions run in child processes by test_processes (importable by name,
as multiprocessing's spawn and forkserver start methods need)."""

import time

import redlite


def write_then_read(path, n, peer_key):
    """Writes n counter increments and its own key, then waits for the
    parent's key: both processes must see each other's writes."""
    with redlite.open(path) as d:
        for _ in range(n):
            d.incr("shared")
        d.set("child", "hello from the child")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            v = d.get(peer_key)
            if v is not None:
                return v.decode()
            time.sleep(0.02)
    return None


def blocked_pop(path):
    with redlite.open(path) as d:
        return d.blpop("jobs", timeout=20)


# Set by the parent before it forks (handles cannot be pickled).
INHERITED = None


def call_inherited():
    """Run in a child created by fork: uses the parent's handle."""
    try:
        INHERITED.get("k")
    except redlite.ForkedProcessError as e:
        return "ForkedProcessError: " + str(e)
    return "no error"
