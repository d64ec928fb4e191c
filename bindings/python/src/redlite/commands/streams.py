"""Stream commands (redis-py's signatures; entries as (id, {field: value}))."""

from typing import Any, Dict, List, Optional, Tuple, Union

from ..exceptions import DataError
from ._base import CommandsBase, EncodableT, FieldT, KeyT, ResponseT, StreamIdT

GroupT = KeyT
ConsumerT = KeyT


def _positive(name: str, value) -> None:
    if not isinstance(value, int) or value < 1:
        raise DataError(f"{name} count must be a positive integer")


class StreamCommands(CommandsBase):
    def xack(self, name: KeyT, groupname: GroupT, *ids: StreamIdT) -> int:
        return self.execute_command("XACK", name, groupname, *ids)

    def xadd(self, name: KeyT, fields: Dict[FieldT, EncodableT], id: StreamIdT = "*",
             maxlen: Optional[int] = None, approximate: bool = True, nomkstream: bool = False,
             minid: Union[StreamIdT, None] = None, limit: Optional[int] = None) -> ResponseT:
        """XADD: the new entry's id."""
        pieces: List[Any] = []
        if maxlen is not None and minid is not None:
            raise DataError("Only one of ```maxlen``` or ```minid``` may be specified")
        if maxlen is not None:
            if not isinstance(maxlen, int) or maxlen < 0:
                raise DataError("XADD maxlen must be non-negative integer")
            pieces += ["MAXLEN", "~", maxlen] if approximate else ["MAXLEN", maxlen]
        if minid is not None:
            pieces += ["MINID", "~", minid] if approximate else ["MINID", minid]
        if limit is not None:
            pieces += ["LIMIT", limit]
        if nomkstream:
            pieces.append("NOMKSTREAM")
        pieces.append(id)
        if not isinstance(fields, dict) or not fields:
            raise DataError("XADD fields must be a non-empty dict")
        for pair in fields.items():
            pieces.extend(pair)
        return self.execute_command("XADD", name, *pieces)

    def xautoclaim(self, name: KeyT, groupname: GroupT, consumername: ConsumerT, min_idle_time: int,
                   start_id: StreamIdT = "0-0", count: Optional[int] = None, justid: bool = False) -> ResponseT:
        if isinstance(min_idle_time, int) and min_idle_time < 0:
            raise DataError("XAUTOCLAIM min_idle_time must be a nonnegative integer")
        pieces: List[Any] = [name, groupname, consumername, min_idle_time, start_id]
        if count is not None:
            if int(count) < 0:
                raise DataError("XPENDING count must be a integer >= 0")
            pieces += ["COUNT", count]
        options = {}
        if justid:
            pieces.append("JUSTID")
            options["parse_justid"] = True
        return self.execute_command("XAUTOCLAIM", *pieces, **options)

    def xclaim(self, name: KeyT, groupname: GroupT, consumername: ConsumerT, min_idle_time: int,
               message_ids: Union[List[StreamIdT], Tuple[StreamIdT]], idle: Optional[int] = None,
               time: Optional[int] = None, retrycount: Optional[int] = None, force: bool = False,
               justid: bool = False) -> ResponseT:
        if not isinstance(min_idle_time, int) or min_idle_time < 0:
            raise DataError("XCLAIM min_idle_time must be a non negative integer")
        if not isinstance(message_ids, (list, tuple)) or not message_ids:
            raise DataError("XCLAIM message_ids must be a non empty list or tuple of message IDs to claim")
        pieces: List[Any] = [name, groupname, consumername, min_idle_time, *message_ids]
        for word, value in (("IDLE", idle), ("TIME", time), ("RETRYCOUNT", retrycount)):
            if value is not None:
                if not isinstance(value, int):
                    raise DataError(f"XCLAIM {word.lower()} must be an integer")
                pieces += [word, value]
        if force:
            pieces.append("FORCE")
        options = {}
        if justid:
            pieces.append("JUSTID")
            options["parse_justid"] = True
        return self.execute_command("XCLAIM", *pieces, **options)

    def xdel(self, name: KeyT, *ids: StreamIdT) -> int:
        return self.execute_command("XDEL", name, *ids)

    def xgroup_create(self, name: KeyT, groupname: GroupT, id: StreamIdT = "$", mkstream: bool = False,
                      entries_read: Optional[int] = None) -> bool:
        pieces: List[Any] = [name, groupname, id]
        if mkstream:
            pieces.append("MKSTREAM")
        if entries_read is not None:
            pieces += ["ENTRIESREAD", entries_read]
        return self.execute_command("XGROUP CREATE", *pieces)

    def xgroup_delconsumer(self, name: KeyT, groupname: GroupT, consumername: ConsumerT) -> int:
        return self.execute_command("XGROUP DELCONSUMER", name, groupname, consumername)

    def xgroup_destroy(self, name: KeyT, groupname: GroupT) -> bool:
        return self.execute_command("XGROUP DESTROY", name, groupname)

    def xgroup_createconsumer(self, name: KeyT, groupname: GroupT, consumername: ConsumerT) -> int:
        return self.execute_command("XGROUP CREATECONSUMER", name, groupname, consumername)

    def xgroup_setid(self, name: KeyT, groupname: GroupT, id: StreamIdT,
                     entries_read: Optional[int] = None) -> bool:
        pieces: List[Any] = [name, groupname, id]
        if entries_read is not None:
            pieces += ["ENTRIESREAD", entries_read]
        return self.execute_command("XGROUP SETID", *pieces)

    def xinfo_consumers(self, name: KeyT, groupname: GroupT) -> List[dict]:
        return self.execute_command("XINFO CONSUMERS", name, groupname)

    def xinfo_groups(self, name: KeyT) -> List[dict]:
        return self.execute_command("XINFO GROUPS", name)

    def xinfo_stream(self, name: KeyT, full: bool = False) -> dict:
        if full:
            return self.execute_command("XINFO STREAM", name, "FULL", full=True)
        return self.execute_command("XINFO STREAM", name)

    def xlen(self, name: KeyT) -> int:
        return self.execute_command("XLEN", name)

    def xpending(self, name: KeyT, groupname: GroupT) -> dict:
        return self.execute_command("XPENDING", name, groupname)

    def xpending_range(self, name: KeyT, groupname: GroupT, min: StreamIdT, max: StreamIdT, count: int,
                       consumername: Union[ConsumerT, None] = None, idle: Optional[int] = None) -> ResponseT:
        if min is None and max is None and count is None:
            if idle is not None or consumername is not None:
                raise DataError("if XPENDING is provided with idle time or consumername, it must be provided "
                                "with min, max and count parameters")
            return self.xpending(name, groupname)
        if min is None or max is None or count is None:
            raise DataError("XPENDING must be provided with min, max and count parameters, or none of them.")
        pieces: List[Any] = [name, groupname]
        if idle is not None:
            if int(idle) < 0:
                raise DataError("XPENDING idle must be a integer >= 0")
            pieces += ["IDLE", idle]
        if int(count) < 0:
            raise DataError("XPENDING count must be a integer >= 0")
        pieces += [min, max, count]
        if consumername:
            pieces.append(consumername)
        return self.execute_command("XPENDING", *pieces, parse_detail=True)

    def xrange(self, name: KeyT, min: StreamIdT = "-", max: StreamIdT = "+",
               count: Optional[int] = None) -> ResponseT:
        pieces: List[Any] = [min, max]
        if count is not None:
            _positive("XRANGE", count)
            pieces += ["COUNT", count]
        return self.execute_command("XRANGE", name, *pieces)

    def xrevrange(self, name: KeyT, max: StreamIdT = "+", min: StreamIdT = "-",
                  count: Optional[int] = None) -> ResponseT:
        pieces: List[Any] = [max, min]
        if count is not None:
            _positive("XREVRANGE", count)
            pieces += ["COUNT", count]
        return self.execute_command("XREVRANGE", name, *pieces)

    def xread(self, streams: Dict[KeyT, StreamIdT], count: Optional[int] = None,
              block: Optional[int] = None) -> ResponseT:
        """[[stream, [(id, fields), ...]], ...]; block waits up to that many
        milliseconds (0: forever)."""
        pieces: List[Any] = []
        if block is not None:
            if not isinstance(block, int) or block < 0:
                raise DataError("XREAD block must be a non-negative integer")
            pieces += ["BLOCK", block]
        if count is not None:
            _positive("XREAD", count)
            pieces += ["COUNT", count]
        if not isinstance(streams, dict) or not streams:
            raise DataError("XREAD streams must be a non empty dict")
        pieces += ["STREAMS", *streams.keys(), *streams.values()]
        return self.execute_command("XREAD", *pieces)

    def xreadgroup(self, groupname: str, consumername: str, streams: Dict[KeyT, StreamIdT],
                   count: Optional[int] = None, block: Optional[int] = None, noack: bool = False) -> ResponseT:
        pieces: List[Any] = ["GROUP", groupname, consumername]
        if count is not None:
            _positive("XREADGROUP", count)
            pieces += ["COUNT", count]
        if block is not None:
            if not isinstance(block, int) or block < 0:
                raise DataError("XREADGROUP block must be a non-negative integer")
            pieces += ["BLOCK", block]
        if noack:
            pieces.append("NOACK")
        if not isinstance(streams, dict) or not streams:
            raise DataError("XREADGROUP streams must be a non empty dict")
        pieces += ["STREAMS", *streams.keys(), *streams.values()]
        return self.execute_command("XREADGROUP", *pieces)

    def xsetid(self, name: KeyT, lastid: StreamIdT, entries_added: Optional[int] = None,
               max_deleted_entry_id: Optional[StreamIdT] = None) -> bool:
        """XSETID (redis-py has no method for it)."""
        pieces: List[Any] = [name, lastid]
        if entries_added is not None:
            pieces += ["ENTRIESADDED", entries_added]
        if max_deleted_entry_id is not None:
            pieces += ["MAXDELETEDID", max_deleted_entry_id]
        return self.execute_command("XSETID", *pieces)

    def xtrim(self, name: KeyT, maxlen: Optional[int] = None, approximate: bool = True,
              minid: Union[StreamIdT, None] = None, limit: Optional[int] = None) -> int:
        if maxlen is not None and minid is not None:
            raise DataError("Only one of ``maxlen`` or ``minid`` may be specified")
        if maxlen is None and minid is None:
            raise DataError("One of ``maxlen`` or ``minid`` must be specified")
        pieces: List[Any] = ["MAXLEN" if maxlen is not None else "MINID"]
        if approximate:
            pieces.append("~")
        pieces.append(maxlen if maxlen is not None else minid)
        if limit is not None:
            pieces += ["LIMIT", limit]
        return self.execute_command("XTRIM", name, *pieces)
