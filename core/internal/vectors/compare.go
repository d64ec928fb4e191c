package vectors

import (
	"bytes"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
)

// CompareStep checks a reply against a step's expectation, by the step's
// comparison; "" when it matches, else what differs.
func CompareStep(s Step, got Reply) string {
	switch s.Compare {
	case CompareNone:
		return ""
	case CompareType:
		if s.Shape == nil {
			return "no shape recorded"
		}
		if g := ShapeOf(got); !sameShape(*s.Shape, g) {
			return fmt.Sprintf("shape: want %s, got %s", shapeText(*s.Shape), shapeText(g))
		}
		return ""
	}
	if s.Reply == nil {
		return "no reply recorded"
	}
	want := *s.Reply
	if s.Compare == CompareSort || s.Compare == CompareSortPairs {
		pairs := s.Compare == CompareSortPairs
		want, got = Canonical(want, pairs), Canonical(got, pairs)
	}
	w, _ := want.MarshalJSON()
	g, _ := got.MarshalJSON()
	if !bytes.Equal(w, g) {
		return fmt.Sprintf("\nwant: %s\ngot:  %s", w, g)
	}
	return ""
}

func sameShape(a, b Shape) bool {
	if a.Kind != b.Kind || a.Code != b.Code || (a.Len == nil) != (b.Len == nil) {
		return false
	}
	return a.Len == nil || *a.Len == *b.Len
}

func shapeText(s Shape) string {
	out := s.Kind
	if s.Len != nil {
		out += fmt.Sprintf("[%d]", *s.Len)
	}
	if s.Code != "" {
		out += " " + s.Code
	}
	return out
}

// ExclusionsFile is the list, in tests/vectors, of the steps the runners
// do not compare, each with its reason: one "FILE.json LINE reason" a line,
// # comments. The runners still run these steps (later steps need their
// effects), count them and print the reasons.
const ExclusionsFile = "EXCLUDED"

// Exclusions is a parsed exclusions file.
type Exclusions struct {
	reasons map[string]string
	used    map[string]bool
	order   []string
}

// ParseExclusions reads an exclusions file's text; name is used in errors.
func ParseExclusions(name string, data []byte) (*Exclusions, error) {
	ex := &Exclusions{reasons: map[string]string{}, used: map[string]bool{}}
	for i, raw := range strings.Split(string(data), "\n") {
		line := strings.TrimSpace(raw)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.SplitN(line, " ", 3)
		if len(f) < 3 || strings.TrimSpace(f[2]) == "" {
			return nil, fmt.Errorf("%s:%d: want FILE.json LINE reason", name, i+1)
		}
		if _, err := strconv.Atoi(f[1]); err != nil {
			return nil, fmt.Errorf("%s:%d: bad line number %q", name, i+1, f[1])
		}
		key := f[0] + " " + f[1]
		if _, dup := ex.reasons[key]; dup {
			return nil, fmt.Errorf("%s:%d: %s is excluded twice", name, i+1, key)
		}
		ex.reasons[key] = strings.TrimSpace(f[2])
		ex.order = append(ex.order, key)
	}
	return ex, nil
}

// ReadExclusions reads an exclusions file.
func ReadExclusions(path string) (*Exclusions, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseExclusions(path, data)
}

// Match reports whether the step at line of file is excluded, and why.
func (ex *Exclusions) Match(file string, line int) (string, bool) {
	key := file + " " + strconv.Itoa(line)
	r, ok := ex.reasons[key]
	if ok {
		ex.used[key] = true
	}
	return r, ok
}

// Unused lists the exclusions no Match asked for, in file order.
func (ex *Exclusions) Unused() []string {
	var out []string
	for _, k := range ex.order {
		if !ex.used[k] {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}
