'use strict';
// GET/SET ops/s: redlite (async with N promises in flight, sequential
// awaits, and the synchronous mirror) against ioredis to a real
// redis-server on loopback. Prints one line per measurement:
//   <name> <ops_per_second>
// Usage: node bench/bench.js [--redis-port PORT] [--seconds S] [--dir DIR]
// Without --redis-port only redlite is measured.
const path = require('node:path');
const fs = require('node:fs');
const os = require('node:os');
const redlite = require('..');

const argv = process.argv.slice(2);
const opt = (name, def) => {
  const i = argv.indexOf('--' + name);
  return i >= 0 ? argv[i + 1] : def;
};
const SECONDS = Number(opt('seconds', '1'));
const INFLIGHT = Number(opt('inflight', '100'));
const NKEYS = 1000;
const VALUE = '0123456789abcdef0123456789abcdef';
const keys = Array.from({ length: NKEYS }, (_, i) => 'key:' + i);

const now = () => Number(process.hrtime.bigint()) / 1e9;

// N operations in flight: each completion starts the next one.
function inflight(op) {
  return new Promise((resolve, reject) => {
    let n = 0;
    let running = 0;
    const start = now();
    const end = start + SECONDS;
    let stop = false;
    const next = () => {
      while (!stop && running < INFLIGHT) {
        running++;
        op(keys[n++ % NKEYS]).then(done, reject);
      }
    };
    const done = () => {
      running--;
      if (!stop && (n & 1023) === 0 && now() >= end) stop = true;
      if (stop) {
        if (running === 0) resolve(n / (now() - start));
      } else {
        next();
      }
    };
    next();
  });
}

async function sequential(op) {
  let n = 0;
  const start = now();
  const end = start + SECONDS;
  for (;;) {
    for (let i = 0; i < 256; i++) await op(keys[n++ % NKEYS]);
    if (now() >= end) break;
  }
  return n / (now() - start);
}

function syncLoop(op) {
  let n = 0;
  const start = now();
  const end = start + SECONDS;
  for (;;) {
    for (let i = 0; i < 1024; i++) op(keys[n++ % NKEYS]);
    if (now() >= end) break;
  }
  return n / (now() - start);
}

function report(name, rate) {
  console.log(`${name} ${Math.round(rate)}`);
}

async function benchRedlite(file) {
  const db = await redlite.open(file);
  for (const k of keys) db.sync.set(k, VALUE);
  report('redlite_get_async', await inflight((k) => db.get(k)));
  report('redlite_set_async', await inflight((k) => db.set(k, VALUE)));
  report('redlite_get_seq', await sequential((k) => db.get(k)));
  report('redlite_set_seq', await sequential((k) => db.set(k, VALUE)));
  report('redlite_get_sync', syncLoop((k) => db.sync.get(k)));
  report('redlite_set_sync', syncLoop((k) => db.sync.set(k, VALUE)));
  await db.close();
}

async function benchIoredis(port) {
  const Redis = require('ioredis');
  const r = new Redis({ port, host: '127.0.0.1', lazyConnect: true });
  await r.connect();
  for (const k of keys) await r.set(k, VALUE);
  report('ioredis_get_async', await inflight((k) => r.get(k)));
  report('ioredis_set_async', await inflight((k) => r.set(k, VALUE)));
  report('ioredis_get_seq', await sequential((k) => r.get(k)));
  report('ioredis_set_seq', await sequential((k) => r.set(k, VALUE)));
  r.disconnect();
}

(async () => {
  const dir = fs.mkdtempSync(path.join(opt('dir', os.tmpdir()), 'redlite-bench-'));
  try {
    await benchRedlite(path.join(dir, 'bench.db'));
    const port = opt('redis-port', null);
    if (port !== null) await benchIoredis(Number(port));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
