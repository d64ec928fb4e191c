// Package resp holds the reply value every command produces and the RESP2/RESP3
// codec that puts it on the wire. The same Value is what the embedded API, the C
// ABI and the bindings receive, so a command is written once for all of them.
package resp

import (
	"math"
	"strconv"
)

// Kind is the RESP3 type of a reply. RESP2 clients get the nearest RESP2 shape.
type Kind uint8

// The reply kinds, named after RESP3 types.
const (
	Nil      Kind = iota // null bulk string ($-1 in RESP2, _ in RESP3)
	NilArray             // null array (*-1 in RESP2, _ in RESP3)
	Status               // simple string (+OK)
	Error                // error (-ERR ...), Str holds "CODE message"
	Int                  // integer (:1)
	Bulk                 // bulk string ($3 foo)
	Array                // array (*n)
	Map                  // map (%n in RESP3, flat array of 2n in RESP2); Elems holds k, v, k, v
	Set                  // set (~n in RESP3, array in RESP2)
	Push                 // push (>n in RESP3, array in RESP2)
	Double               // double (,1.5 in RESP3, bulk string in RESP2)
	Bool                 // boolean (#t in RESP3, :1 in RESP2); Int holds 0 or 1
	BigNum               // big number ((123 in RESP3, bulk string in RESP2)
	Verbatim             // verbatim string (=n txt:... in RESP3, bulk in RESP2)
)

var kindNames = [...]string{"nil", "nil-array", "status", "error", "integer", "bulk", "array", "map", "set", "push", "double", "bool", "bignum", "verbatim"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Value is one reply. Only the fields its Kind uses are set.
type Value struct {
	Kind  Kind
	Int   int64
	Dbl   float64
	Str   []byte
	Elems []Value
}

// Constructors keep call sites short and make the kind explicit.

// NilValue is the null bulk reply.
func NilValue() Value { return Value{Kind: Nil} }

// NilArrayValue is the null array reply (BLPOP timeout, EXEC aborted by WATCH).
func NilArrayValue() Value { return Value{Kind: NilArray} }

// OK is the +OK status reply.
func OK() Value { return Value{Kind: Status, Str: okBytes} }

var okBytes = []byte("OK")

// StatusValue is a simple string reply.
func StatusValue(s string) Value { return Value{Kind: Status, Str: []byte(s)} }

// Err is an error reply; msg starts with its code ("ERR ...", "WRONGTYPE ...").
func Err(msg string) Value { return Value{Kind: Error, Str: []byte(msg)} }

// IntValue is an integer reply.
func IntValue(n int64) Value { return Value{Kind: Int, Int: n} }

// BoolInt is an integer reply of 1 or 0, the RESP2-era boolean most commands use.
func BoolInt(b bool) Value {
	if b {
		return Value{Kind: Int, Int: 1}
	}
	return Value{Kind: Int}
}

// BulkValue is a bulk string reply holding b (not copied).
func BulkValue(b []byte) Value { return Value{Kind: Bulk, Str: b} }

// BulkString is a bulk string reply holding s.
func BulkString(s string) Value { return Value{Kind: Bulk, Str: []byte(s)} }

// DoubleValue is a double reply (a bulk string in RESP2).
func DoubleValue(f float64) Value { return Value{Kind: Double, Dbl: f} }

// ArrayValue is an array reply.
func ArrayValue(elems []Value) Value { return Value{Kind: Array, Elems: elems} }

// MapValue is a map reply; elems alternate key and value.
func MapValue(elems []Value) Value { return Value{Kind: Map, Elems: elems} }

// SetValue is a set reply.
func SetValue(elems []Value) Value { return Value{Kind: Set, Elems: elems} }

// BulkArray turns a list of byte strings into an array of bulk strings.
func BulkArray(items [][]byte) Value {
	elems := make([]Value, len(items))
	for i, it := range items {
		elems[i] = Value{Kind: Bulk, Str: it}
	}
	return Value{Kind: Array, Elems: elems}
}

// IsError reports whether v is an error reply.
func (v Value) IsError() bool { return v.Kind == Error }

// FormatDouble renders f the way Redis 7.0 does in replies: integers within
// 2^52 without a fraction, otherwise %.17g, and inf/-inf/nan spelled out.
func FormatDouble(f float64) string {
	return string(AppendDouble(nil, f))
}

// AppendDouble appends FormatDouble(f) to b.
func AppendDouble(b []byte, f float64) []byte {
	switch {
	case math.IsNaN(f):
		return append(b, "nan"...)
	case math.IsInf(f, 1):
		return append(b, "inf"...)
	case math.IsInf(f, -1):
		return append(b, "-inf"...)
	case f == 0:
		if math.Signbit(f) {
			return append(b, "-0"...)
		}
		return append(b, '0')
	case f > -4503599627370495 && f < 4503599627370496 && f == math.Trunc(f):
		return strconv.AppendInt(b, int64(f), 10)
	}
	return appendG17(b, f)
}

// appendG17 reproduces C's printf("%.17g"): 17 significant digits, trailing
// zeros removed, exponent form when the exponent is < -4 or >= 17.
func appendG17(b []byte, f float64) []byte {
	e := strconv.AppendFloat(nil, f, 'e', 16, 64) // d.dddddddddddddddde±XX
	mant, exp := e, 0
	for i := len(e) - 1; i >= 0; i-- {
		if e[i] == 'e' {
			mant = e[:i]
			exp, _ = strconv.Atoi(string(e[i+1:]))
			break
		}
	}
	neg := false
	if mant[0] == '-' {
		neg = true
		mant = mant[1:]
	}
	digits := make([]byte, 0, 17)
	for _, c := range mant {
		if c != '.' {
			digits = append(digits, c)
		}
	}
	for len(digits) > 1 && digits[len(digits)-1] == '0' {
		digits = digits[:len(digits)-1]
	}
	if neg {
		b = append(b, '-')
	}
	if exp < -4 || exp >= 17 {
		b = append(b, digits[0])
		if len(digits) > 1 {
			b = append(b, '.')
			b = append(b, digits[1:]...)
		}
		b = append(b, 'e')
		if exp < 0 {
			b = append(b, '-')
			exp = -exp
		} else {
			b = append(b, '+')
		}
		if exp < 10 {
			b = append(b, '0')
		}
		return strconv.AppendInt(b, int64(exp), 10)
	}
	if exp < 0 {
		b = append(b, '0', '.')
		for i := 0; i < -exp-1; i++ {
			b = append(b, '0')
		}
		return append(b, digits...)
	}
	if len(digits) <= exp+1 {
		b = append(b, digits...)
		for i := len(digits); i <= exp; i++ {
			b = append(b, '0')
		}
		return b
	}
	b = append(b, digits[:exp+1]...)
	b = append(b, '.')
	return append(b, digits[exp+1:]...)
}
