#!/bin/sh
# Creates (or updates) the Python venv build/pyvenv that make test-python,
# make bench and make stress use: the pinned test requirements from PyPI and
# the binding installed the way a user installs it (pip install
# ./bindings/python: builds libredlite.so and the cffi extension). Its
# interpreter is build/pyvenv/bin/python.
set -eu
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="$root/build/pyvenv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$root/bindings/python/requirements-test.txt"
"$venv/bin/python" -m pip install -q --disable-pip-version-check --force-reinstall --no-deps "$root/bindings/python"
