"""Hash commands (redis-py's signatures)."""

import warnings
from typing import Any, List, Optional

from ..exceptions import DataError
from ._base import CommandsBase, ResponseT, list_or_args


def hset_pieces(key, value, mapping, items) -> List[Any]:
    """HSET's field/value pieces in redis-py's order: items, key/value,
    mapping."""
    if key is None and not mapping and not items:
        raise DataError("'hset' with no key value pairs")
    pieces: List[Any] = []
    if items:
        pieces.extend(items)
    if key is not None:
        pieces += [key, value]
    if mapping:
        for pair in mapping.items():
            pieces.extend(pair)
    return pieces


class HashCommands(CommandsBase):
    def hdel(self, name: str, *keys: str) -> int:
        return self.execute_command("HDEL", name, *keys)

    def hexists(self, name: str, key: str) -> bool:
        return self.execute_command("HEXISTS", name, key)

    def hget(self, name: str, key: str) -> ResponseT:
        return self.execute_command("HGET", name, key)

    def hgetall(self, name: str) -> dict:
        return self.execute_command("HGETALL", name)

    def hincrby(self, name: str, key: str, amount: int = 1) -> int:
        return self.execute_command("HINCRBY", name, key, amount)

    def hincrbyfloat(self, name: str, key: str, amount: float = 1.0) -> float:
        return self.execute_command("HINCRBYFLOAT", name, key, amount)

    def hkeys(self, name: str) -> List:
        return self.execute_command("HKEYS", name)

    def hlen(self, name: str) -> int:
        return self.execute_command("HLEN", name)

    def hset(self, name: str, key: Optional[str] = None, value: Optional[str] = None,
             mapping: Optional[dict] = None, items: Optional[list] = None) -> int:
        """HSET: how many fields were new."""
        return self.execute_command("HSET", name, *hset_pieces(key, value, mapping, items))

    def hsetnx(self, name: str, key: str, value: str) -> bool:
        return self.execute_command("HSETNX", name, key, value)

    def hmset(self, name: str, mapping: dict) -> bool:
        warnings.warn(f"{self.__class__.__name__}.hmset() is deprecated. Use {self.__class__.__name__}.hset() instead.",
                      DeprecationWarning, stacklevel=2)
        if not mapping:
            raise DataError("'hmset' with 'mapping' of length 0")
        items: List[Any] = []
        for pair in mapping.items():
            items.extend(pair)
        return self.execute_command("HMSET", name, *items)

    def hmget(self, name: str, keys: List, *args: List) -> List:
        return self.execute_command("HMGET", name, *list_or_args(keys, args))

    def hvals(self, name: str) -> List:
        return self.execute_command("HVALS", name)

    def hstrlen(self, name: str, key: str) -> int:
        return self.execute_command("HSTRLEN", name, key)

    def hrandfield(self, key: str, count: Optional[int] = None, withvalues: bool = False) -> ResponseT:
        params: List[Any] = []
        if count is not None:
            params.append(count)
        if withvalues:
            params.append("WITHVALUES")
        return self.execute_command("HRANDFIELD", key, *params)
