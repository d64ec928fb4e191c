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
