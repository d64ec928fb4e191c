package resp

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
)

// ReadReply reads one complete reply (RESP2 or RESP3) from br, returning the
// raw bytes of the frame and its parsed value. Tests and tools use it to talk
// to servers; the server itself never parses replies.
func ReadReply(br *bufio.Reader) (raw []byte, v Value, err error) {
	var rec recorder
	v, err = rec.read(br)
	return rec.buf, v, err
}

type recorder struct{ buf []byte }

func (r *recorder) line(br *bufio.Reader) ([]byte, error) {
	l, err := br.ReadSlice('\n')
	if err != nil {
		return nil, err
	}
	r.buf = append(r.buf, l...)
	if len(l) < 2 || l[len(l)-2] != '\r' {
		return nil, fmt.Errorf("resp: line without CRLF: %q", l)
	}
	return l[:len(l)-2], nil
}

func (r *recorder) read(br *bufio.Reader) (Value, error) {
	l, err := r.line(br)
	if err != nil {
		return Value{}, err
	}
	if len(l) == 0 {
		return Value{}, fmt.Errorf("resp: empty line")
	}
	body := string(l[1:])
	switch l[0] {
	case '+':
		return Value{Kind: Status, Str: []byte(body)}, nil
	case '-':
		return Value{Kind: Error, Str: []byte(body)}, nil
	case ':':
		n, err := strconv.ParseInt(body, 10, 64)
		return Value{Kind: Int, Int: n}, err
	case '_':
		return Value{Kind: Nil}, nil
	case '#':
		return Value{Kind: Bool, Int: map[string]int64{"t": 1, "f": 0}[body]}, nil
	case ',':
		f, err := parseDoubleReply(body)
		return Value{Kind: Double, Dbl: f}, err
	case '(':
		return Value{Kind: BigNum, Str: []byte(body)}, nil
	case '$', '=':
		n, err := strconv.Atoi(body)
		if err != nil {
			return Value{}, err
		}
		if n < 0 {
			return Value{Kind: Nil}, nil
		}
		data := make([]byte, n+2)
		if _, err := io.ReadFull(br, data); err != nil {
			return Value{}, err
		}
		r.buf = append(r.buf, data...)
		if l[0] == '=' {
			return Value{Kind: Verbatim, Str: data[4:n]}, nil
		}
		return Value{Kind: Bulk, Str: data[:n]}, nil
	case '*', '%', '~', '>':
		n, err := strconv.Atoi(body)
		if err != nil {
			return Value{}, err
		}
		if n < 0 {
			return Value{Kind: NilArray}, nil
		}
		kind := map[byte]Kind{'*': Array, '%': Map, '~': Set, '>': Push}[l[0]]
		count := n
		if kind == Map {
			count = 2 * n
		}
		elems := make([]Value, count)
		for i := range elems {
			if elems[i], err = r.read(br); err != nil {
				return Value{}, err
			}
		}
		return Value{Kind: kind, Elems: elems}, nil
	}
	return Value{}, fmt.Errorf("resp: unknown type byte %q", l[0])
}

func parseDoubleReply(s string) (float64, error) {
	return strconv.ParseFloat(s, 64)
}

// EncodeCommand renders argv as a RESP multibulk request.
func EncodeCommand(argv ...[]byte) []byte {
	b := append([]byte{'*'}, strconv.Itoa(len(argv))...)
	b = append(b, '\r', '\n')
	for _, a := range argv {
		b = appendBulk(b, a)
	}
	return b
}
