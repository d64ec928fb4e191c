'use strict';
// The shared test vectors (tests/vectors, see its README.md): each file,
// redis-server 7.0.15's replies to one differential script, replayed through
// the addon's raw reply path (connCommand with RF_RAW, connNextMessage for
// pub/sub messages) on a fresh in-memory database, and every reply compared
// with the recorded one as a typed tree. Prints how many replies were
// compared and excluded.
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const redlite = require('..');
const binding = require('../build/Release/redlite.node');

const VECTORS = path.join(__dirname, '..', '..', '..', 'tests', 'vectors');
const RF_RAW = 4; // src/rn.h
// How long a sent command may take to block and a recv to get its reply:
// far beyond what any step needs, so a loaded machine is never a failure.
const WAIT_MS = 30000;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function readExclusions() {
  const out = new Map();
  for (const raw of fs.readFileSync(path.join(VECTORS, 'EXCLUDED'), 'utf8').split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(\S+) (\d+) (.+)$/.exec(line);
    assert.ok(m, `bad EXCLUDED line: ${line}`);
    out.set(`${m[1]} ${m[2]}`, m[3]);
  }
  return out;
}

// The vectors' JSON, with integers as BigInt: a reply's int may be any
// int64. ("int": cannot occur inside a JSON string, whose quotes are
// escaped.)
function readVectors(name) {
  const text = fs.readFileSync(path.join(VECTORS, name), 'utf8').replace(/"int":(-?\d+)/g, '"int":"$1"');
  return JSON.parse(text, (k, v) => (k === 'int' && typeof v === 'string' ? BigInt(v) : v));
}

// A string of the vectors: JSON text, or {b64: ...} for binary.
const bytes = (v) => (typeof v === 'string' ? Buffer.from(v, 'utf8') : Buffer.from(v.b64, 'base64'));

// A recorded reply in the raw path's shape. The C ABI under the addon has
// one null type (hiredis'): RESP2's nil array is its nil.
function want(r) {
  const kind = r.kind === 'nil-array' ? 'nil' : r.kind;
  const out = { kind };
  if (r.elems) out.elems = r.elems.map(want);
  else if (kind === 'int') out.int = r.int;
  else if (kind === 'bool') out.bool = r.bool;
  else if ('str' in r) out.str = Buffer.from(r.str, 'utf8');
  else if ('b64' in r) out.str = Buffer.from(r.b64, 'base64');
  if (kind === 'verbatim') out.format = r.format;
  return out;
}

// A deterministic text of a tree: equal trees, equal texts.
function text(r) {
  let s = r.kind;
  if (r.elems) s += `[${r.elems.length}]{` + r.elems.map(text).join(', ') + '}';
  else if (r.kind === 'int') s += ' ' + r.int.toString();
  else if (r.kind === 'bool') s += ' ' + r.bool;
  else if (r.str) s += (r.format ? ' ' + r.format : '') + ' ' + JSON.stringify(r.str.toString('latin1'));
  return s;
}

// Aggregates as multisets at every level; the top level by pairs with
// pairs (a map's always).
function canonical(r, pairs) {
  if (!r.elems) return r;
  const step = pairs || r.kind === 'map' ? 2 : 1;
  const els = r.elems.map((e) => canonical(e, false));
  const n = els.length - (els.length % step);
  const items = [];
  for (let i = 0; i < n; i += step) items.push(els.slice(i, i + step));
  const key = (it) => it.map(text).join('\x01');
  items.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return { kind: r.kind, elems: items.flat().concat(els.slice(n)) };
}

function shape(r) {
  let s = r.kind;
  if (r.elems) s += `[${r.elems.length}]`;
  else if (r.kind === 'error') s += ' ' + r.str.toString('utf8').split(' ')[0];
  return s;
}

// '' when the reply matches the step's expectation, else the difference.
function compare(step, got) {
  if (step.compare === 'type') {
    const sh = step.shape;
    const w = sh.kind + (sh.len !== undefined ? `[${sh.len}]` : '') + (sh.code ? ' ' + sh.code : '');
    const g = shape(got);
    return w === g ? '' : `shape: want ${w}, got ${g}`;
  }
  let w = want(step.reply);
  let g = got;
  if (step.compare === 'sort' || step.compare === 'sortpairs') {
    w = canonical(w, step.compare === 'sortpairs');
    g = canonical(g, step.compare === 'sortpairs');
  }
  const wt = text(w);
  const gt = text(g);
  return wt === gt ? '' : `\nwant: ${wt}\ngot:  ${gt}`;
}

async function blocked(conn) {
  const r = await binding.connCommand(conn, RF_RAW, 'INFO', 'clients');
  const m = /^blocked_clients:(\d+)\r?$/m.exec(r.str.toString('latin1'));
  assert.ok(m, 'no blocked_clients in INFO clients');
  return Number(m[1]);
}

const summary = { files: 0, compared: 0, excluded: 0, reasons: [] };
const EXCLUDED = readExclusions();

async function replay(name) {
  const vec = readVectors(name);
  const failures = [];
  let compared = 0;
  let excluded = 0;
  const db = await redlite.open(':memory:');
  // INFO and COMMAND INFO on a conn of their own, never one a step uses.
  const admin = binding.connOpen(db._h);
  const conns = new Map();
  const sent = new Map();
  try {
    for (const cmd of vec.requires || []) {
      const info = await binding.connCommand(admin, RF_RAW, 'COMMAND', 'INFO', cmd);
      if (info.elems[0].kind === 'nil') {
        const n = vec.steps.filter((s) => s.compare && s.compare !== 'none').length;
        summary.reasons.push(`${name}: ${n} steps: needs ${cmd}, which is not implemented`);
        return { compared: 0, excluded: n, failures };
      }
    }
    for (const step of vec.steps) {
      const where = `${name} line ${step.line}`;
      if (step.op === 'sleep') {
        await sleep(step.ms);
        continue;
      }
      if (!conns.has(step.conn)) conns.set(step.conn, binding.connOpen(db._h));
      const c = conns.get(step.conn);
      if (step.op === 'send') {
        assert.ok(!sent.has(step.conn), `${where}: a second send before recv`);
        const before = await blocked(admin);
        const p = { done: false };
        p.promise = binding.connCommand(c, RF_RAW, ...step.argv.map(bytes)).finally(() => { p.done = true; });
        sent.set(step.conn, p);
        // Until it answered or blocked, as the generator did.
        const end = Date.now() + WAIT_MS;
        while (!p.done && (await blocked(admin)) <= before) {
          assert.ok(Date.now() < end, `${where}: the sent command neither answered nor blocked`);
          await sleep(2);
        }
        continue;
      }
      let got;
      if (step.op === 'recv') {
        if (sent.has(step.conn)) {
          got = await sent.get(step.conn).promise;
          sent.delete(step.conn);
        } else {
          got = await binding.connNextMessage(c, WAIT_MS);
          if (got === null) {
            failures.push(`${where}: no message came`);
            continue;
          }
        }
      } else if (step.op === 'command') {
        got = await binding.connCommand(c, RF_RAW, ...step.argv.map(bytes));
      } else {
        throw new Error(`${where}: unknown op ${step.op}`);
      }
      if (step.compare === 'none') continue;
      const why = EXCLUDED.get(`${name} ${step.line}`);
      if (why !== undefined) {
        excluded++;
        summary.reasons.push(`${where}: ${why}`);
        continue;
      }
      compared++;
      const diff = compare(step, got);
      if (diff) failures.push(`${where}: ${diff}`);
    }
  } finally {
    // Closing the database ends the wait of a sent command nobody read.
    await db.close();
    await Promise.allSettled([...sent.values()].map((p) => p.promise));
  }
  return { compared, excluded, failures };
}

test('shared test vectors through the addon', async (t) => {
  const names = fs.readdirSync(VECTORS).filter((n) => n.endsWith('.json')).sort();
  assert.ok(names.length > 0, `no vectors in ${VECTORS}`);
  for (const name of names) {
    await t.test(name, async () => {
      const r = await replay(name);
      summary.files++;
      summary.compared += r.compared;
      summary.excluded += r.excluded;
      assert.deepEqual(r.failures, []);
      assert.ok(r.compared + r.excluded > 0);
    });
  }
  for (const r of summary.reasons) console.log(`vectors excluded: ${r}`);
  console.log(`vectors (Node, connCommand raw): ${summary.files} files, ${summary.compared} replies compared, ` +
    `${summary.excluded} excluded`);
});

test('the comparison can fail', () => {
  const bulk = (s) => ({ kind: 'bulk', str: Buffer.from(s) });
  const w = { kind: 'array', elems: [{ kind: 'bulk', str: 'a' }, { kind: 'bulk', str: 'b' }] };
  const ab = { kind: 'array', elems: [bulk('a'), bulk('b')] };
  const ba = { kind: 'array', elems: [bulk('b'), bulk('a')] };
  assert.equal(compare({ compare: 'exact', reply: w }, ab), '');
  assert.notEqual(compare({ compare: 'exact', reply: w }, ba), '');
  assert.equal(compare({ compare: 'sort', reply: w }, ba), '');
  assert.notEqual(compare({ compare: 'sort', reply: w }, { kind: 'array', elems: [bulk('b'), bulk('b')] }), '');
  assert.notEqual(compare({ compare: 'sortpairs', reply: w }, ba), '');
  assert.notEqual(compare({ compare: 'exact', reply: w }, { kind: 'set', elems: ab.elems }), '');
  assert.equal(compare({ compare: 'type', shape: { kind: 'array', len: 2 } }, ba), '');
  assert.notEqual(compare({ compare: 'type', shape: { kind: 'array', len: 3 } }, ba), '');
  const err = { kind: 'error', str: Buffer.from('WRONGTYPE x') };
  assert.notEqual(compare({ compare: 'type', shape: { kind: 'error', code: 'ERR' } }, err), '');
  assert.equal(compare({ compare: 'exact', reply: { kind: 'bulk', b64: '/w==' } }, { kind: 'bulk', str: Buffer.from([0xff]) }), '');
  assert.equal(compare({ compare: 'exact', reply: { kind: 'nil-array' } }, { kind: 'nil' }), '');
  assert.equal(compare({ compare: 'exact', reply: { kind: 'int', int: 9223372036854775807n } },
    { kind: 'int', int: 9223372036854775807n }), '');
  assert.notEqual(compare({ compare: 'exact', reply: { kind: 'int', int: 9223372036854775807n } },
    { kind: 'int', int: 9223372036854775806n }), '');
  assert.deepEqual(readVectors('strings.json').script, 'strings.txt');
});

test('the raw path keeps kinds apart', async () => {
  const db = await redlite.open(':memory:');
  try {
    const c = binding.connOpen(db._h);
    const ok = await binding.connCommand(c, RF_RAW, 'SET', 'k', '9223372036854775806');
    assert.equal(text(ok), 'status "OK"');
    assert.equal(text(await binding.connCommand(c, RF_RAW, 'INCR', 'k')), 'int 9223372036854775807');
    const e = await binding.connCommand(c, RF_RAW, 'INCR', 'k');
    assert.equal(e.kind, 'error');
    assert.equal(text(await binding.connCommand(c, RF_RAW, 'GET', 'nokey')), 'nil');
    assert.equal(await binding.connNextMessage(c, 0).catch((err) => err.code), 'ERR', 'not subscribed');
    await binding.connCommand(c, RF_RAW, 'HELLO', '3');
    const d = await binding.connCommand(c, RF_RAW, 'ZINCRBY', 'z', '1.5', 'm');
    assert.equal(text(d), 'double "1.5"');
  } finally {
    await db.close();
  }
});
