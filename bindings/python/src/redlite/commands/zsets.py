"""Sorted set commands (redis-py's signatures and reply shapes: WITHSCORES
replies as lists of (member, score) tuples, scores as floats)."""

from typing import Any, Callable, List, Mapping, Optional, Sequence, Union

from ..exceptions import DataError
from ._base import CommandsBase, EncodableT, KeysT, KeyT, ResponseT, list_or_args

ZScoreBoundT = Union[float, str]


def zadd_pieces(mapping, nx, xx, ch, incr, gt, lt):
    """ZADD's flags and score/member pieces, validated as redis-py does."""
    if not mapping:
        raise DataError("ZADD requires at least one element/score pair")
    if nx and xx:
        raise DataError("ZADD allows either 'nx' or 'xx', not both")
    if gt and lt:
        raise DataError("ZADD allows either 'gt' or 'lt', not both")
    if incr and len(mapping) != 1:
        raise DataError("ZADD option 'incr' only works when passing a single element/score pair")
    if nx and (gt or lt):
        raise DataError("Only one of 'nx', 'lt', or 'gr' may be defined.")
    pieces: List[Any] = [f for f, on in (("NX", nx), ("XX", xx), ("CH", ch), ("INCR", incr),
                                         ("GT", gt), ("LT", lt)) if on]
    for member, score in mapping.items():
        pieces += [score, member]
    return pieces


class SortedSetCommands(CommandsBase):
    def zadd(self, name: KeyT, mapping: Mapping[Any, EncodableT], nx: bool = False, xx: bool = False,
             ch: bool = False, incr: bool = False, gt: bool = False, lt: bool = False) -> ResponseT:
        """ZADD mapping {member: score}: the number of new members (changed
        ones with ch), or the new score with incr (None when nx/xx
        prevented it)."""
        pieces = zadd_pieces(mapping, nx, xx, ch, incr, gt, lt)
        options = {"as_score": True} if incr else {}
        return self.execute_command("ZADD", name, *pieces, **options)

    def zcard(self, name: KeyT) -> int:
        return self.execute_command("ZCARD", name)

    def zcount(self, name: KeyT, min: ZScoreBoundT, max: ZScoreBoundT) -> int:
        return self.execute_command("ZCOUNT", name, min, max)

    def zdiff(self, keys: KeysT, withscores: bool = False) -> ResponseT:
        keys = list_or_args(keys, None)
        pieces: List[Any] = [len(keys), *keys]
        if withscores:
            pieces.append("WITHSCORES")
        # redis-py gives ZDIFF's callback no withscores option: the reply
        # stays flat, as it returns it.
        return self.execute_command("ZDIFF", *pieces)

    def zdiffstore(self, dest: KeyT, keys: KeysT) -> int:
        keys = list_or_args(keys, None)
        return self.execute_command("ZDIFFSTORE", dest, len(keys), *keys)

    def zincrby(self, name: KeyT, amount: float, value: EncodableT) -> float:
        return self.execute_command("ZINCRBY", name, amount, value)

    def zinter(self, keys: KeysT, aggregate: Optional[str] = None, withscores: bool = False) -> ResponseT:
        return self._zaggregate("ZINTER", None, keys, aggregate, withscores=withscores)

    def zinterstore(self, dest: KeyT, keys: Union[Sequence[KeyT], Mapping[Any, float]],
                    aggregate: Optional[str] = None) -> int:
        return self._zaggregate("ZINTERSTORE", dest, keys, aggregate)

    def zintercard(self, numkeys: int, keys: List[str], limit: int = 0) -> int:
        return self.execute_command("ZINTERCARD", numkeys, *keys, "LIMIT", limit)

    def zlexcount(self, name: KeyT, min: EncodableT, max: EncodableT) -> int:
        return self.execute_command("ZLEXCOUNT", name, min, max)

    def zpopmax(self, name: KeyT, count: Optional[int] = None) -> ResponseT:
        args: List[Any] = [] if count is None else [count]
        return self.execute_command("ZPOPMAX", name, *args, withscores=True)

    def zpopmin(self, name: KeyT, count: Optional[int] = None) -> ResponseT:
        args: List[Any] = [] if count is None else [count]
        return self.execute_command("ZPOPMIN", name, *args, withscores=True)

    def zrandmember(self, key: KeyT, count: Optional[int] = None, withscores: bool = False) -> ResponseT:
        params: List[Any] = []
        if count is not None:
            params.append(count)
        if withscores:
            params.append("WITHSCORES")
        return self.execute_command("ZRANDMEMBER", key, *params)

    def bzpopmax(self, keys: KeysT, timeout: Union[int, float, bytes, str, memoryview] = 0) -> ResponseT:
        """(key, member, score) of the highest member of the first non-empty
        set, waiting up to timeout seconds (0: forever); None on timeout."""
        args = list_or_args(keys, None)
        args.append(0 if timeout is None else timeout)
        return self.execute_command("BZPOPMAX", *args)

    def bzpopmin(self, keys: KeysT, timeout: Union[int, float, bytes, str, memoryview] = 0) -> ResponseT:
        args = list_or_args(keys, None)
        args.append(0 if timeout is None else timeout)
        return self.execute_command("BZPOPMIN", *args)

    def zmpop(self, num_keys: int, keys: List[str], min: Optional[bool] = False, max: Optional[bool] = False,
              count: Optional[int] = 1) -> list:
        args: List[Any] = [num_keys, *keys]
        if bool(min) == bool(max):
            raise DataError()  # redis-py's (message-less) error
        args.append("MIN" if min else "MAX")
        if count != 1:
            args += ["COUNT", count]
        return self.execute_command("ZMPOP", *args)

    def bzmpop(self, timeout: float, numkeys: int, keys: List[str], min: Optional[bool] = False,
               max: Optional[bool] = False, count: Optional[int] = 1) -> Optional[list]:
        args: List[Any] = [timeout, numkeys, *keys]
        if bool(min) == bool(max):
            raise DataError("Either min or max, but not both must be set")
        args += ["MIN" if min else "MAX", "COUNT", count]
        return self.execute_command("BZMPOP", *args)

    def _zrange(self, command, dest, name, start, end, desc=False, byscore=False, bylex=False,
                withscores=False, score_cast_func=float, offset=None, num=None) -> ResponseT:
        if byscore and bylex:
            raise DataError("``byscore`` and ``bylex`` can not be specified together.")
        if (offset is None) != (num is None):
            raise DataError("``offset`` and ``num`` must both be specified.")
        if bylex and withscores:
            raise DataError("``withscores`` not supported in combination with ``bylex``.")
        pieces: List[Any] = [command]
        if dest:
            pieces.append(dest)
        pieces += [name, start, end]
        if byscore:
            pieces.append("BYSCORE")
        if bylex:
            pieces.append("BYLEX")
        if desc:
            pieces.append("REV")
        if offset is not None:
            pieces += ["LIMIT", offset, num]
        if withscores:
            pieces.append("WITHSCORES")
        return self.execute_command(*pieces, withscores=withscores, score_cast_func=score_cast_func)

    def zrange(self, name: KeyT, start: int, end: int, desc: bool = False, withscores: bool = False,
               score_cast_func: Union[type, Callable] = float, byscore: bool = False, bylex: bool = False,
               offset: Optional[int] = None, num: Optional[int] = None) -> ResponseT:
        if not byscore and not bylex and offset is None and num is None and desc:
            return self.zrevrange(name, start, end, withscores, score_cast_func)
        return self._zrange("ZRANGE", None, name, start, end, desc, byscore, bylex, withscores,
                            score_cast_func, offset, num)

    def zrevrange(self, name: KeyT, start: int, end: int, withscores: bool = False,
                  score_cast_func: Union[type, Callable] = float) -> ResponseT:
        pieces: List[Any] = [name, start, end]
        if withscores:
            pieces.append("WITHSCORES")
        return self.execute_command("ZREVRANGE", *pieces, withscores=withscores, score_cast_func=score_cast_func)

    def zrangestore(self, dest: KeyT, name: KeyT, start: int, end: int, byscore: bool = False, bylex: bool = False,
                    desc: bool = False, offset: Optional[int] = None, num: Optional[int] = None) -> int:
        return self._zrange("ZRANGESTORE", dest, name, start, end, desc, byscore, bylex, False, None, offset, num)

    def zrangebylex(self, name: KeyT, min: EncodableT, max: EncodableT, start: Optional[int] = None,
                    num: Optional[int] = None) -> ResponseT:
        return self.execute_command("ZRANGEBYLEX", name, min, max, *_limit(start, num))

    def zrevrangebylex(self, name: KeyT, max: EncodableT, min: EncodableT, start: Optional[int] = None,
                       num: Optional[int] = None) -> ResponseT:
        return self.execute_command("ZREVRANGEBYLEX", name, max, min, *_limit(start, num))

    def zrangebyscore(self, name: KeyT, min: ZScoreBoundT, max: ZScoreBoundT, start: Optional[int] = None,
                      num: Optional[int] = None, withscores: bool = False,
                      score_cast_func: Union[type, Callable] = float) -> ResponseT:
        return self._byscore("ZRANGEBYSCORE", name, min, max, start, num, withscores, score_cast_func)

    def zrevrangebyscore(self, name: KeyT, max: ZScoreBoundT, min: ZScoreBoundT, start: Optional[int] = None,
                         num: Optional[int] = None, withscores: bool = False,
                         score_cast_func: Union[type, Callable] = float) -> ResponseT:
        return self._byscore("ZREVRANGEBYSCORE", name, max, min, start, num, withscores, score_cast_func)

    def _byscore(self, command: str, name: KeyT, first: ZScoreBoundT, second: ZScoreBoundT, start: Optional[int],
                 num: Optional[int], withscores: bool, score_cast_func: Union[type, Callable]) -> ResponseT:
        """ZRANGEBYSCORE and ZREVRANGEBYSCORE: the bounds in the command's order."""
        pieces = [name, first, second, *_limit(start, num)]
        if withscores:
            pieces.append("WITHSCORES")
        return self.execute_command(command, *pieces, withscores=withscores, score_cast_func=score_cast_func)

    def zrank(self, name: KeyT, value: EncodableT, withscore: bool = False) -> ResponseT:
        if withscore:
            return self.execute_command("ZRANK", name, value, "WITHSCORE")
        return self.execute_command("ZRANK", name, value)

    def zrevrank(self, name: KeyT, value: EncodableT, withscore: bool = False) -> ResponseT:
        if withscore:
            return self.execute_command("ZREVRANK", name, value, "WITHSCORE")
        return self.execute_command("ZREVRANK", name, value)

    def zrem(self, name: KeyT, *values: EncodableT) -> int:
        return self.execute_command("ZREM", name, *values)

    def zremrangebylex(self, name: KeyT, min: EncodableT, max: EncodableT) -> int:
        return self.execute_command("ZREMRANGEBYLEX", name, min, max)

    def zremrangebyrank(self, name: KeyT, min: int, max: int) -> int:
        return self.execute_command("ZREMRANGEBYRANK", name, min, max)

    def zremrangebyscore(self, name: KeyT, min: ZScoreBoundT, max: ZScoreBoundT) -> int:
        return self.execute_command("ZREMRANGEBYSCORE", name, min, max)

    def zscore(self, name: KeyT, value: EncodableT) -> Optional[float]:
        return self.execute_command("ZSCORE", name, value)

    def zunion(self, keys: Union[Sequence[KeyT], Mapping[Any, float]], aggregate: Optional[str] = None,
               withscores: bool = False) -> ResponseT:
        return self._zaggregate("ZUNION", None, keys, aggregate, withscores=withscores)

    def zunionstore(self, dest: KeyT, keys: Union[Sequence[KeyT], Mapping[Any, float]],
                    aggregate: Optional[str] = None) -> int:
        return self._zaggregate("ZUNIONSTORE", dest, keys, aggregate)

    def zmscore(self, key: KeyT, members: List[str]) -> List[Optional[float]]:
        if not members:
            raise DataError("ZMSCORE members must be a non-empty list")
        return self.execute_command("ZMSCORE", key, *members)

    def _zaggregate(self, command, dest, keys, aggregate=None, **options) -> ResponseT:
        pieces: List[Any] = [command]
        if dest is not None:
            pieces.append(dest)
        pieces.append(len(keys))
        if isinstance(keys, dict):
            names, weights = list(keys.keys()), list(keys.values())
        else:
            names, weights = list(keys), None
        pieces.extend(names)
        if weights:
            pieces.append("WEIGHTS")
            pieces.extend(weights)
        if aggregate:
            if aggregate.upper() not in ("SUM", "MIN", "MAX"):
                raise DataError("aggregate can be sum, min or max.")
            pieces += ["AGGREGATE", aggregate]
        if options.get("withscores"):
            pieces.append("WITHSCORES")
        return self.execute_command(*pieces, **options)


def _limit(start, num) -> List[Any]:
    if (start is None) != (num is None):
        raise DataError("``start`` and ``num`` must both be specified")
    return [] if start is None else ["LIMIT", start, num]
