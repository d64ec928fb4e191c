package vectors

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strconv"
)

// ReadReply reads one RESP2/RESP3 reply as a typed tree. Unlike
// resp.ReadReply it keeps the text of doubles and the format of verbatim
// strings, which the vectors record as Redis sent them.
func ReadReply(br *bufio.Reader) (Reply, error) {
	l, err := br.ReadSlice('\n')
	if err != nil {
		return Reply{}, err
	}
	if len(l) < 3 || l[len(l)-2] != '\r' {
		return Reply{}, fmt.Errorf("resp: bad line %q", l)
	}
	// l points into br's buffer, which the reads below overwrite.
	typ, body := l[0], string(l[1:len(l)-2])
	switch typ {
	case '+':
		return Reply{Kind: KindStatus, Str: []byte(body)}, nil
	case '-':
		return Reply{Kind: KindError, Str: []byte(body)}, nil
	case ':':
		n, err := strconv.ParseInt(body, 10, 64)
		return Reply{Kind: KindInt, Int: n}, err
	case '_':
		return Reply{Kind: KindNil}, nil
	case '#':
		if body != "t" && body != "f" {
			return Reply{}, fmt.Errorf("resp: bad boolean %q", body)
		}
		return Reply{Kind: KindBool, Bool: body == "t"}, nil
	case ',':
		return Reply{Kind: KindDouble, Str: []byte(body)}, nil
	case '(':
		return Reply{Kind: KindBigNum, Str: []byte(body)}, nil
	case '$', '=':
		n, err := strconv.Atoi(body)
		if err != nil {
			return Reply{}, err
		}
		if n < 0 {
			if typ == '$' {
				return Reply{Kind: KindNil}, nil
			}
			return Reply{}, fmt.Errorf("resp: bad verbatim length %d", n)
		}
		data := make([]byte, n+2)
		if _, err := io.ReadFull(br, data); err != nil {
			return Reply{}, err
		}
		if !bytes.HasSuffix(data, []byte("\r\n")) {
			return Reply{}, fmt.Errorf("resp: string without CRLF")
		}
		data = data[:n]
		if typ == '$' {
			return Reply{Kind: KindBulk, Str: data}, nil
		}
		if n < 4 || data[3] != ':' {
			return Reply{}, fmt.Errorf("resp: bad verbatim string %q", data)
		}
		return Reply{Kind: KindVerbatim, Format: string(data[:3]), Str: data[4:]}, nil
	case '*', '%', '~', '>':
		n, err := strconv.Atoi(body)
		if err != nil {
			return Reply{}, err
		}
		if n < 0 {
			if typ == '*' {
				return Reply{Kind: KindNilArray}, nil
			}
			return Reply{}, fmt.Errorf("resp: bad aggregate length %d", n)
		}
		kind := map[byte]string{'*': KindArray, '%': KindMap, '~': KindSet, '>': KindPush}[typ]
		count := n
		if kind == KindMap {
			count = 2 * n
		}
		r := Reply{Kind: kind, Elems: make([]Reply, count)}
		for i := range r.Elems {
			if r.Elems[i], err = ReadReply(br); err != nil {
				return Reply{}, err
			}
		}
		return r, nil
	}
	return Reply{}, fmt.Errorf("resp: unknown type byte %q", typ)
}
