// Package diffscript reads the differential scripts of tests/diff: the
// format is described at the top of core/server/diff_test.go, which runs
// them against redis-server and redlite. cmd/genvectors reads them too, to
// record the replies of redis-server as the shared test vectors.
package diffscript

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/redlite/redlite/core/resp"
)

// Line is one command or directive of a script (blank lines and comments
// are dropped).
type Line struct {
	No        int      // 1-based line number in the file
	Directive string   // "" for a plain command; "sort", "conn", "recv", ...
	Arg       string   // the argument of !conn, !sleep, !requires
	Argv      [][]byte // the command of a plain line and of !sort, !sortpairs, !type, !skip, !send
	Text      string   // the line as written, for messages
}

// Parse splits a script into lines; name is used in errors.
func Parse(name string, data []byte) ([]Line, error) {
	var out []Line
	for i, raw := range strings.Split(string(data), "\n") {
		line := strings.TrimSpace(raw)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		dl := Line{No: i + 1, Text: line}
		if strings.HasPrefix(line, "!") {
			dir, rest, _ := strings.Cut(line, " ")
			dl.Directive = dir[1:]
			switch dl.Directive {
			case "conn", "sleep", "recv", "requires":
				dl.Arg = strings.TrimSpace(rest)
				out = append(out, dl)
				continue
			case "sort", "sortpairs", "type", "skip", "send":
				line = rest
			default:
				return nil, fmt.Errorf("%s:%d: unknown directive %q", name, i+1, dir)
			}
		}
		argv, err := resp.SplitArgs([]byte(line))
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %v", name, i+1, err)
		}
		if len(argv) == 0 {
			return nil, fmt.Errorf("%s:%d: no command", name, i+1)
		}
		dl.Argv = argv
		out = append(out, dl)
	}
	return out, nil
}

// ParseFile reads and parses one script.
func ParseFile(path string) ([]Line, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(filepath.Base(path), data)
}

// Files lists the scripts of dir (*.txt), sorted.
func Files(dir string) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no differential scripts found in %s", dir)
	}
	sort.Strings(files)
	return files, nil
}

// Requires lists the commands the script's !requires lines name.
func Requires(lines []Line) []string {
	var out []string
	for _, l := range lines {
		if l.Directive == "requires" {
			out = append(out, strings.Fields(l.Arg)...)
		}
	}
	return out
}
