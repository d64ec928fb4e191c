#!/bin/sh
# The Go binding's "done when": a new user in an empty module adds
# github.com/redlite/redlite/bindings/go and runs a ten-line program that
# opens a file, sets and gets a key and runs a transaction. The modules are
# not published, so the empty module points at this checkout with replace
# directives; everything else is what a user types.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
export GOWORK=off # a user's module is not part of our workspace

# The binding's dependencies into the module cache (a no-op when present).
(cd "$root/bindings/go" && go mod download)

go mod init example.com/hello >/dev/null 2>&1
# The checksums the binding was developed with; a user's go command would
# fetch the same ones from sum.golang.org, which this machine cannot reach.
cat "$root/bindings/go/go.sum" "$root/core/go.sum" | sort -u > go.sum
go mod edit -replace "github.com/redlite/redlite/bindings/go=$root/bindings/go" \
	-replace "github.com/redlite/redlite/core=$root/core"
# Unpublished, the module is not on the proxy: with the proxy off, go get
# takes the replacement (and dependencies from the cache) instead of asking.
GOPROXY=off go get github.com/redlite/redlite/bindings/go

cat > main.go <<'GO'
package main

import (
	"context"
	"fmt"

	redlite "github.com/redlite/redlite/bindings/go"
)

func main() {
	ctx := context.Background()
	db, err := redlite.Open("app.db")
	if err != nil {
		panic(err)
	}
	defer db.Close()
	db.Set(ctx, "greeting", "hello")
	v, _ := db.Get(ctx, "greeting")
	err = db.Tx(ctx, func(tx *redlite.Tx) error { _, err := tx.Incr(ctx, "visits"); return err })
	fmt.Println(v, err)
}
GO

out=$(go run .)
if [ "$out" != "hello <nil>" ]; then
	echo "getting-started program printed '$out', want 'hello <nil>'" >&2
	exit 1
fi
test -s app.db
echo "go getting-started: ok ($out)"
