"""Set commands (redis-py's signatures)."""

from typing import Any, List, Optional, Set

from ._base import CommandsBase, FieldT, KeyT, ResponseT, list_or_args


class SetCommands(CommandsBase):
    def sadd(self, name: KeyT, *values: FieldT) -> int:
        return self.execute_command("SADD", name, *values)

    def scard(self, name: KeyT) -> int:
        return self.execute_command("SCARD", name)

    def sdiff(self, keys: List, *args: List) -> Set:
        return self.execute_command("SDIFF", *list_or_args(keys, args))

    def sdiffstore(self, dest: str, keys: List, *args: List) -> int:
        return self.execute_command("SDIFFSTORE", dest, *list_or_args(keys, args))

    def sinter(self, keys: List, *args: List) -> Set:
        return self.execute_command("SINTER", *list_or_args(keys, args))

    def sintercard(self, numkeys: int, keys: List[KeyT], limit: int = 0) -> int:
        return self.execute_command("SINTERCARD", numkeys, *keys, "LIMIT", limit)

    def sinterstore(self, dest: KeyT, keys: List, *args: List) -> int:
        return self.execute_command("SINTERSTORE", dest, *list_or_args(keys, args))

    def sismember(self, name: KeyT, value: str) -> int:
        """1 when value is a member, else 0 (as redis-py returns it)."""
        return self.execute_command("SISMEMBER", name, value)

    def smembers(self, name: KeyT) -> Set:
        return self.execute_command("SMEMBERS", name)

    def smismember(self, name: KeyT, values: List, *args: List) -> List[int]:
        return self.execute_command("SMISMEMBER", name, *list_or_args(values, args))

    def smove(self, src: KeyT, dst: KeyT, value: str) -> bool:
        return self.execute_command("SMOVE", src, dst, value)

    def spop(self, name: KeyT, count: Optional[int] = None) -> ResponseT:
        args: List[Any] = [] if count is None else [count]
        return self.execute_command("SPOP", name, *args)

    def srandmember(self, name: KeyT, number: Optional[int] = None) -> ResponseT:
        args: List[Any] = [] if number is None else [number]
        return self.execute_command("SRANDMEMBER", name, *args)

    def srem(self, name: KeyT, *values: FieldT) -> int:
        return self.execute_command("SREM", name, *values)

    def sunion(self, keys: List, *args: List) -> Set:
        return self.execute_command("SUNION", *list_or_args(keys, args))

    def sunionstore(self, dest: KeyT, keys: List, *args: List) -> int:
        return self.execute_command("SUNIONSTORE", dest, *list_or_args(keys, args))
