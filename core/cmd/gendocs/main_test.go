package main

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/redlite/redlite/core"
)

// The command reference and the README's command list are generated from
// the command table; this fails when a command changed without `make docs`.
// (It lives here, not in core, so commands core's own tests register do
// not count.)
func TestDocsAreCurrent(t *testing.T) {
	ref, err := os.ReadFile("../../../docs/commands.md")
	require.NoError(t, err)
	require.True(t, core.CommandReference() == string(ref), "docs/commands.md is stale: run `make docs`")
	readme, err := os.ReadFile("../../../README.md")
	require.NoError(t, err)
	require.True(t, strings.Contains(string(readme), core.CommandList()), "README.md's command list is stale: run `make docs`")
}
