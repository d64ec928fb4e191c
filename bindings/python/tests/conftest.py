"""Fixtures: a fresh redlite database per test (in memory, or a file), and
a real redis-server (started once per session on a free loopback port)
with a redis-py client, for the tests that compare the two."""

import shutil
import socket
import subprocess
import sys
import threading
import time

import pytest

import redlite


@pytest.fixture
def db():
    d = redlite.open()
    yield d
    d.close()


@pytest.fixture
def file_db(tmp_path):
    d = redlite.open(str(tmp_path / "test.db"))
    yield d
    d.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def redis_server():
    """(host, port) of a redis-server 7 started for this session."""
    exe = shutil.which("redis-server")
    if exe is None:
        pytest.fail("redis-server is not installed (scripts/deps.sh installs it)")
    port = _free_port()
    proc = subprocess.Popen(
        [exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                pytest.fail("redis-server did not start")
            time.sleep(0.05)
    yield ("127.0.0.1", port)
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture
def real(redis_server):
    """A redis-py client on an empty database of the real redis-server."""
    redis = pytest.importorskip("redis", reason="redis-py is the reference client (make test-python installs it)")
    host, port = redis_server
    r = redis.Redis(host=host, port=port)
    r.flushall()
    yield r
    r.close()


@pytest.fixture(params=["redlite", "redis"])
def either(request):
    """A client of each kind: tests using it run unchanged against redlite
    and against a real redis-server through redis-py."""
    if request.param == "redlite":
        d = redlite.open()
        yield d
        d.close()
    else:
        yield request.getfixturevalue("real")


def has_command(d, name: str) -> bool:
    """Whether redlite's command table has name (families still being
    written are tested once they land)."""
    return bool(d.execute_command("COMMAND", "INFO", name).get(name.lower()))


def need(d, *names: str) -> None:
    missing = [n for n in names if not has_command(d, n)]
    if missing:
        pytest.skip(f"not in redlite's command table yet: {', '.join(missing)}")


def run_threads(work, n: int, timeout: float) -> None:
    """Runs work(i) on n threads at once (i from 0) and waits for them
    (timeout seconds each)."""
    threads = [threading.Thread(target=work, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)


def pytest_terminal_summary(terminalreporter):
    """How many shared test vectors test_vectors.py compared and excluded
    (and why), whenever it ran."""
    mod = sys.modules.get("test_vectors")
    if mod is None or not mod.SUMMARY["files"]:
        return
    s = mod.SUMMARY
    for r in s["reasons"]:
        terminalreporter.write_line(f"vectors excluded: {r}")
    terminalreporter.write_line(
        f"vectors (Python, run_command_raw): {s['files']} files, {s['compared']} replies compared, "
        f"{s['excluded']} excluded")
