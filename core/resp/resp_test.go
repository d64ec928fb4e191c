package resp

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The expected texts are what redis-server 7.0.15 answers to ZSCORE after
// ZADD with the same score.
func TestFormatDoubleLikeRedis70(t *testing.T) {
	cases := map[float64]string{
		0:                      "0",
		math.Copysign(0, -1):   "-0",
		1.5:                    "1.5",
		3:                      "3",
		-42:                    "-42",
		0.1:                    "0.10000000000000001",
		1e20:                   "1e+20",
		4503599627370496:       "4503599627370496",
		1.0e-5:                 "1.0000000000000001e-05",
		123456.789:             "123456.789",
		math.Inf(1):            "inf",
		math.Inf(-1):           "-inf",
		1.7976931348623157e308: "1.7976931348623157e+308",
		3.14159:                "3.1415899999999999",
		-2.5e-300:              "-2.5e-300",
		12345678901234567890.0: "1.2345678901234567e+19",
		0.0001:                 "0.0001",
		9007199254740993.0:     "9007199254740992",
	}
	for f, want := range cases {
		assert.Equal(t, want, FormatDouble(f), "FormatDouble(%v)", f)
	}
	assert.Equal(t, "nan", FormatDouble(math.NaN()))
}

func TestAppendRESP2AndRESP3(t *testing.T) {
	m := MapValue([]Value{BulkString("a"), IntValue(1)})
	cases := []struct {
		v      Value
		r2, r3 string
	}{
		{NilValue(), "$-1\r\n", "_\r\n"},
		{NilArrayValue(), "*-1\r\n", "_\r\n"},
		{OK(), "+OK\r\n", "+OK\r\n"},
		{Err("ERR x\r\ny"), "-ERR x  y\r\n", "-ERR x  y\r\n"},
		{IntValue(-7), ":-7\r\n", ":-7\r\n"},
		{BulkString(""), "$0\r\n\r\n", "$0\r\n\r\n"},
		{m, "*2\r\n$1\r\na\r\n:1\r\n", "%1\r\n$1\r\na\r\n:1\r\n"},
		{SetValue([]Value{IntValue(1)}), "*1\r\n:1\r\n", "~1\r\n:1\r\n"},
		{Value{Kind: Push, Elems: []Value{BulkString("m")}}, "*1\r\n$1\r\nm\r\n", ">1\r\n$1\r\nm\r\n"},
		{DoubleValue(1.5), "$3\r\n1.5\r\n", ",1.5\r\n"},
		{Value{Kind: Bool, Int: 1}, ":1\r\n", "#t\r\n"},
		{Value{Kind: BigNum, Str: []byte("123")}, "$3\r\n123\r\n", "(123\r\n"},
		{Value{Kind: Verbatim, Str: []byte("hi")}, "$2\r\nhi\r\n", "=6\r\ntxt:hi\r\n"},
	}
	for _, c := range cases {
		assert.Equal(t, c.r2, string(Append(nil, c.v, 2)), "RESP2 %v", c.v.Kind)
		assert.Equal(t, c.r3, string(Append(nil, c.v, 3)), "RESP3 %v", c.v.Kind)
	}
}

func TestReadReplyRoundTrip(t *testing.T) {
	v := ArrayValue([]Value{BulkString("x"), IntValue(3), NilValue(),
		MapValue([]Value{BulkString("k"), DoubleValue(2.5)}), Value{Kind: Bool, Int: 1}})
	for _, proto := range []int{2, 3} {
		wire := Append(nil, v, proto)
		raw, got, err := ReadReply(bufio.NewReader(bytes.NewReader(wire)))
		require.NoError(t, err)
		assert.Equal(t, wire, raw)
		assert.Len(t, got.Elems, 5)
	}
}

func readAll(t *testing.T, input string) ([][]string, error) {
	r := NewReader(strings.NewReader(input))
	var cmds [][]string
	for {
		argv, err := r.ReadCommand()
		if err != nil {
			return cmds, err
		}
		var words []string
		for _, a := range argv {
			words = append(words, string(a))
		}
		cmds = append(cmds, words)
	}
}

func TestReaderMultibulkAndInline(t *testing.T) {
	cmds, err := readAll(t, "*2\r\n$3\r\nGET\r\n$1\r\na\r\nSET b \"c d\"\r\n*0\r\n\r\nPING\n")
	assert.Equal(t, "EOF", err.Error())
	assert.Equal(t, [][]string{{"GET", "a"}, {"SET", "b", "c d"}, nil, nil, {"PING"}}, cmds)
}

func TestReaderBinaryAndLargeBulks(t *testing.T) {
	big := strings.Repeat("x", 3<<20)
	input := "*3\r\n$3\r\nSET\r\n$3\r\n\x00\r\n\r\n$" + itoa(len(big)) + "\r\n" + big + "\r\n"
	cmds, _ := readAll(t, input)
	require.Len(t, cmds, 1)
	assert.Equal(t, "\x00\r\n", cmds[0][1])
	assert.Equal(t, big, cmds[0][2])
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestReaderProtocolErrors(t *testing.T) {
	cases := map[string]string{
		"*x\r\n":                  "invalid multibulk length",
		"*2147483648\r\n":         "invalid multibulk length",
		"*-0\r\n":                 "invalid multibulk length",
		"*+1\r\n":                 "invalid multibulk length",
		"*01\r\n":                 "invalid multibulk length",
		"*1\n$4\nPING\r\n":        "invalid multibulk length",
		"*1\r\n$04\r\n":           "invalid bulk length",
		"*1\r\n\r\n":              "expected '$', got '\r'",
		"*1\r\n$-1\r\n":           "invalid bulk length",
		"*1\r\n$999999999999\r\n": "invalid bulk length",
		"*1\r\n+OK\r\n":           "expected '$', got '+'",
		"GET \"a\r\n":             "unbalanced quotes in request",
	}
	for input, want := range cases {
		_, err := readAll(t, input)
		var pe *ProtocolError
		require.True(t, errors.As(err, &pe), "input %q gave %v", input, err)
		assert.Equal(t, want, pe.Msg, "input %q", input)
	}
}

// TestReaderManyArgsAcrossBuffers: header lines that straddle the read
// buffer's refills are parsed intact.
func TestReaderManyArgsAcrossBuffers(t *testing.T) {
	const n = 20000
	for pad := 0; pad < 8; pad++ { // every alignment of the 7-byte args
		first := strings.Repeat("D", pad)
		input := "*" + itoa(n+1) + "\r\n$" + itoa(pad) + "\r\n" + first + "\r\n" + strings.Repeat("$1\r\nk\r\n", n)
		cmds, err := readAll(t, input+"PING\r\n")
		require.ErrorIs(t, err, io.EOF)
		require.Len(t, cmds, 2)
		require.Len(t, cmds[0], n+1)
		require.Equal(t, "k", cmds[0][n])
	}
}

// TestReaderLikeRedis: the quirks of Redis' parser a client can observe.
func TestReaderLikeRedis(t *testing.T) {
	// The two bytes after a bulk are skipped unchecked; a blank inline
	// line is an empty request.
	cmds, err := readAll(t, "*1\r\n$4\r\nPINGxx\r\nPING\r\n")
	require.ErrorIs(t, err, io.EOF)
	require.Equal(t, [][]string{{"PING"}, nil, {"PING"}}, cmds)
	// A header line ends at '\r'; the byte after it is skipped.
	cmds, err = readAll(t, "*1\rx$4\rxPING\r\n")
	require.ErrorIs(t, err, io.EOF)
	require.Equal(t, [][]string{{"PING"}}, cmds)
	// A NUL byte before the line end leaves the line unterminated: with
	// little input the client has simply not finished.
	_, err = readAll(t, "*1\x00\r\n")
	require.ErrorIs(t, err, io.EOF)
	// With more than the inline limit pending, the client is refused.
	pad := strings.Repeat("x", MaxInlineSize)
	for input, want := range map[string]string{
		"*1\x00\r\n" + pad:           "too big mbulk count string",
		"*1\r\n$1\x00\r\n" + pad:     "too big bulk count string",
		"PI\x00NG\r\nPING\r\n" + pad: "too big inline request",
	} {
		_, err = readAll(t, input)
		var pe *ProtocolError
		require.True(t, errors.As(err, &pe), "input %q gave %v", input[:12], err)
		require.Equal(t, want, pe.Msg)
	}
}

func TestUnauthenticatedLimits(t *testing.T) {
	r := NewReader(strings.NewReader("*11\r\n"))
	r.Unauthenticated = true
	_, err := r.ReadCommand()
	assert.EqualError(t, err, "Protocol error: unauthenticated multibulk length")
	r = NewReader(strings.NewReader("*1\r\n$20000\r\n"))
	r.Unauthenticated = true
	_, err = r.ReadCommand()
	assert.EqualError(t, err, "Protocol error: unauthenticated bulk length")
}

func TestSplitArgs(t *testing.T) {
	got, err := SplitArgs([]byte(`set "a\x41\n" 'it\'s' "" x`))
	require.NoError(t, err)
	assert.Equal(t, [][]byte{[]byte("set"), []byte("aA\n"), []byte("it's"), {}, []byte("x")}, got)
	for _, bad := range []string{`"abc`, `'abc`, `"a"b`, `'a'b`} {
		_, err := SplitArgs([]byte(bad))
		assert.Error(t, err, bad)
	}
}

// FuzzReader: no input may panic the request parser or make it allocate
// what the input does not contain.
func FuzzReader(f *testing.F) {
	for _, s := range []string{"*1\r\n$4\r\nPING\r\n", "PING\r\n", "*-1\r\n", "*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\nb\r\n",
		"\"unbalanced\r\n", "*1\r\n$600000000\r\n", "*2\r\n$1\r\na", "$$$$\r\n", "*1\r\n$3\r\nabcd\r\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		// The same bytes read whole and one byte per read must parse the
		// same: a parser that keeps a slice of its read buffer across a
		// refill fails this at once.
		whole := parseTrace(NewReader(bytes.NewReader(data)))
		trickle := parseTrace(NewReader(iotest.OneByteReader(bytes.NewReader(data))))
		if whole != trickle {
			t.Fatalf("%q parsed differently when trickled:\n%s\n%s", data, whole, trickle)
		}
	})
}

// parseTrace reads up to 100 requests and renders them and the final error.
func parseTrace(r *Reader) string {
	var sb strings.Builder
	for i := 0; i < 100; i++ {
		argv, err := r.ReadCommand()
		if err != nil {
			fmt.Fprintf(&sb, "error %v", err)
			break
		}
		fmt.Fprintf(&sb, "%q\n", argv)
	}
	return sb.String()
}

// FuzzSplitArgs checks the inline splitter never panics.
func FuzzSplitArgs(f *testing.F) {
	for _, s := range []string{`a "b c" 'd'`, `"\x4`, `'\'`, `""`, "\"a\\\"\""} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { _, _ = SplitArgs(data) })
}
