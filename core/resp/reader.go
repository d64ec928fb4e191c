package resp

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"strconv"
)

// Protocol limits, with Redis' defaults.
const (
	DefaultMaxBulk     = 512 << 20 // proto-max-bulk-len
	DefaultMaxArgs     = 1<<31 - 1 // the multibulk count Redis accepts (INT_MAX)
	MaxInlineSize      = 64 << 10  // PROTO_INLINE_MAX_SIZE
	unauthMaxArgs      = 10        // before AUTH, as Redis
	unauthMaxBulk      = 16384     // before AUTH, as Redis
	preallocBulkCutoff = 1 << 20   // larger bulks grow as data arrives, not on the length claim
)

// ProtocolError is a malformed request. The server replies with
// "ERR Protocol error: ..." and closes the connection, as Redis does.
type ProtocolError struct{ Msg string }

func (e *ProtocolError) Error() string { return "Protocol error: " + e.Msg }

// ErrQueryBufLimit is returned when a request outgrows MaxQueryBuf. Redis
// closes such a client without a reply.
var ErrQueryBufLimit = errors.New("client reached max query buffer length")

// Reader parses client requests: RESP multibulk arrays and inline commands.
type Reader struct {
	br *bufio.Reader
	// MaxBulk is the largest bulk string accepted (proto-max-bulk-len).
	MaxBulk int64
	// Unauthenticated applies Redis' tighter limits for clients that have
	// not authenticated yet on a password-protected server.
	Unauthenticated bool
	// MaxQueryBuf is client-query-buffer-limit: a request argument whose
	// bytes pending in the query buffer would exceed it ends with
	// ErrQueryBufLimit. 0 means no limit.
	MaxQueryBuf int64

	args [][]byte
	buf  []byte
	hdr  []byte // the header line being parsed
}

// NewReader reads requests from r.
func NewReader(r io.Reader) *Reader {
	return &Reader{br: bufio.NewReaderSize(r, 16<<10), MaxBulk: DefaultMaxBulk}
}

// Buffered reports how many bytes are already read and waiting: when it is
// zero a pipeline batch has ended and replies should be flushed.
func (r *Reader) Buffered() int { return r.br.Buffered() }

// WaitMore blocks until at least one byte more than Buffered is available,
// without consuming anything. It returns bufio.ErrBufferFull when the
// buffer cannot hold more, or the read error (io.EOF when the peer closed,
// a timeout after a read deadline). It lets a server notice a client that
// disconnects while its command waits, keeping any pipelined input.
func (r *Reader) WaitMore() error {
	_, err := r.br.Peek(r.br.Buffered() + 1)
	return err
}

// ReadCommand returns the next request's arguments. The slices stay valid
// only until the next call; callers that keep them (MULTI queues) copy.
// An empty request (blank inline line, "*0") yields no arguments and no error.
func (r *Reader) ReadCommand() ([][]byte, error) {
	c, err := r.br.ReadByte()
	if err != nil {
		return nil, err
	}
	if c != '*' {
		_ = r.br.UnreadByte()
		return r.readInline()
	}
	line, err := r.readHeader("too big mbulk count string")
	if err != nil {
		return nil, err
	}
	n, ok := parseLen(line)
	if !ok || n > DefaultMaxArgs {
		return nil, &ProtocolError{"invalid multibulk length"}
	}
	if n > unauthMaxArgs && r.Unauthenticated {
		return nil, &ProtocolError{"unauthenticated multibulk length"}
	}
	r.args = r.args[:0]
	r.buf = r.buf[:0]
	if n <= 0 {
		return r.args, nil
	}
	// Lengths first, then slice the shared buffer, so that growth of the
	// buffer while reading does not leave earlier args pointing at old memory.
	type span struct{ off, n int }
	var spansArr [16]span
	spans := spansArr[:0]
	var big [][]byte
	for i := int64(0); i < n; i++ {
		line, err := r.readHeader("too big bulk count string")
		if err != nil {
			return nil, err
		}
		if len(line) == 0 || line[0] != '$' {
			c := byte('\r')
			if len(line) > 0 {
				c = line[0]
			}
			return nil, &ProtocolError{"expected '$', got '" + string(rune(c)) + "'"}
		}
		line = line[1:]
		bl, ok := parseLen(line)
		if !ok || bl < 0 || bl > r.MaxBulk {
			return nil, &ProtocolError{"invalid bulk length"}
		}
		if bl > unauthMaxBulk && r.Unauthenticated {
			return nil, &ProtocolError{"unauthenticated bulk length"}
		}
		if r.MaxQueryBuf > 0 && bl+2 > r.MaxQueryBuf {
			// Redis holds a big argument whole in the query buffer, with
			// its CRLF, and drops the client once the buffer passes the
			// limit: that is, once the limit's worth of it has arrived.
			if _, err := io.CopyN(io.Discard, r.br, r.MaxQueryBuf+1); err != nil {
				return nil, err
			}
			return nil, ErrQueryBufLimit
		}
		if bl >= preallocBulkCutoff {
			data, err := r.readLarge(bl)
			if err != nil {
				return nil, err
			}
			spans = append(spans, span{-1, len(big)})
			big = append(big, data)
			continue
		}
		off := len(r.buf)
		need := off + int(bl) + 2
		if cap(r.buf) < need {
			nb := make([]byte, off, need*2)
			copy(nb, r.buf)
			r.buf = nb
		}
		r.buf = r.buf[:need]
		// The two bytes after a bulk are its CRLF; like Redis, skip them
		// without looking at them.
		if _, err := io.ReadFull(r.br, r.buf[off:need]); err != nil {
			return nil, err
		}
		spans = append(spans, span{off, int(bl)})
	}
	for _, s := range spans {
		if s.off < 0 {
			r.args = append(r.args, big[s.n])
			continue
		}
		r.args = append(r.args, r.buf[s.off:s.off+s.n:s.off+s.n])
	}
	return r.args, nil
}

// readLarge reads a bulk of n bytes and the two bytes after it, growing the buffer as data
// arrives so a client cannot make the server allocate 512 MB by claiming it.
func (r *Reader) readLarge(n int64) ([]byte, error) {
	data := make([]byte, 0, preallocBulkCutoff)
	for int64(len(data)) < n {
		chunk := n - int64(len(data))
		if chunk > 1<<20 {
			chunk = 1 << 20
		}
		start := len(data)
		data = append(data, make([]byte, chunk)...)
		if _, err := io.ReadFull(r.br, data[start:]); err != nil {
			return nil, err
		}
	}
	var crlf [2]byte
	if _, err := io.ReadFull(r.br, crlf[:]); err != nil {
		return nil, err
	}
	return data, nil
}

// readHeader reads a multibulk header line ("*3", "$5") as Redis does: up
// to the first '\r', then skips the byte after it (the '\n', unchecked).
func (r *Reader) readHeader(tooBig string) ([]byte, error) {
	line, err := r.readUntil('\r', tooBig)
	if err != nil {
		return nil, err
	}
	// line may point into the bufio buffer, which the next read reuses.
	r.hdr = append(r.hdr[:0], line...)
	if _, err := r.br.ReadByte(); err != nil {
		return nil, err
	}
	return r.hdr, nil
}

// readUntil returns the bytes up to delim, without it. Like Redis, it
// refuses with tooBig as soon as more than MaxInlineSize bytes are pending
// without a line end, rather than wait for one. Redis finds the line end
// with a C string search, which stops at a NUL byte: a line holding a NUL
// never ends there, so here it is never accepted either.
func (r *Reader) readUntil(delim byte, tooBig string) ([]byte, error) {
	line, err := r.br.ReadSlice(delim)
	if err == bufio.ErrBufferFull {
		acc := append([]byte(nil), line...)
		for err == bufio.ErrBufferFull {
			if len(acc) >= MaxInlineSize {
				if next, perr := r.br.Peek(1); perr != nil || next[0] != delim {
					return nil, &ProtocolError{tooBig}
				}
			}
			line, err = r.br.ReadSlice(delim)
			acc = append(acc, line...)
		}
		line = acc
	}
	if err != nil {
		return nil, err
	}
	if len(line) > MaxInlineSize {
		return nil, &ProtocolError{tooBig}
	}
	if bytes.IndexByte(line, 0) >= 0 {
		// Unterminated for Redis: drop input until the limit is passed
		// (the client gets tooBig) or the client leaves.
		if _, err := io.CopyN(io.Discard, r.br, int64(MaxInlineSize+1-len(line))); err != nil {
			return nil, err
		}
		return nil, &ProtocolError{tooBig}
	}
	return line[:len(line)-1], nil
}

func (r *Reader) readInline() ([][]byte, error) {
	line, err := r.readUntil('\n', "too big inline request")
	if err != nil {
		return nil, err
	}
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	words, err := SplitArgs(line)
	if err != nil {
		return nil, &ProtocolError{"unbalanced quotes in request"}
	}
	return words, nil
}

// parseLen reads a length as Redis' string2ll does: an optional '-', then
// digits without a leading zero ("0" alone), within int64. "+1", "01" and
// "-0" are refused.
func parseLen(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 20 {
		return 0, false
	}
	d := b
	if d[0] == '-' {
		d = d[1:]
	}
	if len(d) == 0 || (d[0] == '0' && len(b) > 1) {
		return 0, false
	}
	for _, c := range d {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(string(b), 10, 64)
	return n, err == nil
}

var errUnbalanced = errors.New("unbalanced quotes")

// SplitArgs splits an inline command line the way redis-cli and Redis'
// sdssplitargs do: spaces separate words, "double quotes" allow \n \r \t \b
// \a \\ \" and \xHH escapes, 'single quotes' allow only \'. A closing quote
// must be followed by a space or the end of the line.
func SplitArgs(line []byte) ([][]byte, error) {
	var out [][]byte
	i := 0
	for {
		for i < len(line) && isSpace(line[i]) {
			i++
		}
		if i >= len(line) {
			return out, nil
		}
		var cur []byte
		inDQ, inSQ, done := false, false, false
		for !done {
			if i >= len(line) {
				if inDQ || inSQ {
					return nil, errUnbalanced
				}
				break
			}
			c := line[i]
			switch {
			case inDQ:
				if c == '\\' && i+3 < len(line) && line[i+1] == 'x' && isHex(line[i+2]) && isHex(line[i+3]) {
					cur = append(cur, hexVal(line[i+2])<<4|hexVal(line[i+3]))
					i += 3
				} else if c == '\\' && i+1 < len(line) {
					i++
					switch line[i] {
					case 'n':
						cur = append(cur, '\n')
					case 'r':
						cur = append(cur, '\r')
					case 't':
						cur = append(cur, '\t')
					case 'b':
						cur = append(cur, '\b')
					case 'a':
						cur = append(cur, '\a')
					default:
						cur = append(cur, line[i])
					}
				} else if c == '"' {
					if i+1 < len(line) && !isSpace(line[i+1]) {
						return nil, errUnbalanced
					}
					done = true
				} else {
					cur = append(cur, c)
				}
			case inSQ:
				if c == '\\' && i+1 < len(line) && line[i+1] == '\'' {
					i++
					cur = append(cur, '\'')
				} else if c == '\'' {
					if i+1 < len(line) && !isSpace(line[i+1]) {
						return nil, errUnbalanced
					}
					done = true
				} else {
					cur = append(cur, c)
				}
			default:
				switch c {
				case ' ', '\n', '\r', '\t', 0:
					done = true
				case '"':
					inDQ = true
				case '\'':
					inSQ = true
				default:
					cur = append(cur, c)
				}
			}
			i++
		}
		if cur == nil {
			cur = []byte{}
		}
		out = append(out, cur)
	}
}

func isSpace(c byte) bool { return bytes.IndexByte([]byte(" \n\r\t\v\f"), c) >= 0 }

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

func hexVal(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}
