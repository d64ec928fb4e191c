package core

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestNoFileAccessOutsideDB runs every command and subcommand in the table,
// with 0 to 5 arguments that are all the same path (absolute, relative,
// climbing out, a file holding a secret), and sets every configuration
// parameter to such a path. Afterwards no file exists but the database's
// own three, nothing was created in the working directory or beside the
// secret, and no reply contains the secret: no command reads or writes a
// file other than the configured database.
func TestNoFileAccessOutsideDB(t *testing.T) {
	dbDir, outside, cwd := t.TempDir(), t.TempDir(), t.TempDir()
	t.Chdir(cwd)
	const secret = "SENTINEL-7d1f0c-not-for-clients"
	secretPath := filepath.Join(outside, "secret")
	require.NoError(t, os.WriteFile(secretPath, []byte(secret), 0o600))
	paths := []string{secretPath, filepath.Join(outside, "new"), "relative.rdb", "../climb.rdb", outside, "/dev/null"}

	db, err := Open(Options{Path: filepath.Join(dbDir, "test.db")})
	require.NoError(t, err)
	s := db.NewSession()
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // blocking commands answer at once
	check := func(argv [][]byte) {
		v := s.DoContext(ctx, argv)
		require.NotContains(t, show(v), secret, "%q", argv)
		if s.InMulti() {
			s.Do([][]byte{[]byte("DISCARD")})
		}
		if s.InTransaction() {
			require.NoError(t, s.Rollback())
		}
	}
	runs := 0
	for _, c := range Commands() {
		if c.Group == "test" {
			continue // this package's deliberately panicking commands
		}
		prefixes := [][]string{{c.Name}}
		for name := range c.Subcommands {
			prefixes = append(prefixes, []string{c.Name, name})
		}
		for _, prefix := range prefixes {
			for _, p := range paths {
				for n := 0; n <= 5; n++ {
					argv := make([][]byte, 0, len(prefix)+n)
					for _, a := range prefix {
						argv = append(argv, []byte(a))
					}
					for i := 0; i < n; i++ {
						argv = append(argv, []byte(p))
					}
					check(argv)
					runs++
				}
			}
		}
	}
	for _, name := range configNames() {
		for _, p := range paths {
			check([][]byte{[]byte("CONFIG"), []byte("SET"), []byte(name), []byte(p)})
			runs++
		}
	}
	// SAVE and BGSAVE write only the database's own files.
	check([][]byte{[]byte("SET"), []byte("k"), []byte("v")})
	check([][]byte{[]byte("SAVE")})
	s.Close()
	require.NoError(t, db.Close())
	t.Logf("%d commands with path arguments", runs)

	require.Equal(t, []string{"secret"}, dirNames(t, outside))
	require.Empty(t, dirNames(t, cwd))
	_, err = os.Stat(filepath.Join(filepath.Dir(cwd), "climb.rdb"))
	require.True(t, os.IsNotExist(err), "../climb.rdb was created")
	for _, n := range dirNames(t, dbDir) {
		require.True(t, strings.HasPrefix(n, "test.db"), "unexpected file %s beside the database", n)
	}
	data, err := os.ReadFile(secretPath)
	require.NoError(t, err)
	require.Equal(t, secret, string(data))
}

func configNames() []string {
	var out []string
	for _, p := range configParams {
		out = append(out, p.name)
	}
	sort.Strings(out)
	return out
}

// dirNames lists a directory; a missing directory is empty.
func dirNames(t *testing.T, dir string) []string {
	ents, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil
	}
	require.NoError(t, err)
	var out []string
	for _, e := range ents {
		out = append(out, e.Name())
	}
	return out
}
