#!/bin/sh
# make test-node: the Node binding (bindings/node). npm ci installs the
# pinned dev dependencies and runs the package's install script, which
# builds libredlite.so.1 (scripts/build-lib.sh) and the N-API addon with
# node-gyp against the node-api-headers package; then the node:test suite
# (tsc --strict over a sample included). Finally the issue's check: a fresh
# directory, npm install ./bindings/node, the one-liner prints v.
# node-gyp's cache (where it would download Node's headers) is an empty
# temporary directory throughout, and must stay empty.
set -eu
root="$(cd "$(dirname "$0")/.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
GOCACHE="$(go env GOCACHE)"
export GOCACHE
export XDG_CACHE_HOME="$tmp/cache"
mkdir -p "$XDG_CACHE_HOME"

cd "$root/bindings/node"
npm ci --no-audit --no-fund
node --test --test-timeout=180000 test/*.test.js

# What the suite built and installed goes, so the fresh install starts from
# a checkout's state: it builds everything again, and without
# bindings/node/node_modules (npm installs no dependencies of a folder it
# links from outside the project, so node-api-headers is not there for a
# user either: scripts/napi-include.js falls back to Node's own headers).
# make bench's scripts/bench-node.sh runs npm ci again when it needs to.
rm -rf build lib/commands.json index.d.ts node_modules
mkdir -p "$tmp/app"
cd "$tmp/app"
npm init -y >/dev/null
# A user's npm has no nodedir setting (this machine's ~/.npmrc has one):
# an empty user config, so the build finds Node's headers on its own.
: > "$tmp/npmrc"
npm install --userconfig "$tmp/npmrc" --no-audit --no-fund "$root/bindings/node"
out="$(node -e "const r=require('redlite');(async()=>{const db=await r.open('x.db');await db.set('k','v');console.log(await db.get('k'))})()")"
[ "$out" = "v" ] || { echo "test-node: the one-liner printed '$out', not v" >&2; exit 1; }
node --input-type=module -e "import { open } from 'redlite'; const db = await open(':memory:'); await db.set('k', 'esm'); console.log(await db.get('k')); await db.close();" | grep -qx esm
if [ -e "$XDG_CACHE_HOME/node-gyp" ]; then
	echo "test-node: node-gyp downloaded into its cache:" >&2
	ls -R "$XDG_CACHE_HOME/node-gyp" >&2
	exit 1
fi
echo "test-node: npm install ./bindings/node in a fresh directory works (CommonJS and ESM); no header download"
