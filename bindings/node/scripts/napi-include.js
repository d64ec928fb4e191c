#!/usr/bin/env node
// Prints the directory holding node_api.h for binding.gyp's include_dirs,
// from local files only (never a download):
//   1. the pinned node-api-headers package, when npm installed it: it is
//      there after `npm ci`/`npm install` inside bindings/node, but not
//      after `npm install ./bindings/node` from another project, because
//      npm links a folder outside the project and installs none of its
//      dependencies;
//   2. the headers of the Node that runs the build: npm's nodedir setting,
//      else the installation prefix of this node binary (official builds
//      and distribution packages ship include/node/node_api.h).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const pkg = path.resolve(__dirname, '..');

function fromPackage() {
  try {
    return require(require.resolve('node-api-headers', { paths: [pkg] })).include_dir;
  } catch {
    return null;
  }
}

function candidates() {
  const dirs = [fromPackage()];
  for (const root of [process.env.npm_config_nodedir, path.resolve(path.dirname(process.execPath), '..')]) {
    if (root) dirs.push(path.join(root, 'include', 'node'));
  }
  return dirs.filter(Boolean);
}

function napiInclude() {
  const dirs = candidates();
  const found = dirs.find((d) => fs.existsSync(path.join(d, 'node_api.h')));
  if (!found) {
    throw new Error(`redlite: node_api.h not found (looked in ${dirs.join(', ')}); ` +
      'run npm install inside bindings/node (it installs node-api-headers) or install the headers of your Node');
  }
  return found;
}

module.exports = { napiInclude };

if (require.main === module) {
  try {
    process.stdout.write(napiInclude());
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
}
