"""PubSub over a dedicated conn: confirmations, messages, patterns, shard
channels, handlers, timeouts, listen(), run_in_thread()."""

import threading
import time

import pytest

import redlite


def drain(p, n, timeout=5.0):
    out = []
    deadline = time.monotonic() + timeout
    while len(out) < n and time.monotonic() < deadline:
        m = p.get_message(timeout=0.5)
        if m is not None:
            out.append(m)
    return out


def test_confirmations_and_messages_in_order(db):
    p = db.pubsub()
    assert p.subscribe("a", "b") is None
    p.psubscribe("x*")
    assert p.subscribed
    assert db.publish("a", "1") == 1
    assert db.publish("xy", "2") == 1
    assert drain(p, 5) == [
        {"type": "subscribe", "pattern": None, "channel": b"a", "data": 1},
        {"type": "subscribe", "pattern": None, "channel": b"b", "data": 2},
        {"type": "psubscribe", "pattern": None, "channel": b"x*", "data": 3},
        {"type": "message", "pattern": None, "channel": b"a", "data": b"1"},
        {"type": "pmessage", "pattern": b"x*", "channel": b"xy", "data": b"2"},
    ]
    assert p.get_message() is None
    p.close()


def test_unsubscribe_ends_subscription(db):
    p = db.pubsub(ignore_subscribe_messages=True)
    p.subscribe("a")
    p.psubscribe("p*")
    assert p.get_message() is None  # confirmation, ignored
    p.unsubscribe()
    p.punsubscribe("p*")
    msgs = [p.get_message(timeout=0.5) for _ in range(3)]
    assert msgs.count(None) == 3
    assert not p.subscribed
    assert p.channels == {} and p.patterns == {}
    assert db.pubsub_numsub("a") == [(b"a", 0)]
    assert p.get_message(timeout=0.1) is None  # not subscribed: waits, then None


def test_get_message_timeout_waits_without_holding_the_gil(db):
    p = db.pubsub(ignore_subscribe_messages=True)
    p.subscribe("c")
    p.get_message()
    start = time.monotonic()
    assert p.get_message(timeout=0.3) is None
    assert 0.25 <= time.monotonic() - start < 3

    def later():
        time.sleep(0.2)
        db.publish("c", "late")

    threading.Thread(target=later).start()
    m = p.get_message(timeout=5)
    assert m["data"] == b"late"
    p.close()


def test_get_message_timeout_none_blocks_until_a_message(db):
    p = db.pubsub(ignore_subscribe_messages=True)
    p.subscribe("c")
    assert p.get_message(timeout=None) is None  # the confirmation
    threading.Timer(0.2, lambda: db.publish("c", "x")).start()
    assert p.get_message(timeout=None)["data"] == b"x"
    p.close()


def test_handlers(db):
    got = []
    p = db.pubsub()
    p.subscribe(**{"c": got.append})
    p.psubscribe(**{"p.*": got.append})
    db.publish("c", "1")
    db.publish("p.x", "2")
    assert [m["type"] for m in drain(p, 2)] == ["subscribe", "psubscribe"]
    assert p.get_message(timeout=1) is None  # went to the handler
    assert p.get_message(timeout=1) is None
    assert [(m["type"], m["data"]) for m in got] == [("message", b"1"), ("pmessage", b"2")]
    p.close()


def test_listen(db):
    p = db.pubsub()
    p.subscribe("c")

    def publisher():
        time.sleep(0.1)
        db.publish("c", "one")
        db.publish("c", "two")

    threading.Thread(target=publisher).start()
    out = []
    for m in p.listen():
        out.append(m["data"])
        if len(out) == 3:
            break
    assert out == [1, b"one", b"two"]
    p.close()


def test_run_in_thread_and_stop(db):
    got = []
    p = db.pubsub()
    p.subscribe(**{"c": lambda m: got.append(m["data"])})
    t = p.run_in_thread()  # sleep_time 0: waits in the library, no busy loop
    for i in range(5):
        db.publish("c", str(i))
    deadline = time.monotonic() + 5
    while len(got) < 5 and time.monotonic() < deadline:
        time.sleep(0.01)
    start = time.monotonic()
    t.stop()
    t.join(5)
    assert not t.is_alive()
    assert time.monotonic() - start < 3
    assert got == [b"0", b"1", b"2", b"3", b"4"]
    assert p._conn is None  # the worker closed it


def test_run_in_thread_needs_handlers(db):
    p = db.pubsub()
    p.subscribe("c")
    with pytest.raises(redlite.PubSubError):
        p.run_in_thread()
    p.close()


def test_shard_channels(db):
    p = db.pubsub()
    p.ssubscribe("s")
    assert db.spublish("s", "m") == 1
    assert [(m["type"], m["channel"], m["data"]) for m in drain(p, 2)] == [
        ("ssubscribe", b"s", 1), ("smessage", b"s", b"m")]
    p.sunsubscribe()
    assert drain(p, 1)[0]["type"] == "sunsubscribe"
    p.close()


def test_ping_while_subscribed(db):
    p = db.pubsub(ignore_subscribe_messages=True)
    p.subscribe("c")
    p.ping("hello")
    msgs = [p.get_message(timeout=1) for _ in range(2)]
    assert {"type": "pong", "pattern": None, "channel": None, "data": b"hello"} in msgs
    p.close()


def test_decode_responses():
    with redlite.open(decode_responses=True) as d:
        p = d.pubsub()
        p.subscribe("ç")
        d.publish("ç", "é")
        assert [(m["channel"], m["data"]) for m in drain(p, 2)] == [("ç", 1), ("ç", "é")]
        p.close()


def test_close_wakes_a_waiting_reader(db):
    p = db.pubsub(ignore_subscribe_messages=True)
    p.subscribe("c")
    p.get_message()
    result = []
    t = threading.Thread(target=lambda: result.append(p.get_message(timeout=None)))
    t.start()
    time.sleep(0.2)
    p.close()
    t.join(5)
    assert not t.is_alive()
    assert result == [None]


def test_get_message_before_subscribe(db):
    p = db.pubsub()
    assert p.get_message(timeout=0.05) is None
    with pytest.raises(RuntimeError):
        list(zip(range(1), p._next(0)))  # no connection yet


def test_messages_from_another_handle_and_a_pipeline(file_db):
    other = redlite.open(file_db.path)
    try:
        p = file_db.pubsub(ignore_subscribe_messages=True)
        p.subscribe("c")
        p.get_message()
        other.publish("c", "cross-handle")
        pipe = file_db.pipeline()
        pipe.publish("c", "from-pipeline").execute()
        # Another handle of the file is another "process" for the core:
        # its messages arrive through the file, so their order relative
        # to local ones is not fixed.
        datas = sorted(m["data"] for m in drain(p, 2))
        assert datas == [b"cross-handle", b"from-pipeline"]
        p.close()
    finally:
        other.close()
