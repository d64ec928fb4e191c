package main

/*
#include "shim.h"
*/
import "C"

import (
	"math"
	"strconv"
	"unsafe"

	"github.com/redlite/redlite/core/resp"
)

// The typed fast paths build the command's argv and run it through the same
// command table as everything else (so behaviour cannot drift), then read
// the reply straight into the caller's out-parameters: no reply tree.

var errBadArg = []byte("ERR invalid argument: a NULL pointer, a count below 1 or a length above REDLITE_MAX_ARG_LEN")

func badArg(errmsg **C.char) C.int {
	setErr(errmsg, errBadArg)
	return C.int(stBadArg)
}

// typed runs a typed call on handle h of the given kind.
func typed(h C.uint64_t, kind C.int, a *argv, errmsg **C.char, use func(v resp.Value) status) C.int {
	t, st := lookupTarget(uint64(h), int(kind))
	if st != stOK {
		return C.int(st)
	}
	args, ok := a.build()
	if !ok {
		return badArg(errmsg)
	}
	return C.int(t.run(args, true, func(v resp.Value, _ int) status { return use(v) }))
}

// fail reports an error reply (or a reply of a shape the call does not
// expect, which would be a bug) through errmsg.
func fail(v resp.Value, errmsg **C.char) status {
	if v.Kind != resp.Error {
		v = resp.Err("ERR unexpected reply of kind " + v.Kind.String())
	}
	setErr(errmsg, v.Str)
	return classify(v)
}

// bulkOut delivers a value for the shim's TYPED_VALUE: a short one into
// inl (RL_INLINE_VALUE bytes), where the shim makes the caller's copy with
// *val left NULL, a longer one as the caller's copy itself.
func bulkOut(v resp.Value, val **C.char, vallen *C.size_t, inl *C.char, errmsg **C.char) status {
	switch v.Kind {
	case resp.Bulk:
		if len(v.Str) <= C.RL_INLINE_VALUE {
			copy(unsafe.Slice((*byte)(unsafe.Pointer(inl)), len(v.Str)), v.Str)
			*vallen = C.size_t(len(v.Str))
			return stOK
		}
		p := cString(v.Str)
		if p == nil {
			return stNoMem
		}
		*val, *vallen = p, C.size_t(len(v.Str))
		return stOK
	case resp.Nil:
		return stNil
	}
	return fail(v, errmsg)
}

func intOut(v resp.Value, out *C.longlong, errmsg **C.char) status {
	if v.Kind != resp.Int {
		return fail(v, errmsg)
	}
	if out != nil {
		*out = C.longlong(v.Int)
	}
	return stOK
}

// keyBulk runs name key, whose reply is a bulk string or nil (GET, RPOP).
func keyBulk(name string, h C.uint64_t, kind C.int, key *C.char, keylen C.size_t, val **C.char, vallen *C.size_t, inl *C.char, errmsg **C.char) C.int {
	if val == nil || vallen == nil {
		return badArg(errmsg)
	}
	var a argv
	a.lit(name)
	a.c(key, keylen)
	return typed(h, kind, &a, errmsg, func(v resp.Value) status { return bulkOut(v, val, vallen, inl, errmsg) })
}

//export rlgo_get
func rlgo_get(h C.uint64_t, kind C.int, key *C.char, keylen C.size_t, val **C.char, vallen *C.size_t, inl *C.char, errmsg **C.char) (st C.int) {
	defer recoverTo(&st, errmsg)
	return keyBulk("GET", h, kind, key, keylen, val, vallen, inl, errmsg)
}

//export rlgo_set
func rlgo_set(h C.uint64_t, kind C.int, key *C.char, keylen C.size_t, val *C.char, vallen C.size_t, expireMS C.longlong, flags C.int, errmsg **C.char) (st C.int) {
	defer recoverTo(&st, errmsg)
	const known = C.REDLITE_SET_NX | C.REDLITE_SET_XX | C.REDLITE_SET_KEEPTTL
	if expireMS < 0 || flags&^known != 0 ||
		flags&(C.REDLITE_SET_NX|C.REDLITE_SET_XX) == C.REDLITE_SET_NX|C.REDLITE_SET_XX ||
		(flags&C.REDLITE_SET_KEEPTTL != 0 && expireMS > 0) {
		return badArg(errmsg)
	}
	var a argv
	a.lit("SET")
	a.c(key, keylen)
	a.c(val, vallen)
	if expireMS > 0 {
		a.lit("PX")
		a.lit(strconv.FormatInt(int64(expireMS), 10))
	}
	switch {
	case flags&C.REDLITE_SET_NX != 0:
		a.lit("NX")
	case flags&C.REDLITE_SET_XX != 0:
		a.lit("XX")
	}
	if flags&C.REDLITE_SET_KEEPTTL != 0 {
		a.lit("KEEPTTL")
	}
	return typed(h, kind, &a, errmsg, func(v resp.Value) status {
		switch v.Kind {
		case resp.Status:
			return stOK
		case resp.Nil:
			return stNil
		}
		return fail(v, errmsg)
	})
}

func multiKey(name string, h C.uint64_t, kind C.int, n C.int, keys **C.char, keylens *C.size_t, out *C.longlong, errmsg **C.char) C.int {
	var a argv
	a.reserve(int(max(n, 0)) + 1)
	a.lit(name)
	a.arrays(n, keys, keylens)
	return typed(h, kind, &a, errmsg, func(v resp.Value) status { return intOut(v, out, errmsg) })
}

//export rlgo_del
func rlgo_del(h C.uint64_t, kind C.int, n C.int, keys **C.char, keylens *C.size_t, deleted *C.longlong, errmsg **C.char) (st C.int) {
	defer recoverTo(&st, errmsg)
	return multiKey("DEL", h, kind, n, keys, keylens, deleted, errmsg)
}

//export rlgo_exists
func rlgo_exists(h C.uint64_t, kind C.int, n C.int, keys **C.char, keylens *C.size_t, count *C.longlong, errmsg **C.char) (st C.int) {
	defer recoverTo(&st, errmsg)
	return multiKey("EXISTS", h, kind, n, keys, keylens, count, errmsg)
}

//export rlgo_incr
func rlgo_incr(h C.uint64_t, kind C.int, key *C.char, keylen C.size_t, by C.longlong, result *C.longlong, errmsg **C.char) (st C.int) {
	defer recoverTo(&st, errmsg)
	var a argv
	a.lit("INCRBY")
	a.c(key, keylen)
	a.lit(strconv.FormatInt(int64(by), 10))
	return typed(h, kind, &a, errmsg, func(v resp.Value) status { return intOut(v, result, errmsg) })
}

//export rlgo_expire
func rlgo_expire(h C.uint64_t, kind C.int, key *C.char, keylen C.size_t, ms C.longlong, errmsg **C.char) (st C.int) {
	defer recoverTo(&st, errmsg)
	var a argv
	a.lit("PEXPIRE")
	a.c(key, keylen)
	a.lit(strconv.FormatInt(int64(ms), 10))
	return typed(h, kind, &a, errmsg, func(v resp.Value) status {
		if v.Kind != resp.Int {
			return fail(v, errmsg)
		}
		if v.Int == 0 {
			return stNil
		}
		return stOK
	})
}

//export rlgo_hget
func rlgo_hget(h C.uint64_t, kind C.int, key *C.char, keylen C.size_t, field *C.char, fieldlen C.size_t, val **C.char, vallen *C.size_t, inl *C.char, errmsg **C.char) (st C.int) {
	defer recoverTo(&st, errmsg)
	if val == nil || vallen == nil {
		return badArg(errmsg)
	}
	var a argv
	a.lit("HGET")
	a.c(key, keylen)
	a.c(field, fieldlen)
	return typed(h, kind, &a, errmsg, func(v resp.Value) status { return bulkOut(v, val, vallen, inl, errmsg) })
}

// pairs adds n (field, value) pairs from two C array pairs, interleaved.
func (a *argv) pairs(n C.int, fs **C.char, fls *C.size_t, vs **C.char, vls *C.size_t) {
	if n <= 0 || fs == nil || fls == nil || vs == nil || vls == nil {
		a.bad = true
		return
	}
	fp, fl := unsafe.Slice(fs, int(n)), unsafe.Slice(fls, int(n))
	vp, vl := unsafe.Slice(vs, int(n)), unsafe.Slice(vls, int(n))
	for i := range fp {
		a.c(fp[i], fl[i])
		a.c(vp[i], vl[i])
	}
}

//export rlgo_hset
func rlgo_hset(h C.uint64_t, kind C.int, key *C.char, keylen C.size_t, n C.int, fields **C.char, fieldlens *C.size_t, vals **C.char, vallens *C.size_t, added *C.longlong, errmsg **C.char) (st C.int) {
	defer recoverTo(&st, errmsg)
	var a argv
	a.reserve(2 + 2*int(max(n, 0)))
	a.lit("HSET")
	a.c(key, keylen)
	a.pairs(n, fields, fieldlens, vals, vallens)
	return typed(h, kind, &a, errmsg, func(v resp.Value) status { return intOut(v, added, errmsg) })
}

// keyValues runs name key value... with an integer reply (LPUSH, SADD).
func keyValues(name string, h C.uint64_t, kind C.int, key *C.char, keylen C.size_t, n C.int, vals **C.char, vallens *C.size_t, out *C.longlong, errmsg **C.char) C.int {
	var a argv
	a.reserve(2 + int(max(n, 0)))
	a.lit(name)
	a.c(key, keylen)
	a.arrays(n, vals, vallens)
	return typed(h, kind, &a, errmsg, func(v resp.Value) status { return intOut(v, out, errmsg) })
}

//export rlgo_lpush
func rlgo_lpush(h C.uint64_t, kind C.int, key *C.char, keylen C.size_t, n C.int, vals **C.char, vallens *C.size_t, length *C.longlong, errmsg **C.char) (st C.int) {
	defer recoverTo(&st, errmsg)
	return keyValues("LPUSH", h, kind, key, keylen, n, vals, vallens, length, errmsg)
}

//export rlgo_rpop
func rlgo_rpop(h C.uint64_t, kind C.int, key *C.char, keylen C.size_t, val **C.char, vallen *C.size_t, inl *C.char, errmsg **C.char) (st C.int) {
	defer recoverTo(&st, errmsg)
	return keyBulk("RPOP", h, kind, key, keylen, val, vallen, inl, errmsg)
}

//export rlgo_sadd
func rlgo_sadd(h C.uint64_t, kind C.int, key *C.char, keylen C.size_t, n C.int, members **C.char, memberlens *C.size_t, added *C.longlong, errmsg **C.char) (st C.int) {
	defer recoverTo(&st, errmsg)
	return keyValues("SADD", h, kind, key, keylen, n, members, memberlens, added, errmsg)
}

// formatScore writes a score so that the core parses back the same double.
func formatScore(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

//export rlgo_zadd
func rlgo_zadd(h C.uint64_t, kind C.int, key *C.char, keylen C.size_t, n C.int, scores *C.double, members **C.char, memberlens *C.size_t, added *C.longlong, errmsg **C.char) (st C.int) {
	defer recoverTo(&st, errmsg)
	if n <= 0 || scores == nil || members == nil || memberlens == nil {
		return badArg(errmsg)
	}
	var a argv
	a.reserve(2 + 2*int(n))
	a.lit("ZADD")
	a.c(key, keylen)
	sc := unsafe.Slice(scores, int(n))
	mp, ml := unsafe.Slice(members, int(n)), unsafe.Slice(memberlens, int(n))
	for i := range sc {
		f := float64(sc[i])
		if math.IsNaN(f) {
			return badArg(errmsg)
		}
		a.lit(formatScore(f))
		a.c(mp[i], ml[i])
	}
	return typed(h, kind, &a, errmsg, func(v resp.Value) status { return intOut(v, added, errmsg) })
}

//export rlgo_zscore
func rlgo_zscore(h C.uint64_t, kind C.int, key *C.char, keylen C.size_t, member *C.char, memberlen C.size_t, score *C.double, errmsg **C.char) (st C.int) {
	defer recoverTo(&st, errmsg)
	if score == nil {
		return badArg(errmsg)
	}
	var a argv
	a.lit("ZSCORE")
	a.c(key, keylen)
	a.c(member, memberlen)
	return typed(h, kind, &a, errmsg, func(v resp.Value) status {
		switch v.Kind {
		case resp.Double:
			*score = C.double(v.Dbl)
			return stOK
		case resp.Bulk:
			f, err := strconv.ParseFloat(string(v.Str), 64)
			if err != nil {
				return fail(resp.Err("ERR unexpected score "+strconv.Quote(string(v.Str))), errmsg)
			}
			*score = C.double(f)
			return stOK
		case resp.Nil:
			return stNil
		}
		return fail(v, errmsg)
	})
}
