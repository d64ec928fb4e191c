"""The shared test vectors (tests/vectors, see its README.md): each file,
redis-server 7.0.15's replies to one differential script, replayed through
the binding's raw reply path (_core.run_command_raw on conns,
_core.next_message for pub/sub messages) on a fresh in-memory database, and
every reply compared with the recorded one as a typed tree. conftest.py
prints how many replies were compared and excluded."""

import base64
import json
import os
import re
import threading
import time

import pytest

import redlite
from redlite import _core
from redlite._core import lib

VECTORS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "tests", "vectors")
# How long a sent command may take to block and a recv to get its reply: far
# beyond what any step needs, so a loaded machine is never a failure.
WAIT_S = 30.0

# Filled by the tests, printed by conftest.py's terminal summary.
SUMMARY = {"files": 0, "compared": 0, "excluded": 0, "reasons": []}


def _files():
    names = sorted(n for n in os.listdir(VECTORS) if n.endswith(".json"))
    assert names, f"no vectors in {VECTORS}"
    return names


def _exclusions():
    out = {}
    with open(os.path.join(VECTORS, "EXCLUDED"), encoding="utf-8") as f:
        for raw in f:
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            name, no, reason = line.split(" ", 2)
            out[(name, int(no))] = reason
    return out


EXCLUDED = _exclusions()


def _bytes(v) -> bytes:
    """A string of the vectors: JSON text, or {"b64": ...} for binary."""
    if isinstance(v, dict):
        return base64.b64decode(v["b64"])
    return v.encode("utf-8")


def _want(r: dict) -> dict:
    """A recorded reply as a tree of the raw path's shape. The C ABI has one
    null type (hiredis'): RESP2's nil array is its nil."""
    kind = r["kind"]
    if kind == "nil-array":
        kind = "nil"
    out = {"kind": kind}
    if "elems" in r:
        out["elems"] = [_want(e) for e in r["elems"]]
    elif kind == "int":
        out["int"] = r["int"]
    elif kind == "bool":
        out["bool"] = r["bool"]
    elif "str" in r:
        out["str"] = r["str"].encode("utf-8")
    elif "b64" in r:
        out["str"] = base64.b64decode(r["b64"])
    if kind == "verbatim":
        out["format"] = r["format"]
    return out


def _got(r: dict) -> dict:
    """A raw reply without the fields the vectors do not record (a double's
    parsed dval: the vectors hold Redis' text of it)."""
    out = {k: v for k, v in r.items() if k != "dval"}
    if "elems" in out:
        out["elems"] = [_got(e) for e in out["elems"]]
    return out


def _text(r: dict) -> str:
    return json.dumps(r, sort_keys=True, default=repr)


def _canonical(r: dict, pairs: bool) -> dict:
    """Aggregates as multisets at every level; the top level by pairs with
    pairs (a map's always)."""
    if "elems" not in r:
        return r
    step = 2 if pairs or r["kind"] == "map" else 1
    els = [_canonical(e, False) for e in r["elems"]]
    n = len(els) - len(els) % step
    items = [els[i:i + step] for i in range(0, n, step)]
    items.sort(key=lambda it: "\x01".join(_text(e) for e in it))
    return {"kind": r["kind"], "elems": [e for it in items for e in it] + els[n:]}


def _shape(r: dict) -> dict:
    s = {"kind": r["kind"]}
    if "elems" in r:
        s["len"] = len(r["elems"])
    elif r["kind"] == "error":
        s["code"] = r["str"].split(b" ", 1)[0].decode("utf-8", "replace")
    return s


def compare(step: dict, got: dict) -> str:
    """"" when the reply matches the step's expectation, else the difference."""
    cmp = step["compare"]
    if cmp == "type":
        want, g = step["shape"], _shape(got)
        return "" if want == g else f"shape: want {want}, got {g}"
    want, g = _want(step["reply"]), _got(got)
    if cmp in ("sort", "sortpairs"):
        want, g = _canonical(want, cmp == "sortpairs"), _canonical(g, cmp == "sortpairs")
    return "" if want == g else f"\nwant: {_text(want)}\ngot:  {_text(g)}"


def _blocked(h) -> int:
    info = _core.run_command_raw(h, 0, [b"INFO", b"clients"])
    m = re.search(rb"^blocked_clients:(\d+)\r?$", info["str"], re.M)
    assert m, info
    return int(m.group(1))


class _Sent:
    """A sent (blocking) command, running in a thread on its conn (the GIL
    is released while the library runs it)."""

    def __init__(self, conn, argv):
        self.reply = None
        self.error = None
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, args=(conn, argv), daemon=True)
        self.thread.start()

    def _run(self, conn, argv):
        try:
            self.reply = _core.run_command_raw(conn, 1, argv)
        except BaseException as e:  # reported by recv
            self.error = e
        finally:
            self.done.set()


def replay(name: str):
    """Replays one file; returns (compared, excluded, failures)."""
    with open(os.path.join(VECTORS, name), encoding="utf-8") as f:
        vec = json.load(f)
    compared = excluded = 0
    failures = []
    db = redlite.open()
    h = db._h
    conns = {}
    sent = {}
    try:
        for cmd in vec.get("requires", []):
            info = _core.run_command_raw(h, 0, [b"COMMAND", b"INFO", cmd.encode()])
            if info["elems"][0]["kind"] == "nil":
                n = sum(1 for s in vec["steps"] if s.get("compare") not in (None, "none"))
                SUMMARY["reasons"].append(f"{name}: {n} steps: needs {cmd}, which is not implemented")
                return 0, n, []

        for step in vec["steps"]:
            where = f"{name} line {step['line']}"
            op = step["op"]
            if op == "sleep":
                time.sleep(step["ms"] / 1000)
                continue
            cname = step["conn"]
            if cname not in conns:
                conns[cname] = db._open_conn_handle()
            c = conns[cname]
            if op == "send":
                assert cname not in sent, f"{where}: a second send before recv"
                before = _blocked(h)
                s = _Sent(c, [_bytes(a) for a in step["argv"]])
                sent[cname] = s
                # Until it answered or blocked, as the generator did.
                deadline = time.monotonic() + WAIT_S
                while not s.done.is_set() and _blocked(h) <= before:
                    assert time.monotonic() < deadline, f"{where}: the sent command neither answered nor blocked"
                    time.sleep(0.002)
                continue
            if op == "recv":
                if cname in sent:
                    s = sent.pop(cname)
                    assert s.done.wait(WAIT_S), f"{where}: the sent command did not answer"
                    if s.error is not None:
                        raise s.error
                    got = s.reply
                else:
                    st, r = _core.next_message(c, int(WAIT_S * 1000))
                    if st != _core.OK:
                        failures.append(f"{where}: no message (status {st})")
                        continue
                    try:
                        got = _core.reply_tree(r)
                    finally:
                        lib.redlite_reply_free(r)
            elif op == "command":
                got = _core.run_command_raw(c, 1, [_bytes(a) for a in step["argv"]])
            else:
                raise AssertionError(f"{where}: unknown op {op}")
            if step["compare"] == "none":
                continue
            why = EXCLUDED.get((name, step["line"]))
            if why is not None:
                excluded += 1
                SUMMARY["reasons"].append(f"{where}: {why}")
                continue
            compared += 1
            diff = compare(step, got)
            if diff:
                failures.append(f"{where}: {diff}")
    finally:
        # Closing the database ends the wait of a sent command nobody read.
        db.close()
        for s in sent.values():
            s.thread.join(WAIT_S)
    return compared, excluded, failures


@pytest.mark.parametrize("name", _files())
def test_vectors(name):
    compared, excluded, failures = replay(name)
    SUMMARY["files"] += 1
    SUMMARY["compared"] += compared
    SUMMARY["excluded"] += excluded
    assert not failures, "\n".join(failures)
    assert compared + excluded > 0


def test_compare():
    """The comparison itself can fail."""
    bulk = lambda s: {"kind": "bulk", "str": s}  # noqa: E731
    want = {"kind": "array", "elems": [{"kind": "bulk", "str": "a"}, {"kind": "bulk", "str": "b"}]}
    got_ab = {"kind": "array", "elems": [bulk(b"a"), bulk(b"b")]}
    got_ba = {"kind": "array", "elems": [bulk(b"b"), bulk(b"a")]}
    assert compare({"compare": "exact", "reply": want}, got_ab) == ""
    assert compare({"compare": "exact", "reply": want}, got_ba) != ""
    assert compare({"compare": "sort", "reply": want}, got_ba) == ""
    assert compare({"compare": "sort", "reply": want}, {"kind": "array", "elems": [bulk(b"b"), bulk(b"b")]}) != ""
    assert compare({"compare": "sortpairs", "reply": want}, got_ba) != ""
    assert compare({"compare": "exact", "reply": want}, {"kind": "set", "elems": got_ab["elems"]}) != ""
    assert compare({"compare": "type", "shape": {"kind": "array", "len": 2}}, got_ba) == ""
    assert compare({"compare": "type", "shape": {"kind": "array", "len": 3}}, got_ba) != ""
    err = {"kind": "error", "str": b"WRONGTYPE x"}
    assert compare({"compare": "type", "shape": {"kind": "error", "code": "ERR"}}, err) != ""
    assert compare({"compare": "exact", "reply": {"kind": "bulk", "b64": "/w=="}}, bulk(b"\xff")) == ""
    assert compare({"compare": "exact", "reply": {"kind": "nil-array"}}, {"kind": "nil"}) == ""
    dbl = {"kind": "double", "str": b"1.5", "dval": 1.5}
    assert compare({"compare": "exact", "reply": {"kind": "double", "str": "1.5"}}, dbl) == ""
