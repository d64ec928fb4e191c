'use strict';
// Writes lib/commands.json from the command table of the library just built
// (COMMAND and COMMAND DOCS on a :memory: database): the methods index.js
// defines and index.d.ts declares. Run by scripts/build.js at install, so
// the methods always match the library they run on.
const fs = require('node:fs');
const path = require('node:path');

function readTable(binding) {
  class E extends Error {}
  binding.setup(E, E, E);
  const h = binding.openSync(':memory:', 0, 0, 0, 0, 0);
  try {
    const info = binding.commandSync(h, 0, 'command');
    const docs = binding.commandSync(h, 0, 'command', 'docs');
    const doc = new Map();
    for (let i = 0; i < docs.length; i += 2) {
      const fields = {};
      const d = docs[i + 1];
      for (let j = 0; j < d.length; j += 2) fields[d[j]] = d[j + 1];
      doc.set(docs[i], fields);
    }
    return info
      .map(([name, arity, flags, firstKey, lastKey, step]) => {
        const d = doc.get(name) || {};
        return { name, arity, flags, firstKey, lastKey, step, group: d.group || '', summary: d.summary || '', since: d.since || '' };
      })
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } finally {
    binding.closeSync(h);
  }
}

if (require.main === module) {
  const pkg = path.resolve(__dirname, '..');
  const binding = require(path.join(pkg, 'build', 'Release', 'redlite.node'));
  const table = readTable(binding);
  fs.mkdirSync(path.join(pkg, 'lib'), { recursive: true });
  fs.writeFileSync(path.join(pkg, 'lib', 'commands.json'), JSON.stringify(table, null, 1) + '\n');
}

module.exports = { readTable };
