//go:build sqlite_fts5 && sqlite_math_functions

package core

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// Built the way the Makefile builds (GOFLAGS from scripts/buildtags), the
// SQLite inside has what later features need.
func TestBuildTagsEnableSQLiteModules(t *testing.T) {
	db := openTestDB(t)
	for _, f := range []string{"ENABLE_FTS5", "ENABLE_MATH_FUNCTIONS", "ENABLE_RTREE"} {
		require.NoError(t, db.RequireSQLiteFeature(f))
	}
}
