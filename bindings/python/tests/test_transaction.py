"""``with db.transaction() as tx``: one SQLite transaction on its own conn."""

import threading
import time

import pytest

import redlite
from conftest import run_threads


def test_commit(file_db):
    with file_db.transaction() as tx:
        tx.set("a", 1)
        tx.hset("h", mapping={"f": "v"})
        tx.lpush("l", "x", "y")
        assert tx.get("a") == b"1"  # reads see the transaction's writes
        assert tx.lrange("l", 0, -1) == [b"y", b"x"]
    assert file_db.get("a") == b"1"
    assert file_db.hgetall("h") == {b"f": b"v"}


def test_rollback_on_exception(file_db):
    file_db.set("a", "before")
    with pytest.raises(ZeroDivisionError):
        with file_db.transaction() as tx:
            tx.set("a", "after")
            tx.incr("n")
            1 / 0
    assert file_db.get("a") == b"before"
    assert file_db.get("n") is None


def test_failed_command_does_not_end_it(db):
    db.set("s", "v")
    with db.transaction() as tx:
        tx.set("x", 1)
        with pytest.raises(redlite.WrongTypeError):
            tx.lpush("s", "y")
        tx.set("y", 2)
    assert db.mget("x", "y", "s") == [b"1", b"2", b"v"]


def test_invisible_to_others_until_commit(file_db):
    seen = {}
    with file_db.transaction() as tx:
        tx.set("k", "v")
        t = threading.Thread(target=lambda: seen.setdefault("k", file_db.get("k")))
        t.start()
        t.join(10)
    assert seen == {"k": None}
    assert file_db.get("k") == b"v"


def test_other_writers_wait_for_commit(file_db):
    done = []

    def writer():
        file_db.set("w", "other")
        done.append(time.monotonic())

    with file_db.transaction() as tx:
        tx.set("w", "tx")
        t = threading.Thread(target=writer)
        t.start()
        time.sleep(0.3)
        assert done == []  # still waiting for the transaction
        committed = time.monotonic()
    t.join(10)
    assert done and done[0] >= committed
    assert file_db.get("w") == b"other"


def test_explicit_begin_commit_rollback(db):
    tx = db.transaction()
    assert not tx.active
    tx.begin()
    assert tx.active
    tx.set("a", 1)
    tx.rollback()
    assert db.get("a") is None
    with pytest.raises(redlite.RedisError):
        tx.commit()
    with pytest.raises(redlite.ConnectionError):
        tx.set("a", 2)  # its conn went back to the pool
    tx.begin()
    tx.set("a", 3)
    tx.commit()
    assert db.get("a") == b"3"
    with pytest.raises(redlite.RedisError):
        with tx:
            tx.begin()


def test_blocking_pop_inside_answers_at_once(db):
    with db.transaction() as tx:
        start = time.monotonic()
        assert tx.blpop("empty", timeout=5) is None
        assert time.monotonic() - start < 2


def test_many_transactions_reuse_conns(db):
    for i in range(300):
        with db.transaction() as tx:
            tx.incr("n")
    assert db.get("n") == b"300"
    assert len(db._pool) <= 8


def test_threads_with_their_own_transactions(file_db):
    def work(_):
        for _ in range(50):
            with file_db.transaction() as tx:
                v = int(tx.get("n") or 0)
                tx.set("n", v + 1)

    run_threads(work, 4, 60)
    assert file_db.get("n") == b"200"  # read-modify-write is atomic in each


def test_writing_through_the_db_from_the_transaction_thread_is_refused(file_db):
    with file_db.transaction() as tx:
        tx.set("a", 1)
        for write in (lambda: file_db.set("b", 2), lambda: file_db.lpush("l", "x"),
                      lambda: file_db.execute_command("SET", "b", 2), lambda: file_db.append("b", "x"),
                      lambda: file_db.pipeline().set("b", 2).execute(), lambda: file_db.transaction().begin()):
            with pytest.raises(redlite.RedisError, match="transaction"):
                write()
        assert file_db.get("a") is None  # reads are fine: the committed state
        assert file_db.lrange("l", 0, -1) == []
    file_db.set("b", 2)  # fine once it ended
    assert file_db.mget("a", "b") == [b"1", b"2"]
    assert file_db._tx_threads == {}


def test_other_threads_may_write_meanwhile(file_db):
    with file_db.transaction() as tx:
        tx.set("a", 1)
        t = threading.Thread(target=lambda: file_db.set("b", 2))
        t.start()
    t.join(10)
    assert file_db.mget("a", "b") == [b"1", b"2"]
