#!/usr/bin/env node
// npm install's build step (the package's "install" script): builds
// libredlite.so.1 with the repository's scripts/build-lib.sh (Go, the
// SQLite build tags of scripts/buildtags) and the N-API addon with node-gyp,
// both into build/Release, where the addon finds the library through its
// rpath ($ORIGIN).
//
// node-gyp is pointed at gyp/ (--nodedir) so it never downloads Node's
// headers: the addon uses Node-API only, whose headers come from the pinned
// node-api-headers package or the running Node's own include/node
// (binding.gyp's include_dirs, scripts/napi-include.js).
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const pkg = path.resolve(__dirname, '..');
const root = path.resolve(pkg, '..', '..');
const buildLib = path.join(root, 'scripts', 'build-lib.sh');
const out = path.join(pkg, 'build', 'Release');

function nodeGyp() {
  // npm runs install scripts with its own node-gyp on PATH and names it in
  // npm_config_node_gyp; outside npm, use the copy npm ships with Node.
  const candidates = [
    process.env.npm_config_node_gyp,
    path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  for (const c of candidates) if (c && fs.existsSync(c)) return c;
  throw new Error('redlite: node-gyp not found (it comes with npm)');
}

function run(cmd, args, opts = {}) {
  execFileSync(cmd, args, { stdio: 'inherit', cwd: pkg, ...opts });
}

if (!fs.existsSync(buildLib)) {
  console.error(`redlite: ${buildLib} not found. The package builds libredlite from the redlite repository it sits in (bindings/node); install it from a checkout: npm install ./bindings/node`);
  process.exit(1);
}

const gyp = nodeGyp();
const gypArgs = ['--nodedir=' + path.join(pkg, 'gyp')];
run(process.execPath, [gyp, 'clean']);
run(process.execPath, [gyp, 'configure', ...gypArgs]);
fs.mkdirSync(out, { recursive: true });
run('sh', [buildLib, out]);
run(process.execPath, [gyp, 'build', ...gypArgs]);
// The methods and types follow the command table of the library just built.
run(process.execPath, [path.join(__dirname, 'gen-commands.js')]);
run(process.execPath, [path.join(__dirname, 'gen-types.js')]);
