"""Pipelines: buffering, MULTI/EXEC, watch/multi/execute, WatchError."""

import threading

import pytest

import redlite


def test_buffered_until_execute(db):
    p = db.pipeline()
    assert p.set("a", 1) is p
    assert len(p) == 1
    assert db.get("a") is None
    assert p.incr("a").get("a").hgetall("nope").execute() == [True, 2, b"2", {}]
    assert len(p) == 0
    assert p.execute() == []


def test_non_transactional_pipeline(db):
    p = db.pipeline(transaction=False)
    p.rpush("l", 1, 2).lrange("l", 0, -1).zadd("z", {"a": 1}).zrange("z", 0, -1, withscores=True)
    assert p.execute() == [2, [b"1", b"2"], 1, [(b"a", 1.0)]]


def test_errors_are_annotated_and_others_run(db):
    db.set("s", "v")
    p = db.pipeline()
    p.set("a", 1).lpush("s", "x").set("b", 2)
    with pytest.raises(redlite.WrongTypeError) as e:
        p.execute()
    assert str(e.value).startswith("Command # 2 (LPUSH s x) of pipeline caused error: WRONGTYPE")
    assert db.mget("a", "b") == [b"1", b"2"]  # MULTI/EXEC does not roll back


def test_queueing_error_aborts_everything(db):
    p = db.pipeline()
    p.set("a", 1).execute_command("GET").set("b", 2)
    with pytest.raises(redlite.ResponseError) as e:
        p.execute()
    assert "wrong number of arguments" in str(e.value)
    assert "Command # 2" in str(e.value)
    assert db.mget("a", "b") == [None, None]


def test_watch_immediate_mode_and_watch_error(db):
    db.set("k", 1)
    with db.pipeline() as p:
        assert p.watch("k") is True
        assert p.watching
        assert p.get("k") == b"1"  # immediate while watching
        db.incr("k")  # another client
        p.multi()
        p.set("k", 100)
        with pytest.raises(redlite.WatchError):
            p.execute()
    assert db.get("k") == b"2"


def test_watch_from_another_thread_and_unwatch(db):
    db.set("k", 1)
    with db.pipeline() as p:
        p.watch("k")
        t = threading.Thread(target=lambda: db.set("other", 1))
        t.start()
        t.join()
        p.multi()
        p.incr("k")
        assert p.execute() == [2]
    with db.pipeline() as p:
        p.watch("k")
        assert p.unwatch() is True
        db.set("k", 5)
        p.multi()
        p.incr("k")
        assert p.execute() == [6]


def test_multi_rules(db):
    p = db.pipeline()
    p.multi()
    with pytest.raises(redlite.RedisError):
        p.multi()
    with pytest.raises(redlite.RedisError):
        p.watch("x")
    p.reset()
    p.set("a", 1)
    with pytest.raises(redlite.RedisError):
        p.multi()


def test_reset_discards(db):
    p = db.pipeline()
    p.set("a", 1)
    p.reset()
    assert p.execute() == []
    assert db.get("a") is None


def test_transaction_helper_retries(db):
    db.set("n", 0)
    attempts = []

    def incr_once(pipe):
        attempts.append(1)
        v = int(pipe.get("n"))
        if len(attempts) == 1:
            db.set("n", 10)  # a concurrent change: the first try must fail
        pipe.multi()
        pipe.set("n", v + 1)
        return v

    assert db.transaction(incr_once, "n", value_from_callable=True) == 10
    assert len(attempts) == 2
    assert db.get("n") == b"11"


def test_pipeline_is_one_transaction_for_other_readers(db):
    # A reader polling while the pipeline runs never sees half of it.
    stop = threading.Event()
    seen = []

    def reader():
        while not stop.is_set():
            a, b = db.mget("a", "b")
            seen.append((a, b))

    t = threading.Thread(target=reader)
    t.start()
    try:
        for i in range(200):
            p = db.pipeline()
            p.set("a", i).set("b", i)
            p.execute()
    finally:
        stop.set()
        t.join()
    assert all(a == b for a, b in seen)


def test_callbacks_apply_in_pipeline(db):
    p = db.pipeline()
    p.sadd("s", "a").smembers("s").expire("s", 10).ttl("s").type("s").exists("s").zadd("z", {"m": 2})
    p.zscore("z", "m").hset("h", mapping={"f": 1}).hgetall("h").scan(0)
    res = p.execute()
    assert res[:10] == [1, {b"a"}, True, 10, b"set", 1, 1, 2.0, 1, {b"f": b"1"}]
    assert res[10][0] == 0 and sorted(res[10][1]) == [b"h", b"s", b"z"]


def test_pipeline_decode_responses():
    with redlite.open(decode_responses=True) as d:
        p = d.pipeline()
        p.set("k", "é").get("k").hset("h", "f", "v").hgetall("h")
        assert p.execute() == [True, "é", 1, {"f": "v"}]
