"""The hot commands take the C ABI's typed calls; arguments they cannot
take fall back to the generic command with the same result."""

import datetime

import pytest

import redlite
import redlite.client


@pytest.fixture
def no_generic(monkeypatch):
    calls = []
    real = redlite.client.run_command

    def spy(h, is_conn, args, decode):
        calls.append(args[0])
        return real(h, is_conn, args, decode)

    monkeypatch.setattr(redlite.client, "run_command", spy)
    return calls


def hot_calls(c):
    c.set("k", "v")
    c.set("k", "v", ex=10)
    c.set("k", "v", px=datetime.timedelta(seconds=3), xx=True)
    c.set("k2", "v", nx=True)
    c.get("k")
    c.get("missing")
    c.exists("k")
    c.exists("k", "k2", "nope")
    c.incr("n")
    c.incr("n", 5)
    c.decr("n", 2)
    c.incrby("n", 3)
    c.decrby("n")
    c.expire("k", 100)
    c.pexpire("k", 100000)
    c.hset("h", "f", "v")
    c.hset("h", mapping={"a": 1, "b": 2})
    c.hget("h", "f")
    c.lpush("l", "x")
    c.lpush("l", "y", "z")
    c.rpop("l")
    c.sadd("s", "a")
    c.sadd("s", "b", "c")
    c.zadd("z", {"a": 1})
    c.zadd("z", {"b": 2.5, "c": -3})
    c.zscore("z", "b")
    c.delete("k")
    c.delete("k2", "s")


def test_hot_commands_skip_the_generic_path(db, no_generic):
    hot_calls(db)
    assert no_generic == []
    with db.transaction() as tx:
        del no_generic[:]  # opening the conn ran CONFIG GET requirepass
        hot_calls(tx)
        assert no_generic == []


def test_fast_and_generic_agree(no_generic):
    a, b = redlite.open(), redlite.open()
    try:
        hot_calls(a)
        for cmd in (["SET", "k", "v"], ["SET", "k", "v", "EX", "10"], ["SET", "k", "v", "PX", "3000", "XX"],
                    ["SET", "k2", "v", "NX"], ["INCRBY", "n", "1"], ["INCRBY", "n", "5"], ["DECRBY", "n", "2"],
                    ["INCRBY", "n", "3"], ["DECRBY", "n", "1"], ["EXPIRE", "k", "100"], ["PEXPIRE", "k", "100000"],
                    ["HSET", "h", "f", "v"], ["HSET", "h", "a", "1", "b", "2"], ["LPUSH", "l", "x"],
                    ["LPUSH", "l", "y", "z"], ["RPOP", "l"], ["SADD", "s", "a"], ["SADD", "s", "b", "c"],
                    ["ZADD", "z", "1", "a"], ["ZADD", "z", "2.5", "b", "-3", "c"], ["DEL", "k"], ["DEL", "k2", "s"]):
            b.execute_command(*cmd)
        for key in ("k", "k2", "n", "h", "l", "s", "z"):
            assert a.dump(key) == b.dump(key) if a.execute_command("COMMAND", "INFO", "dump").get("dump") else True
            assert a.type(key) == b.type(key)
        assert a.hgetall("h") == b.hgetall("h")
        assert a.lrange("l", 0, -1) == b.lrange("l", 0, -1)
        assert a.zrange("z", 0, -1, withscores=True) == b.zrange("z", 0, -1, withscores=True)
        assert a.get("n") == b.get("n")
    finally:
        a.close()
        b.close()


def test_fallbacks(db, no_generic):
    assert db.set("k", "v", get=True) is None
    assert db.set("k", "v", exat=2_000_000_000)
    assert db.set("k", "v", ex="10")  # redis-py accepts digit strings for ex
    assert db.set("k", "v", keepttl=True)
    with pytest.raises(redlite.ResponseError, match="invalid expire time"):
        db.set("k", "v", ex=0)
    with pytest.raises(redlite.ResponseError):
        db.incr("n", 2**64)
    assert db.rpop("l", 2) is None
    assert db.zadd("z", {"a": "+inf"}) == 1
    assert db.zscore("z", "a") == float("inf")
    with pytest.raises(redlite.ResponseError):
        db.zadd("z", {"b": float("nan")})
    assert db.zadd("z", {"a": 2**60}) == 0
    assert db.zscore("z", "a") == float(2**60)
    with pytest.raises(redlite.ResponseError, match="wrong number of arguments"):
        db.delete()
    with pytest.raises(redlite.ResponseError, match="wrong number of arguments"):
        db.lpush("l")
    assert no_generic == [b"SET", b"SET", b"SET", b"SET", b"INCRBY", b"RPOP", b"ZADD", b"ZADD",
                          b"ZADD", b"DEL", b"LPUSH"]


def test_binary_keys_and_values(db):
    key, value = b"\x00k\xff", bytes(range(256))
    assert db.set(key, value)
    assert db.get(key) == value
    assert db.hset(key + b"h", b"\x00", value) == 1
    assert db.hget(key + b"h", b"\x00") == value
    assert db.get(b"") is None
    assert db.set(b"", b"")
    assert db.get(b"") == b""
    assert db.get(memoryview(key)) == value
    assert db.get(bytearray(key)) == value


def test_extension_calls_the_typed_c_functions():
    """The hot methods' rl_* helpers (ffibuild.py) are thin wrappers over the
    C ABI's typed functions, for a db and for a conn: the compiled extension
    imports every one of them from libredlite (and the test above shows the
    methods skip the generic path)."""
    import subprocess

    from redlite import _redlite

    out = subprocess.run(["nm", "-D", "--undefined-only", _redlite.__file__], capture_output=True, text=True,
                         check=True).stdout
    imported = {line.split()[-1].split("@")[0] for line in out.splitlines() if line.strip()}
    typed = ["get", "set", "del", "exists", "incr", "expire", "hget", "hset", "lpush", "rpop", "sadd", "zadd",
             "zscore"]
    missing = [f for t in typed for f in (f"redlite_{t}", f"redlite_conn_{t}") if f not in imported]
    assert not missing, f"the extension does not call {missing}"


def single_key_calls(c):
    """Every py_* call of the extension through its method: the single-key
    paths and the ones with lists."""
    return {
        "get": lambda: c.get("x"),
        "set": lambda: c.set("x", "v", ex=100, xx=True),
        "delete": lambda: c.delete("x"),
        "exists": lambda: c.exists("x"),
        "incr": lambda: c.incr("x"),
        "decrby": lambda: c.decrby("x", 2),
        "expire": lambda: c.expire("x", 100),
        "pexpire": lambda: c.pexpire("x", 100000),
        "hget": lambda: c.hget("x", "f"),
        "hset": lambda: c.hset("x", "f", "v"),
        "lpush": lambda: c.lpush("x", "v"),
        "rpop": lambda: c.rpop("x"),
        "sadd": lambda: c.sadd("x", "m"),
        "zadd": lambda: c.zadd("x", {"m": 1.5}),
        "zscore": lambda: c.zscore("x", "m"),
        "delete many": lambda: c.delete("x", "y"),
        "exists many": lambda: c.exists("x", "y", "x"),
        "hset many": lambda: c.hset("x", mapping={"f": "v", "g": 2}),
        "lpush many": lambda: c.lpush("x", "a", "b"),
        "sadd many": lambda: c.sadd("x", "a", "b", "a"),
        "zadd many": lambda: c.zadd("x", {"a": 1, "b": -2.5}),
    }


GENERIC = {
    "get": ["GET", "x"], "set": ["SET", "x", "v", "EX", "100", "XX"], "delete": ["DEL", "x"],
    "exists": ["EXISTS", "x"], "incr": ["INCRBY", "x", "1"], "decrby": ["DECRBY", "x", "2"],
    "expire": ["EXPIRE", "x", "100"], "pexpire": ["PEXPIRE", "x", "100000"], "hget": ["HGET", "x", "f"],
    "hset": ["HSET", "x", "f", "v"], "lpush": ["LPUSH", "x", "v"], "rpop": ["RPOP", "x"],
    "sadd": ["SADD", "x", "m"], "zadd": ["ZADD", "x", "1.5", "m"], "zscore": ["ZSCORE", "x", "m"],
    "delete many": ["DEL", "x", "y"], "exists many": ["EXISTS", "x", "y", "x"],
    "hset many": ["HSET", "x", "f", "v", "g", "2"], "lpush many": ["LPUSH", "x", "a", "b"],
    "sadd many": ["SADD", "x", "a", "b", "a"], "zadd many": ["ZADD", "x", "1", "a", "-2.5", "b"],
}


def outcome(f):
    try:
        return "ok", f()
    except redlite.RedisError as e:
        return type(e), str(e)


@pytest.mark.parametrize("holder", [None, "string", "text", "hash", "list", "set", "zset"])
def test_single_key_calls_match_the_generic_command(holder, no_generic):
    """Result, error class and message of each py_* path against the same
    command through execute_command, with x missing or holding each type
    (WRONGTYPE, not-an-integer...), on the db handle and in a transaction
    (a conn)."""
    fill = {"string": ["SET", "x", "12"], "text": ["SET", "x", "abc"], "hash": ["HSET", "x", "f", "v"],
            "list": ["RPUSH", "x", "a", "b"], "set": ["SADD", "x", "m"], "zset": ["ZADD", "x", "2", "m"]}
    a, b = redlite.open(), redlite.open()
    try:
        for name, call in single_key_calls(a).items():
            for c in (a, b):
                c.execute_command("DEL", "x")
                if holder:
                    c.execute_command(*fill[holder])
            del no_generic[:]
            with a.transaction() as tx:
                got_tx = outcome(single_key_calls(tx)[name])
                tx.rollback() if tx.active else None
            got = outcome(call)
            assert no_generic == [b"CONFIG"] or no_generic == [], (name, no_generic)
            want = outcome(lambda: b.execute_command(*GENERIC[name]))
            assert got == got_tx, name
            assert got[0] == want[0] and got[0] is not None, (name, got, want)
            if got[0] != "ok":
                assert got[1] == want[1], name
    finally:
        a.close()
        b.close()


def test_single_key_calls_on_a_closed_database():
    db = redlite.open()
    calls = single_key_calls(db)
    db.close()
    for name, call in calls.items():
        with pytest.raises(redlite.ConnectionError):
            call()


def test_single_key_calls_decode():
    db = redlite.open(decode_responses=True)
    try:
        db.set("k", "välue")
        db.hset("h", "f", "välue")
        db.lpush("l", "välue")
        assert db.get("k") == "välue"
        assert db.hget("h", "f") == "välue"
        assert db.rpop("l") == "välue"
        assert db.get("nope") is None and db.hget("h", "nope") is None and db.rpop("l") is None
    finally:
        db.close()


def test_py_calls_check_their_arguments(db):
    """The extension's py_* functions refuse what the methods never pass
    them, with TypeError and without calling the library."""
    from redlite import _redlite

    h = db._hp
    with pytest.raises(TypeError):
        _redlite.py_get(h, 0)
    with pytest.raises(TypeError):
        _redlite.py_get(h, 0, b"k", b"extra")
    with pytest.raises(TypeError):
        _redlite.py_get(h, 0, "k")
    with pytest.raises(TypeError):
        _redlite.py_get("h", 0, b"k")
    with pytest.raises(TypeError):
        _redlite.py_set(h, 0, b"k", b"v", "0", 0)
    with pytest.raises(TypeError):
        _redlite.py_zadd1(h, 0, b"k", "1", b"m")
    assert _redlite.py_set(h, 0, b"k", b"v", 0, 0) is True
    assert _redlite.py_get(h, 0, b"k") == b"v"


def test_long_argument_lists(db, no_generic):
    """More arguments than the C side keeps on its stack (32)."""
    n = 100
    keys = [f"k{i}" for i in range(n)]
    for k in keys:
        db.set(k, "v")
    assert db.exists(*keys, "nope") == n
    assert db.hset("h", mapping={f"f{i}": i for i in range(n)}) == n
    assert db.hget("h", "f99") == b"99"
    assert db.lpush("l", *range(n)) == n
    assert db.lrange("l", 0, 1) == [b"99", b"98"]
    assert db.sadd("s", *range(n)) == n
    assert db.zadd("z", {f"m{i}": i / 2 for i in range(n)}) == n
    assert db.zscore("z", "m99") == 49.5
    assert db.delete(*keys, "h", "l", "s", "z") == n + 4
    assert no_generic == [b"LRANGE"]


def test_py_list_calls_check_their_arguments(db):
    from redlite import _redlite

    h = db._hp
    with pytest.raises(TypeError):
        _redlite.py_del(h, 0, (b"a", b"b"))
    with pytest.raises(TypeError):
        _redlite.py_del(h, 0, [b"a"] * 40 + ["b"])
    with pytest.raises(ValueError):
        _redlite.py_hset(h, 0, b"h", [b"f", b"g"], [b"v"])
    with pytest.raises(ValueError):
        _redlite.py_zadd(h, 0, b"z", [1.0], [b"a", b"b"])
    with pytest.raises(TypeError):
        _redlite.py_zadd(h, 0, b"z", [1.0] * 40 + ["x"], [b"m%d" % i for i in range(41)])
    assert db.exists("h", "z") == 0
