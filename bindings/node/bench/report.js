'use strict';
// Turns the measurements of scripts/bench-node.sh into the markdown section
// bench/out/node.md: the best round of each measurement, ratios to ioredis
// and to the Go-native call, and the binding's targets.
// Usage: node report.js NODE_LINES GO_LINES SECONDS ROUNDS
const fs = require('node:fs');
const os = require('node:os');

const [nodeFile, goFile, secs, rounds] = process.argv.slice(2);
function best(file) {
  const m = new Map();
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const [name, v] = line.trim().split(/\s+/);
    if (!name || v === undefined) continue;
    m.set(name, Math.max(m.get(name) || 0, Number(v)));
  }
  return m;
}
const n = best(nodeFile);
const go = best(goFile);
const fmt = (x) => (x === undefined ? 'n/a' : Math.round(x).toLocaleString('en-US'));
const ratio = (a, b) => (a && b ? (a / b).toFixed(2) + 'x' : 'n/a');

const rows = [
  ['GET, async, 100 in flight', 'redlite_get_async', 'ioredis_get_async', 'GET'],
  ['GET, async, one awaited at a time', 'redlite_get_seq', 'ioredis_get_seq', 'GET'],
  ['GET, db.sync (vs ioredis one awaited at a time)', 'redlite_get_sync', 'ioredis_get_seq', 'GET'],
  ['SET, async, 100 in flight', 'redlite_set_async', 'ioredis_set_async', 'SET'],
  ['SET, async, one awaited at a time', 'redlite_set_seq', 'ioredis_set_seq', 'SET'],
  ['SET, db.sync (vs ioredis one awaited at a time)', 'redlite_set_sync', 'ioredis_set_seq', 'SET'],
];
const out = [];
out.push('## Node binding (bindings/node)');
out.push('');
out.push(`\`make bench\` (scripts/bench-node.sh, bindings/node/bench/bench.js): best of ${rounds} alternating rounds of ${secs}s per measurement on ${os.cpus().length} cores, Node ${process.version}. A file database, 1000 keys, 32-byte values. ioredis ${require('../node_modules/ioredis/package.json').version} talks to a real redis-server on loopback (sharing the cores); Go-native is core.Session.Do on one session (bench/cmd/sessionbench). "100 in flight" keeps 100 promises pending, each completion starting the next; "one awaited at a time" is \`await db.get(k)\` in a loop; db.sync is the synchronous mirror.`);
out.push('');
out.push('| operation | redlite ops/s | ioredis ops/s | redlite / ioredis | Go-native ops/s | redlite / Go-native |');
out.push('|---|---:|---:|---:|---:|---:|');
for (const [label, mine, theirs, base] of rows) {
  out.push(`| ${label} | ${fmt(n.get(mine))} | ${fmt(n.get(theirs))} | ${ratio(n.get(mine), n.get(theirs))} | ${fmt(go.get(base))} | ${ratio(n.get(mine), go.get(base))} |`);
}
out.push('');
const asyncRatio = n.get('redlite_get_async') / n.get('ioredis_get_async');
const syncRatio = n.get('redlite_get_sync') / n.get('ioredis_get_seq');
const verdict = (r, t) => (r >= t ? `met (${r.toFixed(2)}x)` : `**not met** (${r.toFixed(2)}x)`);
out.push(`Targets: async GET with 100 in flight at least 3x ioredis: ${verdict(asyncRatio, 3)}; synchronous GET at least 10x ioredis (one awaited GET at a time): ${verdict(syncRatio, 10)}.`);
console.log(out.join('\n'));
