"""The hot commands on the C ABI's typed fast paths (no argv, no reply
tree): get, set, delete, exists, incr/incrby/decr/decrby, expire/pexpire,
hget, hset, lpush, rpop, sadd, zadd, zscore. Each takes the typed call
when its arguments fit it and otherwise falls back to the generic command
(the mixin after this one in the MRO), so behaviour and errors are
identical either way: the typed calls run the same command table."""

import datetime
from typing import Any, Mapping, Optional

from . import _redlite
from ._core import failed, handle_address
from .commands._base import AbsExpiryT, EncodableT, ExpiryT, FieldT, KeyT, ResponseT
from .commands.hashes import hset_pieces

# The typed calls: CPython functions of the extension (ffibuild.py's
# PY_HELPERS) that take (handle address, conn flag, encoded arguments...),
# release the GIL during the call and return the result as a Python object,
# or (status, error message) for failed() to raise. The lists they take are
# made for the call (nothing else changes them while the GIL is released).
_get = _redlite.py_get
_rpop = _redlite.py_rpop
_hget = _redlite.py_hget
_set = _redlite.py_set
_del1 = _redlite.py_del1
_del = _redlite.py_del
_exists1 = _redlite.py_exists1
_exists = _redlite.py_exists
_incr = _redlite.py_incr
_expire = _redlite.py_expire
_hset1 = _redlite.py_hset1
_hset = _redlite.py_hset
_lpush1 = _redlite.py_lpush1
_lpush = _redlite.py_lpush
_sadd1 = _redlite.py_sadd1
_sadd = _redlite.py_sadd
_zadd1 = _redlite.py_zadd1
_zadd = _redlite.py_zadd
_zscore = _redlite.py_zscore

_INT64_MIN = -(1 << 63)
_INT64_MAX = (1 << 63) - 1
# Expiry values whose conversion to milliseconds stays far from overflow
# (larger ones take the generic path, which reports Redis' exact error).
_MAX_EXPIRE = 1 << 40
# Integer scores a double holds exactly (larger ones are sent as text).
_EXACT = 1 << 53


class FastCommands:
    """Mixin for clients bound to one handle: _h (a redlite_db * or
    redlite_conn *) and _hp (its address, for the py_* calls), both set by
    _bind, _c (1 for a conn), _encoder, _decoder."""

    _h: Any
    _hp: int
    _c: int
    # Threads holding a transaction of this database (see Redlite); empty
    # (and never changed) for the others.
    _tx_threads: dict = {}

    def _tx_guard(self) -> None:  # Redlite refuses; other clients never call it
        pass

    def _bind(self, h) -> None:
        self._h = h
        self._hp = handle_address(h)

    def _key(self, k) -> bytes:
        return k if type(k) is bytes else self._encoder.encode(k)

    def _bulk(self, r):
        """A py_get/py_hget/py_rpop result (the callers return undecoded
        bytes themselves)."""
        if type(r) is bytes:
            d = self._decoder
            return r if d is None else r.decode(d.encoding, d.encoding_errors)
        if r is None:
            return None
        raise failed(r)

    @staticmethod
    def _count(r) -> int:
        if type(r) is int:
            return r
        raise failed(r)

    def get(self, name: KeyT) -> ResponseT:
        r = _get(self._hp, self._c, name if type(name) is bytes else self._encoder.encode(name))
        if type(r) is bytes and self._decoder is None:
            return r
        return self._bulk(r)

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
        r = _set(self._hp, self._c, k, v, ms, flags)
        if r is True or r is None:
            return r
        raise failed(r)

    def _keys(self, one, many, names) -> int:
        """DEL and EXISTS: the typed call for one key or for many (names is
        not empty)."""
        if len(names) == 1:
            k = names[0]
            return self._count(one(self._hp, self._c, k if type(k) is bytes else self._encoder.encode(k)))
        return self._count(many(self._hp, self._c, [self._key(k) for k in names]))

    def delete(self, *names: KeyT) -> int:
        if self._tx_threads:
            self._tx_guard()
        if not names:
            return super().delete(*names)
        return self._keys(_del1, _del, names)

    def exists(self, *names: KeyT) -> int:
        if not names:
            return super().exists(*names)
        return self._keys(_exists1, _exists, names)

    def _incr(self, name: KeyT, by: int) -> int:
        if self._tx_threads:
            self._tx_guard()
        r = _incr(self._hp, self._c, name if type(name) is bytes else self._encoder.encode(name), by)
        if type(r) is int:
            return r
        raise failed(r)

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
        r = _expire(self._hp, self._c, name if type(name) is bytes else self._encoder.encode(name), ms)
        if type(r) is bool:
            return r
        raise failed(r)

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
        r = _hget(self._hp, self._c, k, key if type(key) is bytes else self._encoder.encode(key))
        if type(r) is bytes and self._decoder is None:
            return r
        return self._bulk(r)

    def hset(self, name: str, key: Optional[str] = None, value: Optional[str] = None,
             mapping: Optional[dict] = None, items: Optional[list] = None) -> int:
        if self._tx_threads:
            self._tx_guard()
        k = name if type(name) is bytes else self._encoder.encode(name)
        if mapping is None and items is None and key is not None:
            f = key if type(key) is bytes else self._encoder.encode(key)
            return self._count(_hset1(self._hp, self._c, k, f,
                                      value if type(value) is bytes else self._encoder.encode(value)))
        pieces = [self._key(p) for p in hset_pieces(key, value, mapping, items)]
        if len(pieces) % 2:
            return super().hset(name, key, value, mapping, items)
        return self._count(_hset(self._hp, self._c, k, pieces[0::2], pieces[1::2]))

    def _add(self, one, many, name, values) -> int:
        """LPUSH and SADD: the typed call for one value or for many (values
        is not empty)."""
        k = name if type(name) is bytes else self._encoder.encode(name)
        if len(values) == 1:
            v = values[0]
            return self._count(one(self._hp, self._c, k, v if type(v) is bytes else self._encoder.encode(v)))
        return self._count(many(self._hp, self._c, k, [self._key(v) for v in values]))

    def lpush(self, name: str, *values: FieldT) -> int:
        if self._tx_threads:
            self._tx_guard()
        if not values:
            return super().lpush(name, *values)
        return self._add(_lpush1, _lpush, name, values)

    def rpop(self, name: str, count: Optional[int] = None) -> ResponseT:
        if self._tx_threads:
            self._tx_guard()
        if count is not None:
            return super().rpop(name, count)
        r = _rpop(self._hp, self._c, name if type(name) is bytes else self._encoder.encode(name))
        if type(r) is bytes and self._decoder is None:
            return r
        return self._bulk(r)

    def sadd(self, name: KeyT, *values: FieldT) -> int:
        if self._tx_threads:
            self._tx_guard()
        if not values:
            return super().sadd(name, *values)
        return self._add(_sadd1, _sadd, name, values)

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
        if len(members) == 1:
            return self._count(_zadd1(self._hp, self._c, k, scores[0], members[0]))
        return self._count(_zadd(self._hp, self._c, k, scores, members))

    def zscore(self, name: KeyT, value: EncodableT) -> Optional[float]:
        k = name if type(name) is bytes else self._encoder.encode(name)
        r = _zscore(self._hp, self._c, k, value if type(value) is bytes else self._encoder.encode(value))
        if type(r) is float or r is None:
            return r
        raise failed(r)

