package core

import (
	"math"

	"github.com/redlite/redlite/core/resp"
)

// BITFIELD and BITFIELD_RO: integers of 1 to 64 bits (unsigned up to 63)
// at any bit offset of a string.

type bfKind uint8

const (
	bfGet bfKind = iota
	bfSet
	bfIncr
)

type bfOverflow uint8

const (
	bfWrap bfOverflow = iota
	bfSat
	bfFail
)

// bfOp is one parsed GET, SET or INCRBY with the OVERFLOW mode in force.
type bfOp struct {
	kind     bfKind
	signed   bool
	width    int64
	offset   int64
	arg      int64 // SET's value or INCRBY's increment
	overflow bfOverflow
}

var errBitfieldType = resp.Err("ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.")

// parseBitfieldType reads "i<bits>" (1..64) or "u<bits>" (1..63).
func parseBitfieldType(b []byte) (signed bool, width int64, ok bool) {
	if len(b) < 2 || (b[0] != 'i' && b[0] != 'u') {
		return false, 0, false
	}
	signed = b[0] == 'i'
	width, ok = ParseInt(b[1:])
	if !ok || width < 1 || width > 64 || (!signed && width == 64) {
		return false, 0, false
	}
	return signed, width, true
}

// parseBitfield parses the subcommands, all of them before anything runs,
// reporting the first error from the left as Redis does.
func parseBitfield(c *Call) ([]bfOp, bool, resp.Value) {
	var ops []bfOp
	writes := false
	overflow := bfWrap
	maxBulk := c.store.Config.MaxBulk()
	for i := 2; i < len(c.Args); {
		sub, left := c.Args[i], len(c.Args)-i-1
		var op bfOp
		switch {
		case eqFold(sub, "GET") && left >= 2:
			op.kind = bfGet
		case eqFold(sub, "SET") && left >= 3:
			op.kind = bfSet
		case eqFold(sub, "INCRBY") && left >= 3:
			op.kind = bfIncr
		case eqFold(sub, "OVERFLOW") && left >= 1:
			switch m := c.Args[i+1]; {
			case eqFold(m, "WRAP"):
				overflow = bfWrap
			case eqFold(m, "SAT"):
				overflow = bfSat
			case eqFold(m, "FAIL"):
				overflow = bfFail
			default:
				return nil, false, resp.Err("ERR Invalid OVERFLOW type specified")
			}
			i += 2
			continue
		default:
			return nil, false, errSyntax
		}
		var ok bool
		if op.signed, op.width, ok = parseBitfieldType(c.Args[i+1]); !ok {
			return nil, false, errBitfieldType
		}
		if op.offset, ok = parseBitOffset(c.Args[i+2], true, op.width, maxBulk); !ok {
			return nil, false, errBitOffset
		}
		i += 3
		if op.kind != bfGet {
			if op.arg, ok = ParseInt(c.Args[i]); !ok {
				return nil, false, errNotInt
			}
			i++
			writes = true
		}
		op.overflow = overflow
		ops = append(ops, op)
	}
	return ops, writes, resp.Value{}
}

func bitfield(c *Call, readOnly bool) resp.Value {
	ops, writes, errv := parseBitfield(c)
	if errv.IsError() {
		return errv
	}
	if readOnly && writes {
		return resp.Err("ERR BITFIELD_RO only supports the GET subcommand")
	}
	key := c.Args[1]
	var id int64
	var val []byte
	var found, wrong bool
	if writes {
		id, val, found, wrong = c.stringForWrite(key)
	} else {
		val, found, wrong = c.getString(key)
	}
	if wrong {
		return errWrongType
	}
	// Writes grow the string to hold every field they address, even those
	// an OVERFLOW FAIL will then leave alone, as Redis does.
	size := int64(len(val))
	for _, op := range ops {
		if op.kind != bfGet {
			val = growZero(val, (op.offset+op.width-1)>>3+1)
		}
	}
	changed := writes && (!found || int64(len(val)) > size)
	changes := 0
	out := make([]resp.Value, len(ops))
	for i, op := range ops {
		cur := readField(val, op.offset, op.width)
		curInt := fieldValue(cur, op.signed, op.width)
		if op.kind == bfGet {
			out[i] = resp.IntValue(curInt)
			continue
		}
		var next uint64
		var ok bool
		if op.kind == bfSet {
			next, ok = op.limit(op.arg, 0)
		} else {
			next, ok = op.limit(curInt, op.arg)
		}
		if !ok {
			out[i] = resp.NilValue()
			continue
		}
		writeField(val, op.offset, op.width, next)
		changes++
		if op.kind == bfSet {
			out[i] = resp.IntValue(curInt)
		} else {
			out[i] = resp.IntValue(fieldValue(next, op.signed, op.width))
		}
	}
	if changed || changes > 0 {
		c.storeString(id, found, key, val)
	}
	if changes > 0 {
		c.notify(notifyString, "setbit", key)
	}
	return resp.ArrayValue(out)
}

// limit applies op's overflow mode to value + incr. SET passes its value
// with incr 0; an unsigned SET takes the value's bits as unsigned, so a
// negative value is a large one. It returns the field's new bits, or false
// when OVERFLOW FAIL refuses the operation.
func (op bfOp) limit(value, incr int64) (uint64, bool) {
	w := uint(op.width)
	var over, under bool
	if op.signed {
		maxV := int64(1)<<(w-1) - 1
		minV := -maxV - 1
		sum := value + incr
		switch {
		case incr > 0 && sum < value: // int64 overflow
			over = true
		case incr < 0 && sum > value:
			under = true
		default:
			over, under = sum > maxV, sum < minV
		}
		if over || under {
			switch op.overflow {
			case bfFail:
				return 0, false
			case bfSat:
				if over {
					return uint64(maxV), true
				}
				return uint64(minV), true
			}
		}
		return uint64(sum), true // wrapping is keeping the low bits
	}
	maxV := uint64(1)<<w - 1
	u := uint64(value)
	switch {
	case u > maxV: // only a SET can hold a value out of range
		over = true
	case incr > 0:
		over = uint64(incr) > maxV-u
	case incr < 0:
		under = incr == math.MinInt64 || uint64(-incr) > u
	}
	if over || under {
		switch op.overflow {
		case bfFail:
			return 0, false
		case bfSat:
			if over {
				return maxV, true
			}
			return 0, true
		}
	}
	return (u + uint64(incr)) & maxV, true
}

// readField reads width bits at offset as an unsigned number; bits past
// the end of val are zero.
func readField(val []byte, offset, width int64) uint64 {
	var v uint64
	for i := offset; i < offset+width; i++ {
		v <<= 1
		if i>>3 < int64(len(val)) && val[i>>3]&(0x80>>(i&7)) != 0 {
			v |= 1
		}
	}
	return v
}

// writeField stores the low width bits of v at offset (val is long enough).
func writeField(val []byte, offset, width int64, v uint64) {
	for i := int64(0); i < width; i++ {
		pos := offset + i
		mask := byte(0x80) >> (pos & 7)
		if v&(1<<(width-1-i)) != 0 {
			val[pos>>3] |= mask
		} else {
			val[pos>>3] &^= mask
		}
	}
}

// fieldValue interprets width low bits as the field's integer: signed
// fields are sign-extended.
func fieldValue(v uint64, signed bool, width int64) int64 {
	if width < 64 {
		v &= 1<<width - 1
		if signed && v&(1<<(width-1)) != 0 {
			v |= ^uint64(0) << width
		}
	}
	return int64(v)
}
