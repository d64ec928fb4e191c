package redlite

import (
	"go/ast"
	"go/doc"
	"go/parser"
	"go/token"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The documentation as godoc and pkg.go.dev build it (go/doc over the
// package and its _test files): every Example function is attached to the
// identifier its name promises (a misspelt name would leave it out of the
// rendered page without any error), has checked output, and the package
// documentation carries its durability and concurrency sections.
func TestGodocExamplesAndSections(t *testing.T) {
	names, err := filepath.Glob("*.go")
	require.NoError(t, err)
	fset := token.NewFileSet()
	var files []*ast.File
	for _, name := range names {
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		require.NoError(t, err)
		files = append(files, f)
	}
	pkg, err := doc.NewFromFiles(fset, files, "github.com/redlite/redlite/bindings/go")
	require.NoError(t, err)

	rendered := map[string]*doc.Example{}
	for _, ex := range pkg.Examples {
		rendered["package"+suffix(ex)] = ex
	}
	for _, typ := range pkg.Types {
		for _, ex := range typ.Examples {
			rendered[typ.Name+suffix(ex)] = ex
		}
		for _, fn := range typ.Methods {
			for _, ex := range fn.Examples {
				rendered[typ.Name+"."+fn.Name+suffix(ex)] = ex
			}
		}
		for _, fn := range typ.Funcs {
			for _, ex := range fn.Examples {
				rendered[fn.Name+suffix(ex)] = ex
			}
		}
	}
	for _, fn := range pkg.Funcs {
		for _, ex := range fn.Examples {
			rendered[fn.Name+suffix(ex)] = ex
		}
	}

	// Every Example function in the files is rendered somewhere.
	var declared []string
	for _, f := range files {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && strings.HasPrefix(fd.Name.Name, "Example") {
				declared = append(declared, fd.Name.Name)
			}
		}
	}
	assert.Len(t, rendered, len(declared), "examples declared %v, rendered %v", declared, keys(rendered))

	// The four: open/set/get, a transaction, a pub/sub loop, a job
	// queue with BLMOVE.
	for _, want := range []string{"package", "DB.Tx", "DB.Watch", "DB.Subscribe", "DB.BLMove"} {
		ex, ok := rendered[want]
		if !assert.True(t, ok, "no example rendered for %s (have %v)", want, keys(rendered)) {
			continue
		}
		assert.NotEmpty(t, ex.Doc, "%s example has no comment", want)
		assert.NotEmpty(t, strings.TrimSpace(ex.Output), "%s example output is not checked", want)
	}

	for _, section := range []string{"# Durability", "# Concurrency"} {
		assert.Contains(t, pkg.Doc, "\n"+section+"\n", "package documentation lacks %q", section)
	}
	assert.Contains(t, pkg.Doc, "safe for concurrent use")
}

func suffix(ex *doc.Example) string {
	if ex.Suffix == "" {
		return ""
	}
	return "_" + ex.Suffix
}

func keys(m map[string]*doc.Example) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
