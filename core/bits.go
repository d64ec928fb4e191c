package core

import (
	"encoding/binary"
	"math"
	"math/bits"

	"github.com/redlite/redlite/core/resp"
)

// Bit commands work on string values. Bits are numbered from the most
// significant bit of the first byte; reading past the end gives zeros and
// writing past it grows the string with zero bytes.

func init() {
	const g = "bitmap"
	register(
		&Command{Name: "setbit", Arity: 4, Flags: FlagWrite | FlagDenyOOM, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Sets or clears the bit at offset of the string value. Creates the key if it doesn't exist.",
			Since:   "2.2.0", Complexity: "O(1)",
			Note: "The string is read and written whole, so the cost grows with its length.", Run: cmdSetBit},
		&Command{Name: "getbit", Arity: 3, Flags: FlagReadOnly | FlagFast, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Returns a bit value by offset.", Since: "2.2.0", Complexity: "O(1)", Exec: ExecRead, Run: cmdGetBit},
		&Command{Name: "bitcount", Arity: -2, Flags: FlagReadOnly, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Counts the number of set bits (population counting) in a string.", Since: "2.6.0",
			Complexity: "O(N)", Exec: ExecRead, Run: cmdBitCount},
		&Command{Name: "bitpos", Arity: -3, Flags: FlagReadOnly, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Finds the first set (1) or clear (0) bit in a string.", Since: "2.8.7",
			Complexity: "O(N)", Exec: ExecRead, Run: cmdBitPos},
		&Command{Name: "bitop", Arity: -4, Flags: FlagWrite | FlagDenyOOM, FirstKey: 2, LastKey: -1, Group: g,
			Summary: "Performs bitwise operations on multiple strings, and stores the result.", Since: "2.6.0",
			Complexity: "O(N)", Run: cmdBitOp},
		&Command{Name: "bitfield", Arity: -2, Flags: FlagWrite | FlagDenyOOM, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Performs arbitrary bitfield integer operations on strings.", Since: "3.2.0",
			Complexity: "O(1) for each subcommand specified",
			Note:       "A write reads and writes the string whole, so its cost grows with the string's length.",
			Run:        func(c *Call) resp.Value { return bitfield(c, false) }},
		&Command{Name: "bitfield_ro", Arity: -2, Flags: FlagReadOnly | FlagFast, FirstKey: 1, LastKey: 1, Group: g,
			Summary: "Performs arbitrary read-only bitfield integer operations on strings.", Since: "6.0.0",
			Complexity: "O(1) for each subcommand specified", Exec: ExecRead, Run: func(c *Call) resp.Value { return bitfield(c, true) }},
	)
}

var (
	errBitOffset = resp.Err("ERR bit offset is not an integer or out of range")
	errBitValue  = resp.Err("ERR bit is not an integer or out of range")
)

// parseBitOffset reads a bit offset. In BITFIELD ("hash" true) "#N" means
// N times the field width. Offsets must address a byte within
// proto-max-bulk-len, as in Redis.
func parseBitOffset(b []byte, hash bool, width int64, maxBulk int64) (int64, bool) {
	mul := int64(1)
	if hash && len(b) > 0 && b[0] == '#' {
		b, mul = b[1:], width
	}
	n, ok := ParseInt(b)
	if !ok || n < 0 || n > math.MaxInt64/mul {
		return 0, false
	}
	n *= mul
	if n>>3 >= maxBulk {
		return 0, false
	}
	return n, true
}

// stringForWrite reads the string at key for a command that may write it:
// its id and value in one statement. An expired key is deleted first.
func (tx *Tx) stringForWrite(key []byte) (id int64, val []byte, found, wrong bool) {
	var typ, exp int64
	found = tx.queryRow(`SELECT id, type, expire_at, value FROM keys WHERE db = ? AND key = ?`, args(tx.DB, key),
		func(r *rows) { id, typ, exp, val = r.int(0), r.int(1), r.int(2), r.bytes(3) })
	switch {
	case !found:
		return 0, nil, false, false
	case exp != 0 && exp <= tx.Now:
		tx.deleteExpired(id, key)
		return 0, nil, false, false
	case typ != TypeString:
		return id, nil, true, true
	}
	return id, val, true, false
}

// storeString writes back a string read with stringForWrite.
func (tx *Tx) storeString(id int64, found bool, key, val []byte) {
	if found {
		tx.updateString(id, key, val)
	} else {
		tx.createKey(key, TypeString, 0, val)
	}
}

// growZero extends b with zero bytes to at least n bytes.
func growZero(b []byte, n int64) []byte {
	if int64(len(b)) >= n {
		return b
	}
	out := make([]byte, n)
	copy(out, b)
	return out
}

func cmdSetBit(c *Call) resp.Value {
	offset, ok := parseBitOffset(c.Args[2], false, 1, c.store.Config.MaxBulk())
	if !ok {
		return errBitOffset
	}
	on, ok := ParseInt(c.Args[3])
	if !ok || (on != 0 && on != 1) {
		return errBitValue
	}
	key := c.Args[1]
	id, val, found, wrong := c.stringForWrite(key)
	if wrong {
		return errWrongType
	}
	val = growZero(val, offset>>3+1)
	mask := byte(0x80) >> (offset & 7)
	old := val[offset>>3]&mask != 0
	if on == 1 {
		val[offset>>3] |= mask
	} else {
		val[offset>>3] &^= mask
	}
	c.storeString(id, found, key, val)
	c.notify(notifyString, "setbit", key)
	return resp.BoolInt(old)
}

func cmdGetBit(c *Call) resp.Value {
	offset, ok := parseBitOffset(c.Args[2], false, 1, c.store.Config.MaxBulk())
	if !ok {
		return errBitOffset
	}
	// Only the byte holding the bit crosses into Go, however long the string.
	var typ, exp int64
	var b []byte
	found := c.queryRow(`SELECT type, expire_at, substr(CAST(value AS BLOB), ?, 1) FROM keys WHERE db = ? AND key = ?`,
		args(offset>>3+1, c.DB, c.Args[1]), func(r *rows) { typ, exp, b = r.int(0), r.int(1), r.bytes(2) })
	live := c.readRow(found, exp)
	if !live {
		return resp.IntValue(0)
	}
	if typ != TypeString {
		return errWrongType
	}
	return resp.BoolInt(len(b) == 1 && b[0]&(0x80>>(offset&7)) != 0)
}

// bitRange resolves BITCOUNT and BITPOS ranges as Redis does: negative
// indexes count from the end, the range is clipped to the value, and an
// empty range reports ok false. total is the length in the range's unit.
func bitRange(start, end, total int64) (int64, int64, bool) {
	if start < 0 && end < 0 && start > end {
		return 0, 0, false
	}
	if start < 0 {
		start += total
	}
	if end < 0 {
		end += total
	}
	start, end = max(start, 0), max(end, 0)
	end = min(end, total-1)
	if start > end {
		return 0, 0, false
	}
	return start, end, true
}

// parseRangeUnit reads BITCOUNT's and BITPOS's optional BYTE|BIT.
func parseRangeUnit(argv [][]byte, i int) (bitUnit bool, ok bool) {
	if i >= len(argv) {
		return false, true
	}
	switch {
	case eqFold(argv[i], "BYTE"):
		return false, true
	case eqFold(argv[i], "BIT"):
		return true, true
	}
	return false, false
}

func cmdBitCount(c *Call) resp.Value {
	val, found, wrong := c.getString(c.Args[1])
	switch {
	case wrong:
		return errWrongType
	case !found: // Redis 7.0 answers before looking at the range
		return resp.IntValue(0)
	}
	if len(c.Args) == 2 {
		return resp.IntValue(countBits(val, 0, int64(len(val))*8-1))
	}
	if len(c.Args) != 4 && len(c.Args) != 5 {
		return errSyntax
	}
	start, ok1 := ParseInt(c.Args[2])
	end, ok2 := ParseInt(c.Args[3])
	if !ok1 || !ok2 {
		return errNotInt
	}
	bitUnit, ok := parseRangeUnit(c.Args, 4)
	if !ok {
		return errSyntax
	}
	total := int64(len(val))
	if bitUnit {
		total *= 8
	}
	start, end, ok = bitRange(start, end, total)
	if !ok {
		return resp.IntValue(0)
	}
	if !bitUnit {
		start, end = start*8, end*8+7
	}
	return resp.IntValue(countBits(val, start, end))
}

// countBits counts the set bits from bit from to bit to, inclusive.
func countBits(val []byte, from, to int64) int64 {
	if from > to {
		return 0
	}
	first, last := from>>3, to>>3
	if first == last {
		return int64(bits.OnesCount8(val[first] & edgeMask(from, to)))
	}
	n := bits.OnesCount8(val[first]&edgeMask(from, first*8+7)) + bits.OnesCount8(val[last]&edgeMask(last*8, to))
	mid := val[first+1 : last]
	for len(mid) >= 8 {
		n += bits.OnesCount64(binary.BigEndian.Uint64(mid))
		mid = mid[8:]
	}
	for _, b := range mid {
		n += bits.OnesCount8(b)
	}
	return int64(n)
}

// edgeMask selects bits from..to (inclusive, absolute, within one byte).
func edgeMask(from, to int64) byte {
	return (byte(0xff) >> (from & 7)) & (byte(0xff) << (7 - to&7))
}

func cmdBitPos(c *Call) resp.Value {
	bit, ok := ParseInt(c.Args[2])
	if !ok {
		return errNotInt
	}
	if bit != 0 && bit != 1 {
		return resp.Err("ERR The bit argument must be 1 or 0.")
	}
	val, found, wrong := c.getString(c.Args[1])
	switch {
	case wrong:
		return errWrongType
	case !found: // a missing key is all zeros: Redis answers before the range
		if bit == 1 {
			return resp.IntValue(-1)
		}
		return resp.IntValue(0)
	}
	if len(c.Args) > 6 {
		return errSyntax
	}
	start, end := int64(0), int64(-1)
	endGiven := len(c.Args) >= 5
	if len(c.Args) >= 4 {
		var ok bool
		if start, ok = ParseInt(c.Args[3]); !ok {
			return errNotInt
		}
	}
	if endGiven {
		var ok bool
		if end, ok = ParseInt(c.Args[4]); !ok {
			return errNotInt
		}
	}
	bitUnit, ok := parseRangeUnit(c.Args, 5)
	if !ok {
		return errSyntax
	}
	total := int64(len(val))
	if bitUnit {
		total *= 8
	}
	start, end, ok = bitRange(start, end, total)
	if !ok {
		return resp.IntValue(-1)
	}
	if !bitUnit {
		start, end = start*8, end*8+7
	}
	pos := findBit(val, bit == 1, start, end)
	if pos < 0 && bit == 0 && !endGiven {
		// Without an end the string is taken as followed by zeros.
		return resp.IntValue(end + 1)
	}
	return resp.IntValue(pos)
}

// findBit returns the position of the first bit equal to one in bits
// from..to (inclusive), or -1.
func findBit(val []byte, one bool, from, to int64) int64 {
	for i := from >> 3; i <= to>>3; i++ {
		b := val[i]
		if !one {
			b = ^b
		}
		if b &= edgeMask(max(from, i*8), min(to, i*8+7)); b != 0 {
			return i*8 + int64(bits.LeadingZeros8(b))
		}
	}
	return -1
}

func cmdBitOp(c *Call) resp.Value {
	op := c.Args[1]
	var combine func(a, b byte) byte
	switch {
	case eqFold(op, "AND"):
		combine = func(a, b byte) byte { return a & b }
	case eqFold(op, "OR"):
		combine = func(a, b byte) byte { return a | b }
	case eqFold(op, "XOR"):
		combine = func(a, b byte) byte { return a ^ b }
	case eqFold(op, "NOT"):
		if len(c.Args) != 4 {
			return resp.Err("ERR BITOP NOT must be called with a single source key.")
		}
	default:
		return errSyntax
	}
	dest := c.Args[2]
	srcs := make([][]byte, 0, len(c.Args)-3)
	longest := 0
	for _, key := range c.Args[3:] {
		val, _, wrong := c.getString(key)
		if wrong {
			return errWrongType
		}
		srcs = append(srcs, val)
		longest = max(longest, len(val))
	}
	if longest == 0 {
		if k, found := c.lookupWrite(dest); found {
			c.deleteKey(k.ID, dest)
			c.notify(notifyGeneric, "del", dest)
		}
		return resp.IntValue(0)
	}
	res := make([]byte, longest)
	if combine == nil {
		for i, b := range srcs[0] {
			res[i] = ^b
		}
	} else {
		copy(res, srcs[0]) // shorter sources read as zero bytes past their end
		for _, src := range srcs[1:] {
			for i := range res {
				var b byte
				if i < len(src) {
					b = src[i]
				}
				res[i] = combine(res[i], b)
			}
		}
	}
	c.putString(dest, res, 0, false)
	c.notify(notifyString, "set", dest)
	return resp.IntValue(int64(longest))
}
