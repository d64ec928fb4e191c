package core

import (
	"math"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestParseIntStrict(t *testing.T) {
	good := map[string]int64{"0": 0, "1": 1, "-1": -1, "9223372036854775807": math.MaxInt64,
		"-9223372036854775808": math.MinInt64, "123": 123}
	for s, want := range good {
		n, ok := ParseInt([]byte(s))
		assert.True(t, ok, s)
		assert.Equal(t, want, n, s)
	}
	for _, s := range []string{"", "-", "+1", " 1", "1 ", "01", "-0", "1.0", "1e3", "9223372036854775808",
		"-9223372036854775809", "99999999999999999999", "0x10", "abc"} {
		_, ok := ParseInt([]byte(s))
		assert.False(t, ok, s)
	}
}

func TestParseFloatLikeStrtod(t *testing.T) {
	good := map[string]float64{"1": 1, "1.5": 1.5, "-2.5e3": -2500, "inf": math.Inf(1), "-inf": math.Inf(-1),
		"+inf": math.Inf(1), ".5": 0.5, "5.": 5, "0x10": 16, "1e-300": 1e-300}
	for s, want := range good {
		f, ok := ParseFloat([]byte(s))
		assert.True(t, ok, s)
		assert.Equal(t, want, f, s)
	}
	for _, s := range []string{"", " 1", "1 ", "nan", "abc", "1e400", "1e-400", "1_000", "--1"} {
		_, ok := ParseFloat([]byte(s))
		assert.False(t, ok, s)
	}
}

func TestIncrByFloatLongDouble(t *testing.T) {
	cases := []struct{ cur, incr, want string }{
		{"10.50", "0.1", "10.6"}, {"5.0e3", "2.0e2", "5200"}, {"", "3", "3"}, {"1", "0.1", "1.1"},
		{"3", "1.1234567890123456789", "4.12345678901234568"},
	}
	for _, c := range cases {
		var cur []byte
		if c.cur != "" {
			cur = []byte(c.cur)
		}
		got, _, ok := incrByFloat(cur, []byte(c.incr), errNotFloat)
		assert.True(t, ok)
		assert.Equal(t, c.want, got, "%s + %s", c.cur, c.incr)
	}
}

func FuzzParseNumbers(f *testing.F) {
	for _, s := range []string{"1", "-0", "1e5", "inf", "0x1p3", "9223372036854775808"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if n, ok := ParseInt(b); ok {
			if strconv.FormatInt(n, 10) != string(b) {
				t.Fatalf("ParseInt accepted non-canonical %q", b)
			}
		}
		if f, ok := ParseFloat(b); ok && math.IsNaN(f) {
			t.Fatalf("ParseFloat accepted NaN from %q", b)
		}
	})
}
