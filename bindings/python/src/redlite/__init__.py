"""redlite: a Redis-compatible data store on SQLite, inside your process.

    import redlite
    db = redlite.open("app.db")
    db.set("k", "v")
    db.get("k")          # b'v'

redlite.open() returns a Redlite object with redis-py's command methods,
argument names, defaults and return types, plus pipeline(), transaction(),
pubsub() and execute_command(). Errors are redis-py's classes (ResponseError,
DataError, WatchError, ConnectionError...), each carrying Redis' error code.
"""

from ._core import ffi as _ffi
from ._core import lib as _lib
from .client import Redlite, open
from .commands import BitFieldOperation
from .exceptions import (
    AuthenticationError,
    BusyError,
    BusyLoadingError,
    ConnectionError,
    DataError,
    ExecAbortError,
    ForkedProcessError,
    InvalidResponse,
    NoPermissionError,
    NoScriptError,
    OutOfMemoryError,
    PubSubError,
    ReadOnlyError,
    RedisError,
    ResponseError,
    StorageError,
    TimeoutError,
    WatchError,
    WrongTypeError,
)
from .pipeline import Pipeline
from .pubsub import PubSub, PubSubWorkerThread
from .transaction import Transaction

__version__ = "0.1.0"

#: The version of the bundled libredlite ("0.1.0").
library_version: str = _ffi.string(_lib.redlite_version()).decode()

__all__ = [
    "open",
    "Redlite",
    "Pipeline",
    "Transaction",
    "PubSub",
    "PubSubWorkerThread",
    "BitFieldOperation",
    "library_version",
    "AuthenticationError",
    "BusyError",
    "BusyLoadingError",
    "ConnectionError",
    "DataError",
    "ExecAbortError",
    "ForkedProcessError",
    "InvalidResponse",
    "NoPermissionError",
    "NoScriptError",
    "OutOfMemoryError",
    "PubSubError",
    "ReadOnlyError",
    "RedisError",
    "ResponseError",
    "StorageError",
    "TimeoutError",
    "WatchError",
    "WrongTypeError",
]
