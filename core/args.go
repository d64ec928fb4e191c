package core

import (
	"math"
	"math/big"
	"strconv"
	"strings"

	"github.com/redlite/redlite/core/resp"
)

// ParseInt parses an integer argument with Redis' strictness (string2ll):
// no sign other than a leading '-', no leading zeros, no spaces, no '+'.
func ParseInt(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 20 {
		return 0, false
	}
	if len(b) == 1 && b[0] == '0' {
		return 0, true
	}
	neg := false
	i := 0
	if b[0] == '-' {
		neg = true
		i = 1
		if len(b) == 1 {
			return 0, false
		}
	}
	if b[i] < '1' || b[i] > '9' {
		return 0, false
	}
	var v uint64
	for ; i < len(b); i++ {
		c := b[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		if v > (math.MaxUint64-9)/10 {
			return 0, false
		}
		v = v*10 + uint64(c-'0')
	}
	if neg {
		if v > 1<<63 {
			return 0, false
		}
		return -int64(v), true
	}
	if v > math.MaxInt64 {
		return 0, false
	}
	return int64(v), true
}

// ParseFloat parses a float argument as Redis' strtod-based parser does:
// "inf" and "-inf" are accepted, NaN, overflow, leading spaces and trailing
// garbage are not.
func ParseFloat(b []byte) (float64, bool) {
	if len(b) == 0 || isSpaceByte(b[0]) {
		return 0, false
	}
	s := string(b)
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return 0, false
		}
		if f2, ok := parseHexInt(s); ok {
			return f2, true
		}
		return 0, false
	}
	if math.IsNaN(f) || strings.ContainsRune(s, '_') {
		return 0, false
	}
	if f == 0 && hasNonZeroMantissa(s) {
		return 0, false // underflow: strtod reports ERANGE and Redis refuses it
	}
	return f, true
}

// parseHexInt accepts strtod's hex form without a binary exponent ("0x1A"),
// which Go's ParseFloat requires.
func parseHexInt(s string) (float64, bool) {
	t := strings.TrimLeft(s, "+-")
	if len(t) < 3 || (t[:2] != "0x" && t[:2] != "0X") {
		return 0, false
	}
	f, err := strconv.ParseFloat(s+"p0", 64)
	return f, err == nil
}

func hasNonZeroMantissa(s string) bool {
	for _, c := range s {
		if c == 'e' || c == 'E' || c == 'p' || c == 'P' {
			break
		}
		if c >= '1' && c <= '9' {
			return true
		}
	}
	return false
}

func isSpaceByte(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// longDouble is the precision of the x87 long double Redis uses for
// INCRBYFLOAT and HINCRBYFLOAT; big.Float reproduces its rounding.
const longDouble = 64

// parseLongDouble parses like strtold for INCRBYFLOAT: the same rules as
// ParseFloat, with 64 bits of mantissa.
func parseLongDouble(b []byte) (*big.Float, bool) {
	if _, ok := ParseFloat(b); !ok && !beyondDouble(b) {
		return nil, false
	}
	f, _, err := big.ParseFloat(strings.TrimPrefix(string(b), "+"), 0, longDouble, big.ToNearestEven)
	if err != nil {
		// inf and hex forms: fall back to the double value.
		d, ok := ParseFloat(b)
		return new(big.Float).SetPrec(longDouble).SetFloat64(d), ok
	}
	// strtold fails outside the x87 long double's range (about 1e4932,
	// down to about 3.6e-4951 for subnormals).
	if exp := f.MantExp(nil); f.Sign() != 0 && !f.IsInf() && (exp > 16384 || exp < -16444) {
		return nil, false
	}
	return f, true
}

// beyondDouble reports whether b is a well-formed number that only fails
// ParseFloat because a double cannot hold it (1e400, 1e-400): strtold may.
func beyondDouble(b []byte) bool {
	if len(b) == 0 || isSpaceByte(b[0]) || strings.ContainsRune(string(b), '_') {
		return false
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if ne, ok := err.(*strconv.NumError); ok {
		return ne.Err == strconv.ErrRange
	}
	return err == nil && f == 0 // underflow, which ParseFloat refuses
}

// formatLongDouble renders a value as Redis' INCRBYFLOAT stores it:
// "%.17Lf" with trailing zeros (and a trailing dot) removed.
func formatLongDouble(f *big.Float) string {
	s := f.Text('f', 17)
	if strings.ContainsRune(s, '.') {
		s = strings.TrimRight(s, "0")
		s = strings.TrimSuffix(s, ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}

// incrByFloat adds incr to the stored text cur (nil = absent) with long
// double precision. It returns the new text or an error reply.
func incrByFloat(cur []byte, incr []byte, notFloat resp.Value) (string, resp.Value, bool) {
	inc, ok := parseLongDouble(incr)
	if !ok {
		return "", errNotFloat, false
	}
	base := new(big.Float).SetPrec(longDouble)
	if cur != nil {
		b, ok := parseLongDouble(cur)
		if !ok {
			return "", notFloat, false
		}
		base = b
	}
	if base.IsInf() || inc.IsInf() {
		return "", resp.Err("ERR increment would produce NaN or Infinity"), false
	}
	sum := new(big.Float).SetPrec(longDouble).SetMode(big.ToNearestEven).Add(base, inc)
	// x87 long double overflows past ~1.19e4932.
	if exp := sum.MantExp(nil); exp > 16384 {
		return "", resp.Err("ERR increment would produce NaN or Infinity"), false
	}
	return formatLongDouble(sum), resp.Value{}, true
}

// argInt parses argument i as an integer or returns Redis' error reply.
func (c *Call) argInt(i int) (int64, resp.Value, bool) {
	n, ok := ParseInt(c.Args[i])
	if !ok {
		return 0, errNotInt, false
	}
	return n, resp.Value{}, true
}

// argIs reports whether argument i equals word, ignoring case.
func (c *Call) argIs(i int, word string) bool {
	return i < len(c.Args) && strings.EqualFold(string(c.Args[i]), word)
}

// eqFold compares an argument with an option name, ignoring case, without
// allocating.
func eqFold(b []byte, word string) bool {
	if len(b) != len(word) {
		return false
	}
	for i := 0; i < len(b); i++ {
		if lower(b[i]) != lower(word[i]) {
			return false
		}
	}
	return true
}
