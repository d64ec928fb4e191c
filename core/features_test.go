package core

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// R*Tree is compiled into mattn/go-sqlite3 by default; FTS5 and the math
// functions come with the build tags in scripts/buildtags (features_tags_test.go).
func TestSQLiteFeatureCheck(t *testing.T) {
	db := openTestDB(t)
	require.NoError(t, db.RequireSQLiteFeature("ENABLE_RTREE"))
	err := db.RequireSQLiteFeature("ENABLE_SOMETHING_ABSENT")
	require.ErrorContains(t, err, "lacks ENABLE_SOMETHING_ABSENT")
	require.ErrorContains(t, err, "scripts/buildtags")
}
