// Package vectors is the format of the shared test vectors in tests/vectors:
// for every differential script of tests/diff, the replies a real
// redis-server gave to each of its commands, as typed trees. cmd/genvectors
// writes them (`make vectors`); replay_test.go replays them through
// core.Session.Do, and the C, Python and Node bindings through their generic
// command paths. tests/vectors/README.md describes the format for the
// runners.
package vectors

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strconv"
	"unicode/utf8"

	"github.com/redlite/redlite/core/internal/diffscript"
)

// Step operations.
const (
	OpCommand = "command" // send argv, read its reply
	OpSend    = "send"    // send argv, read nothing yet (a blocking command)
	OpRecv    = "recv"    // read the next reply of the connection
	OpSleep   = "sleep"   // wait Ms milliseconds
)

// Comparisons (the script's directives).
const (
	CompareExact     = "exact"     // the whole tree
	CompareSort      = "sort"      // aggregates as multisets, at every level
	CompareSortPairs = "sortpairs" // the top level as a multiset of pairs
	CompareType      = "type"      // the shape only
	CompareNone      = "none"      // !skip: run, compare nothing
)

// File is one script's vectors.
type File struct {
	Script   string   `json:"script"`             // the script's file name in tests/diff
	Redis    string   `json:"redis"`              // the redis-server version that answered
	Requires []string `json:"requires,omitempty"` // the script's !requires commands
	Steps    []Step   `json:"steps"`
}

// Step is one line of the script.
type Step struct {
	Line    int     `json:"line"`
	Op      string  `json:"op"`
	Conn    string  `json:"conn,omitempty"`    // command, send, recv: the connection (!conn N; "0" first)
	Argv    []Bytes `json:"argv,omitempty"`    // command, send
	Ms      int     `json:"ms,omitempty"`      // sleep
	Compare string  `json:"compare,omitempty"` // command, recv
	Resp    int     `json:"resp,omitempty"`    // 3 when the connection speaks RESP3 (after HELLO 3); absent for RESP2
	Reply   *Reply  `json:"reply,omitempty"`   // exact, sort, sortpairs: the expected reply
	Shape   *Shape  `json:"shape,omitempty"`   // type: the expected shape
}

// Skeleton is a script's steps without replies: what the vectors must
// hold for the script as it is now.
func Skeleton(lines []diffscript.Line) ([]Step, error) {
	var out []Step
	conn := "0"
	for _, l := range lines {
		s := Step{Line: l.No}
		switch l.Directive {
		case "requires":
			continue
		case "conn":
			if l.Arg == "" {
				return nil, fmt.Errorf("line %d: !conn needs a name", l.No)
			}
			conn = l.Arg
			continue
		case "sleep":
			ms, err := strconv.Atoi(l.Arg)
			if err != nil || ms < 0 {
				return nil, fmt.Errorf("line %d: bad !sleep %q", l.No, l.Arg)
			}
			s.Op, s.Ms = OpSleep, ms
		case "send":
			s.Op, s.Conn = OpSend, conn
		case "recv":
			s.Op, s.Conn, s.Compare = OpRecv, conn, CompareExact
		case "":
			s.Op, s.Conn, s.Compare = OpCommand, conn, CompareExact
		case "sort", "sortpairs", "type":
			s.Op, s.Conn, s.Compare = OpCommand, conn, l.Directive
		case "skip":
			s.Op, s.Conn, s.Compare = OpCommand, conn, CompareNone
		default:
			return nil, fmt.Errorf("line %d: unknown directive %q", l.No, l.Directive)
		}
		for _, a := range l.Argv {
			s.Argv = append(s.Argv, Bytes(a))
		}
		out = append(out, s)
	}
	return out, nil
}

// Bytes is a binary-safe string: in JSON a string when it is valid UTF-8,
// else {"b64": "<base64>"}.
type Bytes []byte

// MarshalJSON implements json.Marshaler.
func (b Bytes) MarshalJSON() ([]byte, error) {
	if utf8.Valid(b) {
		return marshalString(string(b)), nil
	}
	return []byte(`{"b64":"` + base64.StdEncoding.EncodeToString(b) + `"}`), nil
}

// UnmarshalJSON implements json.Unmarshaler.
func (b *Bytes) UnmarshalJSON(data []byte) error {
	if len(data) > 0 && data[0] == '{' {
		var o struct {
			B64 *string `json:"b64"`
		}
		if err := json.Unmarshal(data, &o); err != nil || o.B64 == nil {
			return fmt.Errorf("vectors: bad binary string %s", data)
		}
		d, err := base64.StdEncoding.DecodeString(*o.B64)
		*b = d
		return err
	}
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return err
	}
	*b = Bytes(s)
	return nil
}

// marshalString is a JSON string without HTML escaping (<, >, & stay as
// they are, so the files read like the scripts).
func marshalString(s string) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return bytes.TrimRight(buf.Bytes(), "\n")
}

// Reply kinds, the RESP2/RESP3 types as they came off the wire.
const (
	KindStatus   = "status"    // +OK
	KindError    = "error"     // -ERR ...
	KindInt      = "int"       // :1
	KindBulk     = "bulk"      // $3 foo
	KindNil      = "nil"       // $-1 (RESP2), _ (RESP3)
	KindNilArray = "nil-array" // *-1 (RESP2)
	KindArray    = "array"     // *n
	KindMap      = "map"       // %n: elems are key, value, key, value...
	KindSet      = "set"       // ~n
	KindPush     = "push"      // >n
	KindDouble   = "double"    // ,1.5: str is the text Redis sent
	KindBool     = "bool"      // #t / #f
	KindBigNum   = "bignum"    // (123: str holds the digits
	KindVerbatim = "verbatim"  // =n txt:...: format "txt", str the text after it
)

// Reply is a reply as a typed tree.
type Reply struct {
	Kind   string
	Str    []byte  // status, error, bulk, double, bignum, verbatim
	Int    int64   // int
	Bool   bool    // bool
	Format string  // verbatim
	Elems  []Reply // array, map, set, push
}

// IsAggregate reports whether the kind has elements.
func IsAggregate(kind string) bool {
	switch kind {
	case KindArray, KindMap, KindSet, KindPush:
		return true
	}
	return false
}

func hasStr(kind string) bool {
	switch kind {
	case KindStatus, KindError, KindBulk, KindDouble, KindBigNum, KindVerbatim:
		return true
	}
	return false
}

// MarshalJSON implements json.Marshaler: {"kind": ..., then the fields of
// the kind}. Strings are "str" (valid UTF-8) or "b64".
func (r Reply) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(`{"kind":`)
	b.Write(marshalString(r.Kind))
	switch {
	case r.Kind == KindInt:
		b.WriteString(`,"int":` + strconv.FormatInt(r.Int, 10))
	case r.Kind == KindBool:
		b.WriteString(`,"bool":` + strconv.FormatBool(r.Bool))
	case IsAggregate(r.Kind):
		b.WriteString(`,"elems":[`)
		for i, e := range r.Elems {
			if i > 0 {
				b.WriteByte(',')
			}
			d, err := e.MarshalJSON()
			if err != nil {
				return nil, err
			}
			b.Write(d)
		}
		b.WriteByte(']')
	case hasStr(r.Kind):
		if r.Kind == KindVerbatim {
			b.WriteString(`,"format":`)
			b.Write(marshalString(r.Format))
		}
		if utf8.Valid(r.Str) {
			b.WriteString(`,"str":`)
			b.Write(marshalString(string(r.Str)))
		} else {
			b.WriteString(`,"b64":"` + base64.StdEncoding.EncodeToString(r.Str) + `"`)
		}
	case r.Kind == KindNil, r.Kind == KindNilArray:
	default:
		return nil, fmt.Errorf("vectors: unknown reply kind %q", r.Kind)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// UnmarshalJSON implements json.Unmarshaler.
func (r *Reply) UnmarshalJSON(data []byte) error {
	var o struct {
		Kind   string  `json:"kind"`
		Str    *string `json:"str"`
		B64    *string `json:"b64"`
		Int    int64   `json:"int"`
		Bool   bool    `json:"bool"`
		Format string  `json:"format"`
		Elems  []Reply `json:"elems"`
	}
	if err := json.Unmarshal(data, &o); err != nil {
		return err
	}
	*r = Reply{Kind: o.Kind, Int: o.Int, Bool: o.Bool, Format: o.Format, Elems: o.Elems}
	switch {
	case o.Str != nil:
		r.Str = []byte(*o.Str)
	case o.B64 != nil:
		d, err := base64.StdEncoding.DecodeString(*o.B64)
		if err != nil {
			return err
		}
		r.Str = d
	}
	return nil
}

// Shape is what !type compares: the kind, the number of elements of an
// aggregate (a map's counts keys and values), the code of an error.
type Shape struct {
	Kind string `json:"kind"`
	Len  *int   `json:"len,omitempty"`
	Code string `json:"code,omitempty"`
}

// ShapeOf is the shape of a reply.
func ShapeOf(r Reply) Shape {
	s := Shape{Kind: r.Kind}
	switch {
	case IsAggregate(r.Kind):
		n := len(r.Elems)
		s.Len = &n
	case r.Kind == KindError:
		code, _, _ := bytes.Cut(r.Str, []byte(" "))
		s.Code = string(code)
	}
	return s
}

// Canonical reorders the elements of a reply whose order is unspecified,
// so that the files do not change with Redis' hash order: with pairs (or
// for a map) the top level as pairs, nested aggregates element by element,
// each sorted by its JSON text. Runners compare such replies as multisets
// and do not depend on this order.
func Canonical(r Reply, pairs bool) Reply {
	if !IsAggregate(r.Kind) {
		return r
	}
	step := 1
	if pairs || r.Kind == KindMap {
		step = 2
	}
	type item struct {
		key   string
		elems []Reply
	}
	var items []item
	for i := 0; i+step <= len(r.Elems); i += step {
		it := item{}
		for j := 0; j < step; j++ {
			e := Canonical(r.Elems[i+j], false)
			d, _ := e.MarshalJSON()
			it.key += string(d) + "\x00"
			it.elems = append(it.elems, e)
		}
		items = append(items, it)
	}
	sort.SliceStable(items, func(a, b int) bool { return items[a].key < items[b].key })
	out := Reply{Kind: r.Kind, Elems: []Reply{}}
	for _, it := range items {
		out.Elems = append(out.Elems, it.elems...)
	}
	// An odd element left over (a malformed pair list) stays last.
	if rest := len(r.Elems) % step; rest != 0 {
		out.Elems = append(out.Elems, r.Elems[len(r.Elems)-rest:]...)
	}
	return out
}

// Write stores f at path: one step per line, so a changed reply is a
// one-line diff.
func Write(path string, f *File) error {
	var b bytes.Buffer
	b.WriteString(`{"script":`)
	b.Write(marshalString(f.Script))
	b.WriteString(`,"redis":`)
	b.Write(marshalString(f.Redis))
	if len(f.Requires) > 0 {
		d, err := json.Marshal(f.Requires)
		if err != nil {
			return err
		}
		b.WriteString(`,"requires":`)
		b.Write(d)
	}
	b.WriteString(`,"steps":[`)
	for i, s := range f.Steps {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("\n")
		var sb bytes.Buffer
		enc := json.NewEncoder(&sb)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(s); err != nil {
			return fmt.Errorf("%s line %d: %v", f.Script, s.Line, err)
		}
		b.Write(bytes.TrimRight(sb.Bytes(), "\n"))
	}
	b.WriteString("\n]}\n")
	return os.WriteFile(path, b.Bytes(), 0o644)
}

// Read loads one vectors file.
func Read(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var f File
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return &f, nil
}
