"""``with db.transaction() as tx:``: one SQLite write transaction on a conn
of its own (redlite_begin / redlite_commit / redlite_rollback)."""

import threading
from typing import TYPE_CHECKING, Optional

from ._core import OK, ffi, lib, status_error
from .client import _Bound
from .exceptions import RedisError

if TYPE_CHECKING:
    from .client import Redlite


class Transaction(_Bound):
    """Every command method, run at once inside one SQLite transaction:
    reads see the transaction's own writes; other connections and processes
    see all of it at commit, or nothing. A command that fails leaves none of
    its own writes behind but does not end the transaction.

    As a context manager it begins on entry, commits when the block ends
    and rolls back when the block raises. begin(), commit() and rollback()
    do the same by hand. While it is open, writes through other handles of
    the same database wait for it: do not write through the Redlite object
    (or another transaction) from the thread that holds this one, it would
    wait for itself. Blocking commands (BLPOP...) answer at once as on
    timeout inside a transaction."""

    def __init__(self, client: "Redlite"):
        self._client = client
        self._setup(client._encoder, client.response_callbacks)
        self._c = 1
        self._bind(client._dead_conn)
        self._conn = None
        self._thread = 0

    @property
    def active(self) -> bool:
        return self._conn is not None

    def begin(self) -> "Transaction":
        if self._conn is not None:
            raise RedisError("the transaction is already open")
        client = self._client
        me = threading.get_ident()
        if me in client._tx_threads:
            raise RedisError("this thread already holds an open transaction of this database: a second one "
                             "would wait for the first forever")
        c = client._acquire_conn()
        err = ffi.new("char **")
        st = lib.redlite_begin(c, err)
        if st != OK:
            self._client._release_conn(c, reusable=False)
            raise status_error(st, err[0])
        self._conn = c
        self._bind(c)
        self._thread = me
        client._tx_threads[me] = client._tx_threads.get(me, 0) + 1
        return self

    def commit(self) -> None:
        self._end(lib.redlite_commit)

    def rollback(self) -> None:
        self._end(lib.redlite_rollback)

    def _end(self, fn) -> None:
        c = self._conn
        if c is None:
            raise RedisError("no transaction is open")
        self._conn = None
        self._bind(self._client._dead_conn)
        self._forget_thread()
        err = ffi.new("char **")
        st = fn(c, err)
        if st != OK:
            # A failed commit leaves nothing behind: roll back whatever
            # is left and drop the conn.
            lib.redlite_rollback(c, ffi.NULL)
            self._client._release_conn(c, reusable=False)
            raise status_error(st, err[0])
        self._client._release_conn(c)

    def _forget_thread(self) -> None:
        threads = self._client._tx_threads
        n = threads.get(self._thread, 0) - 1
        if n > 0:
            threads[self._thread] = n
        else:
            threads.pop(self._thread, None)

    def __enter__(self) -> "Transaction":
        return self.begin()

    def __exit__(self, exc_type, exc, tb) -> Optional[bool]:
        if self._conn is None:
            return None
        if exc_type is None:
            self.commit()
        else:
            try:
                self.rollback()
            except RedisError:
                pass  # the block's own exception is the one to see
        return None

    def __del__(self):
        c = self._conn
        if c is not None:
            self._conn = None
            try:
                self._forget_thread()
                lib.redlite_rollback(c, ffi.NULL)
                self._client._release_conn(c, reusable=False)
            except Exception:
                pass
