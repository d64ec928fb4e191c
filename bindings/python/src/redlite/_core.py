"""The layer over the compiled extension: argument encoding, reply trees to
Python values, status codes and error replies to exceptions, and the
generic command call on a db handle or a conn."""

import os
from typing import Any, List, Optional, TypeVar

from . import _redlite
from ._redlite import ffi, lib
from .exceptions import (
    AuthenticationError,
    BusyError,
    BusyLoadingError,
    ConnectionError,
    DataError,
    ExecAbortError,
    ForkedProcessError,
    NoPermissionError,
    NoScriptError,
    OutOfMemoryError,
    ReadOnlyError,
    RedisError,
    ResponseError,
    StorageError,
    WrongTypeError,
)

OK = lib.REDLITE_OK
ERR = lib.REDLITE_ERR
NIL = lib.REDLITE_NIL
WRONGTYPE = lib.REDLITE_WRONGTYPE
BADARG = lib.REDLITE_BADARG
CLOSED = lib.REDLITE_CLOSED
BUSY = lib.REDLITE_BUSY
IOERR = lib.REDLITE_IOERR
NOMEM = lib.REDLITE_NOMEM
FORKED = lib.REDLITE_FORKED
# redlite_next_message's "nothing arrived in time" (absent from headers
# older than pub/sub support; the number is the header's).
TIMEOUT = getattr(lib, "REDLITE_TIMEOUT", 10)

_unpack = ffi.unpack
_NULL = ffi.NULL
_free = lib.redlite_free


# --------------------------------------------------------------------------
# fork(): the Go runtime inside the library does not survive it. The C side
# refuses every call in a child (REDLITE_FORKED) before entering Go; this
# flag lets the Python side fail the same way before it takes any lock a
# thread of the parent may have held at fork time.

class _ForkState:
    forked = False


_fork_state = _ForkState()


def _after_fork_in_child():
    _fork_state.forked = True


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)

FORK_MESSAGE = (
    "redlite cannot be used in a process created by fork() from a process that had loaded it "
    "(the Go runtime inside redlite does not survive fork()): open the database in the child after "
    "exec(), e.g. with multiprocessing's 'spawn' or 'forkserver' start method"
)


def check_fork():
    if _fork_state.forked:
        raise ForkedProcessError(FORK_MESSAGE)


# --------------------------------------------------------------------------
# Encoding (redis-py's rules: bytes as they are, str in the client's
# encoding, int and float as their repr; anything else is a DataError).

class Encoder:
    __slots__ = ("encoding", "encoding_errors", "decode_responses")

    def __init__(self, encoding: str = "utf-8", encoding_errors: str = "strict", decode_responses: bool = False):
        self.encoding = encoding
        self.encoding_errors = encoding_errors
        self.decode_responses = decode_responses

    def encode(self, value) -> bytes:
        t = type(value)
        if t is bytes:
            return value
        if t is str:
            return value.encode(self.encoding, self.encoding_errors)
        if t is int or t is float:
            return repr(value).encode()
        if isinstance(value, (bytes, bytearray, memoryview)):
            return bytes(value)
        if isinstance(value, bool):
            raise DataError(
                "Invalid input of type: 'bool'. Convert to a bytes, string, int or float first."
            )
        if isinstance(value, str):
            return str(value).encode(self.encoding, self.encoding_errors)
        if isinstance(value, (int, float)):
            return repr(value).encode()
        raise DataError(
            f"Invalid input of type: '{type(value).__name__}'. Convert to a bytes, string, int or float first."
        )

    def decode(self, value, force: bool = False):
        if (self.decode_responses or force) and isinstance(value, (bytes, bytearray, memoryview)):
            return bytes(value).decode(self.encoding, self.encoding_errors)
        return value


# --------------------------------------------------------------------------
# Lifetime.

_C = TypeVar("_C", bound="Closing")


class Closing:
    """``with`` blocks and the finalizer of an object holding library
    handles: leaving the block, or the object being collected, calls _let_go()
    (Redlite.close, Pipeline.reset, PubSub.reset)."""

    def _let_go(self) -> None:
        raise NotImplementedError

    def __enter__(self: _C) -> _C:
        return self

    def __exit__(self, *exc) -> None:
        self._let_go()

    def __del__(self):
        try:
            self._let_go()
        except Exception:
            pass


# --------------------------------------------------------------------------
# Errors.

# Codes redis-py strips from the message (it maps them to classes); the
# message of any other code keeps it, as in redis-py.
_STRIPPED = {
    "ERR": ResponseError,
    "OOM": OutOfMemoryError,
    "WRONGPASS": AuthenticationError,
    "EXECABORT": ExecAbortError,
    "LOADING": BusyLoadingError,
    "NOSCRIPT": NoScriptError,
    "READONLY": ReadOnlyError,
    "NOAUTH": AuthenticationError,
    "NOPERM": NoPermissionError,
}


def _code_of(msg: str) -> Optional[str]:
    word = msg.split(" ", 1)[0]
    if word and word.isupper() and word.replace("_", "").replace("-", "").isalnum():
        return word
    return None


def error_from_reply(msg: str, status: int = ERR) -> RedisError:
    """The exception for an error reply (msg is its text)."""
    code = _code_of(msg) or "ERR"
    if status == BUSY:
        return BusyError(msg, code=code)
    if status == IOERR:
        return StorageError(msg, code=code)
    if status == CLOSED:
        return ConnectionError(msg, code=code)
    cls = _STRIPPED.get(code)
    if cls is not None:
        return cls(msg[len(code) + 1:] if msg.startswith(code + " ") else msg, code=code)
    if code == "WRONGTYPE":
        return WrongTypeError(msg, code=code)
    return ResponseError(msg, code=code)


def status_error(status: int, errmsg=_NULL) -> RedisError:
    """The exception for a status code without a reply tree; errmsg (a
    char * from the library, or NULL) is freed here."""
    msg = None
    if errmsg != _NULL:
        msg = ffi.string(errmsg).decode("utf-8", "replace")
        _free(errmsg)
    return _status_error(status, msg)


def failed(r) -> RedisError:
    """The exception for a failed call of the extension's py_* functions:
    r is their (status, error message as bytes or None)."""
    status, msg = r
    return _status_error(status, None if msg is None else msg.decode("utf-8", "replace"))


def _status_error(status: int, msg: Optional[str]) -> RedisError:
    if status == FORKED:
        return ForkedProcessError(FORK_MESSAGE)
    if status == CLOSED:
        return ConnectionError(msg or "redlite: the database (or this connection) is closed")
    if status == BADARG:
        return DataError(msg or "redlite: invalid argument")
    if status == NOMEM:
        return OutOfMemoryError(msg or "redlite: out of memory", code="OOM")
    if msg is not None:
        return error_from_reply(msg, status)
    text = ffi.string(lib.redlite_errstr(status)).decode()
    if status == WRONGTYPE:
        return WrongTypeError("WRONGTYPE Operation against a key holding the wrong kind of value")
    if status == BUSY:
        return BusyError(text)
    if status == IOERR:
        return StorageError(text)
    return RedisError(f"redlite: {text} (status {status})")


# --------------------------------------------------------------------------
# Replies.

_T_STRING = lib.REDLITE_REPLY_STRING
_T_ARRAY = lib.REDLITE_REPLY_ARRAY
_T_INTEGER = lib.REDLITE_REPLY_INTEGER
_T_NIL = lib.REDLITE_REPLY_NIL
_T_STATUS = lib.REDLITE_REPLY_STATUS
_T_ERROR = lib.REDLITE_REPLY_ERROR
_T_DOUBLE = lib.REDLITE_REPLY_DOUBLE
_T_BOOL = lib.REDLITE_REPLY_BOOL
_T_MAP = lib.REDLITE_REPLY_MAP
_T_SET = lib.REDLITE_REPLY_SET
_T_PUSH = lib.REDLITE_REPLY_PUSH
_T_BIGNUM = lib.REDLITE_REPLY_BIGNUM
_T_VERB = lib.REDLITE_REPLY_VERB


def convert(r, decode: Optional[Encoder]):
    """A reply tree as Python values: bulk and status strings as bytes (str
    when decode is an Encoder), integers as int, nil as None, arrays as
    lists, error elements as exception instances (as redis-py's parser
    returns them inside EXEC replies)."""
    t = r.type
    if t == _T_STRING or t == _T_STATUS or t == _T_VERB:
        b = _unpack(r.str, r.len)
        return b.decode(decode.encoding, decode.encoding_errors) if decode is not None else b
    if t == _T_INTEGER:
        return r.integer
    if t == _T_ARRAY or t == _T_SET or t == _T_PUSH:
        els = r.element
        return [convert(els[i], decode) for i in range(r.elements)]
    if t == _T_NIL:
        return None
    if t == _T_ERROR:
        return error_from_reply(_unpack(r.str, r.len).decode("utf-8", "replace"))
    if t == _T_DOUBLE:
        return r.dval
    if t == _T_BOOL:
        return bool(r.integer)
    if t == _T_MAP:
        els = r.element
        items = [convert(els[i], decode) for i in range(r.elements)]
        it = iter(items)
        return dict(zip(it, it))
    if t == _T_BIGNUM:
        return int(_unpack(r.str, r.len))
    raise RedisError(f"redlite: unknown reply type {t}")


def _command(h, is_conn: int, args: List[bytes]):
    """Runs one command (args already encoded) on a db handle or a conn:
    the reply tree (to free with redlite_reply_free) and the status. A
    command that could not run at all is raised."""
    n = len(args)
    lens = ffi.new("size_t[]", n)
    for i in range(n):
        lens[i] = len(args[i])
    rp = ffi.new("redlite_reply **")
    st = lib.rl_command(h, is_conn, n, b"".join(args), lens, rp)
    r = rp[0]
    if r == _NULL:
        raise status_error(st)
    return r, st


def run_command(h, is_conn: int, args: List[bytes], decode: Optional[Encoder]) -> Any:
    """Runs one command (args already encoded) on a db handle or a conn and
    returns its reply as Python values; an error reply is raised."""
    r, st = _command(h, is_conn, args)
    try:
        if r.type == _T_ERROR:
            raise error_from_reply(_unpack(r.str, r.len).decode("utf-8", "replace"), st)
        return convert(r, decode)
    finally:
        lib.redlite_reply_free(r)


def run_command_raw(h, is_conn: int, args: List[bytes]) -> dict:
    """run_command without redis-py's shaping: the reply as a typed tree
    (reply_tree), error replies included. The shared test vectors
    (tests/vectors) are replayed through it."""
    r, _ = _command(h, is_conn, args)
    try:
        return reply_tree(r)
    finally:
        lib.redlite_reply_free(r)


def next_message(c, ms: int):
    """redlite_next_message on conn c, waiting up to ms milliseconds (-1:
    until one comes): the status and the message (to free with
    redlite_reply_free, NULL unless OK)."""
    p = ffi.new("redlite_reply **")
    st = lib.redlite_next_message(c, ms, p)
    return st, p[0]


_KINDS = {
    _T_STRING: "bulk", _T_STATUS: "status", _T_ERROR: "error", _T_INTEGER: "int", _T_NIL: "nil",
    _T_ARRAY: "array", _T_MAP: "map", _T_SET: "set", _T_PUSH: "push", _T_DOUBLE: "double",
    _T_BOOL: "bool", _T_BIGNUM: "bignum", _T_VERB: "verbatim",
}


def reply_tree(r) -> dict:
    """A reply tree as dicts in the shape of tests/vectors' replies: kind,
    then str (bytes), int, bool, format or elems as the kind has them
    (a double also carries dval, the number the library parsed)."""
    kind = _KINDS.get(r.type)
    if kind is None:
        raise RedisError(f"redlite: unknown reply type {r.type}")
    t = r.type
    if t == _T_INTEGER:
        return {"kind": kind, "int": r.integer}
    if t == _T_BOOL:
        return {"kind": kind, "bool": r.integer != 0}
    if t == _T_NIL:
        return {"kind": kind}
    if t in (_T_ARRAY, _T_MAP, _T_SET, _T_PUSH):
        els = r.element
        return {"kind": kind, "elems": [reply_tree(els[i]) for i in range(r.elements)]}
    out = {"kind": kind, "str": _unpack(r.str, r.len)}
    if t == _T_DOUBLE:
        out["dval"] = r.dval
    elif t == _T_VERB:
        out["format"] = ffi.string(r.vtype).decode("ascii", "replace")
    return out


def handle_address(h) -> int:
    """A handle (redlite_db * or redlite_conn *) as the int the extension's
    py_* functions take."""
    return int(ffi.cast("uintptr_t", h))


# The extension's CPython-level fast calls (ffibuild.PY_HELPERS): py_get,
# py_set... as attributes of the extension module.
if lib.rl_py_install(_redlite.__name__.encode()) != 0:
    raise ImportError(f"redlite: could not install the fast calls into {_redlite.__name__}")
