package core

import (
	"bytes"
	"math"
	"strconv"

	"github.com/redlite/redlite/core/resp"
)

// Stream entry IDs: two unsigned 64-bit numbers, milliseconds and a
// sequence, ordered as a pair.

type streamID struct{ ms, seq uint64 }

var (
	minStreamID = streamID{0, 0}
	maxStreamID = streamID{math.MaxUint64, math.MaxUint64}
)

func (a streamID) cmp(b streamID) int {
	switch {
	case a.ms < b.ms:
		return -1
	case a.ms > b.ms:
		return 1
	case a.seq < b.seq:
		return -1
	case a.seq > b.seq:
		return 1
	}
	return 0
}

func (a streamID) isZero() bool { return a.ms == 0 && a.seq == 0 }

// incr returns the next ID; ok is false past the last possible one.
func (a streamID) incr() (streamID, bool) {
	switch {
	case a.seq < math.MaxUint64:
		return streamID{a.ms, a.seq + 1}, true
	case a.ms < math.MaxUint64:
		return streamID{a.ms + 1, 0}, true
	}
	return streamID{}, false
}

// decr returns the previous ID; ok is false before 0-0.
func (a streamID) decr() (streamID, bool) {
	switch {
	case a.seq > 0:
		return streamID{a.ms, a.seq - 1}, true
	case a.ms > 0:
		return streamID{a.ms - 1, math.MaxUint64}, true
	}
	return streamID{}, false
}

func (a streamID) appendTo(b []byte) []byte {
	b = strconv.AppendUint(b, a.ms, 10)
	b = append(b, '-')
	return strconv.AppendUint(b, a.seq, 10)
}

func (a streamID) String() string { return string(a.appendTo(nil)) }

func (a streamID) reply() resp.Value { return resp.BulkValue(a.appendTo(nil)) }

// In SQLite, IDs are stored as two INTEGER columns offset by 2^63, so that
// SQLite's signed order is the IDs' unsigned order (an ID may use all 64 bits).

func sqlU64(u uint64) int64 { return int64(u ^ (1 << 63)) }

func fromSQLU64(v int64) uint64 { return uint64(v) ^ (1 << 63) }

func (a streamID) sqlMS() int64  { return sqlU64(a.ms) }
func (a streamID) sqlSeq() int64 { return sqlU64(a.seq) }

func scanStreamID(r *rows, col int) streamID {
	return streamID{fromSQLU64(r.int(col)), fromSQLU64(r.int(col + 1))}
}

var errInvalidStreamID = resp.Err("ERR Invalid stream ID specified as stream command argument")

// parsedID is a parsed ID argument. seqGiven is false for "<ms>-*" (XADD
// asks for the next sequence of that millisecond).
type parsedID struct {
	id       streamID
	seqGiven bool
}

// parseStreamID parses an ID argument as Redis does: "-" and "+" (unless
// strict), "<ms>" (the sequence is then missingSeq), "<ms>-<seq>", and with
// allowAutoSeq "<ms>-*". The argument is read as a C string, so it ends at
// its first NUL byte.
func parseStreamID(arg []byte, strict bool, missingSeq uint64, allowAutoSeq bool) (parsedID, bool) {
	if len(arg) > 127 {
		return parsedID{}, false
	}
	if i := bytes.IndexByte(arg, 0); i >= 0 {
		arg = arg[:i]
	}
	if len(arg) == 1 && (arg[0] == '-' || arg[0] == '+') {
		if strict {
			return parsedID{}, false
		}
		if arg[0] == '-' {
			return parsedID{minStreamID, true}, true
		}
		return parsedID{maxStreamID, true}, true
	}
	msPart, seqPart, hasSeq := bytes.Cut(arg, []byte{'-'})
	ms, ok := string2ull(msPart)
	if !ok {
		return parsedID{}, false
	}
	if !hasSeq {
		return parsedID{streamID{ms, missingSeq}, true}, true
	}
	if allowAutoSeq && len(seqPart) == 1 && seqPart[0] == '*' {
		return parsedID{streamID{ms, 0}, false}, true
	}
	seq, ok := string2ull(seqPart)
	if !ok {
		return parsedID{}, false
	}
	return parsedID{streamID{ms, seq}, true}, true
}

// parseID is parseStreamID for the common cases, replying Redis' error.
func parseID(arg []byte, strict bool, missingSeq uint64) (streamID, resp.Value, bool) {
	p, ok := parseStreamID(arg, strict, missingSeq, false)
	if !ok {
		return streamID{}, errInvalidStreamID, false
	}
	return p.id, resp.Value{}, true
}

// parseRangeID parses a range bound that may be exclusive ("(<id>"), as
// XRANGE, XPENDING and XAUTOCLAIM take them. An exclusive bound is strict.
func parseRangeID(arg []byte, missingSeq uint64) (id streamID, exclusive bool, errv resp.Value, ok bool) {
	if len(arg) > 1 && arg[0] == '(' {
		id, errv, ok = parseID(arg[1:], true, missingSeq)
		return id, true, errv, ok
	}
	id, errv, ok = parseID(arg, false, missingSeq)
	return id, false, errv, ok
}

// parseRangeStart parses an inclusive-or-exclusive start bound and turns
// an exclusive one into the next ID.
func parseRangeStart(arg []byte) (streamID, resp.Value, bool) {
	id, ex, errv, ok := parseRangeID(arg, 0)
	if !ok {
		return id, errv, false
	}
	if ex {
		if id, ok = id.incr(); !ok {
			return id, resp.Err("ERR invalid start ID for the interval"), false
		}
	}
	return id, resp.Value{}, true
}

// parseRangeEnd is parseRangeStart for end bounds.
func parseRangeEnd(arg []byte) (streamID, resp.Value, bool) {
	id, ex, errv, ok := parseRangeID(arg, math.MaxUint64)
	if !ok {
		return id, errv, false
	}
	if ex {
		if id, ok = id.decr(); !ok {
			return id, resp.Err("ERR invalid end ID for the interval"), false
		}
	}
	return id, resp.Value{}, true
}

// string2ull reads an unsigned 64-bit number as Redis' string2ull does: a
// strict integer first, then anything C's strtoull(s, 10) accepts whole
// (leading spaces, a sign, leading zeros; a '-' negates modulo 2^64).
func string2ull(b []byte) (uint64, bool) {
	if v, ok := ParseInt(b); ok {
		if v < 0 {
			return 0, false
		}
		return uint64(v), true
	}
	i := 0
	for i < len(b) && isCSpace(b[i]) {
		i++
	}
	neg := false
	if i < len(b) && (b[i] == '+' || b[i] == '-') {
		neg = b[i] == '-'
		i++
	}
	start := i
	var v uint64
	overflow := false
	for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		d := uint64(b[i] - '0')
		if v > (math.MaxUint64-d)/10 {
			overflow = true
		}
		v = v*10 + d
	}
	if i == start || i != len(b) || overflow {
		return 0, false
	}
	if neg {
		v = -v
	}
	return v, true
}

func isCSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}
