package resp

import "strconv"

// Append encodes v for a client speaking protocol proto (2 or 3) and appends it to b.
func Append(b []byte, v Value, proto int) []byte {
	switch v.Kind {
	case Nil:
		if proto >= 3 {
			return append(b, "_\r\n"...)
		}
		return append(b, "$-1\r\n"...)
	case NilArray:
		if proto >= 3 {
			return append(b, "_\r\n"...)
		}
		return append(b, "*-1\r\n"...)
	case Status:
		b = append(b, '+')
		b = appendLine(b, v.Str)
		return append(b, '\r', '\n')
	case Error:
		b = append(b, '-')
		b = appendLine(b, v.Str)
		return append(b, '\r', '\n')
	case Int:
		b = append(b, ':')
		b = strconv.AppendInt(b, v.Int, 10)
		return append(b, '\r', '\n')
	case Bulk:
		return appendBulk(b, v.Str)
	case Array:
		return appendAggregate(b, '*', v.Elems, len(v.Elems), proto)
	case Map:
		if proto >= 3 {
			return appendAggregate(b, '%', v.Elems, len(v.Elems)/2, proto)
		}
		return appendAggregate(b, '*', v.Elems, len(v.Elems), proto)
	case Set:
		if proto >= 3 {
			return appendAggregate(b, '~', v.Elems, len(v.Elems), proto)
		}
		return appendAggregate(b, '*', v.Elems, len(v.Elems), proto)
	case Push:
		if proto >= 3 {
			return appendAggregate(b, '>', v.Elems, len(v.Elems), proto)
		}
		return appendAggregate(b, '*', v.Elems, len(v.Elems), proto)
	case Double:
		if proto >= 3 {
			b = append(b, ',')
			b = AppendDouble(b, v.Dbl)
			return append(b, '\r', '\n')
		}
		var tmp [32]byte
		return appendBulk(b, AppendDouble(tmp[:0], v.Dbl))
	case Bool:
		if proto >= 3 {
			if v.Int != 0 {
				return append(b, "#t\r\n"...)
			}
			return append(b, "#f\r\n"...)
		}
		if v.Int != 0 {
			return append(b, ":1\r\n"...)
		}
		return append(b, ":0\r\n"...)
	case BigNum:
		if proto >= 3 {
			b = append(b, '(')
			b = append(b, v.Str...)
			return append(b, '\r', '\n')
		}
		return appendBulk(b, v.Str)
	case Verbatim:
		if proto >= 3 {
			b = append(b, '=')
			b = strconv.AppendInt(b, int64(len(v.Str)+4), 10)
			b = append(b, "\r\ntxt:"...)
			b = append(b, v.Str...)
			return append(b, '\r', '\n')
		}
		return appendBulk(b, v.Str)
	}
	return append(b, "-ERR internal: unknown reply kind\r\n"...)
}

func appendBulk(b, s []byte) []byte {
	b = append(b, '$')
	b = strconv.AppendInt(b, int64(len(s)), 10)
	b = append(b, '\r', '\n')
	b = append(b, s...)
	return append(b, '\r', '\n')
}

func appendAggregate(b []byte, marker byte, elems []Value, n int, proto int) []byte {
	b = append(b, marker)
	b = strconv.AppendInt(b, int64(n), 10)
	b = append(b, '\r', '\n')
	for i := range elems {
		b = Append(b, elems[i], proto)
	}
	return b
}

// appendLine appends a status or error text, replacing CR and LF so a
// message can never break the framing (Redis does the same).
func appendLine(b, s []byte) []byte {
	for _, c := range s {
		if c == '\r' || c == '\n' {
			c = ' '
		}
		b = append(b, c)
	}
	return b
}
