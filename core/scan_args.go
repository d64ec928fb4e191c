package core

import "github.com/redlite/redlite/core/resp"

// parseScanCursor reads a cursor as Redis does (strtoul with its checks): an
// optional sign, decimal digits, nothing else; the empty string is 0 and a
// leading '-' wraps around. ok is false for anything else or on overflow.
func parseScanCursor(b []byte) (cursor uint64, ok bool) {
	if len(b) == 0 {
		return 0, true
	}
	neg := b[0] == '-'
	if b[0] == '+' || b[0] == '-' {
		b = b[1:]
	}
	if len(b) == 0 {
		return 0, false
	}
	for _, ch := range b {
		if ch < '0' || ch > '9' {
			return 0, false
		}
		d := uint64(ch - '0')
		if cursor > (1<<64-1-d)/10 {
			return 0, false
		}
		cursor = cursor*10 + d
	}
	if neg {
		cursor = -cursor
	}
	return cursor, true
}

// scanOptions are SCAN's (and the collection SCANs') MATCH COUNT TYPE.
type scanOptions struct {
	count   int64
	pattern []byte // nil matches everything
	typ     []byte // nil: any type
}

// parseScanOptions parses the options from argv (the arguments after the
// cursor). withType accepts TYPE, which only SCAN has.
func parseScanOptions(argv [][]byte, withType bool) (scanOptions, resp.Value, bool) {
	o := scanOptions{count: 10}
	for i := 0; i < len(argv); i += 2 {
		a := argv[i]
		if i+1 >= len(argv) {
			return o, errSyntax, false
		}
		v := argv[i+1]
		switch {
		case eqFold(a, "COUNT"):
			n, ok := ParseInt(v)
			if !ok {
				return o, errNotInt, false
			}
			if n < 1 {
				return o, errSyntax, false
			}
			o.count = n
		case eqFold(a, "MATCH"):
			o.pattern = v
			if len(v) == 1 && v[0] == '*' {
				o.pattern = nil
			}
		case eqFold(a, "TYPE") && withType:
			o.typ = v
		default:
			return o, errSyntax, false
		}
	}
	return o, resp.Value{}, true
}
