"""Ordinary redis-py code, written the way redis-py users write it, run
unchanged against redlite.open() and (as the reference) against redis-py
on a real redis-server. Each test takes a client ``r`` and nothing in it
knows which kind it got."""

import json
import threading
import time
import uuid

import pytest


@pytest.fixture
def r(either):
    return either


def errors_of(r):
    """The module of exception classes matching the client (redis-py code
    catches redis.exceptions.*; redlite has the same names)."""
    return __import__(type(r).__module__.split(".")[0])


# --- caching ---------------------------------------------------------------

def get_user(r, user_id, loader):
    key = f"user:{user_id}"
    cached = r.get(key)
    if cached is not None:
        return json.loads(cached)
    user = loader(user_id)
    r.set(key, json.dumps(user), ex=300)
    return user


def test_cache_aside(r):
    calls = []

    def loader(uid):
        calls.append(uid)
        return {"id": uid, "name": "Ada"}

    assert get_user(r, 1, loader) == {"id": 1, "name": "Ada"}
    assert get_user(r, 1, loader) == {"id": 1, "name": "Ada"}
    assert calls == [1]
    assert 0 < r.ttl("user:1") <= 300
    r.delete("user:1")
    get_user(r, 1, loader)
    assert calls == [1, 1]


# --- counters and rate limiting -----------------------------------------

def allow_request(r, client_id, limit=5, window=60):
    key = f"rate:{client_id}:{int(time.time() // window)}"
    pipe = r.pipeline()
    pipe.incr(key)
    pipe.expire(key, window)
    count, _ = pipe.execute()
    return count <= limit


def test_fixed_window_rate_limiter(r):
    results = [allow_request(r, "abc") for _ in range(7)]
    assert results == [True] * 5 + [False] * 2
    assert allow_request(r, "other")


def test_page_view_counters(r):
    for page in ["home", "about", "home", "home"]:
        r.hincrby("views", page, 1)
    assert r.hgetall("views") == {b"home": b"3", b"about": b"1"}
    assert int(r.hget("views", "home")) == 3
    r.incrbyfloat("revenue", 9.99)
    r.incrbyfloat("revenue", 0.01)
    assert round(float(r.get("revenue")), 2) == 10.0


# --- sessions in hashes ----------------------------------------------------

def test_session_store(r):
    sid = uuid.uuid4().hex
    r.hset(f"session:{sid}", mapping={"user": "ada", "cart_items": 0, "theme": "dark"})
    r.expire(f"session:{sid}", 1800)
    r.hincrby(f"session:{sid}", "cart_items", 2)
    session = r.hgetall(f"session:{sid}")
    assert session[b"user"] == b"ada"
    assert int(session[b"cart_items"]) == 2
    assert r.hmget(f"session:{sid}", "user", "theme", "missing") == [b"ada", b"dark", None]
    assert r.hexists(f"session:{sid}", "theme")
    r.hdel(f"session:{sid}", "theme")
    assert not r.hexists(f"session:{sid}", "theme")
    assert r.ttl(f"session:{sid}") > 1700


# --- job queues ------------------------------------------------------------

def test_reliable_queue(r):
    for i in range(3):
        r.lpush("jobs", json.dumps({"n": i}))
    done = []
    while True:
        raw = r.rpoplpush("jobs", "jobs:processing")
        if raw is None:
            break
        job = json.loads(raw)
        done.append(job["n"])
        r.lrem("jobs:processing", 1, raw)
    assert done == [0, 1, 2]
    assert r.llen("jobs:processing") == 0


def test_blocking_worker(r):
    results = []

    def worker():
        item = r.blpop(["queue:high", "queue:low"], timeout=5)
        results.append(item)

    t = threading.Thread(target=worker)
    t.start()
    time.sleep(0.2)
    r.rpush("queue:low", "task-1")
    t.join(10)
    assert results == [(b"queue:low", b"task-1")]
    assert r.blpop("queue:high", timeout=0.1) is None


# --- leaderboards ----------------------------------------------------------

def test_leaderboard(r):
    r.zadd("scores", {"ada": 120, "bob": 95, "cy": 150})
    r.zincrby("scores", 40, "bob")
    top = r.zrevrange("scores", 0, 2, withscores=True)
    assert top == [(b"cy", 150.0), (b"bob", 135.0), (b"ada", 120.0)]
    assert r.zrank("scores", "ada") == 0
    assert r.zrevrank("scores", "ada") == 2
    assert r.zscore("scores", "bob") == 135.0
    assert r.zcount("scores", 100, "+inf") == 3
    assert r.zrangebyscore("scores", 130, 200) == [b"bob", b"cy"]
    r.zrem("scores", "cy")
    assert r.zcard("scores") == 2


# --- tags with sets ----------------------------------------------------------

def test_tagging(r):
    r.sadd("tag:python", "post:1", "post:2", "post:3")
    r.sadd("tag:redis", "post:2", "post:3", "post:4")
    assert r.sinter("tag:python", "tag:redis") == {b"post:2", b"post:3"}
    assert r.sunion("tag:python", "tag:redis") == {b"post:1", b"post:2", b"post:3", b"post:4"}
    assert r.sdiff("tag:python", "tag:redis") == {b"post:1"}
    assert r.sismember("tag:python", "post:1")
    assert r.scard("tag:redis") == 3


# --- optimistic locking ---------------------------------------------------------

def transfer(r, src, dst, amount):
    exc = errors_of(r)
    with r.pipeline() as pipe:
        while True:
            try:
                pipe.watch(src, dst)
                balance = int(pipe.get(src) or 0)
                if balance < amount:
                    pipe.unwatch()
                    return False
                pipe.multi()
                pipe.decrby(src, amount)
                pipe.incrby(dst, amount)
                pipe.execute()
                return True
            except exc.WatchError:
                continue


def test_watch_multi_exec_transfer(r):
    r.set("acct:a", 100)
    r.set("acct:b", 0)
    assert transfer(r, "acct:a", "acct:b", 30)
    assert not transfer(r, "acct:a", "acct:b", 500)
    assert r.mget("acct:a", "acct:b") == [b"70", b"30"]


def test_watch_error_when_key_changes(r):
    exc = errors_of(r)
    r.set("stock", 10)
    with r.pipeline() as pipe:
        pipe.watch("stock")
        n = int(pipe.get("stock"))
        r.set("stock", 5)  # another client changes it
        pipe.multi()
        pipe.set("stock", n - 1)
        with pytest.raises(exc.WatchError):
            pipe.execute()
    assert r.get("stock") == b"5"


def test_transaction_helper(r):
    r.set("counter", 1)

    def double(pipe):
        value = int(pipe.get("counter"))
        pipe.multi()
        pipe.set("counter", value * 2)

    assert r.transaction(double, "counter") == [True]
    assert r.get("counter") == b"2"


def test_pipeline_results_and_errors(r):
    exc = errors_of(r)
    pipe = r.pipeline(transaction=False)
    pipe.set("a", 1).get("a").hset("h", "f", "v").hgetall("h").lpush("a", "x")
    with pytest.raises(exc.ResponseError):
        pipe.execute()
    pipe = r.pipeline()
    pipe.set("a", 1).lpush("a", "x").get("a")
    results = pipe.execute(raise_on_error=False)
    assert results[0] is True
    assert isinstance(results[1], exc.ResponseError)
    assert results[2] == b"1"


# --- expiry and housekeeping -------------------------------------------------

def test_scan_and_cleanup(r):
    for i in range(50):
        r.set(f"tmp:{i}", i)
    r.set("keep", 1)
    deleted = 0
    for key in r.scan_iter("tmp:*", count=10):
        deleted += r.delete(key)
    assert deleted == 50
    assert r.keys("*") == [b"keep"]


def test_short_lived_lock(r):
    token = uuid.uuid4().hex
    assert r.set("lock:report", token, nx=True, px=5000)
    assert r.set("lock:report", "other", nx=True, px=5000) is None
    if r.get("lock:report") == token.encode():
        r.delete("lock:report")
    assert r.set("lock:report", "other", nx=True, px=5000)


def test_errors_look_like_redis_py(r):
    exc = errors_of(r)
    r.set("name", "ada")
    with pytest.raises(exc.ResponseError) as info:
        r.lpush("name", "x")
    assert "WRONGTYPE" in str(info.value)
    with pytest.raises(exc.ResponseError):
        r.incr("name")
    with pytest.raises(exc.DataError):
        r.set("flag", True)


# --- pub/sub -----------------------------------------------------------------

def test_pubsub_chat(r):
    p = r.pubsub(ignore_subscribe_messages=True)
    p.subscribe("chat:general")
    p.psubscribe("chat:dm:*")
    r.publish("chat:general", "hello")
    r.publish("chat:dm:ada", "psst")
    got = []
    deadline = time.time() + 5
    while len(got) < 2 and time.time() < deadline:
        m = p.get_message(timeout=1)
        if m:
            got.append((m["type"], m["channel"], m["data"]))
    assert got == [("message", b"chat:general", b"hello"), ("pmessage", b"chat:dm:ada", b"psst")]
    p.close()


def test_pubsub_handlers_in_a_thread(r):
    received = []
    p = r.pubsub()
    p.subscribe(**{"events": lambda m: received.append(m["data"])})
    thread = p.run_in_thread(sleep_time=0.05)
    try:
        for i in range(3):
            r.publish("events", f"e{i}")
        deadline = time.time() + 5
        while len(received) < 3 and time.time() < deadline:
            time.sleep(0.02)
    finally:
        thread.stop()
        thread.join(5)
    assert received == [b"e0", b"e1", b"e2"]
