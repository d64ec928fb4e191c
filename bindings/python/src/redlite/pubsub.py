"""redis-py's PubSub over a redlite conn of its own: subscribe /
psubscribe / ssubscribe with optional handlers, get_message(timeout=),
listen(), run_in_thread(). Waiting for a message happens in the library
with the GIL released (redlite_next_message)."""

import collections
import threading
import time
from typing import TYPE_CHECKING, Any, Callable, Dict, Iterator, Optional, Union

from . import _core
from ._core import OK, TIMEOUT, convert, lib, run_command, status_error
from .client import encode_command
from .commands._base import list_or_args
from .exceptions import PubSubError

if TYPE_CHECKING:
    from .client import Redlite

# A worker thread waits this long per call when its sleep_time is 0, so
# that stop() is seen promptly even when its interrupt arrives between
# two waits.
_WORKER_WAIT = 1.0


class PubSub(_core.Closing):
    PUBLISH_MESSAGE_TYPES = ("message", "pmessage", "smessage")
    UNSUBSCRIBE_MESSAGE_TYPES = ("unsubscribe", "punsubscribe", "sunsubscribe")

    def __init__(self, client: "Redlite", ignore_subscribe_messages: bool = False, **kwargs):
        self._client = client
        self.encoder = client._encoder
        self._decoder = client._decoder
        self.ignore_subscribe_messages = ignore_subscribe_messages
        self._conn = None
        self._lock = threading.Lock()
        # Replies of the calls made here (the first confirmation of a
        # (P|S)SUBSCRIBE, PING's pong): get_message returns them before
        # what the library queues after them.
        self._pending: "collections.deque[Any]" = collections.deque()
        self.subscribed_event = threading.Event()
        self.channels: Dict[Any, Optional[Callable]] = {}
        self.patterns: Dict[Any, Optional[Callable]] = {}
        self.shard_channels: Dict[Any, Optional[Callable]] = {}
        self.pending_unsubscribe_channels: set = set()
        self.pending_unsubscribe_patterns: set = set()
        self.pending_unsubscribe_shard_channels: set = set()

    def _let_go(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Ends the subscriptions and closes the connection."""
        with self._lock:
            c, self._conn = self._conn, None
        if c is not None and not _core._fork_state.forked:
            lib.redlite_conn_close(c)
        self._pending.clear()
        self.channels = {}
        self.patterns = {}
        self.shard_channels = {}
        self.pending_unsubscribe_channels = set()
        self.pending_unsubscribe_patterns = set()
        self.pending_unsubscribe_shard_channels = set()
        self.subscribed_event.clear()

    close = reset

    @property
    def subscribed(self) -> bool:
        return self.subscribed_event.is_set()

    def execute_command(self, *args) -> None:
        """Runs a command on the subscription's connection; its reply is
        returned by the next get_message (as with a Redis connection)."""
        _core.check_fork()
        with self._lock:
            if self._conn is None:
                self._conn = self._client._new_conn()
            c = self._conn
        argv = encode_command(self.encoder, args)
        # What the library queued so far comes before this command's reply
        # (the library puts a command's further confirmations at the head
        # of its queue, right behind the reply).
        while True:
            m = self._take(c, 0)
            if m is None:
                break
            self._pending.append(m)
        self._pending.append(run_command(c, 1, argv, self._decoder))

    def _normalize_keys(self, data: Dict[Any, Any]) -> Dict[Any, Any]:
        encode, decode = self.encoder.encode, self.encoder.decode
        return {decode(encode(k)): v for k, v in data.items()}

    def _subscribe(self, command: str, registry: Dict[Any, Any], pending: set, args, kwargs) -> None:
        if args:
            args = list_or_args(args[0], args[1:])
        new = dict.fromkeys(args)
        new.update(kwargs)
        self.execute_command(command, *new.keys())
        new = self._normalize_keys(new)
        registry.update(new)
        self.subscribed_event.set()
        pending.difference_update(new)

    def subscribe(self, *args, **kwargs) -> None:
        """Subscribes to channels; keyword arguments map a channel to a
        handler called with each of its messages (get_message then returns
        None for them)."""
        self._subscribe("SUBSCRIBE", self.channels, self.pending_unsubscribe_channels, args, kwargs)

    def psubscribe(self, *args, **kwargs) -> None:
        self._subscribe("PSUBSCRIBE", self.patterns, self.pending_unsubscribe_patterns, args, kwargs)

    def ssubscribe(self, *args: Any, target_node: Any = None, **kwargs: Callable[..., Any]) -> None:
        self._subscribe("SSUBSCRIBE", self.shard_channels, self.pending_unsubscribe_shard_channels, args, kwargs)

    def _unsubscribe(self, command: str, registry: Dict[Any, Any], pending: set, args) -> None:
        if args:
            args = list_or_args(args[0], args[1:])
            names = self._normalize_keys(dict.fromkeys(args))
        else:
            names = registry
        pending.update(names)
        self.execute_command(command, *args)

    def unsubscribe(self, *args) -> None:
        self._unsubscribe("UNSUBSCRIBE", self.channels, self.pending_unsubscribe_channels, args)

    def punsubscribe(self, *args) -> None:
        self._unsubscribe("PUNSUBSCRIBE", self.patterns, self.pending_unsubscribe_patterns, args)

    def sunsubscribe(self, *args: Any, target_node: Any = None) -> None:
        self._unsubscribe("SUNSUBSCRIBE", self.shard_channels, self.pending_unsubscribe_shard_channels, args)

    def ping(self, message: Union[str, None] = None) -> None:
        args = ["PING", message] if message is not None else ["PING"]
        self.execute_command(*args)

    def _next(self, timeout: Optional[float]) -> Any:
        """The next raw message: a pending reply, else one from the
        library, waiting up to timeout seconds (None: until one comes)."""
        if self._pending:
            return self._pending.popleft()
        c = self._conn
        if c is None:
            raise RuntimeError("pubsub connection not set: did you forget to call subscribe() or psubscribe()?")
        return self._take(c, -1 if timeout is None else max(0, int(timeout * 1000)))

    def _take(self, c, ms: int) -> Any:
        """A message from the library's queue, waiting up to ms
        milliseconds (-1: until one comes); None when none came."""
        st, r = _core.next_message(c, ms)
        if st == OK:
            try:
                return convert(r, self._decoder)
            finally:
                lib.redlite_reply_free(r)
        if st == TIMEOUT:
            return None
        if st == _core.ERR:
            # Not subscribed to anything and nothing left to read.
            return None
        if st == _core.CLOSED and self._conn is None:
            return None  # closed by reset() from another thread
        raise status_error(st)

    def get_message(self, ignore_subscribe_messages: bool = False,
                    timeout: Optional[float] = 0.0) -> Optional[Dict[str, Any]]:
        """The next message as a dict (type, pattern, channel, data), or
        None when none arrived within timeout seconds (None: wait until
        one does), or when it went to a handler or was a (un)subscribe
        confirmation being ignored."""
        if not self.subscribed and not self._pending:
            start = time.monotonic()
            if not self.subscribed_event.wait(timeout):
                return None
            if timeout is not None:
                timeout = max(0.0, timeout - (time.monotonic() - start))
        response = self._next(timeout)
        if response is None:
            return None
        return self.handle_message(response, ignore_subscribe_messages)

    get_sharded_message = get_message

    def listen(self) -> Iterator[Dict[str, Any]]:
        """Yields messages while subscribed."""
        while self.subscribed:
            response = self.handle_message(self._next(None))
            if response is not None:
                yield response

    def handle_message(self, response: Any, ignore_subscribe_messages: bool = False) -> Optional[Dict[str, Any]]:
        if response is None:
            return None
        if isinstance(response, (bytes, str)):
            response = ["pong", response]
        kind = response[0]
        message_type = kind.decode() if isinstance(kind, bytes) else kind
        if message_type == "pmessage":
            message = {"type": message_type, "pattern": response[1], "channel": response[2], "data": response[3]}
        elif message_type == "pong":
            message = {"type": message_type, "pattern": None, "channel": None, "data": response[1]}
        else:
            message = {"type": message_type, "pattern": None, "channel": response[1], "data": response[2]}

        if message_type in self.UNSUBSCRIBE_MESSAGE_TYPES:
            if message_type == "punsubscribe":
                registry, pending = self.patterns, self.pending_unsubscribe_patterns
            elif message_type == "sunsubscribe":
                registry, pending = self.shard_channels, self.pending_unsubscribe_shard_channels
            else:
                registry, pending = self.channels, self.pending_unsubscribe_channels
            name = response[1]
            if name in pending:
                pending.remove(name)
                registry.pop(name, None)
            if not self.channels and not self.patterns and not self.shard_channels:
                self.subscribed_event.clear()

        if message_type in self.PUBLISH_MESSAGE_TYPES:
            if message_type == "pmessage":
                handler = self.patterns.get(message["pattern"])
            elif message_type == "smessage":
                handler = self.shard_channels.get(message["channel"])
            else:
                handler = self.channels.get(message["channel"])
            if handler:
                handler(message)
                return None
        elif message_type != "pong":
            if ignore_subscribe_messages or self.ignore_subscribe_messages:
                return None
        return message

    def run_in_thread(self, sleep_time: float = 0.0, daemon: bool = False,
                      exception_handler: Optional[Callable[[BaseException, "PubSub", "PubSubWorkerThread"], None]] = None
                      ) -> "PubSubWorkerThread":
        """Delivers messages to their handlers on a thread of its own; every
        subscription must have a handler. stop() ends it."""
        for name, handler in {**self.channels, **self.patterns, **self.shard_channels}.items():
            if handler is None:
                raise PubSubError(f"Channel: '{name}' has no handler registered")
        thread = PubSubWorkerThread(self, sleep_time, daemon=daemon, exception_handler=exception_handler)
        thread.start()
        return thread


class PubSubWorkerThread(threading.Thread):
    def __init__(self, pubsub: PubSub, sleep_time: float, daemon: bool = False,
                 exception_handler: Optional[Callable[[BaseException, PubSub, "PubSubWorkerThread"], None]] = None):
        super().__init__()
        self.daemon = daemon
        self.pubsub = pubsub
        self.sleep_time = sleep_time
        self.exception_handler = exception_handler
        self._running = threading.Event()

    def run(self) -> None:
        if self._running.is_set():
            return
        self._running.set()
        pubsub = self.pubsub
        wait = self.sleep_time if self.sleep_time > 0 else _WORKER_WAIT
        while self._running.is_set():
            try:
                pubsub.get_message(ignore_subscribe_messages=True, timeout=wait)
            except BaseException as e:
                if self.exception_handler is None:
                    raise
                self.exception_handler(e, pubsub, self)
        pubsub.close()

    def stop(self) -> None:
        """Ends the thread (it closes the PubSub on its way out)."""
        self._running.clear()
        c = self.pubsub._conn
        if c is not None:
            lib.redlite_conn_interrupt(c)


