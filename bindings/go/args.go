package redlite

import (
	"encoding"
	"fmt"
	"math"
	"strconv"
	"time"
)

// argv builds a command's arguments. Typed methods know their shape, so most
// build it in one allocation; values of type any go through appendValue,
// which converts them the way go-redis does.
type argv [][]byte

func newArgv(name string, capacity int) argv {
	a := make(argv, 1, capacity+1)
	a[0] = []byte(name)
	return a
}

func (a argv) s(xs ...string) argv {
	for _, x := range xs {
		a = append(a, []byte(x))
	}
	return a
}

func (a argv) i(n int64) argv { return append(a, strconv.AppendInt(nil, n, 10)) }

func (a argv) f(x float64) argv { return append(a, formatFloat(x)) }

// formatFloat renders scores and increments the way Redis parses them: the
// shortest text that reads back as x, and inf/-inf spelled out.
func formatFloat(x float64) []byte {
	switch {
	case math.IsInf(x, 1):
		return []byte("+inf")
	case math.IsInf(x, -1):
		return []byte("-inf")
	}
	return strconv.AppendFloat(nil, x, 'g', -1, 64)
}

// secs renders a duration as seconds with a fraction, as blocking commands
// take their timeout.
func (a argv) secs(d time.Duration) argv {
	return append(a, strconv.AppendFloat(nil, d.Seconds(), 'f', -1, 64))
}

// v appends values of any supported type; the first unsupported one makes
// the call fail before anything runs.
func (a argv) v(vals ...any) (argv, error) {
	for _, x := range vals {
		b, err := valueBytes(x)
		if err != nil {
			return nil, err
		}
		a = append(a, b)
	}
	return a, nil
}

// valueBytes converts a Go value to the bytes a command receives, with
// go-redis' rules so code moves between the two unchanged: strings and
// []byte as they are, numbers in decimal, bool as 1 or 0, time.Time in
// RFC 3339 with nanoseconds, time.Duration in nanoseconds, and anything
// implementing encoding.BinaryMarshaler through MarshalBinary. nil is the
// empty string.
func valueBytes(x any) ([]byte, error) {
	switch v := x.(type) {
	case string:
		return []byte(v), nil
	case []byte:
		return v, nil
	case nil:
		return []byte{}, nil
	case int:
		return strconv.AppendInt(nil, int64(v), 10), nil
	case int8:
		return strconv.AppendInt(nil, int64(v), 10), nil
	case int16:
		return strconv.AppendInt(nil, int64(v), 10), nil
	case int32:
		return strconv.AppendInt(nil, int64(v), 10), nil
	case int64:
		return strconv.AppendInt(nil, v, 10), nil
	case uint:
		return strconv.AppendUint(nil, uint64(v), 10), nil
	case uint8:
		return strconv.AppendUint(nil, uint64(v), 10), nil
	case uint16:
		return strconv.AppendUint(nil, uint64(v), 10), nil
	case uint32:
		return strconv.AppendUint(nil, uint64(v), 10), nil
	case uint64:
		return strconv.AppendUint(nil, v, 10), nil
	case float32:
		return strconv.AppendFloat(nil, float64(v), 'f', -1, 32), nil
	case float64:
		return strconv.AppendFloat(nil, v, 'f', -1, 64), nil
	case bool:
		if v {
			return []byte("1"), nil
		}
		return []byte("0"), nil
	case time.Time:
		return v.AppendFormat(nil, time.RFC3339Nano), nil
	case time.Duration:
		return strconv.AppendInt(nil, v.Nanoseconds(), 10), nil
	case encoding.BinaryMarshaler:
		return v.MarshalBinary()
	}
	return nil, fmt.Errorf("redlite: can't marshal %T (implement encoding.BinaryMarshaler)", x)
}

// pairs appends field/value pairs given as go-redis accepts them: a flat
// list ("f1", "v1", "f2", "v2"), a []string of pairs, or maps.
func (a argv) pairs(vals []any) (argv, error) {
	if len(vals) == 1 {
		switch m := vals[0].(type) {
		case map[string]any:
			for k, v := range m {
				b, err := valueBytes(v)
				if err != nil {
					return nil, err
				}
				a = append(a, []byte(k), b)
			}
			return a, nil
		case map[string]string:
			for k, v := range m {
				a = append(a, []byte(k), []byte(v))
			}
			return a, nil
		case []string:
			if len(m)%2 != 0 {
				return nil, errOddPairs
			}
			return a.s(m...), nil
		case []any:
			vals = m
		}
	}
	if len(vals)%2 != 0 {
		return nil, errOddPairs
	}
	return a.v(vals...)
}

var errOddPairs = fmt.Errorf("redlite: field/value arguments must come in pairs")

// vs appends values, expanding []string and []any arguments into their
// elements as go-redis does (SAdd(ctx, key, []string{"a", "b"}) adds two
// members).
func (a argv) vs(vals []any) (argv, error) {
	for _, x := range vals {
		var err error
		switch v := x.(type) {
		case []string:
			a = a.s(v...)
		case []any:
			a, err = a.v(v...)
		default:
			a, err = a.v(x)
		}
		if err != nil {
			return nil, err
		}
	}
	return a, nil
}
