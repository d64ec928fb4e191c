"""Blocking commands embedded: timeouts, wake-ups from other threads, and
the GIL released while they wait."""

import threading
import time

import pytest

import redlite
from conftest import need


def test_blpop_times_out(db):
    start = time.monotonic()
    assert db.blpop("q", timeout=0.2) is None
    assert 0.15 <= time.monotonic() - start < 3
    assert db.brpop(["a", "b"], timeout=0.1) is None
    assert db.brpoplpush("a", "b", timeout=0.1) is None
    assert db.blmove("a", "b", 0.1) is None
    assert db.blmpop(0.1, 1, "a", direction="LEFT") is None


def test_blpop_is_woken_by_a_push(db):
    got = []
    t = threading.Thread(target=lambda: got.append(db.blpop(["q1", "q2"], timeout=0)))
    t.start()
    time.sleep(0.2)
    db.rpush("q2", "x")
    t.join(5)
    assert got == [(b"q2", b"x")]


def test_first_come_first_served(db):
    got = []

    def waiter(name):
        got.append((name, db.brpop("q", timeout=5)))

    threads = []
    for name in ("first", "second"):
        t = threading.Thread(target=waiter, args=(name,))
        t.start()
        threads.append(t)
        time.sleep(0.2)
    db.lpush("q", "1")
    db.lpush("q", "2")
    for t in threads:
        t.join(10)
    assert got == [("first", (b"q", b"1")), ("second", (b"q", b"2"))]


def test_other_threads_run_while_one_blocks(db):
    # If the GIL were held during the wait, this thread would make no
    # progress until the pop timed out.
    t = threading.Thread(target=lambda: db.blpop("never", timeout=1.5))
    t.start()
    time.sleep(0.1)
    start = time.monotonic()
    n = 0
    while time.monotonic() - start < 0.5:
        n += 1
        db.set("k", n)
    assert t.is_alive()
    assert n > 100
    t.join(5)


def test_close_wakes_blocked_calls():
    d = redlite.open()
    errors = []

    def waiter():
        try:
            d.blpop("q", timeout=0)
        except redlite.RedisError as e:
            errors.append(e)

    t = threading.Thread(target=waiter)
    t.start()
    time.sleep(0.2)
    d.close()
    t.join(5)
    assert not t.is_alive()
    assert len(errors) == 1 and isinstance(errors[0], redlite.ConnectionError)


def test_bzpopmin_wakes(db):
    need(db, "BZPOPMIN")
    got = []
    t = threading.Thread(target=lambda: got.append(db.bzpopmin("z", timeout=5)))
    t.start()
    time.sleep(0.2)
    db.zadd("z", {"m": 1.5})
    t.join(5)
    assert got == [(b"z", b"m", 1.5)]
    assert db.bzpopmax("z", timeout=0.1) is None


def test_xread_block(db):
    need(db, "XREAD", "XADD")
    got = []
    t = threading.Thread(target=lambda: got.append(db.xread({"s": "$"}, block=5000)))
    t.start()
    time.sleep(0.2)
    eid = db.xadd("s", {"f": "v"})
    t.join(10)
    assert got == [[[b"s", [(eid, {b"f": b"v"})]]]]
    assert db.xread({"s": "$"}, block=100) == []


@pytest.mark.parametrize("timeout", [-1, "x"])
def test_bad_timeouts(db, timeout):
    with pytest.raises(redlite.ResponseError):
        db.blpop("q", timeout=timeout)
