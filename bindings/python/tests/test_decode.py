"""decode_responses=True: str everywhere redis-py gives str."""

import redlite


def test_decoded_replies():
    with redlite.open(decode_responses=True) as d:
        assert d.set("k", "välue")
        assert d.get("k") == "välue"  # typed path
        assert d.mget("k", "nope") == ["välue", None]  # generic path
        d.hset("h", mapping={"f": "v"})
        assert d.hget("h", "f") == "v"
        assert d.hgetall("h") == {"f": "v"}
        d.rpush("l", "a", "b")
        assert d.rpop("l") == "b"
        assert d.lrange("l", 0, -1) == ["a"]
        d.sadd("s", "x")
        assert d.smembers("s") == {"x"}
        d.zadd("z", {"m": 1})
        assert d.zrange("z", 0, -1, withscores=True) == [("m", 1.0)]
        assert d.type("z") == "zset"
        assert sorted(d.keys()) == ["h", "k", "l", "s", "z"]
        assert sorted(d.scan_iter()) == ["h", "k", "l", "s", "z"]
        assert d.config_get("maxmemory") == {"maxmemory": "0"}


def test_dump_is_never_decoded():
    with redlite.open(decode_responses=True) as d:
        d.set("k", "v")
        if d.execute_command("COMMAND", "INFO", "dump").get("dump"):
            assert isinstance(d.dump("k"), bytes)


def test_encoding_errors():
    with redlite.open(decode_responses=True, encoding_errors="replace") as d:
        d.set("k", b"\xff")
        assert d.get("k") == "\ufffd"
    with redlite.open(encoding="latin-1") as d:
        d.set("k", "é")
        assert d.get("k") == "é".encode("latin-1")
