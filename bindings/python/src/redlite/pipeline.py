"""redis-py's Pipeline: buffered commands run by execute(), in MULTI/EXEC
when transactional, with watch() / multi() as in redis-py."""

from typing import TYPE_CHECKING, Any, Dict, List, Tuple

from . import _core
from ._core import run_command
from .client import Client, callback_key, encode_command
from .exceptions import ExecAbortError, RedisError, ResponseError, WatchError

if TYPE_CHECKING:
    from .client import Redlite

_UNWATCH_COMMANDS = {b"DISCARD", b"EXEC", b"UNWATCH"}


def _annotate(exc: Exception, number: int, argv: List[bytes]) -> None:
    cmd = " ".join(a.decode("utf-8", "replace") for a in argv)
    msg = f"Command # {number} ({cmd}) of pipeline caused error: {exc.args[0] if exc.args else ''}"
    exc.args = (msg,) + exc.args[1:]


class Pipeline(Client, _core.Closing):
    """Commands called on a pipeline are buffered (each call returns the
    pipeline, so calls chain) and run by execute(), which returns their
    replies in order, shaped as the methods return them.

    transaction=True (the default) runs them in MULTI/EXEC: one SQLite
    transaction that other connections and processes see all of or
    nothing of. watch(*keys) switches to immediate mode (commands run at
    once, for reading the watched values) until multi(); execute() then
    raises WatchError if a watched key changed in between (nothing ran).
    reset() (or leaving a ``with`` block) discards everything."""

    def __init__(self, client: "Redlite", transaction: bool = True):
        self._client = client
        self._setup(client._encoder, client.response_callbacks)
        self.transaction = transaction
        self.command_stack: List[Tuple[List[bytes], Dict[str, Any]]] = []
        self.watching = False
        self.explicit_transaction = False
        self._conn = None

    def __repr__(self) -> str:
        return f"<redlite.Pipeline of {self._client!r}>"

    def _let_go(self) -> None:
        self.reset()

    def __len__(self) -> int:
        return len(self.command_stack)

    def __bool__(self) -> bool:
        return True

    def _get_conn(self):
        if self._conn is None:
            self._conn = self._client._acquire_conn()
        return self._conn

    def reset(self) -> None:
        """Discards the buffered commands, unwatches and gives the
        connection back."""
        self.command_stack = []
        c = self._conn
        self._conn = None
        if c is not None:
            reusable = True
            if self.watching:
                try:
                    run_command(c, 1, [b"UNWATCH"], None)
                except RedisError:
                    reusable = False
            self._client._release_conn(c, reusable)
        self.watching = False
        self.explicit_transaction = False

    close = reset

    def multi(self) -> None:
        """Starts buffering commands for MULTI/EXEC after watch()."""
        if self.explicit_transaction:
            raise RedisError("Cannot issue nested calls to MULTI")
        if self.command_stack:
            raise RedisError("Commands without an initial WATCH have already been issued")
        self.explicit_transaction = True

    def execute_command(self, *args, **options) -> Any:
        if (self.watching or (isinstance(args[0], str) and args[0].upper() == "WATCH")) \
                and not self.explicit_transaction:
            return self.immediate_execute_command(*args, **options)
        return self.pipeline_execute_command(*args, **options)

    def immediate_execute_command(self, *args, **options) -> Any:
        argv = encode_command(self._encoder, args)
        decoder = None if options.get("_never_decode") else self._decoder
        reply = run_command(self._get_conn(), 1, argv, decoder)
        name = argv[0].upper()
        if name in _UNWATCH_COMMANDS:
            self.watching = False
        elif name == b"WATCH":
            self.watching = True
        return self.parse(callback_key(args), reply, options)

    def pipeline_execute_command(self, *args, **options) -> "Pipeline":
        options["_key"] = callback_key(args)
        self.command_stack.append((encode_command(self._encoder, args), options))
        return self

    def watch(self, *names) -> Any:
        if self.explicit_transaction:
            raise RedisError("Cannot issue a WATCH after a MULTI")
        return self.execute_command("WATCH", *names)

    def unwatch(self) -> Any:
        return (self.watching and self.execute_command("UNWATCH")) or True

    def execute(self, raise_on_error: bool = True) -> List[Any]:
        """Runs the buffered commands and returns their replies. With
        raise_on_error the first failed command's error is raised (its
        message says which command); otherwise errors are returned in the
        list as exception instances."""
        _core.check_fork()
        if self._client._tx_threads and self.command_stack:
            self._client._tx_guard()
        stack = self.command_stack
        if not stack and not self.watching:
            return []
        try:
            if self.transaction or self.explicit_transaction:
                return self._execute_transaction(stack, raise_on_error)
            return self._execute_pipeline(stack, raise_on_error)
        finally:
            self.reset()

    def _run(self, h, is_conn: int, argv: List[bytes], options) -> Any:
        decoder = None if options.get("_never_decode") else self._decoder
        try:
            return run_command(h, is_conn, argv, decoder)
        except ResponseError as e:
            return e

    def _execute_transaction(self, stack, raise_on_error: bool) -> List[Any]:
        c = self._get_conn()
        run_command(c, 1, [b"MULTI"], None)
        errors = []
        for i, (argv, options) in enumerate(stack):
            r = self._run(c, 1, argv, options)
            if isinstance(r, ResponseError):
                _annotate(r, i + 1, argv)
                errors.append(r)
        try:
            replies = run_command(c, 1, [b"EXEC"], self._decoder)
        except ExecAbortError:
            if errors:
                raise errors[0] from None
            raise
        self.watching = False
        if replies is None:
            raise WatchError("Watched variable changed.")
        if len(replies) != len(stack):
            raise ResponseError("Wrong number of response items from pipeline execution")
        return self._finish(stack, replies, raise_on_error)

    def _execute_pipeline(self, stack, raise_on_error: bool) -> List[Any]:
        if self._conn is not None:
            h, is_conn = self._conn, 1
        else:
            h, is_conn = self._client._h, 0
        replies = [self._run(h, is_conn, argv, options) for argv, options in stack]
        return self._finish(stack, replies, raise_on_error)

    def _finish(self, stack, replies, raise_on_error: bool) -> List[Any]:
        if raise_on_error:
            for i, r in enumerate(replies):
                if isinstance(r, ResponseError):
                    if not r.args or not str(r.args[0]).startswith("Command # "):
                        _annotate(r, i + 1, stack[i][0])
                    raise r
        out = []
        for (argv, options), r in zip(stack, replies):
            if isinstance(r, Exception):
                out.append(r)
            else:
                options = dict(options)
                out.append(self.parse(options.pop("_key"), r, options))
        return out
