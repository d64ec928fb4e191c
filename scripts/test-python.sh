#!/bin/sh
# The Python binding's tests (make test-python): a venv under build/, the
# pinned test requirements from PyPI, the package installed the way a user
# installs it (pip install ./bindings/python: builds libredlite.so and the
# cffi extension), then pytest. The tests start their own redis-server
# (scripts/deps.sh installs it) to compare with redis-py.
set -eu
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="$root/build/pyvenv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$root/bindings/python/requirements-test.txt"
"$venv/bin/python" -m pip install -q --disable-pip-version-check --force-reinstall --no-deps "$root/bindings/python"
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
cd "$root/bindings/python"
# Run from the tests' directory's parent without src/ on the path: the
# installed package is the one under test.
"$venv/bin/python" -m pytest -q -p no:cacheprovider tests
