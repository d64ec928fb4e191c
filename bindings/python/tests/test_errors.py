"""The exception hierarchy: redis-py's names, Redis' error codes."""

import pytest

import redlite


def test_hierarchy():
    assert issubclass(redlite.WrongTypeError, redlite.ResponseError)
    assert issubclass(redlite.ResponseError, redlite.RedisError)
    assert issubclass(redlite.ExecAbortError, redlite.ResponseError)
    assert issubclass(redlite.AuthenticationError, redlite.ConnectionError)
    assert issubclass(redlite.BusyError, redlite.TimeoutError)
    assert issubclass(redlite.StorageError, redlite.ResponseError)
    for cls in (redlite.DataError, redlite.WatchError, redlite.PubSubError, redlite.ForkedProcessError,
                redlite.ConnectionError):
        assert issubclass(cls, redlite.RedisError)
    # Not Python's builtins of the same name.
    assert not issubclass(redlite.ConnectionError, ConnectionError)


def test_wrongtype_code_and_text(db):
    db.set("s", "v")
    with pytest.raises(redlite.WrongTypeError) as e:
        db.lpush("s", "x")  # typed fast path
    assert e.value.code == "WRONGTYPE"
    assert str(e.value) == "WRONGTYPE Operation against a key holding the wrong kind of value"
    with pytest.raises(redlite.WrongTypeError) as e:
        db.lrange("s", 0, -1)  # generic path
    assert e.value.code == "WRONGTYPE"


def test_err_code_is_stripped_like_redis_py(db):
    db.set("s", "v")
    with pytest.raises(redlite.ResponseError) as e:
        db.incr("s")
    assert e.value.code == "ERR"
    assert str(e.value) == "value is not an integer or out of range"
    with pytest.raises(redlite.ResponseError) as e:
        db.execute_command("GET")
    assert str(e.value) == "wrong number of arguments for 'get' command"
    with pytest.raises(redlite.ResponseError) as e:
        db.execute_command("NOPE")
    assert e.value.code == "ERR"
    assert "unknown command" in str(e.value)


def test_error_replies_map_to_classes():
    from redlite._core import error_from_reply

    cases = {
        "EXECABORT Transaction discarded because of previous errors.": (redlite.ExecAbortError, "EXECABORT",
                                                                         "Transaction discarded because of previous errors."),
        "NOSCRIPT No matching script.": (redlite.NoScriptError, "NOSCRIPT", "No matching script."),
        "NOAUTH Authentication required.": (redlite.AuthenticationError, "NOAUTH", "Authentication required."),
        "WRONGPASS invalid username-password pair": (redlite.AuthenticationError, "WRONGPASS",
                                                     "invalid username-password pair"),
        "BUSYGROUP Consumer Group name already exists": (redlite.ResponseError, "BUSYGROUP",
                                                         "BUSYGROUP Consumer Group name already exists"),
        "NOGROUP No such key": (redlite.ResponseError, "NOGROUP", "NOGROUP No such key"),
        "ERR syntax error": (redlite.ResponseError, "ERR", "syntax error"),
    }
    for text, (cls, code, message) in cases.items():
        e = error_from_reply(text)
        assert type(e) is cls, text
        assert e.code == code
        assert str(e) == message


def test_exec_abort_in_a_pipeline_raises_the_queueing_error(db):
    with db.pipeline() as p:
        p.set("a", 1).execute_command("SET", "only-a-key")
        with pytest.raises(redlite.ResponseError) as e:
            p.execute()
    assert e.value.code == "ERR"
    assert "wrong number of arguments for 'set' command" in str(e.value)


def test_codes_in_transaction_replies(db):
    db.set("s", "v")
    p = db.pipeline()
    p.lpush("s", "x").incr("s").get("s")
    res = p.execute(raise_on_error=False)
    assert isinstance(res[0], redlite.WrongTypeError) and res[0].code == "WRONGTYPE"
    assert isinstance(res[1], redlite.ResponseError) and res[1].code == "ERR"
    assert res[2] == b"v"


def test_data_errors_before_anything_runs(db):
    with pytest.raises(redlite.DataError):
        db.set("k", True)
    with pytest.raises(redlite.DataError):
        db.set("k", None)
    with pytest.raises(redlite.DataError):
        db.set("k", object())
    with pytest.raises(redlite.DataError):
        db.set("k", "v", nx=True, xx=True)
    with pytest.raises(redlite.DataError):
        db.hset("h")
    with pytest.raises(redlite.DataError):
        db.zadd("z", {"a": 1}, nx=True, gt=True)
    assert db.keys() == []


def test_connection_error_when_closed():
    d = redlite.open()
    d.set("k", "v")
    d.close()
    d.close()  # twice is fine
    for call in (lambda: d.get("k"), lambda: d.set("k", "v"), lambda: d.lrange("k", 0, 1),
                 lambda: d.execute_command("PING"), lambda: d.pipeline().set("a", 1).execute(),
                 lambda: d.pubsub().subscribe("c")):
        with pytest.raises(redlite.ConnectionError):
            call()


def test_open_errors(tmp_path):
    with pytest.raises(redlite.DataError):
        redlite.open(durability="sometimes")
    with pytest.raises(redlite.RedisError):
        redlite.open(str(tmp_path / "no" / "such" / "dir" / "x.db"))
    with pytest.raises(redlite.DataError):
        redlite.open(db=99)
