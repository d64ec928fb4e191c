package redlite

import (
	"fmt"
	"math/big"
	"strconv"

	"github.com/redlite/redlite/core/resp"
)

// Decoders turn a command's reply into the Go value a typed method returns.
// Each takes the (reply, error) pair a command run produces, so a method is
// one line: return toString(c.run(ctx, a)). Sessions speak RESP3, so maps,
// doubles and booleans arrive typed; decoders accept the RESP2 shapes too.

func unexpected(v resp.Value) error {
	return fmt.Errorf("redlite: unexpected %s reply", v.Kind)
}

func isNil(v resp.Value) bool { return v.Kind == resp.Nil || v.Kind == resp.NilArray }

// toAny decodes any reply the way go-redis' Do does: strings for bulk and
// status replies, int64, float64, bool, *big.Int, []any for arrays and sets,
// map[any]any for maps; an error inside an array (EXEC) stays an error value.
func toAny(v resp.Value) any {
	switch v.Kind {
	case resp.Nil, resp.NilArray:
		return nil
	case resp.Status, resp.Bulk, resp.Verbatim:
		return string(v.Str)
	case resp.Error:
		return replyError(string(v.Str))
	case resp.Int:
		return v.Int
	case resp.Double:
		return v.Dbl
	case resp.Bool:
		return v.Int != 0
	case resp.BigNum:
		n, ok := new(big.Int).SetString(string(v.Str), 10)
		if !ok {
			return string(v.Str)
		}
		return n
	case resp.Map:
		m := make(map[any]any, len(v.Elems)/2)
		for i := 0; i+1 < len(v.Elems); i += 2 {
			k := toAny(v.Elems[i])
			if !hashable(k) {
				k = fmt.Sprint(k)
			}
			m[k] = toAny(v.Elems[i+1])
		}
		return m
	}
	out := make([]any, len(v.Elems))
	for i, e := range v.Elems {
		out[i] = toAny(e)
	}
	return out
}

// hashable reports whether k can be a map key (an array as a map key, which
// no command sends, would panic).
func hashable(k any) bool {
	switch k.(type) {
	case []any, map[any]any:
		return false
	}
	return true
}

func toString(v resp.Value, err error) (string, error) {
	if err != nil {
		return "", err
	}
	switch v.Kind {
	case resp.Bulk, resp.Status, resp.Verbatim, resp.BigNum:
		return string(v.Str), nil
	case resp.Nil, resp.NilArray:
		return "", Nil
	case resp.Int:
		return strconv.FormatInt(v.Int, 10), nil
	case resp.Double:
		return resp.FormatDouble(v.Dbl), nil
	}
	return "", unexpected(v)
}

func toBytes(v resp.Value, err error) ([]byte, error) {
	if err != nil {
		return nil, err
	}
	switch v.Kind {
	case resp.Bulk, resp.Status, resp.Verbatim:
		if v.Str == nil {
			return []byte{}, nil
		}
		return v.Str, nil
	case resp.Nil, resp.NilArray:
		return nil, Nil
	}
	return nil, unexpected(v)
}

func toInt(v resp.Value, err error) (int64, error) {
	if err != nil {
		return 0, err
	}
	switch v.Kind {
	case resp.Int, resp.Bool:
		return v.Int, nil
	case resp.Nil, resp.NilArray:
		return 0, Nil
	case resp.Bulk, resp.Status:
		return strconv.ParseInt(string(v.Str), 10, 64)
	}
	return 0, unexpected(v)
}

func toFloat(v resp.Value, err error) (float64, error) {
	if err != nil {
		return 0, err
	}
	return floatOf(v)
}

func floatOf(v resp.Value) (float64, error) {
	switch v.Kind {
	case resp.Double:
		return v.Dbl, nil
	case resp.Int:
		return float64(v.Int), nil
	case resp.Bulk, resp.Status:
		return parseFloat(v.Str)
	case resp.Nil, resp.NilArray:
		return 0, Nil
	}
	return 0, unexpected(v)
}

// parseFloat reads a float as Redis prints it ("inf", "-inf" included).
func parseFloat(b []byte) (float64, error) {
	return strconv.ParseFloat(string(b), 64)
}

// toBool reads 1/0 replies, RESP3 booleans and +OK.
func toBool(v resp.Value, err error) (bool, error) {
	if err != nil {
		return false, err
	}
	switch v.Kind {
	case resp.Int, resp.Bool:
		return v.Int != 0, nil
	case resp.Status:
		return string(v.Str) == "OK", nil
	case resp.Nil, resp.NilArray:
		return false, nil
	}
	return false, unexpected(v)
}

// toStatus is for commands answering +OK: only the error matters.
func toStatus(v resp.Value, err error) error {
	if err != nil {
		return err
	}
	if isNil(v) {
		return Nil
	}
	return nil
}

// toStrings reads an array of strings; a nil element becomes "" (as in
// go-redis' StringSliceCmd) and a nil array is Nil.
func toStrings(v resp.Value, err error) ([]string, error) {
	if err != nil {
		return nil, err
	}
	if isNil(v) {
		return nil, Nil
	}
	return stringsOf(v)
}

func stringsOf(v resp.Value) ([]string, error) {
	switch v.Kind {
	case resp.Array, resp.Set, resp.Push:
	default:
		return nil, unexpected(v)
	}
	out := make([]string, len(v.Elems))
	for i, e := range v.Elems {
		if e.Kind == resp.Int {
			out[i] = strconv.FormatInt(e.Int, 10)
			continue
		}
		out[i] = string(e.Str)
	}
	return out, nil
}

// toInts reads an array of integers.
func toInts(v resp.Value, err error) ([]int64, error) {
	if err != nil {
		return nil, err
	}
	if isNil(v) {
		return nil, Nil
	}
	out := make([]int64, len(v.Elems))
	for i, e := range v.Elems {
		if n, err := toInt(e, nil); err == nil {
			out[i] = n
		} else if err != Nil {
			return nil, err
		}
	}
	return out, nil
}

// toBools reads an array of 1/0 integers.
func toBools(v resp.Value, err error) ([]bool, error) {
	ns, err := toInts(v, err)
	if err != nil {
		return nil, err
	}
	out := make([]bool, len(ns))
	for i, n := range ns {
		out[i] = n != 0
	}
	return out, nil
}

// toAnys reads an array whose missing elements are nil (MGET, HMGET).
func toAnys(v resp.Value, err error) ([]any, error) {
	if err != nil {
		return nil, err
	}
	if isNil(v) {
		return nil, Nil
	}
	out := make([]any, len(v.Elems))
	for i, e := range v.Elems {
		out[i] = toAny(e)
	}
	return out, nil
}

// toStringMap reads a map reply, or a flat array of pairs.
func toStringMap(v resp.Value, err error) (map[string]string, error) {
	if err != nil {
		return nil, err
	}
	switch v.Kind {
	case resp.Map, resp.Array:
	case resp.Nil, resp.NilArray:
		return nil, Nil
	default:
		return nil, unexpected(v)
	}
	m := make(map[string]string, len(v.Elems)/2)
	for i := 0; i+1 < len(v.Elems); i += 2 {
		m[string(v.Elems[i].Str)] = string(v.Elems[i+1].Str)
	}
	return m, nil
}

// pairsOf returns the elements of a reply holding pairs, flat (RESP2, or a
// RESP3 map) or as two-element arrays (RESP3 WITHSCORES), as one flat list.
func pairsOf(v resp.Value) []resp.Value {
	if len(v.Elems) == 0 || v.Elems[0].Kind != resp.Array {
		return v.Elems
	}
	flat := make([]resp.Value, 0, 2*len(v.Elems))
	for _, p := range v.Elems {
		flat = append(flat, p.Elems...)
	}
	return flat
}

// toKeyValues reads pairs as key/value strings ([]string {k, v, k, v}).
func toKeyValues(v resp.Value, err error) ([]KeyValue, error) {
	if err != nil {
		return nil, err
	}
	if isNil(v) {
		return nil, Nil
	}
	flat := pairsOf(v)
	out := make([]KeyValue, 0, len(flat)/2)
	for i := 0; i+1 < len(flat); i += 2 {
		out = append(out, KeyValue{Key: string(flat[i].Str), Value: string(flat[i+1].Str)})
	}
	return out, nil
}

// KeyValue is a field and its value, in reply order (HRANDFIELD WITHVALUES).
type KeyValue struct {
	Key   string
	Value string
}
