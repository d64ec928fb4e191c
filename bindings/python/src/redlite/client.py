"""Redlite: an open database with redis-py's methods, run in process."""

import os
import threading
import time
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Optional, Union, overload

from . import _core
from ._callbacks import CALLBACKS
from ._core import Encoder, check_fork, ffi, lib, run_command, status_error
from ._fast import FastCommands
from .commands import Commands
from .exceptions import DataError, RedisError, WatchError

if TYPE_CHECKING:
    from .pipeline import Pipeline
    from .pubsub import PubSub
    from .transaction import Transaction

_DURABILITY = {"normal": 0, "full": 1}

# Pooled conns kept for pipelines and transactions.
_MAX_IDLE_CONNS = 8


def encode_command(encoder: Encoder, args) -> List[bytes]:
    """argv as bytes. A first argument with a space ("CONFIG GET") is split,
    as redis-py does."""
    first = args[0]
    if isinstance(first, str) and " " in first:
        args = (*first.split(), *args[1:])
    enc = encoder.encode
    return [a if type(a) is bytes else enc(a) for a in args]


def callback_key(args) -> str:
    """The response callback's key: the first argument as the method passed
    it, in upper case ("GET", "CONFIG GET"), as redis-py looks it up."""
    first = args[0]
    if isinstance(first, bytes):
        first = first.decode("latin-1")
    return str(first).upper()


class Client(Commands):
    """What Redlite, its transactions and pipelines share: encoding options
    and the response callbacks."""

    _encoder: Encoder
    _decoder: Optional[Encoder]
    response_callbacks: Dict[str, Callable[..., Any]]

    def _setup(self, encoder: Encoder, callbacks: Dict[str, Callable[..., Any]]) -> None:
        self._encoder = encoder
        self._decoder = encoder if encoder.decode_responses else None
        self.response_callbacks = callbacks

    def get_encoder(self) -> Encoder:
        return self._encoder

    def set_response_callback(self, command: str, callback: Callable[..., Any]) -> None:
        self.response_callbacks[command.upper()] = callback

    def parse(self, key: str, reply: Any, options: Dict[str, Any]) -> Any:
        cb = self.response_callbacks.get(key)
        if cb is None or isinstance(reply, Exception):
            return reply
        options.pop("_never_decode", None)
        options.pop("keys", None)
        return cb(reply, **options)


class _Bound(FastCommands, Client):
    """A client bound to one handle (the db, or a conn): commands run at
    once, hot commands on the typed fast paths."""

    _h: Any
    _c: int

    def execute_command(self, *args, **options) -> Any:
        """Runs any command (as a Redis client would send it) and returns
        its reply shaped by the command's response callback."""
        argv = encode_command(self._encoder, args)
        decoder = None if options.get("_never_decode") else self._decoder
        reply = run_command(self._h, self._c, argv, decoder)
        return self.parse(callback_key(args), reply, options)


class Redlite(_Bound, _core.Closing):
    """An open redlite database (a file or ":memory:") with redis-py's
    command methods. Safe to share between threads: calls run on the
    database handle, which serves any number of threads at once (the GIL is
    released while a call runs). Use as a context manager, or call close().
    Create with redlite.open()."""

    def __init__(self, path: Union[str, "os.PathLike[str]"] = ":memory:", *, durability: str = "normal",
                 db: int = 0, decode_responses: bool = False, encoding: str = "utf-8",
                 encoding_errors: str = "strict", cache_mb: Optional[int] = None, readers: Optional[int] = None,
                 busy_timeout: Optional[float] = None):
        check_fork()
        if durability not in _DURABILITY:
            raise DataError(f"durability must be one of {sorted(_DURABILITY)!r}, not {durability!r}")
        opts = ffi.new("redlite_options *")
        lib.redlite_options_init(opts)
        opts.durability = _DURABILITY[durability]
        opts.database = db
        if cache_mb is not None:
            opts.cache_mb = cache_mb
        if readers is not None:
            opts.readers = readers
        if busy_timeout is not None:
            opts.busy_timeout_ms = max(1, int(busy_timeout * 1000))
        self.path = os.fspath(path)
        self.db = db
        pdb = ffi.new("redlite_db **")
        err = ffi.new("char **")
        st = lib.redlite_open(os.fsencode(self.path), opts, pdb, err)
        if st != _core.OK:
            raise status_error(st, err[0])
        self._bind(pdb[0])
        self._c = 0
        self._closed = False
        self._setup(Encoder(encoding, encoding_errors, decode_responses), dict(CALLBACKS))
        self._pool: List[Any] = []
        self._pool_lock = threading.Lock()
        # Thread id -> open transactions (Transaction objects) of that
        # thread. A write through the db handle from such a thread would
        # wait for the transaction, which waits for the thread: refused.
        self._tx_threads: Dict[int, int] = {}
        self._write_flags: Dict[bytes, bool] = {}
        # A conn handle that is closed for good: objects whose conn went
        # back to the pool point at it, so a late call fails with
        # ConnectionError instead of running on someone else's conn.
        self._dead_conn = self._open_conn_handle()
        lib.redlite_conn_close(self._dead_conn)

    def __repr__(self) -> str:
        return f"<redlite.Redlite path={self.path!r} db={self.db}>"

    def __reduce__(self):
        raise TypeError("a Redlite object cannot be pickled: open the database in the other process "
                        f"(redlite.open({self.path!r}))")

    # -- lifetime --

    def close(self) -> None:
        """Closes the database: ends its transactions, pipelines and
        subscriptions, wakes blocked calls (they raise ConnectionError) and
        checkpoints the file. Later calls raise ConnectionError."""
        if self._closed or _core._fork_state.forked:
            return
        self._closed = True
        with self._pool_lock:
            self._pool.clear()
        lib.redlite_close(self._h)

    def _let_go(self) -> None:
        self.close()

    def execute_command(self, *args, **options) -> Any:
        if self._tx_threads and threading.get_ident() in self._tx_threads:
            argv = encode_command(self._encoder, args)
            if self._is_write(argv[0]):
                self._tx_guard()
        return super().execute_command(*args, **options)

    def _is_write(self, name: bytes) -> bool:
        key = name.lower()
        flag = self._write_flags.get(key)
        if flag is None:
            info = run_command(self._h, 0, [b"COMMAND", b"INFO", key], None)
            flag = bool(info and info[0] and b"write" in info[0][2])
            self._write_flags[key] = flag
        return flag

    def _tx_guard(self) -> None:
        """Refuses a write from a thread that holds a transaction of this
        database (it would wait for that transaction forever)."""
        if threading.get_ident() in self._tx_threads:
            raise RedisError(
                "this thread holds an open transaction of this database: write through the transaction "
                "object (tx.set(...)), not through the Redlite object, or it would wait for itself"
            )

    # -- conns (pipelines, transactions, pub/sub) --

    def _open_conn_handle(self):
        p = ffi.new("redlite_conn **")
        st = lib.redlite_conn_open(self._h, p)
        if st != _core.OK:
            raise status_error(st)
        return p[0]

    def _new_conn(self):
        c = self._open_conn_handle()
        try:
            # A conn authenticates like a client when the database has a
            # password (the db handle never needs to): the process that
            # opened the file owns it, so the password is read from there.
            pw = run_command(self._h, 0, [b"CONFIG", b"GET", b"requirepass"], None)
            if len(pw) == 2 and pw[1]:
                run_command(c, 1, [b"AUTH", pw[1]], None)
            if self.db:
                run_command(c, 1, [b"SELECT", str(self.db).encode()], None)
        except BaseException:
            lib.redlite_conn_close(c)
            raise
        return c

    def _acquire_conn(self):
        check_fork()
        with self._pool_lock:
            if self._pool:
                return self._pool.pop()
        return self._new_conn()

    def _release_conn(self, c, reusable: bool = True) -> None:
        if reusable and not self._closed and not _core._fork_state.forked:
            with self._pool_lock:
                if len(self._pool) < _MAX_IDLE_CONNS:
                    self._pool.append(c)
                    return
        lib.redlite_conn_close(c)

    # -- transactions, pipelines, pub/sub --

    @overload
    def transaction(self) -> "Transaction": ...

    @overload
    def transaction(self, func: Callable[["Pipeline"], Any], *watches: Any, **kwargs: Any) -> Any: ...

    def transaction(self, func: Optional[Callable[["Pipeline"], Any]] = None, *watches: Any, **kwargs: Any) -> Any:
        """Two forms.

        ``with db.transaction() as tx:`` (no function): one SQLite write
        transaction on a conn of its own. tx has every command method; its
        reads see its own writes; it commits when the block ends and rolls
        back if the block raises. Other connections and processes see all
        of it or nothing.

        ``db.transaction(func, *watches, shard_hint=None,
        value_from_callable=False, watch_delay=None)``: redis-py's helper:
        calls func(pipe) with the keys watched and runs pipe.execute(),
        retrying on WatchError."""
        from .transaction import Transaction

        if func is None:
            if watches or kwargs:
                raise DataError("transaction() without a function takes no other argument")
            return Transaction(self)
        shard_hint = kwargs.pop("shard_hint", None)
        value_from_callable = kwargs.pop("value_from_callable", False)
        watch_delay = kwargs.pop("watch_delay", None)
        with self.pipeline(True, shard_hint) as pipe:
            while True:
                try:
                    if watches:
                        pipe.watch(*watches)
                    func_value = func(pipe)
                    exec_value = pipe.execute()
                    return func_value if value_from_callable else exec_value
                except WatchError:
                    if watch_delay is not None and watch_delay > 0:
                        time.sleep(watch_delay)
                    continue

    def pipeline(self, transaction: bool = True, shard_hint: Any = None) -> "Pipeline":
        """redis-py's Pipeline: commands are buffered and run by execute(),
        inside MULTI/EXEC when transaction is true; watch() and multi() work
        as in redis-py (WatchError when a watched key changed)."""
        from .pipeline import Pipeline

        return Pipeline(self, transaction)

    def pubsub(self, **kwargs) -> "PubSub":
        """A PubSub object on a connection of its own."""
        from .pubsub import PubSub

        return PubSub(self, **kwargs)


def open(path: Union[str, "os.PathLike[str]"] = ":memory:", *, durability: str = "normal", db: int = 0,  # noqa: A001
         decode_responses: bool = False, encoding: str = "utf-8", encoding_errors: str = "strict",
         cache_mb: Optional[int] = None, readers: Optional[int] = None,
         busy_timeout: Optional[float] = None) -> Redlite:
    """Opens (or creates) a database and returns a Redlite client.

    path              a file name, or ":memory:" for a private in-memory
                      database that disappears on close
    durability        "normal" (nothing acknowledged is lost when the process
                      crashes; the last commits may be lost on power loss) or
                      "full" (every commit is fsynced)
    db                the logical database (0-15), as redis-py's db=
    decode_responses  return str instead of bytes (decoded with encoding)
    cache_mb          SQLite page cache of the writer connection in MiB (default 16; readers keep 4 each)
    readers           read connections for parallel reads (default 4)
    busy_timeout      seconds a write waits for another process's write lock
                      (default 30)
    """
    return Redlite(path, durability=durability, db=db, decode_responses=decode_responses, encoding=encoding,
                   encoding_errors=encoding_errors, cache_mb=cache_mb, readers=readers, busy_timeout=busy_timeout)


