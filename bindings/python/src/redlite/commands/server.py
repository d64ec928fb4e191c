"""Server, connection-independent management and pub/sub publishing
commands (redis-py's signatures).

Commands that change connection state (SELECT, AUTH, HELLO, RESET, QUIT,
CLIENT SETNAME/REPLY/...) have no method on Redlite: its calls run on
pooled sessions of the database handle, where the C library refuses them.
Choose the database with redlite.open(..., db=N); MULTI/EXEC/WATCH are
Pipeline's, SUBSCRIBE and friends PubSub's."""

from typing import Any, List, Optional, Union

from ..exceptions import DataError
from ._base import CommandsBase, EncodableT, KeyT, PatternT, ResponseT

ChannelT = KeyT


class ServerCommands(CommandsBase):
    # -- connection --

    def ping(self, **kwargs) -> bool:
        return self.execute_command("PING", **kwargs)

    def echo(self, value: EncodableT, **kwargs) -> ResponseT:
        return self.execute_command("ECHO", value, **kwargs)

    # -- keyspace and persistence --

    def dbsize(self, **kwargs) -> int:
        return self.execute_command("DBSIZE", **kwargs)

    def flushall(self, asynchronous: bool = False, **kwargs) -> bool:
        args: List[Any] = ["ASYNC"] if asynchronous else []
        return self.execute_command("FLUSHALL", *args, **kwargs)

    def flushdb(self, asynchronous: bool = False, **kwargs) -> bool:
        args: List[Any] = ["ASYNC"] if asynchronous else []
        return self.execute_command("FLUSHDB", *args, **kwargs)

    def swapdb(self, first: int, second: int, **kwargs) -> bool:
        return self.execute_command("SWAPDB", first, second, **kwargs)

    def save(self, **kwargs) -> bool:
        return self.execute_command("SAVE", **kwargs)

    def bgsave(self, schedule: bool = True, **kwargs) -> ResponseT:
        args: List[Any] = ["SCHEDULE"] if schedule else []
        return self.execute_command("BGSAVE", *args, **kwargs)

    def lastsave(self, **kwargs) -> ResponseT:
        return self.execute_command("LASTSAVE", **kwargs)

    def shutdown(self, save: bool = False, nosave: bool = False, now: bool = False, force: bool = False,
                 abort: bool = False, **kwargs) -> ResponseT:
        """SHUTDOWN as the embedded library runs it (it answers with an
        error reply: an embedded database is closed with close())."""
        if save and nosave:
            raise DataError("SHUTDOWN save and nosave cannot both be set")
        args = [w for w, on in (("SAVE", save), ("NOSAVE", nosave), ("NOW", now), ("FORCE", force),
                                ("ABORT", abort)) if on]
        return self.execute_command("SHUTDOWN", *args, **kwargs)

    # -- introspection --

    def info(self, section: Optional[str] = None, *args: List[str], **kwargs) -> dict:
        if section is None:
            return self.execute_command("INFO", **kwargs)
        return self.execute_command("INFO", section, *args, **kwargs)

    def time(self, **kwargs) -> ResponseT:
        """(seconds, microseconds)."""
        return self.execute_command("TIME", **kwargs)

    def config_get(self, pattern: PatternT = "*", *args: List[PatternT], **kwargs) -> dict:
        return self.execute_command("CONFIG GET", pattern, *args, **kwargs)

    def config_set(self, name: KeyT, value: EncodableT, *args: List[Union[KeyT, EncodableT]], **kwargs) -> bool:
        return self.execute_command("CONFIG SET", name, value, *args, **kwargs)

    def config_resetstat(self, **kwargs) -> bool:
        return self.execute_command("CONFIG RESETSTAT", **kwargs)

    def config_rewrite(self, **kwargs) -> ResponseT:
        return self.execute_command("CONFIG REWRITE", **kwargs)

    def command(self, **kwargs) -> dict:
        return self.execute_command("COMMAND", **kwargs)

    def command_count(self, **kwargs) -> int:
        return self.execute_command("COMMAND COUNT", **kwargs)

    def command_docs(self, *args) -> ResponseT:
        """COMMAND DOCS [name ...] (raw reply; redis-py leaves it out)."""
        return self.execute_command("COMMAND DOCS", *args)

    def command_getkeys(self, *args) -> List[str]:
        return self.execute_command("COMMAND GETKEYS", *args)

    def command_info(self, *args, **kwargs) -> dict:
        """COMMAND INFO [name ...] parsed like command() (redis-py leaves it
        out)."""
        return self.execute_command("COMMAND", "INFO", *args, **kwargs)

    def command_list(self, module: Optional[str] = None, category: Optional[str] = None,
                     pattern: Optional[str] = None) -> ResponseT:
        pieces: List[Any] = []
        if module is not None:
            pieces += ["MODULE", module]
        if category is not None:
            pieces += ["ACLCAT", category]
        if pattern is not None:
            pieces += ["PATTERN", pattern]
        if pieces:
            pieces.insert(0, "FILTERBY")
        return self.execute_command("COMMAND LIST", *pieces)

    # -- clients --

    def client_getname(self, **kwargs) -> Optional[str]:
        return self.execute_command("CLIENT GETNAME", **kwargs)

    def client_getredir(self, **kwargs) -> int:
        return self.execute_command("CLIENT GETREDIR", **kwargs)

    def client_id(self, **kwargs) -> int:
        return self.execute_command("CLIENT ID", **kwargs)

    def client_info(self, **kwargs) -> dict:
        return self.execute_command("CLIENT INFO", **kwargs)

    def client_kill(self, address: str, **kwargs) -> ResponseT:
        return self.execute_command("CLIENT KILL", address, **kwargs)

    def client_list(self, _type: Optional[str] = None, client_id: List[EncodableT] = [], **kwargs) -> List[dict]:  # noqa: B006 - redis-py's default
        args: List[Any] = []
        if _type is not None:
            types = ("normal", "master", "replica", "pubsub")
            if str(_type).lower() not in types:
                raise DataError(f"CLIENT LIST _type must be one of {types!r}")
            args += ["TYPE", _type]
        if not isinstance(client_id, list):
            raise DataError("client_id must be a list")
        if client_id:
            args += ["ID", *client_id]
        return self.execute_command("CLIENT LIST", *args, **kwargs)

    def client_unblock(self, client_id: int, error: bool = False, **kwargs) -> bool:
        args: List[Any] = [int(client_id)]
        if error:
            args.append("ERROR")
        return self.execute_command("CLIENT UNBLOCK", *args, **kwargs)

    # -- ACL --

    def acl_whoami(self, **kwargs) -> str:
        return self.execute_command("ACL WHOAMI", **kwargs)

    def acl_list(self, **kwargs) -> List[str]:
        return self.execute_command("ACL LIST", **kwargs)

    def acl_users(self, **kwargs) -> List[str]:
        return self.execute_command("ACL USERS", **kwargs)

    def acl_help(self, **kwargs) -> List[str]:
        return self.execute_command("ACL HELP", **kwargs)

    # -- pub/sub (publishing and introspection; subscribing is PubSub's) --

    def publish(self, channel: ChannelT, message: EncodableT, **kwargs) -> int:
        return self.execute_command("PUBLISH", channel, message, **kwargs)

    def spublish(self, shard_channel: ChannelT, message: EncodableT) -> int:
        return self.execute_command("SPUBLISH", shard_channel, message)

    def pubsub_channels(self, pattern: PatternT = "*", **kwargs) -> list:
        return self.execute_command("PUBSUB CHANNELS", pattern, **kwargs)

    def pubsub_numpat(self, **kwargs) -> int:
        return self.execute_command("PUBSUB NUMPAT", **kwargs)

    def pubsub_numsub(self, *args: ChannelT, **kwargs) -> list:
        return self.execute_command("PUBSUB NUMSUB", *args, **kwargs)

    def pubsub_shardchannels(self, pattern: PatternT = "*", **kwargs) -> list:
        return self.execute_command("PUBSUB SHARDCHANNELS", pattern, **kwargs)

    def pubsub_shardnumsub(self, *args: ChannelT, **kwargs) -> list:
        return self.execute_command("PUBSUB SHARDNUMSUB", *args, **kwargs)
