"""String and bitmap commands (redis-py's signatures)."""

from typing import Any, List, Mapping, Optional, Tuple, Union

from ..exceptions import DataError
from ._base import (
    AbsExpiryT,
    CommandsBase,
    EncodableT,
    ExpiryT,
    KeysT,
    KeyT,
    ResponseT,
    exclusive,
    expire_flags,
    list_or_args,
    millis,
    seconds,
)

BitfieldOffsetT = Union[int, str]


class BitFieldOperation:
    """Builds one BITFIELD command from chained get/set/incrby/overflow
    calls; execute() runs it (in a pipeline, queues it)."""

    def __init__(self, client: CommandsBase, key: KeyT, default_overflow: Optional[str] = None):
        self.client = client
        self.key = key
        self._default_overflow = default_overflow
        self.operations: List[Tuple[Any, ...]] = []
        self._last_overflow = "WRAP"
        self.reset()

    def reset(self) -> None:
        self.operations = []
        self._last_overflow = "WRAP"
        self.overflow(self._default_overflow or self._last_overflow)

    def overflow(self, overflow: str) -> "BitFieldOperation":
        """WRAP, SAT or FAIL for the INCRBY operations that follow."""
        overflow = overflow.upper()
        if overflow != self._last_overflow:
            self._last_overflow = overflow
            self.operations.append(("OVERFLOW", overflow))
        return self

    def incrby(self, fmt: str, offset: BitfieldOffsetT, increment: int,
               overflow: Optional[str] = None) -> "BitFieldOperation":
        if overflow is not None:
            self.overflow(overflow)
        self.operations.append(("INCRBY", fmt, offset, increment))
        return self

    def get(self, fmt: str, offset: BitfieldOffsetT) -> "BitFieldOperation":
        self.operations.append(("GET", fmt, offset))
        return self

    def set(self, fmt: str, offset: BitfieldOffsetT, value: int) -> "BitFieldOperation":
        self.operations.append(("SET", fmt, offset, value))
        return self

    @property
    def command(self) -> List[Any]:
        cmd: List[Any] = ["BITFIELD", self.key]
        for op in self.operations:
            cmd.extend(op)
        return cmd

    def execute(self) -> ResponseT:
        cmd = self.command
        self.reset()
        return self.client.execute_command(*cmd)


class StringCommands(CommandsBase):
    def append(self, key: KeyT, value: EncodableT) -> int:
        return self.execute_command("APPEND", key, value)

    def decrby(self, name: KeyT, amount: int = 1) -> int:
        return self.execute_command("DECRBY", name, amount)

    def decr(self, name: KeyT, amount: int = 1) -> int:
        """DECRBY (redis-py's decr takes an amount too)."""
        return self.execute_command("DECRBY", name, amount)

    def get(self, name: KeyT) -> ResponseT:
        return self.execute_command("GET", name)

    def getdel(self, name: KeyT) -> ResponseT:
        return self.execute_command("GETDEL", name)

    def getex(self, name: KeyT, ex: Optional[ExpiryT] = None, px: Optional[ExpiryT] = None,
              exat: Optional[AbsExpiryT] = None, pxat: Optional[AbsExpiryT] = None,
              persist: bool = False) -> ResponseT:
        if exclusive(ex, px, exat, pxat, persist):
            raise DataError("``ex``, ``px``, ``exat``, ``pxat``, and ``persist`` are mutually exclusive.")
        pieces = expire_flags(ex, px, exat, pxat)
        if persist:
            pieces.append("PERSIST")
        return self.execute_command("GETEX", name, *pieces)

    def getrange(self, key: KeyT, start: int, end: int) -> ResponseT:
        return self.execute_command("GETRANGE", key, start, end)

    def substr(self, name: KeyT, start: int, end: int = -1) -> ResponseT:
        return self.execute_command("SUBSTR", name, start, end)

    def getset(self, name: KeyT, value: EncodableT) -> ResponseT:
        return self.execute_command("GETSET", name, value)

    def incrby(self, name: KeyT, amount: int = 1) -> int:
        return self.execute_command("INCRBY", name, amount)

    def incr(self, name: KeyT, amount: int = 1) -> int:
        """INCRBY (redis-py's incr takes an amount too)."""
        return self.execute_command("INCRBY", name, amount)

    def incrbyfloat(self, name: KeyT, amount: float = 1.0) -> float:
        return self.execute_command("INCRBYFLOAT", name, amount)

    def lcs(self, key1: str, key2: str, len: Optional[bool] = False, idx: Optional[bool] = False,
            minmatchlen: Optional[int] = 0, withmatchlen: Optional[bool] = False) -> Union[str, int, list]:
        pieces: List[Any] = [key1, key2]
        if len:
            pieces.append("LEN")
        if idx:
            pieces.append("IDX")
        if minmatchlen != 0:
            pieces += ["MINMATCHLEN", minmatchlen]
        if withmatchlen:
            pieces.append("WITHMATCHLEN")
        return self.execute_command("LCS", *pieces)

    def mget(self, keys: KeysT, *args: EncodableT) -> ResponseT:
        return self.execute_command("MGET", *list_or_args(keys, args))

    def mset(self, mapping: Mapping[Any, EncodableT]) -> bool:
        items: List[Any] = []
        for pair in mapping.items():
            items.extend(pair)
        return self.execute_command("MSET", *items)

    def msetnx(self, mapping: Mapping[Any, EncodableT]) -> bool:
        items: List[Any] = []
        for pair in mapping.items():
            items.extend(pair)
        return self.execute_command("MSETNX", *items)

    def psetex(self, name: KeyT, time_ms: ExpiryT, value: EncodableT) -> bool:
        return self.execute_command("PSETEX", name, millis(time_ms), value)

    def set(self, name: KeyT, value: EncodableT, ex: Optional[ExpiryT] = None, px: Optional[ExpiryT] = None,
            nx: bool = False, xx: bool = False, keepttl: bool = False, get: bool = False,
            exat: Optional[AbsExpiryT] = None, pxat: Optional[AbsExpiryT] = None) -> ResponseT:
        """SET; True when stored, None when nx/xx prevented it, the old value
        with get=True."""
        pieces, options = _set_args(name, value, ex, px, nx, xx, keepttl, get, exat, pxat)
        return self.execute_command("SET", *pieces, **options)

    def setex(self, name: KeyT, time: ExpiryT, value: EncodableT) -> bool:
        return self.execute_command("SETEX", name, seconds(time), value)

    def setnx(self, name: KeyT, value: EncodableT) -> bool:
        return self.execute_command("SETNX", name, value)

    def setrange(self, name: KeyT, offset: int, value: EncodableT) -> int:
        return self.execute_command("SETRANGE", name, offset, value)

    def strlen(self, name: KeyT) -> int:
        return self.execute_command("STRLEN", name)

    def __getitem__(self, name: KeyT):
        value = self.get(name)
        if value is not None:
            return value
        raise KeyError(name)

    def __setitem__(self, name: KeyT, value: EncodableT) -> None:
        self.set(name, value)

    # -- bitmaps --

    def bitcount(self, key: KeyT, start: Optional[int] = None, end: Optional[int] = None,
                 mode: Optional[str] = None) -> int:
        params: List[Any] = [key]
        if start is not None and end is not None:
            params += [start, end]
        elif start is not None or end is not None:
            raise DataError("Both start and end must be specified")
        if mode is not None:
            params.append(mode)
        return self.execute_command("BITCOUNT", *params)

    def bitfield(self, key: KeyT, default_overflow: Optional[str] = None) -> BitFieldOperation:
        return BitFieldOperation(self, key, default_overflow=default_overflow)

    def bitfield_ro(self, key: KeyT, encoding: str, offset: BitfieldOffsetT,
                    items: Optional[list] = None) -> ResponseT:
        params: List[Any] = [key, "GET", encoding, offset]
        for enc, off in items or []:
            params += ["GET", enc, off]
        return self.execute_command("BITFIELD_RO", *params)

    def bitop(self, operation: str, dest: KeyT, *keys: KeyT) -> int:
        return self.execute_command("BITOP", operation, dest, *keys)

    def bitpos(self, key: KeyT, bit: int, start: Optional[int] = None, end: Optional[int] = None,
               mode: Optional[str] = None) -> int:
        if bit not in (0, 1):
            raise DataError("bit must be 0 or 1")
        params: List[Any] = [key, bit]
        if start is not None:
            params.append(start)
            if end is not None:
                params.append(end)
        elif end is not None:
            raise DataError("start argument is not set, when end is specified")
        if mode is not None:
            params.append(mode)
        return self.execute_command("BITPOS", *params)

    def getbit(self, name: KeyT, offset: int) -> int:
        return self.execute_command("GETBIT", name, offset)

    def setbit(self, name: KeyT, offset: int, value: int) -> int:
        return self.execute_command("SETBIT", name, offset, 1 if value else 0)


def _set_args(name, value, ex, px, nx, xx, keepttl, get, exat, pxat):
    """SET's arguments and callback options, validated as redis-py does."""
    if exclusive(ex, px, exat, pxat, keepttl):
        raise DataError("``ex``, ``px``, ``exat``, ``pxat``, and ``keepttl`` are mutually exclusive.")
    if nx and xx:
        raise DataError("``nx`` and ``xx`` are mutually exclusive.")
    pieces: List[Any] = [name, value]
    pieces += expire_flags(ex, px, exat, pxat)
    if keepttl:
        pieces.append("KEEPTTL")
    if nx:
        pieces.append("NX")
    if xx:
        pieces.append("XX")
    options = {}
    if get:
        pieces.append("GET")
        options["get"] = True
    return pieces, options
