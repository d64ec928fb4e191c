package core

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/redlite/redlite/core/resp"
)

// FuzzSessionDo runs random command lines through Session.Do on a fresh
// database: every argument parser (numbers, ranges, options, patterns) of
// every command in the table sees hostile input. No command may panic or
// fail in storage, and afterwards the file must pass Check (integrity,
// keys.count against the elements, no orphans).
//
// An input is up to fuzzMaxCommands lines, each split the way redis-cli
// splits a line ("quotes" and \xHH escapes), so the seeds, taken from the
// differential scripts of every command family, read as commands.
func FuzzSessionDo(f *testing.F) {
	for _, seed := range fuzzSeeds(f) {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		lines := bytes.Split(data, []byte("\n"))
		if len(lines) > fuzzMaxCommands {
			lines = lines[:fuzzMaxCommands]
		}
		db, err := Open(Options{Path: MemoryPath})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		s := db.NewSession()
		defer s.Close()
		// A cancelled context makes a blocking command answer as on
		// timeout at once instead of waiting.
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		for _, line := range lines {
			argv, err := resp.SplitArgs(line)
			if err != nil || len(argv) == 0 || !fuzzAllowed(argv) {
				continue
			}
			// Keep the work an input can ask for small: strings and bit
			// offsets are bounded by proto-max-bulk-len (1 MB is its
			// minimum), whatever an earlier CONFIG SET did.
			if err := db.Config.Set("proto-max-bulk-len", "1mb"); err != nil {
				t.Fatal(err)
			}
			v := s.DoContext(ctx, argv)
			if msg := string(v.Str); v.Kind == resp.Error &&
				(strings.HasPrefix(msg, "ERR internal error") || strings.HasPrefix(msg, "ERR storage error")) {
				t.Fatalf("%q: %s", argv, msg)
			}
		}
		if err := db.Check(); err != nil {
			t.Fatalf("after %q: %v", data, err)
		}
	})
}

const fuzzMaxCommands = 8

// fuzzAllowed drops this package's deliberately panicking test commands,
// and what would make one input cost unbounded time or memory rather than
// test a parser: random-element commands asked for millions of elements
// with repetition (a negative count), which Redis also serves in full.
func fuzzAllowed(argv [][]byte) bool {
	if c := LookupCommand(argv[0]); c != nil && c.Group == "test" {
		return false
	}
	switch strings.ToLower(string(argv[0])) {
	case "hrandfield", "srandmember", "zrandmember":
		if len(argv) > 2 {
			if n, ok := ParseInt(argv[2]); ok && n < -10000 {
				return false
			}
		}
	}
	return true
}

// fuzzSeeds groups the commands of every differential script into inputs
// of fuzzMaxCommands lines. Directives lose their "!word" prefix. With more
// than fuzzMaxSeeds groups, every k-th group of each script is kept (its
// first always): the fuzzer replays every seed before it mutates, and that
// must fit in the few seconds make test gives it.
func fuzzSeeds(tb testing.TB) [][]byte {
	files, err := filepath.Glob("../tests/diff/*.txt")
	if err != nil || len(files) == 0 {
		tb.Fatalf("no differential scripts for fuzz seeds: %v", err)
	}
	var perFile [][][]byte
	total := 0
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			tb.Fatal(err)
		}
		var groups [][]byte
		var group []string
		flush := func() {
			if len(group) > 0 {
				groups = append(groups, []byte(strings.Join(group, "\n")))
				group = group[:0]
			}
		}
		for _, line := range strings.Split(string(data), "\n") {
			line = strings.TrimSpace(line)
			if line == "" || line[0] == '#' {
				continue
			}
			if line[0] == '!' {
				_, rest, _ := strings.Cut(line, " ")
				if _, err := strconv.Atoi(rest); err == nil || rest == "" {
					continue // !conn N, !sleep MS, !recv
				}
				line = rest
			}
			group = append(group, line)
			if len(group) == fuzzMaxCommands {
				flush()
			}
		}
		flush()
		perFile = append(perFile, groups)
		total += len(groups)
	}
	stride := (total + fuzzMaxSeeds - 1) / fuzzMaxSeeds
	var seeds [][]byte
	for _, groups := range perFile {
		for j, g := range groups {
			if j%stride == 0 {
				seeds = append(seeds, g)
			}
		}
	}
	return seeds
}

const fuzzMaxSeeds = 400
