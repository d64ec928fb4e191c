#!/bin/sh
# The Python binding's tests (make test-python): the venv build/pyvenv with
# the pinned test requirements and the package installed the way a user
# installs it (scripts/pyvenv.sh), a wheel, pytest, and then the
# concurrent-processes reliability test with its embedded Python worker. The
# tests start their own redis-server (scripts/deps.sh installs it) to compare
# with redis-py.
set -eu
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="$root/build/pyvenv"
"$root/scripts/pyvenv.sh"
# A wheel builds too, with the library and the extension inside.
rm -rf "$root/build/pywheel"
"$venv/bin/python" -m pip wheel -q --disable-pip-version-check --no-deps -w "$root/build/pywheel" "$root/bindings/python"
"$venv/bin/python" - "$root"/build/pywheel/redlite-*.whl <<'PY'
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
for want in ("redlite/libredlite.so.1", "redlite/py.typed", "redlite/__init__.py"):
    assert want in names, f"{want} missing from {sys.argv[1]}"
assert any(n.startswith("redlite/_redlite.") and n.endswith(".so") for n in names), "extension missing"
print("wheel:", sys.argv[1].rsplit("/", 1)[-1])
PY
# The wheel's contents work where they are unpacked, with no library search
# path: the extension's runpath has $ORIGIN, ldd resolves libredlite.so.1 to
# the copy next to it, and the issue's three-line script runs from them.
unpacked="$root/build/pywheel/unpacked"
"$venv/bin/python" -m zipfile -e "$root"/build/pywheel/redlite-*.whl "$unpacked"
ext="$(ls "$unpacked"/redlite/_redlite.*.so)"
readelf -d "$ext" | grep -E 'R(UN)?PATH' | grep -qF '$ORIGIN' || { readelf -d "$ext"; echo "the wheel's extension has no \$ORIGIN runpath" >&2; exit 1; }
env -u LD_LIBRARY_PATH ldd "$ext" | grep -qF "libredlite.so.1 => $unpacked/redlite/libredlite.so.1" ||
	{ env -u LD_LIBRARY_PATH ldd "$ext"; echo "the wheel's extension does not resolve the bundled libredlite.so.1" >&2; exit 1; }
out="$(cd "$root/build/pywheel" && env -u LD_LIBRARY_PATH PYTHONPATH="$unpacked" "$venv/bin/python" -c \
	'import redlite; db = redlite.open("x.db"); db.set("k", "v"); print(db.get("k")); assert redlite.__file__.startswith("'"$unpacked"'")')"
[ "$out" = "b'v'" ] || { echo "the three-line script on the unpacked wheel printed '$out'" >&2; exit 1; }
echo "wheel: the extension finds the bundled library through \$ORIGIN"
cd "$root/bindings/python"
# Run from the tests' directory's parent without src/ on the path: the
# installed package is the one under test.
"$venv/bin/python" -m pytest -q -p no:cacheprovider tests

# Embedded Python (bindings/python/tests/concurrent_worker.py, through the
# binding just installed) with embedded Go processes and the server on one
# file: core/reliability/concurrent_test.go. make test-go runs that test
# without Python (REDLITE_PYTHON unset); here REDLITE_PYTHON makes the
# worker mandatory.
cd "$root/core"
[ -n "${GOFLAGS:-}" ] || export GOFLAGS="-tags=$(tr -s ' \n' ',' < "$root/scripts/buildtags" | sed 's/,$//')"
REDLITE_PYTHON="$venv/bin/python" go test -race -count=1 -v -run '^TestConcurrentProcesses$' ./reliability
