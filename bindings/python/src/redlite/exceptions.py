"""redlite's exceptions, named like redis-py's so that code written against
redis-py catches the same classes (``except redis.exceptions.ResponseError``
becomes ``except redlite.ResponseError``).

Every error that comes from a Redis error reply is a ResponseError (or a
subclass) whose ``code`` is Redis' error code: the first word of the reply
("ERR", "WRONGTYPE", "EXECABORT", "NOSCRIPT", "BUSYGROUP", ...). As in
redis-py, the message drops the code for the codes redis-py knows ("ERR",
"EXECABORT", "NOSCRIPT", ...) and keeps it for the others ("WRONGTYPE
Operation against a key holding the wrong kind of value").
"""

from typing import Optional


class RedisError(Exception):
    """Base class of every redlite error. ``code`` is the Redis error code
    when the error came from an error reply, else None."""

    code: Optional[str] = None

    def __init__(self, *args, code: Optional[str] = None):
        super().__init__(*args)
        if code is not None:
            self.code = code


class ConnectionError(RedisError):  # noqa: A001 - redis-py's name
    """The database (or the connection object) was closed."""


class AuthenticationError(ConnectionError):
    """NOAUTH / WRONGPASS."""


class TimeoutError(RedisError):  # noqa: A001 - redis-py's name
    pass


class BusyError(TimeoutError):
    """Another process held the database's write lock for longer than
    busy_timeout."""


class ForkedProcessError(RedisError):
    """A call was made in a child process created by fork() from a process
    that had loaded redlite. The Go runtime inside redlite does not survive
    fork(): the child must open the database itself after exec() (for
    multiprocessing, use the "spawn" or "forkserver" start method)."""


class DataError(RedisError):
    """An argument was refused before anything was run (wrong type, an
    invalid combination of options, ...)."""


class PubSubError(RedisError):
    pass


class WatchError(RedisError):
    """A watched key changed before EXEC: the transaction did not run."""


class InvalidResponse(RedisError):
    pass


class ResponseError(RedisError):
    """An error reply. ``code`` is Redis' error code ("ERR", "WRONGTYPE"...)."""

    code: Optional[str] = "ERR"


class WrongTypeError(ResponseError):
    """WRONGTYPE: the key holds a value of another type."""

    code = "WRONGTYPE"


class ExecAbortError(ResponseError):
    code = "EXECABORT"


class NoScriptError(ResponseError):
    code = "NOSCRIPT"


class ReadOnlyError(ResponseError):
    code = "READONLY"


class NoPermissionError(ResponseError):
    code = "NOPERM"


class OutOfMemoryError(ResponseError):
    code = "OOM"


class BusyLoadingError(ConnectionError):
    code = "LOADING"


class StorageError(ResponseError):
    """The database file could not be read or written (disk full,
    permissions, I/O error)."""


__all__ = [
    "RedisError",
    "ConnectionError",
    "AuthenticationError",
    "TimeoutError",
    "BusyError",
    "ForkedProcessError",
    "DataError",
    "PubSubError",
    "WatchError",
    "InvalidResponse",
    "ResponseError",
    "WrongTypeError",
    "ExecAbortError",
    "NoScriptError",
    "ReadOnlyError",
    "NoPermissionError",
    "OutOfMemoryError",
    "BusyLoadingError",
    "StorageError",
]
