"""List commands, blocking pops included (redis-py's signatures)."""

from typing import Any, List, Optional, Union

from ._base import CommandsBase, FieldT, ResponseT, list_or_args

Number = Union[int, float]


class ListCommands(CommandsBase):
    def blpop(self, keys: List, timeout: Optional[Number] = 0) -> ResponseT:
        """(key, value) from the first non-empty list, waiting up to timeout
        seconds (0: forever); None on timeout."""
        args = list_or_args(keys, None)
        args.append(0 if timeout is None else timeout)
        return self.execute_command("BLPOP", *args)

    def brpop(self, keys: List, timeout: Optional[Number] = 0) -> ResponseT:
        args = list_or_args(keys, None)
        args.append(0 if timeout is None else timeout)
        return self.execute_command("BRPOP", *args)

    def brpoplpush(self, src: str, dst: str, timeout: Optional[Number] = 0) -> ResponseT:
        return self.execute_command("BRPOPLPUSH", src, dst, 0 if timeout is None else timeout)

    def blmove(self, first_list: str, second_list: str, timeout: int, src: str = "LEFT",
               dest: str = "RIGHT") -> ResponseT:
        return self.execute_command("BLMOVE", first_list, second_list, src, dest, timeout)

    def blmpop(self, timeout: float, numkeys: int, *args: List[str], direction: str,
               count: Optional[int] = 1) -> Optional[list]:
        return self.execute_command("BLMPOP", timeout, numkeys, *args, direction, "COUNT", count)

    def lmpop(self, num_keys: int, *args: List[str], direction: str, count: Optional[int] = 1) -> list:
        pieces: List[Any] = [num_keys, *args, direction]
        if count != 1:
            pieces += ["COUNT", count]
        return self.execute_command("LMPOP", *pieces)

    def lindex(self, name: str, index: int) -> ResponseT:
        return self.execute_command("LINDEX", name, index)

    def linsert(self, name: str, where: str, refvalue: str, value: str) -> int:
        return self.execute_command("LINSERT", name, where, refvalue, value)

    def llen(self, name: str) -> int:
        return self.execute_command("LLEN", name)

    def lmove(self, first_list: str, second_list: str, src: str = "LEFT", dest: str = "RIGHT") -> ResponseT:
        return self.execute_command("LMOVE", first_list, second_list, src, dest)

    def lpop(self, name: str, count: Optional[int] = None) -> ResponseT:
        if count is not None:
            return self.execute_command("LPOP", name, count)
        return self.execute_command("LPOP", name)

    def lpos(self, name: str, value: str, rank: Optional[int] = None, count: Optional[int] = None,
             maxlen: Optional[int] = None) -> ResponseT:
        pieces: List[Any] = [name, value]
        if rank is not None:
            pieces += ["RANK", rank]
        if count is not None:
            pieces += ["COUNT", count]
        if maxlen is not None:
            pieces += ["MAXLEN", maxlen]
        return self.execute_command("LPOS", *pieces)

    def lpush(self, name: str, *values: FieldT) -> int:
        return self.execute_command("LPUSH", name, *values)

    def lpushx(self, name: str, *values: FieldT) -> int:
        return self.execute_command("LPUSHX", name, *values)

    def lrange(self, name: str, start: int, end: int) -> list:
        return self.execute_command("LRANGE", name, start, end)

    def lrem(self, name: str, count: int, value: str) -> int:
        return self.execute_command("LREM", name, count, value)

    def lset(self, name: str, index: int, value: str) -> bool:
        return self.execute_command("LSET", name, index, value)

    def ltrim(self, name: str, start: int, end: int) -> bool:
        return self.execute_command("LTRIM", name, start, end)

    def rpop(self, name: str, count: Optional[int] = None) -> ResponseT:
        if count is not None:
            return self.execute_command("RPOP", name, count)
        return self.execute_command("RPOP", name)

    def rpoplpush(self, src: str, dst: str) -> ResponseT:
        return self.execute_command("RPOPLPUSH", src, dst)

    def rpush(self, name: str, *values: FieldT) -> int:
        return self.execute_command("RPUSH", name, *values)

    def rpushx(self, name: str, *values: str) -> int:
        return self.execute_command("RPUSHX", name, *values)
