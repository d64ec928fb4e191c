#!/bin/sh
# Builds libredlite.so (the C ABI, capi/) into OUTDIR (default build/lib):
#   OUTDIR/libredlite.so.1   the library, SONAME libredlite.so.1
#   OUTDIR/libredlite.so     symlink for linking with -lredlite
# Only the redlite_* symbols are exported (capi/redlite.map). The SQLite
# build tags come from scripts/buildtags, like every other Go build; the
# redlite_lib tag leaves out capi's test support (fuzzcall.go, lsan.go).
set -eu
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root/build/lib}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
tags="$(tr -s ' \n' ',' < "$root/scripts/buildtags" | sed 's/,$//'),redlite_lib"
# REDLITE_EXTRA_TAGS adds build tags for special builds (the Valgrind run of
# scripts/test-c.sh builds with "valgrind").
[ -n "${REDLITE_EXTRA_TAGS:-}" ] && tags="$tags,$REDLITE_EXTRA_TAGS"
abi="$(sed -n 's/^#define REDLITE_ABI_VERSION \([0-9][0-9]*\).*/\1/p' "$root/include/redlite.h")"
cd "$root/capi"
go build -tags "$tags" -buildmode=c-shared \
	-ldflags "-extldflags '-Wl,--version-script=$root/capi/redlite.map -Wl,-soname,libredlite.so.$abi -Wl,-z,relro,-z,now'" \
	-o "$out/libredlite.so.$abi" .
# go build also writes cgo's header for the rlgo_* functions; the public
# header is include/redlite.h, so drop it to avoid confusion.
rm -f "$out/libredlite.so.h"
ln -sf "libredlite.so.$abi" "$out/libredlite.so"
