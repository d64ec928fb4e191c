"""Processes: two processes on one file see each other's writes
(multiprocessing with spawn and forkserver); a call in a child created by
fork() raises ForkedProcessError at once instead of hanging."""

import multiprocessing
import os
import time

import pytest

import redlite
import _mp_helpers
from _mp_helpers import blocked_pop, call_inherited, write_then_read


@pytest.mark.parametrize("method", ["spawn", "forkserver"])
def test_two_processes_share_a_file(tmp_path, method):
    path = str(tmp_path / "shared.db")
    ctx = multiprocessing.get_context(method)
    with redlite.open(path) as d:
        d.set("shared", 0)
        with ctx.Pool(1) as pool:
            result = pool.apply_async(write_then_read, (path, 200, "parent"))
            for _ in range(200):
                d.incr("shared")
            deadline = time.monotonic() + 30
            while d.get("child") is None and time.monotonic() < deadline:
                time.sleep(0.02)
            assert d.get("child") == b"hello from the child"
            d.set("parent", "hello from the parent")
            assert result.get(60) == "hello from the parent"
        assert d.get("shared") == b"400"


@pytest.mark.parametrize("method", ["spawn", "forkserver"])
def test_push_wakes_a_pop_in_another_process(tmp_path, method):
    path = str(tmp_path / "q.db")
    ctx = multiprocessing.get_context(method)
    with redlite.open(path) as d:
        d.delete("jobs")
        with ctx.Pool(1) as pool:
            result = pool.apply_async(blocked_pop, (path,))
            time.sleep(1.0)  # let the child start waiting
            d.rpush("jobs", "job-1")
            assert result.get(60) == (b"jobs", b"job-1")


def _wait_child(pid, limit=20.0):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.02)
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    pytest.fail("the forked child hung")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork()")
def test_forked_child_gets_a_clear_error_at_once(db):
    db.set("k", "v")
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        code = 0
        try:
            os.close(r)
            start = time.monotonic()
            checks = []
            for call in (lambda: db.get("k"), lambda: db.set("k", "x"), lambda: db.lrange("k", 0, 1),
                         lambda: db.pipeline().set("a", 1).execute(), lambda: db.transaction().begin(),
                         lambda: db.pubsub().subscribe("c"), lambda: redlite.open()):
                try:
                    call()
                    checks.append("no error")
                except redlite.ForkedProcessError as e:
                    checks.append("fork" in str(e))
            # Below the Python-side check: the C ABI's own guard.
            from redlite._core import ffi, lib
            val, n = ffi.new("char **"), ffi.new("size_t *")
            checks.append(lib.redlite_get(db._h, b"k", 1, val, n, ffi.NULL) == lib.REDLITE_FORKED)
            db.close()  # quietly does nothing
            elapsed = time.monotonic() - start
            os.write(w, repr((checks, elapsed < 5)).encode())
        except BaseException as e:  # noqa: BLE001 - reported to the parent
            os.write(w, repr(("exception", repr(e))).encode())
            code = 1
        finally:
            os._exit(code)
    os.close(w)
    assert _wait_child(pid) == 0
    with os.fdopen(r) as f:
        checks, fast = eval(f.read())  # noqa: S307 - our own child's repr
    assert checks == [True] * 8
    assert fast
    assert db.get("k") == b"v"  # the parent is not affected


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork()")
def test_multiprocessing_fork_start_method(db):
    ctx = multiprocessing.get_context("fork")
    _mp_helpers.INHERITED = db
    try:
        with ctx.Pool(1) as pool:
            msg = pool.apply_async(call_inherited).get(30)
    finally:
        _mp_helpers.INHERITED = None
    assert msg.startswith("ForkedProcessError: ")
    assert "spawn" in msg


def test_handles_do_not_pickle(db):
    import pickle

    with pytest.raises(TypeError, match="open the database"):
        pickle.dumps(db)
