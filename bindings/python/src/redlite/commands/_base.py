"""Shared pieces of the command methods: type aliases and argument helpers
(the conventions of redis-py's method signatures)."""

import datetime
from typing import Any, Iterable, List, Optional, Union

from ..exceptions import DataError

KeyT = Union[bytes, str, memoryview]
EncodableT = Union[bytes, bytearray, memoryview, str, int, float]
FieldT = Union[bytes, bytearray, memoryview, str, int, float]
KeysT = Union[KeyT, Iterable[KeyT]]
ExpiryT = Union[int, datetime.timedelta]
AbsExpiryT = Union[int, datetime.datetime]
PatternT = Union[bytes, str, memoryview]
StreamIdT = Union[int, bytes, str, memoryview]
ResponseT = Any


class CommandsBase:
    """What every command method needs: execute_command runs (or, in a
    pipeline, queues) one command and applies its response callback."""

    def execute_command(self, *args, **options) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError


def list_or_args(keys: KeysT, args: Optional[Iterable[Any]]) -> List[Any]:
    """keys as a list (a single key or an iterable of keys), then args."""
    if isinstance(keys, (bytes, str, memoryview, bytearray)):
        out = [keys]
    else:
        try:
            out = list(keys)
        except TypeError:
            out = [keys]
    if args:
        out.extend(args)
    return out


def seconds(t: ExpiryT) -> int:
    return int(t.total_seconds()) if isinstance(t, datetime.timedelta) else t


def millis(t: ExpiryT) -> int:
    return int(t.total_seconds() * 1000) if isinstance(t, datetime.timedelta) else t


def unix_seconds(t: AbsExpiryT) -> int:
    return int(t.timestamp()) if isinstance(t, datetime.datetime) else t


def unix_millis(t: AbsExpiryT) -> int:
    return int(t.timestamp() * 1000) if isinstance(t, datetime.datetime) else t


def expire_flags(ex=None, px=None, exat=None, pxat=None) -> List[Any]:
    """The EX/PX/EXAT/PXAT pieces: the first of them that is given, as
    redis-py sends them."""
    if ex is not None:
        if isinstance(ex, datetime.timedelta):
            return ["EX", int(ex.total_seconds())]
        if isinstance(ex, int):
            return ["EX", ex]
        if isinstance(ex, str) and ex.isdigit():
            return ["EX", int(ex)]
        raise DataError("ex must be datetime.timedelta or int")
    if px is not None:
        if isinstance(px, datetime.timedelta):
            return ["PX", int(px.total_seconds() * 1000)]
        if isinstance(px, int):
            return ["PX", px]
        raise DataError("px must be datetime.timedelta or int")
    if exat is not None:
        return ["EXAT", unix_seconds(exat)]
    if pxat is not None:
        return ["PXAT", unix_millis(pxat)]
    return []


def exclusive(ex, px, exat, pxat, other: bool) -> bool:
    """redis-py's test for conflicting expiry options (on the set of the
    values, so equal values do not conflict)."""
    given = {ex, px, exat, pxat}
    return len(given) > 2 or (len(given) > 1 and other)


def condition_flags(nx=False, xx=False, gt=False, lt=False) -> List[str]:
    return [f for f, on in (("NX", nx), ("XX", xx), ("GT", gt), ("LT", lt)) if on]
