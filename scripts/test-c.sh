#!/bin/sh
# The C ABI's tests (make test-c), after make lib:
#   1. capi's Go unit tests (race detector on), then FuzzCommand's inputs
#      and the leak check under AddressSanitizer (capi/leak_asan_test.go);
#   2. the header alone compiles as C99, C11 and C++ with warnings as errors;
#   3. every function the header declares is exported by libredlite.so and
#      nothing else is (no sqlite3_*, no Go runtime), under version REDLITE_1,
#      with SONAME libredlite.so.<ABI>; every function is called by the test;
#   4. examples/c/example runs; the library never binds to a program's own
#      sqlite3_* functions;
#   5. the C test program (tests/c/test_capi.c), then the shared test
#      vectors (tests/vectors) replayed through the C ABI (tests/c/vectors.c,
#      under AddressSanitizer);
#   6. the same program under Valgrind memcheck, twice: invalid accesses and
#      uninitialised values (library built with Go's valgrind tag), then
#      leaks; each run also checks a control program with a deliberate error
#      (tests/c/overread.c, tests/c/leak.c) that it must catch.
set -eu
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
lib="$root/build/lib"
out="$root/build/tests"
mkdir -p "$out"
CC="${CC:-gcc}"
CXX="${CXX:-g++}"
abi="$(sed -n 's/^#define REDLITE_ABI_VERSION \([0-9][0-9]*\).*/\1/p' include/redlite.h)"
link="-L$lib -lredlite -Wl,-rpath,$lib"

step() { printf '\n== %s\n' "$*"; }

step "capi Go tests"
tags="$(tr -s ' \n' ',' < scripts/buildtags | sed 's/,$//')"
(cd capi && gofmt -l . | (! grep .) && go vet -tags "$tags" . && go test -tags "$tags" -race -count=1 .)
step "C ABI entry point under AddressSanitizer: FuzzCommand's inputs, leaks"
(cd capi && go test -tags "$tags" -asan -count=1 -run '^(FuzzCommand|TestCommandNoLeak)$' .)

step "header compiles alone (C99, C11, C++11, C++17)"
for std in c99 c11; do
	echo '#include "redlite.h"' | $CC -std=$std -pedantic -Wall -Wextra -Werror -Iinclude -fsyntax-only -x c -
done
for std in c++11 c++17; do
	echo '#include "redlite.h"' | $CXX -std=$std -pedantic -Wall -Wextra -Werror -Iinclude -fsyntax-only -x c++ -
done
$CXX -std=c++11 -pedantic -Wall -Wextra -Werror -Iinclude tests/c/cxx_check.cpp -o "$out/cxx_check" $link
"$out/cxx_check"

step "exported symbols match the header"
so="$lib/libredlite.so.$abi"
readelf -d "$so" | grep -q "Library soname: \[libredlite.so.$abi\]" || { echo "SONAME is not libredlite.so.$abi"; exit 1; }
grep -E '^[a-z].*\bredlite_[a-z0-9_]+\(' include/redlite.h | sed -E 's/.*\b(redlite_[a-z0-9_]+)\(.*/\1/' | sort > "$out/header.syms"
nm -D --defined-only "$so" | awk '{print $3}' | grep -v "^REDLITE_$abi\$" | sort > "$out/lib.syms.raw"
if grep -v "^redlite_[a-z0-9_]*@@REDLITE_$abi\$" "$out/lib.syms.raw"; then
	echo "^ exported symbols that are not redlite_* functions under version REDLITE_$abi"
	exit 1
fi
sed "s/@@REDLITE_$abi\$//" "$out/lib.syms.raw" > "$out/lib.syms"
if ! diff -u "$out/header.syms" "$out/lib.syms"; then
	echo "header (-) and library (+) disagree"
	exit 1
fi
if objdump -T "$so" | grep -E '\b(sqlite3_|_cgo_|runtime\.|crosscall)' | grep -v '\*UND\*'; then
	echo "^ bundled SQLite or Go runtime symbols are exported"
	exit 1
fi
echo "$(wc -l < "$out/header.syms") functions: header = library; SONAME libredlite.so.$abi"

step "examples/c (built by make examples) runs"
exdir="$(mktemp -d)"
"$root/examples/c/example" "$exdir/example.db" > "$out/example.out"
rm -rf "$exdir"
grep -qx "greeting = hello" "$out/example.out" && grep -qx "visits = 1" "$out/example.out" &&
	grep -q "ERR value is not an integer or out of range" "$out/example.out" ||
	{ cat "$out/example.out"; echo "examples/c/example printed something else"; exit 1; }
echo "example ok"

step "symbol isolation from the program's own sqlite3_*"
$CC -std=c11 -Wall -Wextra -Werror -Iinclude tests/c/interpose.c -o "$out/interpose" -Wl,--export-dynamic $link
"$out/interpose"

step "C test"
$CC -std=c11 -Wall -Wextra -Werror -g -O1 -Iinclude tests/c/test_capi.c -o "$out/test_capi" $link -pthread -lm
# Every function of the header is linked into (so called by) the test.
nm -D --undefined-only "$out/test_capi" | awk '{print $2}' | sed 's/@.*//' | grep '^redlite_' | sort -u > "$out/test.syms"
if ! diff -u "$out/header.syms" "$out/test.syms"; then
	echo "functions of the header (-) that tests/c/test_capi.c does not call"
	exit 1
fi
"$out/test_capi"

step "shared test vectors through the C ABI (tests/vectors)"
# Under AddressSanitizer, UBSan and LeakSanitizer: the runner's JSON reader
# and reply trees are hand-written C.
$CC -std=c11 -Wall -Wextra -Werror -g -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -Iinclude \
	tests/c/vectors.c -o "$out/vectors" $link -pthread
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1 "$out/vectors" tests/vectors

if [ "${REDLITE_SKIP_VALGRIND:-}" = 1 ]; then
	echo "REDLITE_SKIP_VALGRIND=1: the Valgrind runs are SKIPPED"
	exit 0
fi
command -v valgrind >/dev/null || { echo "valgrind is not installed (scripts/deps.sh installs it)"; exit 1; }
vg="valgrind --quiet --error-exitcode=99 --child-silent-after-fork=yes"
$CC -std=c11 -Wall -Wextra -Werror -g -Iinclude tests/c/leak.c -o "$out/leak" $link
$CC -std=c11 -Wall -Wextra -Werror -g -Iinclude tests/c/overread.c -o "$out/overread" $link

# Memory errors: the library built with Go's valgrind tag, so Memcheck knows
# the Go heap and goroutine stacks; asynchronous preemption off because its
# signal-injected calls write below the stack pointer. No leak check here
# (Valgrind 3.19 aborts in the leak scan of such a process): see below.
step "C test under Valgrind memcheck: invalid accesses and uninitialised values"
vglib="$root/build/valgrind/lib"
# (Valgrind 3.19 warns that it cannot read some DWARF 5 debug info of the
# toolchain's own objects: it only loses line numbers there.)
REDLITE_EXTRA_TAGS=valgrind ./scripts/build-lib.sh "$vglib"
errors="$vg --leak-check=no --suppressions=$root/tests/c/valgrind.supp"
GODEBUG=asyncpreemptoff=1 LD_LIBRARY_PATH="$vglib" REDLITE_TEST_SLOW=1 $errors "$out/test_capi"
if GODEBUG=asyncpreemptoff=1 LD_LIBRARY_PATH="$vglib" $errors "$out/overread" > "$out/overread.log" 2>&1; then
	cat "$out/overread.log"
	echo "Valgrind missed the deliberate overread in tests/c/overread.c"
	exit 1
fi
grep -q "Invalid read of size 1" "$out/overread.log" || { cat "$out/overread.log"; echo "overread control failed for another reason"; exit 1; }

# Leaks: the ordinary library, full leak check (tests/c/valgrind-leaks.supp
# says why access errors are left to the run above).
step "C test under Valgrind memcheck: leaks"
leaks="$vg --undef-value-errors=no --leak-check=full --show-leak-kinds=definite,indirect,possible
	--errors-for-leak-kinds=definite,indirect,possible --suppressions=$root/tests/c/valgrind-leaks.supp"
REDLITE_TEST_SLOW=1 $leaks "$out/test_capi"
if $leaks "$out/leak" > "$out/leak.log" 2>&1; then
	cat "$out/leak.log"
	echo "Valgrind missed the deliberate leak in tests/c/leak.c: the suppressions are too broad"
	exit 1
fi
grep -q "definitely lost" "$out/leak.log" || { cat "$out/leak.log"; echo "leak control failed for another reason"; exit 1; }
echo "Valgrind: no invalid accesses, no leaks; both deliberate errors were caught"
