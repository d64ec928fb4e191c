"""Reply post-processing per command, as redis-py's RESP2 response
callbacks shape them: booleans for SET/EXPIRE/..., dicts for HGETALL, lists
of (member, score) tuples for WITHSCORES, floats for ZSCORE, sets for
SMEMBERS, (cursor, items) for SCAN... Keys are command names in upper case,
with the subcommand after a space for container commands ("CONFIG GET").
A callback gets the converted reply and the options the method passed to
execute_command."""

import datetime
from typing import Any, Callable, Dict


def _str(v):
    return v.decode("utf-8", "replace") if isinstance(v, (bytes, bytearray)) else v


def bool_ok(r, **_):
    return _str(r) == "OK"


def to_bool(r, **_):
    return bool(r)


def to_float(r, **_):
    return None if r is None else float(r)


def pairs_to_dict(r, decode_keys=False):
    if not r:
        return {}
    it = iter(r)
    if decode_keys:
        return {_str(k): v for k, v in zip(it, it)}
    return dict(zip(it, it))


def set_result(r, **options):
    if options.get("get"):
        return r
    return r is not None and _str(r) == "OK"


def to_set(r, **_):
    return set(r) if r else set()


def score_pairs(r, **options):
    """WITHSCORES replies as [(member, score)], the score through
    score_cast_func (float by default)."""
    if not r or not options.get("withscores"):
        return r
    cast = options.get("score_cast_func", float)
    it = iter(r)
    return [(m, cast(s)) for m, s in zip(it, it)]



def zadd_result(r, **options):
    if r is None:
        return None
    if options.get("as_score"):
        return float(r)
    return int(r)


def zmscore_result(r, **_):
    return [None if s is None else float(s) for s in r]


def zpop_blocking(r, **_):
    return (r[0], r[1], float(r[2])) if r else None


def scan_result(r, **_):
    cursor, items = r
    return int(cursor), items


def hscan_result(r, **options):
    cursor, items = r
    if options.get("no_values"):
        return int(cursor), items or []
    return int(cursor), pairs_to_dict(items)


def zscan_result(r, **options):
    cast = options.get("score_cast_func", float)
    cursor, items = r
    it = iter(items)
    return int(cursor), [(m, cast(s)) for m, s in zip(it, it)]


def blpop_result(r, **_):
    return tuple(r) if r else None


def time_result(r, **_):
    return int(r[0]), int(r[1])


def lastsave_result(r, **_):
    if not r:
        return None
    return datetime.datetime.fromtimestamp(int(r))


def info_value(value: str):
    if "," not in value and "=" not in value:
        try:
            return float(value) if "." in value else int(value)
        except ValueError:
            return value
    if "=" not in value:
        return [info_value(v) for v in value.split(",") if v]
    sub = {}
    for item in value.split(","):
        if not item:
            continue
        if "=" in item:
            k, v = item.rsplit("=", 1)
            sub[k] = info_value(v)
        else:
            sub[item] = True
    return sub


def info_result(r, **_):
    """INFO's text as a dict, numbers converted (as redis-py's parse_info)."""
    info: Dict[str, Any] = {}
    for line in _str(r).splitlines():
        if not line or line.startswith("#"):
            continue
        if ":" in line:
            key, value = line.split(":", 1)
            if key == "module":
                info.setdefault("modules", []).append(info_value(value))
            else:
                info[key] = info_value(value)
        else:
            info.setdefault("__raw__", []).append(line)
    return info


def config_get_result(r, **_):
    items = [None if v is None else _str(v) for v in r]
    return pairs_to_dict(items)


def client_info_result(r, **_):
    out: Dict[str, Any] = {}
    for pair in _str(r).strip().split():
        k, _, v = pair.partition("=")
        out[k] = v
    for k in ("id", "age", "idle", "db", "sub", "psub", "multi", "qbuf", "qbuf-free", "obl",
              "argv-mem", "oll", "omem", "tot-mem"):
        if k in out:
            try:
                out[k] = int(out[k])
            except ValueError:
                pass
    return out


def client_list_result(r, **_):
    clients = []
    for line in _str(r).splitlines():
        clients.append(dict(pair.split("=", 1) for pair in line.split(" ")))
    return clients


def client_kill_result(r, **_):
    return r if isinstance(r, int) else _str(r) == "OK"


def command_result(r, **_):
    """COMMAND / COMMAND INFO as redis-py's parse_command: name -> dict."""
    commands = {}
    for c in r:
        if c is None:
            continue
        name = _str(c[0])
        d = {
            "name": name,
            "arity": int(c[1]),
            "flags": [_str(f) for f in c[2]],
            "first_key_pos": c[3],
            "last_key_pos": c[4],
            "step_count": c[5],
        }
        if len(c) > 7:
            d["tips"] = c[7]
            d["key_specifications"] = c[8]
            d["subcommands"] = c[9]
        commands[name] = d
    return commands


def numsub_result(r, **_):
    return list(zip(r[0::2], r[1::2]))


def str_list(r, **_):
    return [_str(x) for x in r]


def stream_entries(r):
    if r is None:
        return None
    out = []
    for e in r:
        if e is None:
            out.append((None, None))
        else:
            out.append((e[0], pairs_to_dict(e[1])))
    return out


def stream_list_result(r, **_):
    return stream_entries(r)


def xread_result(r, **_):
    if r is None:
        return []
    return [[s[0], stream_entries(s[1])] for s in r]


def xclaim_result(r, **options):
    if options.get("parse_justid"):
        return r
    return stream_entries(r)


def xautoclaim_result(r, **options):
    if options.get("parse_justid"):
        return r[1]
    r[1] = stream_entries(r[1])
    return r


def xpending_result(r, **options):
    if options.get("parse_detail"):
        keys = ("message_id", "consumer", "time_since_delivered", "times_delivered")
        return [dict(zip(keys, e)) for e in r]
    consumers = [{"name": n, "pending": int(p)} for n, p in r[3] or []]
    return {"pending": r[0], "min": r[1], "max": r[2], "consumers": consumers}


def xinfo_stream_result(r, **options):
    data = pairs_to_dict(r, decode_keys=True)
    if not options.get("full"):
        for k in ("first-entry", "last-entry"):
            e = data.get(k)
            if e is not None and e[0] is not None:
                data[k] = (e[0], pairs_to_dict(e[1]))
    else:
        data["entries"] = {eid: pairs_to_dict(fields) for eid, fields in data.get("entries", [])}
        groups = data.get("groups") or []
        if groups and isinstance(groups[0], list):
            data["groups"] = [pairs_to_dict(g, decode_keys=True) for g in groups]
            for g in data["groups"]:
                if g.get("consumers") and g["consumers"][0] is not None:
                    g["consumers"] = [pairs_to_dict(c, decode_keys=True) for c in g["consumers"]]
    return data


def list_of_dicts(r, **_):
    return [pairs_to_dict(x, decode_keys=True) for x in r]


def sort_result(r, **options):
    n = options.get("groups")
    if not r or not n:
        return r
    return list(zip(*[r[i::n] for i in range(n)]))


def acl_getuser_result(r, **_):
    if r is None:
        return None
    return pairs_to_dict(r, decode_keys=True)


def ping_result(r, **_):
    return _str(r) == "PONG"


CALLBACKS: Dict[str, Callable[..., Any]] = {}


def _register(names: str, fn: Callable[..., Any]):
    for n in names.split(","):
        CALLBACKS[n.strip()] = fn


_register("COPY,EXPIRE,EXPIREAT,HEXISTS,HMSET,MOVE,MSETNX,PERSIST,PSETEX,PEXPIRE,PEXPIREAT,"
          "RENAMENX,SETEX,SETNX,SMOVE,CLIENT UNBLOCK,XGROUP DESTROY", to_bool)
_register("HINCRBYFLOAT,INCRBYFLOAT,ZINCRBY,ZSCORE", to_float)
_register("FLUSHALL,FLUSHDB,LSET,LTRIM,MSET,PFMERGE,RENAME,SAVE,SELECT,SHUTDOWN,SWAPDB,WATCH,UNWATCH,"
          "CONFIG SET,CONFIG RESETSTAT,CONFIG REWRITE,CLIENT SETNAME,CLIENT SETINFO,CLIENT PAUSE,"
          "CLIENT UNPAUSE,XGROUP CREATE,XGROUP SETID,AUTH,QUIT", bool_ok)
_register("SET", set_result)
_register("SDIFF,SINTER,SMEMBERS,SUNION", to_set)
_register("ZDIFF,ZINTER,ZPOPMAX,ZPOPMIN,ZRANGE,ZRANGEBYSCORE,ZREVRANGE,ZREVRANGEBYSCORE,ZUNION",
          score_pairs)
_register("ZADD", zadd_result)
_register("ZMSCORE", zmscore_result)
_register("BZPOPMIN,BZPOPMAX", zpop_blocking)
_register("BLPOP,BRPOP", blpop_result)
_register("SCAN,SSCAN", scan_result)
_register("HSCAN", hscan_result)
_register("ZSCAN", zscan_result)
_register("HGETALL", lambda r, **_: pairs_to_dict(r))
_register("TIME", time_result)
_register("LASTSAVE", lastsave_result)
_register("INFO", info_result)
_register("CONFIG GET", config_get_result)
_register("CLIENT INFO", client_info_result)
_register("CLIENT LIST", client_list_result)
_register("CLIENT KILL", client_kill_result)
_register("CLIENT GETNAME,ACL WHOAMI", lambda r, **_: _str(r))
_register("ACL LIST,ACL USERS,ACL HELP,ACL CAT,COMMAND GETKEYS", str_list)
_register("ACL GETUSER", acl_getuser_result)
_register("COMMAND", command_result)
_register("PUBSUB NUMSUB,PUBSUB SHARDNUMSUB", numsub_result)
_register("PING", ping_result)
_register("RESET", lambda r, **_: _str(r))
_register("XRANGE,XREVRANGE", stream_list_result)
_register("XREAD,XREADGROUP", xread_result)
_register("XCLAIM", xclaim_result)
_register("XAUTOCLAIM", xautoclaim_result)
_register("XPENDING", xpending_result)
_register("XINFO STREAM", xinfo_stream_result)
_register("XINFO GROUPS,XINFO CONSUMERS", list_of_dicts)
_register("SORT", sort_result)
