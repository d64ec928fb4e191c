"""The hot commands on the C ABI's typed fast paths (no argv, no reply
tree): get, set, delete, exists, incr/incrby/decr/decrby, expire/pexpire,
hget, hset, lpush, rpop, sadd, zadd, zscore. Each takes the typed call
when its arguments fit it and otherwise falls back to the generic command
(the mixin after this one in the MRO), so behaviour and errors are
identical either way: the typed calls run the same command table."""

import datetime
from typing import Any, Mapping, Optional

from ._core import NIL, OK, ffi, lib, status_error, take_string
from .commands._base import AbsExpiryT, EncodableT, ExpiryT, FieldT, KeyT, ResponseT
from .commands.hashes import hset_pieces

# Each typed call gets its own out-parameter struct (one allocation): the
# call releases the GIL, and even on one thread a signal handler may run a
# call between another's return and its reading of the struct.
_new = ffi.new
_OUT = "rl_out *"

_INT64_MIN = -(1 << 63)
_INT64_MAX = (1 << 63) - 1
# Expiry values whose conversion to milliseconds stays far from overflow
# (larger ones take the generic path, which reports Redis' exact error).
_MAX_EXPIRE = 1 << 40
# Integer scores a double holds exactly (larger ones are sent as text).
_EXACT = 1 << 53


class FastCommands:
    """Mixin for clients bound to one handle: _h (a redlite_db * or
    redlite_conn *), _c (1 for a conn), _encoder, _decoder."""

    _h: Any
    _c: int
    # Threads holding a transaction of this database (see Redlite); empty
    # (and never changed) for the others.
    _tx_threads: dict = {}

    def _tx_guard(self) -> None:  # Redlite refuses; other clients never call it
        pass

    def _key(self, k) -> bytes:
        return k if type(k) is bytes else self._encoder.encode(k)

    def _bulk(self, st, o):
        if st == OK:
            v = take_string(o.val, o.len)
            d = self._decoder
            return v if d is None else v.decode(d.encoding, d.encoding_errors)
        if st == NIL:
            return None
        raise status_error(st, o.err)

    def _count(self, st, o) -> int:
        if st == OK:
            return o.n
        raise status_error(st, o.err)

    def get(self, name: KeyT) -> ResponseT:
        k = name if type(name) is bytes else self._encoder.encode(name)
        o = _new(_OUT)
        return self._bulk(lib.rl_get(self._h, self._c, k, len(k), o), o)

    def set(self, name: KeyT, value: EncodableT, ex: Optional[ExpiryT] = None, px: Optional[ExpiryT] = None,
            nx: bool = False, xx: bool = False, keepttl: bool = False, get: bool = False,
            exat: Optional[AbsExpiryT] = None, pxat: Optional[AbsExpiryT] = None) -> ResponseT:
        if self._tx_threads:
            self._tx_guard()
        if get or exat is not None or pxat is not None or (nx and xx):
            return super().set(name, value, ex, px, nx, xx, keepttl, get, exat, pxat)
        ms = 0
        if ex is not None or px is not None:
            if ex is not None and px is not None or keepttl:
                return super().set(name, value, ex, px, nx, xx, keepttl, get, exat, pxat)
            if ex is not None:
                t = int(ex.total_seconds()) if isinstance(ex, datetime.timedelta) else ex
                ms = t * 1000 if type(t) is int and 0 < t < _MAX_EXPIRE else 0
            else:
                t = int(px.total_seconds() * 1000) if isinstance(px, datetime.timedelta) else px
                ms = t if type(t) is int and 0 < t < _MAX_EXPIRE else 0
            if ms == 0:
                return super().set(name, value, ex, px, nx, xx, keepttl, get, exat, pxat)
        flags = (1 if nx else 0) | (2 if xx else 0) | (4 if keepttl else 0)
        k = name if type(name) is bytes else self._encoder.encode(name)
        v = value if type(value) is bytes else self._encoder.encode(value)
        o = _new(_OUT)
        st = lib.rl_set(self._h, self._c, k, len(k), v, len(v), ms, flags, o)
        if st == OK:
            return True
        if st == NIL:
            return None
        raise status_error(st, o.err)

    def _keys(self, one, many, names) -> int:
        """DEL and EXISTS: the typed call for one key or for many (names is
        not empty)."""
        o = _new(_OUT)
        n = len(names)
        if n == 1:
            k = names[0]
            k = k if type(k) is bytes else self._encoder.encode(k)
            return self._count(one(self._h, self._c, k, len(k), o), o)
        keys = [self._key(k) for k in names]
        return self._count(many(self._h, self._c, n, b"".join(keys), [len(k) for k in keys], o), o)

    def delete(self, *names: KeyT) -> int:
        if self._tx_threads:
            self._tx_guard()
        if not names:
            return super().delete(*names)
        return self._keys(lib.rl_del1, lib.rl_del, names)

    def exists(self, *names: KeyT) -> int:
        if not names:
            return super().exists(*names)
        return self._keys(lib.rl_exists1, lib.rl_exists, names)

    def _incr(self, name: KeyT, by: int) -> int:
        if self._tx_threads:
            self._tx_guard()
        k = name if type(name) is bytes else self._encoder.encode(name)
        o = _new(_OUT)
        return self._count(lib.rl_incr(self._h, self._c, k, len(k), by, o), o)

    def incr(self, name: KeyT, amount: int = 1) -> int:
        if type(amount) is int and _INT64_MIN <= amount <= _INT64_MAX:
            return self._incr(name, amount)
        return super().incr(name, amount)

    def incrby(self, name: KeyT, amount: int = 1) -> int:
        if type(amount) is int and _INT64_MIN <= amount <= _INT64_MAX:
            return self._incr(name, amount)
        return super().incrby(name, amount)

    def decr(self, name: KeyT, amount: int = 1) -> int:
        if type(amount) is int and _INT64_MIN < amount <= _INT64_MAX:
            return self._incr(name, -amount)
        return super().decr(name, amount)

    def decrby(self, name: KeyT, amount: int = 1) -> int:
        if type(amount) is int and _INT64_MIN < amount <= _INT64_MAX:
            return self._incr(name, -amount)
        return super().decrby(name, amount)

    def _expire(self, name: KeyT, ms: int) -> bool:
        if self._tx_threads:
            self._tx_guard()
        k = name if type(name) is bytes else self._encoder.encode(name)
        o = _new(_OUT)
        st = lib.rl_expire(self._h, self._c, k, len(k), ms, o)
        if st == OK:
            return True
        if st == NIL:
            return False
        raise status_error(st, o.err)

    def expire(self, name: KeyT, time: ExpiryT, nx: bool = False, xx: bool = False, gt: bool = False,
               lt: bool = False) -> bool:
        t = int(time.total_seconds()) if isinstance(time, datetime.timedelta) else time
        if not (nx or xx or gt or lt) and type(t) is int and -_MAX_EXPIRE < t < _MAX_EXPIRE:
            return self._expire(name, t * 1000)
        return super().expire(name, time, nx, xx, gt, lt)

    def pexpire(self, name: KeyT, time: ExpiryT, nx: bool = False, xx: bool = False, gt: bool = False,
                lt: bool = False) -> bool:
        t = int(time.total_seconds() * 1000) if isinstance(time, datetime.timedelta) else time
        if not (nx or xx or gt or lt) and type(t) is int and -_MAX_EXPIRE < t < _MAX_EXPIRE:
            return self._expire(name, t)
        return super().pexpire(name, time, nx, xx, gt, lt)

    def hget(self, name: str, key: str) -> ResponseT:
        k = name if type(name) is bytes else self._encoder.encode(name)
        f = key if type(key) is bytes else self._encoder.encode(key)
        o = _new(_OUT)
        return self._bulk(lib.rl_hget(self._h, self._c, k, len(k), f, len(f), o), o)

    def hset(self, name: str, key: Optional[str] = None, value: Optional[str] = None,
             mapping: Optional[dict] = None, items: Optional[list] = None) -> int:
        if self._tx_threads:
            self._tx_guard()
        k = name if type(name) is bytes else self._encoder.encode(name)
        o = _new(_OUT)
        if mapping is None and items is None and key is not None:
            f = key if type(key) is bytes else self._encoder.encode(key)
            v = value if type(value) is bytes else self._encoder.encode(value)
            return self._count(lib.rl_hset1(self._h, self._c, k, len(k), f, len(f), v, len(v), o), o)
        pieces = [self._key(p) for p in hset_pieces(key, value, mapping, items)]
        if len(pieces) % 2:
            return super().hset(name, key, value, mapping, items)
        n = len(pieces) // 2
        return self._count(lib.rl_hset(self._h, self._c, k, len(k), n, b"".join(pieces),
                                       [len(p) for p in pieces], o), o)

    def _add(self, one, many, name, values) -> int:
        """LPUSH and SADD: the typed call for one value or for many (values
        is not empty)."""
        k = name if type(name) is bytes else self._encoder.encode(name)
        o = _new(_OUT)
        n = len(values)
        if n == 1:
            v = values[0]
            v = v if type(v) is bytes else self._encoder.encode(v)
            return self._count(one(self._h, self._c, k, len(k), v, len(v), o), o)
        vals = [self._key(v) for v in values]
        return self._count(many(self._h, self._c, k, len(k), n, b"".join(vals), [len(v) for v in vals], o), o)

    def lpush(self, name: str, *values: FieldT) -> int:
        if self._tx_threads:
            self._tx_guard()
        if not values:
            return super().lpush(name, *values)
        return self._add(lib.rl_lpush1, lib.rl_lpush, name, values)

    def rpop(self, name: str, count: Optional[int] = None) -> ResponseT:
        if self._tx_threads:
            self._tx_guard()
        if count is not None:
            return super().rpop(name, count)
        k = name if type(name) is bytes else self._encoder.encode(name)
        o = _new(_OUT)
        return self._bulk(lib.rl_rpop(self._h, self._c, k, len(k), o), o)

    def sadd(self, name: KeyT, *values: FieldT) -> int:
        if self._tx_threads:
            self._tx_guard()
        if not values:
            return super().sadd(name, *values)
        return self._add(lib.rl_sadd1, lib.rl_sadd, name, values)

    def zadd(self, name: KeyT, mapping: Mapping[Any, EncodableT], nx: bool = False, xx: bool = False,
             ch: bool = False, incr: bool = False, gt: bool = False, lt: bool = False) -> ResponseT:
        if self._tx_threads:
            self._tx_guard()
        if nx or xx or ch or incr or gt or lt or not mapping:
            return super().zadd(name, mapping, nx, xx, ch, incr, gt, lt)
        scores = []
        members = []
        for m, s in mapping.items():
            t = type(s)
            if (t is not float and (t is not int or not -_EXACT <= s <= _EXACT)) or s != s:
                # strings ("+inf", "1e3"), NaN: the generic path parses and
                # reports them exactly as Redis does.
                return super().zadd(name, mapping, nx, xx, ch, incr, gt, lt)
            scores.append(float(s))
            members.append(self._key(m))
        k = name if type(name) is bytes else self._encoder.encode(name)
        o = _new(_OUT)
        if len(members) == 1:
            m = members[0]
            return self._count(lib.rl_zadd1(self._h, self._c, k, len(k), scores[0], m, len(m), o), o)
        return self._count(lib.rl_zadd(self._h, self._c, k, len(k), len(members), scores, b"".join(members),
                                       [len(m) for m in members], o), o)

    def zscore(self, name: KeyT, value: EncodableT) -> Optional[float]:
        k = name if type(name) is bytes else self._encoder.encode(name)
        m = value if type(value) is bytes else self._encoder.encode(value)
        o = _new(_OUT)
        st = lib.rl_zscore(self._h, self._c, k, len(k), m, len(m), o)
        if st == OK:
            return o.d
        if st == NIL:
            return None
        raise status_error(st, o.err)

