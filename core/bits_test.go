package core

import (
	"math"
	"math/big"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/redlite/redlite/core/resp"
)

// The reference implementations below work one bit at a time, the plain
// reading of Redis' documentation, to check the byte-wise code against.

func refBit(val []byte, i int64) int {
	if i < 0 || i>>3 >= int64(len(val)) {
		return 0
	}
	return int(val[i>>3]>>(7-i&7)) & 1
}

// refRange applies Redis' range rules in the simplest way.
func refRange(start, end, total int64) (int64, int64, bool) {
	if start < 0 && end < 0 && start > end {
		return 0, 0, false
	}
	if start < 0 {
		start = max(total+start, 0)
	}
	if end < 0 {
		end = max(total+end, 0)
	}
	if end >= total {
		end = total - 1
	}
	return start, end, start <= end
}

func refBitCount(val []byte, start, end int64, bitUnit bool) int64 {
	total := int64(len(val))
	if bitUnit {
		total *= 8
	}
	start, end, ok := refRange(start, end, total)
	if !ok {
		return 0
	}
	if !bitUnit {
		start, end = start*8, end*8+7
	}
	var n int64
	for i := start; i <= end; i++ {
		n += int64(refBit(val, i))
	}
	return n
}

func refBitPos(val []byte, bit int, start, end int64, endGiven, bitUnit bool) int64 {
	total := int64(len(val))
	if bitUnit {
		total *= 8
	}
	start, end, ok := refRange(start, end, total)
	if !ok {
		return -1
	}
	if !bitUnit {
		start, end = start*8, end*8+7
	}
	for i := start; i <= end; i++ {
		if refBit(val, i) == bit {
			return i
		}
	}
	if bit == 0 && !endGiven {
		return end + 1
	}
	return -1
}

func randBytes(r *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		switch r.IntN(4) {
		case 0:
			b[i] = 0
		case 1:
			b[i] = 0xff
		default:
			b[i] = byte(r.IntN(256))
		}
	}
	return b
}

func TestBitCountAndPosMatchReference(t *testing.T) {
	s := newTestSession(t)
	r := rand.New(rand.NewPCG(1, 2))
	for round := 0; round < 60; round++ {
		val := randBytes(r, r.IntN(40))
		expectOK(t, do(s, "SET", "k", string(val)))
		expectInt(t, refBitCount(val, 0, -1, false), do(s, "BITCOUNT", "k"))
		for q := 0; q < 25; q++ {
			span := int64(len(val))*8 + 20
			start, end := r.Int64N(2*span)-span, r.Int64N(2*span)-span
			for _, unit := range []string{"BYTE", "BIT"} {
				bitUnit := unit == "BIT"
				s1, e1 := strconv.FormatInt(start, 10), strconv.FormatInt(end, 10)
				expectInt(t, refBitCount(val, start, end, bitUnit), do(s, "BITCOUNT", "k", s1, e1, unit))
				for _, bit := range []int{0, 1} {
					b := strconv.Itoa(bit)
					expectInt(t, refBitPos(val, bit, start, end, true, bitUnit), do(s, "BITPOS", "k", b, s1, e1, unit))
					if !bitUnit {
						expectInt(t, refBitPos(val, bit, start, -1, false, false), do(s, "BITPOS", "k", b, s1))
					}
				}
			}
		}
		for _, bit := range []int{0, 1} {
			expectInt(t, refBitPos(val, bit, 0, -1, false, false), do(s, "BITPOS", "k", strconv.Itoa(bit)))
		}
	}
}

func TestSetBitGetBit(t *testing.T) {
	s := newTestSession(t)
	expectInt(t, 0, do(s, "SETBIT", "k", "7", "1"))
	expectBulk(t, "\x01", do(s, "GET", "k"))
	expectInt(t, 1, do(s, "SETBIT", "k", "7", "0"))
	expectInt(t, 0, do(s, "SETBIT", "k", "100", "1"))
	expectInt(t, 13, do(s, "STRLEN", "k"))
	expectInt(t, 1, do(s, "GETBIT", "k", "100"))
	expectInt(t, 0, do(s, "GETBIT", "k", "101"))
	expectInt(t, 0, do(s, "GETBIT", "k", "1000000"))
	expectInt(t, 0, do(s, "GETBIT", "nokey", "5"))
	// A bit far out grows the string with zeros.
	expectInt(t, 0, do(s, "SETBIT", "far", "8388607", "1"))
	expectInt(t, 1<<20, do(s, "STRLEN", "far"))
	expectInt(t, 1, do(s, "BITCOUNT", "far"))
	expectInt(t, 8388607, do(s, "BITPOS", "far", "1"))
	expectInt(t, 1, do(s, "GETBIT", "far", "8388607"))
	// Setting a bit to what it is still writes (and creates) the key.
	expectInt(t, 0, do(s, "SETBIT", "zero", "3", "0"))
	expectBulk(t, "\x00", do(s, "GET", "zero"))

	expectErr(t, "ERR bit offset is not an integer or out of range", do(s, "SETBIT", "k", "-1", "1"))
	expectErr(t, "ERR bit offset is not an integer or out of range", do(s, "SETBIT", "k", "4294967296", "1"))
	expectErr(t, "ERR bit offset is not an integer or out of range", do(s, "GETBIT", "k", "x"))
	expectErr(t, "ERR bit is not an integer or out of range", do(s, "SETBIT", "k", "0", "2"))
	expectErr(t, "ERR bit offset is not an integer", do(s, "SETBIT", "k", "x", "2"))
	do(s, "HSET", "h", "f", "v")
	expectErr(t, "WRONGTYPE", do(s, "SETBIT", "h", "0", "1"))
	expectErr(t, "WRONGTYPE", do(s, "GETBIT", "h", "0"))
	expectErr(t, "ERR bit offset", do(s, "GETBIT", "h", "-1"))
}

func TestBitOffsetsFollowProtoMaxBulkLen(t *testing.T) {
	s := newTestSession(t)
	expectOK(t, do(s, "CONFIG", "SET", "proto-max-bulk-len", "1048576"))
	expectErr(t, "ERR bit offset", do(s, "SETBIT", "k", "8388608", "1"))
	expectErr(t, "ERR bit offset", do(s, "GETBIT", "k", "8388608"))
	expectErr(t, "ERR bit offset", do(s, "BITFIELD", "k", "GET", "u8", "#1048576"))
	expectInt(t, 0, do(s, "SETBIT", "k", "8388607", "1"))
	v := do(s, "BITFIELD", "k", "GET", "u8", "#1048575")
	require.Equal(t, int64(1), v.Elems[0].Int)
}

func TestBitOp(t *testing.T) {
	s := newTestSession(t)
	r := rand.New(rand.NewPCG(3, 4))
	for round := 0; round < 30; round++ {
		srcs := [][]byte{randBytes(r, r.IntN(12)), randBytes(r, r.IntN(12)), randBytes(r, r.IntN(12))}
		longest := 0
		for i, src := range srcs {
			expectOK(t, do(s, "SET", "s"+strconv.Itoa(i), string(src)))
			longest = max(longest, len(src))
		}
		at := func(src []byte, i int) byte {
			if i < len(src) {
				return src[i]
			}
			return 0
		}
		for _, op := range []string{"AND", "OR", "XOR"} {
			want := make([]byte, longest)
			for i := range want {
				a, b, c := at(srcs[0], i), at(srcs[1], i), at(srcs[2], i)
				switch op {
				case "AND":
					want[i] = a & b & c
				case "OR":
					want[i] = a | b | c
				case "XOR":
					want[i] = a ^ b ^ c
				}
			}
			expectInt(t, int64(longest), do(s, "BITOP", op, "dest", "s0", "s1", "s2"))
			if longest == 0 {
				expectNil(t, do(s, "GET", "dest"))
			} else {
				expectBulk(t, string(want), do(s, "GET", "dest"))
			}
		}
		not := make([]byte, len(srcs[0]))
		for i, b := range srcs[0] {
			not[i] = ^b
		}
		expectInt(t, int64(len(not)), do(s, "BITOP", "NOT", "dest", "s0"))
		if len(not) > 0 {
			expectBulk(t, string(not), do(s, "GET", "dest"))
		}
	}
	// Missing sources are empty; an empty result deletes the destination,
	// whatever it held.
	do(s, "HSET", "h", "f", "v")
	expectInt(t, 0, do(s, "BITOP", "OR", "h", "missing"))
	expectInt(t, 0, do(s, "HLEN", "h"))
	do(s, "HSET", "h", "f", "v")
	expectOK(t, do(s, "SET", "a", "\xff"))
	expectInt(t, 1, do(s, "BITOP", "AND", "h", "a", "missing"))
	expectBulk(t, "\x00", do(s, "GET", "h"))
	expectErr(t, "ERR BITOP NOT must be called with a single source key.", do(s, "BITOP", "NOT", "d", "a", "a"))
	expectErr(t, "ERR syntax error", do(s, "BITOP", "NAND", "d", "a"))
	do(s, "HSET", "h2", "f", "v")
	expectErr(t, "WRONGTYPE", do(s, "BITOP", "OR", "d", "a", "h2"))
}

// refLimit is BITFIELD's overflow rule computed with unbounded integers.
func refLimit(signed bool, width int64, value, incr int64, unsignedSet bool, mode bfOverflow) (int64, bool) {
	var lo, hi big.Int
	if signed {
		hi.Lsh(big.NewInt(1), uint(width-1))
		lo.Neg(&hi)
		hi.Sub(&hi, big.NewInt(1))
	} else {
		hi.Lsh(big.NewInt(1), uint(width))
		hi.Sub(&hi, big.NewInt(1))
	}
	sum := new(big.Int)
	if unsignedSet {
		sum.SetUint64(uint64(value))
	} else {
		sum.SetInt64(value)
	}
	sum.Add(sum, big.NewInt(incr))
	if sum.Cmp(&lo) >= 0 && sum.Cmp(&hi) <= 0 {
		return sum.Int64(), true
	}
	switch mode {
	case bfFail:
		return 0, false
	case bfSat:
		if sum.Cmp(&hi) > 0 {
			return hi.Int64(), true
		}
		return lo.Int64(), true
	}
	mod := new(big.Int).Lsh(big.NewInt(1), uint(width))
	sum.Mod(sum, mod) // 0 <= sum < 2^width
	if signed && sum.Cmp(&hi) > 0 {
		sum.Sub(sum, mod)
	}
	return sum.Int64(), true
}

func TestBitfieldOverflowMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	edges := []int64{0, 1, -1, 2, -2, math.MaxInt64, math.MinInt64, math.MaxInt64 - 1, math.MinInt64 + 1, 127, 128, -128, -129, 255, 256}
	pick := func() int64 {
		if r.IntN(3) == 0 {
			return edges[r.IntN(len(edges))]
		}
		return r.Int64() >> r.IntN(64)
	}
	for n := 0; n < 20000; n++ {
		signed := r.IntN(2) == 0
		width := int64(1 + r.IntN(64))
		if !signed && width == 64 {
			width = 63
		}
		mode := bfOverflow(r.IntN(3))
		op := bfOp{signed: signed, width: width, overflow: mode}
		isSet := r.IntN(2) == 0
		var value, incr int64
		if isSet {
			value = pick()
		} else {
			// An INCRBY starts from a value the field can hold.
			value = fieldValue(uint64(pick()), signed, width)
			incr = pick()
		}
		got, gotOK := op.limit(value, incr)
		want, wantOK := refLimit(signed, width, value, incr, isSet && !signed, mode)
		require.Equal(t, wantOK, gotOK, "signed=%v width=%d value=%d incr=%d mode=%d", signed, width, value, incr, mode)
		if wantOK {
			require.Equal(t, want, fieldValue(got, signed, width),
				"signed=%v width=%d value=%d incr=%d mode=%d", signed, width, value, incr, mode)
		}
	}
}

func TestBitfieldFieldsRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for n := 0; n < 2000; n++ {
		buf := randBytes(r, 20)
		orig := append([]byte(nil), buf...)
		width := int64(1 + r.IntN(64))
		offset := r.Int64N(int64(len(buf))*8 - width + 1)
		v := r.Uint64()
		writeField(buf, offset, width, v)
		mask := uint64(math.MaxUint64)
		if width < 64 {
			mask = 1<<width - 1
		}
		require.Equal(t, v&mask, readField(buf, offset, width))
		// Bits outside the field are untouched.
		for i := int64(0); i < int64(len(buf))*8; i++ {
			if i < offset || i >= offset+width {
				require.Equal(t, refBit(orig, i), refBit(buf, i))
			}
		}
	}
}

func TestBitfield(t *testing.T) {
	s := newTestSession(t)
	ints := func(v resp.Value) []any {
		require.Equal(t, resp.Array, v.Kind, show(v))
		out := make([]any, len(v.Elems))
		for i, e := range v.Elems {
			if e.Kind == resp.Nil {
				out[i] = nil
			} else {
				out[i] = e.Int
			}
		}
		return out
	}
	require.Equal(t, []any{}, ints(do(s, "BITFIELD", "k")))
	require.Equal(t, []any{int64(0), int64(0)}, ints(do(s, "BITFIELD", "k", "GET", "u8", "0", "GET", "i64", "#3")))
	expectNil(t, do(s, "GET", "k")) // reads create nothing
	require.Equal(t, []any{int64(0), int64(255), int64(-1)},
		ints(do(s, "BITFIELD", "k", "SET", "u8", "0", "255", "GET", "u8", "0", "GET", "i8", "0")))
	require.Equal(t, []any{int64(-1), int64(127), nil, int64(127)},
		ints(do(s, "BITFIELD", "k", "OVERFLOW", "SAT", "SET", "i8", "0", "1000", "GET", "i8", "0",
			"OVERFLOW", "FAIL", "INCRBY", "i8", "0", "1", "GET", "i8", "0")))
	// #N offsets count in field widths.
	require.Equal(t, []any{int64(0), int64(0xab)}, ints(do(s, "BITFIELD", "k", "SET", "u8", "#2", "171", "GET", "u8", "16")))
	expectBulk(t, "\x7f\x00\xab", do(s, "GET", "k"))
	// Writes grow the string even when FAIL refuses them.
	require.Equal(t, []any{nil}, ints(do(s, "BITFIELD", "g", "OVERFLOW", "FAIL", "SET", "u2", "100", "9")))
	expectInt(t, 13, do(s, "STRLEN", "g"))
	require.Equal(t, []any{int64(0)}, ints(do(s, "BITFIELD_RO", "k", "GET", "u1", "0")))
	expectErr(t, "ERR BITFIELD_RO only supports the GET subcommand", do(s, "BITFIELD_RO", "k", "SET", "u8", "0", "1"))
	expectErr(t, "ERR Invalid bitfield type", do(s, "BITFIELD_RO", "k", "GET", "u8", "0", "SET", "u8", "0", "1", "GET", "u64", "0"))
	expectErr(t, "ERR Invalid bitfield type", do(s, "BITFIELD", "k", "GET", "u64", "0"))
	expectErr(t, "ERR Invalid bitfield type", do(s, "BITFIELD", "k", "GET", "I8", "0"))
	expectErr(t, "ERR bit offset", do(s, "BITFIELD", "k", "GET", "i64", "#67108864"))
	expectErr(t, "ERR bit offset", do(s, "BITFIELD", "k", "GET", "u8", "#9223372036854775807"))
	expectErr(t, "ERR Invalid OVERFLOW type specified", do(s, "BITFIELD", "k", "OVERFLOW", "BAD"))
	expectErr(t, "ERR syntax error", do(s, "BITFIELD", "k", "SET", "u8", "0"))
	expectErr(t, "ERR value is not an integer", do(s, "BITFIELD", "k", "INCRBY", "u8", "0", "x"))
	// A failed command writes nothing, even its valid leading subcommands.
	expectErr(t, "ERR syntax error", do(s, "BITFIELD", "k", "SET", "u8", "0", "1", "BAD"))
	expectBulk(t, "\x7f\x00\xab", do(s, "GET", "k"))
	do(s, "HSET", "h", "f", "v")
	expectErr(t, "WRONGTYPE", do(s, "BITFIELD", "h", "GET", "u8", "0"))
	expectErr(t, "WRONGTYPE", do(s, "BITFIELD_RO", "h"))
}

func TestBitCommandsWrongArgs(t *testing.T) {
	s := newTestSession(t)
	expectOK(t, do(s, "SET", "s", "foobar"))
	expectErr(t, "ERR syntax error", do(s, "BITCOUNT", "s", "0"))
	expectErr(t, "ERR syntax error", do(s, "BITCOUNT", "s", "0", "1", "BITS"))
	expectErr(t, "ERR value is not an integer", do(s, "BITCOUNT", "s", "a", "1"))
	expectInt(t, 0, do(s, "BITCOUNT", "nokey", "a", "b")) // Redis 7.0 answers a missing key first
	expectErr(t, "ERR The bit argument must be 1 or 0.", do(s, "BITPOS", "s", "2"))
	expectErr(t, "ERR syntax error", do(s, "BITPOS", "s", "1", "0", "1", "BIT", "x"))
	expectErr(t, "ERR value is not an integer", do(s, "BITPOS", "s", "1", "0", "BIT"))
	expectInt(t, -1, do(s, "BITPOS", "nokey", "1", "x"))
	expectInt(t, 0, do(s, "BITPOS", "nokey", "0"))
	for _, argv := range [][]string{{"SETBIT", "k", "0"}, {"GETBIT", "k"}, {"BITCOUNT"}, {"BITPOS", "k"},
		{"BITOP", "AND", "d"}, {"BITFIELD"}, {"BITFIELD_RO"}} {
		expectErr(t, "ERR wrong number of arguments", do(s, argv...))
	}
}
