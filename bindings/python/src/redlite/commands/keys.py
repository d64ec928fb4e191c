"""Generic key commands and the SCAN family (redis-py's signatures)."""

from typing import Any, Callable, Iterator, List, Optional, Union

from ..exceptions import DataError
from ._base import (
    AbsExpiryT,
    CommandsBase,
    EncodableT,
    ExpiryT,
    KeyT,
    PatternT,
    ResponseT,
    condition_flags,
    millis,
    seconds,
    unix_millis,
    unix_seconds,
)


class KeyCommands(CommandsBase):
    def copy(self, source: str, destination: str, destination_db: Optional[str] = None,
             replace: bool = False) -> bool:
        params: List[Any] = [source, destination]
        if destination_db is not None:
            params += ["DB", destination_db]
        if replace:
            params.append("REPLACE")
        return self.execute_command("COPY", *params)

    def delete(self, *names: KeyT) -> int:
        """DEL: how many of the keys existed."""
        return self.execute_command("DEL", *names)

    def __delitem__(self, name: KeyT) -> None:
        self.delete(name)

    def dump(self, name: KeyT) -> Optional[bytes]:
        return self.execute_command("DUMP", name, _never_decode=True)

    def exists(self, *names: KeyT) -> int:
        return self.execute_command("EXISTS", *names)

    def __contains__(self, name: KeyT) -> bool:
        return bool(self.exists(name))

    def expire(self, name: KeyT, time: ExpiryT, nx: bool = False, xx: bool = False, gt: bool = False,
               lt: bool = False) -> bool:
        return self.execute_command("EXPIRE", name, seconds(time), *condition_flags(nx, xx, gt, lt))

    def expireat(self, name: KeyT, when: AbsExpiryT, nx: bool = False, xx: bool = False, gt: bool = False,
                 lt: bool = False) -> bool:
        return self.execute_command("EXPIREAT", name, unix_seconds(when), *condition_flags(nx, xx, gt, lt))

    def expiretime(self, key: str) -> int:
        return self.execute_command("EXPIRETIME", key)

    def pexpire(self, name: KeyT, time: ExpiryT, nx: bool = False, xx: bool = False, gt: bool = False,
                lt: bool = False) -> bool:
        return self.execute_command("PEXPIRE", name, millis(time), *condition_flags(nx, xx, gt, lt))

    def pexpireat(self, name: KeyT, when: AbsExpiryT, nx: bool = False, xx: bool = False, gt: bool = False,
                  lt: bool = False) -> bool:
        return self.execute_command("PEXPIREAT", name, unix_millis(when), *condition_flags(nx, xx, gt, lt))

    def pexpiretime(self, key: str) -> int:
        return self.execute_command("PEXPIRETIME", key)

    def keys(self, pattern: PatternT = "*", **kwargs) -> list:
        return self.execute_command("KEYS", pattern, **kwargs)

    def move(self, name: KeyT, db: int) -> bool:
        return self.execute_command("MOVE", name, db)

    def object(self, infotype: str, key: KeyT, **kwargs) -> ResponseT:
        """OBJECT ENCODING|FREQ|IDLETIME|REFCOUNT key."""
        return self.execute_command("OBJECT", infotype, key, **kwargs)

    def persist(self, name: KeyT) -> bool:
        return self.execute_command("PERSIST", name)

    def pttl(self, name: KeyT) -> int:
        return self.execute_command("PTTL", name)

    def ttl(self, name: KeyT) -> int:
        return self.execute_command("TTL", name)

    def randomkey(self, **kwargs) -> ResponseT:
        return self.execute_command("RANDOMKEY", **kwargs)

    def rename(self, src: KeyT, dst: KeyT) -> bool:
        return self.execute_command("RENAME", src, dst)

    def renamenx(self, src: KeyT, dst: KeyT) -> bool:
        return self.execute_command("RENAMENX", src, dst)

    def restore(self, name: KeyT, ttl: float, value: EncodableT, replace: bool = False, absttl: bool = False,
                idletime: Optional[int] = None, frequency: Optional[int] = None) -> ResponseT:
        params: List[Any] = [name, ttl, value]
        if replace:
            params.append("REPLACE")
        if absttl:
            params.append("ABSTTL")
        if idletime is not None:
            try:
                params += ["IDLETIME", int(idletime)]
            except ValueError:
                raise DataError("idletimemust be an integer") from None
        if frequency is not None:
            try:
                params += ["FREQ", int(frequency)]
            except ValueError:
                raise DataError("frequency must be an integer") from None
        return self.execute_command("RESTORE", *params)

    def sort(self, name: str, start: Optional[int] = None, num: Optional[int] = None, by: Optional[str] = None,
             get: Optional[List[str]] = None, desc: bool = False, alpha: bool = False,
             store: Optional[str] = None, groups: Optional[bool] = False) -> Union[List, int]:
        pieces = _sort_args(name, start, num, by, get, desc, alpha, store)
        if groups and (not get or isinstance(get, (bytes, str)) or len(get) < 2):
            raise DataError('when using "groups" the "get" argument must be specified and contain at least two keys')
        return self.execute_command("SORT", *pieces, groups=len(get) if groups and get else None)

    def sort_ro(self, key: str, start: Optional[int] = None, num: Optional[int] = None, by: Optional[str] = None,
                get: Optional[List[str]] = None, desc: bool = False, alpha: bool = False) -> list:
        return self.execute_command("SORT_RO", *_sort_args(key, start, num, by, get, desc, alpha, None))

    def touch(self, *args: KeyT) -> int:
        return self.execute_command("TOUCH", *args)

    def type(self, name: KeyT) -> ResponseT:
        return self.execute_command("TYPE", name)

    def unlink(self, *names: KeyT) -> int:
        return self.execute_command("UNLINK", *names)

    # -- SCAN family --

    def scan(self, cursor: int = 0, match: Optional[PatternT] = None, count: Optional[int] = None,
             _type: Optional[str] = None, **kwargs) -> ResponseT:
        """(next cursor, keys)."""
        pieces: List[Any] = [cursor]
        if match is not None:
            pieces += ["MATCH", match]
        if count is not None:
            pieces += ["COUNT", count]
        if _type is not None:
            pieces += ["TYPE", _type]
        return self.execute_command("SCAN", *pieces, **kwargs)

    def scan_iter(self, match: Optional[PatternT] = None, count: Optional[int] = None,
                  _type: Optional[str] = None, **kwargs) -> Iterator:
        cursor = "0"
        while cursor != 0:
            cursor, data = self.scan(cursor=cursor, match=match, count=count, _type=_type, **kwargs)
            yield from data

    def sscan(self, name: KeyT, cursor: int = 0, match: Optional[PatternT] = None,
              count: Optional[int] = None) -> ResponseT:
        return self.execute_command("SSCAN", name, *_scan_args(cursor, match, count))

    def sscan_iter(self, name: KeyT, match: Optional[PatternT] = None, count: Optional[int] = None) -> Iterator:
        cursor = "0"
        while cursor != 0:
            cursor, data = self.sscan(name, cursor=cursor, match=match, count=count)
            yield from data

    def hscan(self, name: KeyT, cursor: int = 0, match: Optional[PatternT] = None, count: Optional[int] = None,
              no_values: Optional[bool] = None) -> ResponseT:
        """(next cursor, {field: value}) or, with no_values, (cursor, [field])."""
        pieces = _scan_args(cursor, match, count)
        if no_values is not None:
            pieces.append("NOVALUES")
        return self.execute_command("HSCAN", name, *pieces, no_values=no_values)

    def hscan_iter(self, name: str, match: Optional[PatternT] = None, count: Optional[int] = None,
                   no_values: Optional[bool] = None) -> Iterator:
        cursor = "0"
        while cursor != 0:
            cursor, data = self.hscan(name, cursor=cursor, match=match, count=count, no_values=no_values)
            if no_values:
                yield from data
            else:
                yield from data.items()

    def zscan(self, name: KeyT, cursor: int = 0, match: Optional[PatternT] = None, count: Optional[int] = None,
              score_cast_func: Union[type, Callable] = float) -> ResponseT:
        """(next cursor, [(member, score)])."""
        return self.execute_command("ZSCAN", name, *_scan_args(cursor, match, count),
                                    score_cast_func=score_cast_func)

    def zscan_iter(self, name: KeyT, match: Optional[PatternT] = None, count: Optional[int] = None,
                   score_cast_func: Union[type, Callable] = float) -> Iterator:
        cursor = "0"
        while cursor != 0:
            cursor, data = self.zscan(name, cursor=cursor, match=match, count=count,
                                      score_cast_func=score_cast_func)
            yield from data


def _scan_args(cursor, match, count) -> List[Any]:
    pieces: List[Any] = [cursor]
    if match is not None:
        pieces += ["MATCH", match]
    if count is not None:
        pieces += ["COUNT", count]
    return pieces


def _sort_args(name, start, num, by, get, desc, alpha, store) -> List[Any]:
    if (start is None) != (num is None):
        raise DataError("``start`` and ``num`` must both be specified")
    pieces: List[Any] = [name]
    if by is not None:
        pieces += ["BY", by]
    if start is not None:
        pieces += ["LIMIT", start, num]
    if get is not None:
        if isinstance(get, (bytes, str)):
            pieces += ["GET", get]
        else:
            for g in get:
                pieces += ["GET", g]
    if desc:
        pieces.append("DESC")
    if alpha:
        pieces.append("ALPHA")
    if store is not None:
        pieces += ["STORE", store]
    return pieces

