'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const redlite = require('..');
const { tmpfile } = require('./helpers');

test('open, set, get, close; data survives a reopen', async () => {
  const file = tmpfile();
  const db = await redlite.open(file);
  assert.equal(await db.set('k', 'v'), 'OK');
  assert.equal(await db.get('k'), 'v');
  assert.equal(await db.get('missing'), null);
  await db.close();
  const again = redlite.openSync(file);
  assert.equal(again.sync.get('k'), 'v');
  again.closeSync();
});

test('new Redlite(path) opens like openSync; default path is :memory:; ready events', async () => {
  const db = new redlite.Redlite();
  await new Promise((resolve) => db.once('ready', resolve));
  assert.equal(db.status, 'ready');
  assert.equal(db.path, ':memory:');
  await db.set('a', 1);
  assert.equal(await db.get('a'), '1');
  await db.close();
});

test('strings in, strings out; Buffer variants; binary safety', async () => {
  const db = await redlite.open(':memory:');
  const bin = Buffer.from([0, 1, 2, 255, 0, 10, 13]);
  await db.set(bin, bin);
  assert.deepEqual(await db.getBuffer(bin), bin);
  await db.set('utf', 'héllo wörld ✓ 🚀');
  assert.equal(await db.get('utf'), 'héllo wörld ✓ 🚀');
  assert.deepEqual(await db.getBuffer('utf'), Buffer.from('héllo wörld ✓ 🚀'));
  assert.deepEqual(await db.setBuffer('b', 'x'), Buffer.from('OK'));
  await db.set('long', 'x'.repeat(100000));
  assert.equal((await db.get('long')).length, 100000);
  await db.set('u8', new Uint8Array([65, 66]));
  assert.equal(await db.get('u8'), 'AB');
  assert.equal(await db.set('empty', ''), 'OK');
  assert.equal(await db.get('empty'), '');
  assert.deepEqual(await db.getBuffer('empty'), Buffer.alloc(0));
  await db.close();
});

// The synchronous *Buffer methods get short values from the addon as latin1
// strings and make the Buffers in index.js (F_LATIN1): every byte value,
// both sides of the 4096-byte limit, status replies, arrays, conns.
test('sync Buffer variants: binary safe at every length', async () => {
  const db = redlite.openSync(':memory:');
  const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  db.sync.set('all', all);
  assert.deepEqual(db.sync.getBuffer('all'), all);
  assert.deepEqual(db.sync.getBuffer(Buffer.from('all')), all);
  assert.deepEqual(db.sync.callBuffer('get', 'all'), all);
  assert.deepEqual(db.sync.getBuffer(['all']), all);
  assert.equal(db.sync.get('all'), all.toString());
  for (const n of [0, 1, 4095, 4096, 4097, 100000]) {
    const v = Buffer.alloc(n, 0xe9);
    db.sync.set('n', v);
    const got = db.sync.getBuffer('n');
    assert.ok(Buffer.isBuffer(got));
    assert.deepEqual(got, v);
    assert.deepEqual(db.sync.callBuffer('GET', 'n'), v);
  }
  db.sync.set('utf', 'héllo ✓ 🚀');
  assert.deepEqual(db.sync.getBuffer('utf'), Buffer.from('héllo ✓ 🚀'));
  assert.equal(db.sync.getBuffer('missing'), null);
  assert.deepEqual(db.sync.setBuffer('b', 'x'), Buffer.from('OK'));
  assert.deepEqual(db.sync.pingBuffer(), Buffer.from('PONG'));
  assert.equal(db.sync.incrBuffer('i'), 1);
  db.sync.rpush('l', 'a', Buffer.from([0, 255]));
  assert.deepEqual(db.sync.lrangeBuffer('l', 0, -1), [Buffer.from('a'), Buffer.from([0, 255])]);
  db.sync.rpush('l', Buffer.alloc(5000, 0xff), '');
  const els = db.sync.lrangeBuffer('l', 0, -1);
  assert.ok(els.every((b) => Buffer.isBuffer(b)));
  assert.deepEqual(els, [Buffer.from('a'), Buffer.from([0, 255]), Buffer.alloc(5000, 0xff), Buffer.alloc(0)]);
  db.sync.hset('h', { f: all, g: 'x' });
  const h = db.sync.hgetallBuffer('h');
  assert.deepEqual(h, { f: all, g: Buffer.from('x') });
  assert.deepEqual(db.sync.callBuffer('scan', 0, 'match', 'h'), [Buffer.from('0'), [Buffer.from('h')]]);
  assert.deepEqual(db.sync.call('scan', 0, 'match', 'h'), ['0', ['h']]);
  assert.deepEqual(db.sync.lrange('l', 0, 0), ['a']);
  assert.throws(() => db.sync.getBuffer('l'), (e) => e instanceof redlite.ReplyError && /^WRONGTYPE/.test(e.message));
  const conn = db.connection();
  assert.deepEqual(conn.sync.getBuffer('all'), all);
  assert.deepEqual(conn.sync.callBuffer('get', 'all'), all);
  await conn.close();
  db.closeSync();
  assert.throws(() => db.sync.getBuffer('all'), redlite.ClosedError);
});

test('numbers, null and undefined become text as in ioredis', async () => {
  const db = await redlite.open(':memory:');
  await db.set('i', 42);
  await db.set('f', 1.5);
  await db.set('neg', -7);
  await db.set('big', 2 ** 60);
  await db.set('n', null);
  assert.equal(await db.get('i'), '42');
  assert.equal(await db.get('f'), '1.5');
  assert.equal(await db.get('neg'), '-7');
  assert.equal(await db.get('big'), String(2 ** 60));
  assert.equal(await db.get('n'), '');
  assert.equal(await db.incrby('i', 8), 50);
  await db.close();
});

test('ioredis argument shapes: options, objects, Maps, arrays', async () => {
  const db = await redlite.open(':memory:');
  assert.equal(await db.set('t', 'v', 'EX', 100), 'OK');
  const ttl = await db.ttl('t');
  assert.ok(ttl > 90 && ttl <= 100, String(ttl));
  assert.equal(await db.set('t', 'w', 'NX'), null);
  assert.equal(await db.set('t', 'w', 'XX', 'GET'), 'v');
  assert.equal(await db.hset('h', { a: 1, b: 'two' }), 2);
  assert.equal(await db.hset('h', new Map([['c', 3]])), 1);
  assert.equal(await db.hset('h', 'd', 4, 'e', 5), 2);
  assert.equal(await db.hmset('h2', { x: 'y' }), 'OK');
  assert.deepEqual(await db.hgetall('h'), { a: '1', b: 'two', c: '3', d: '4', e: '5' });
  assert.deepEqual(await db.hgetall('nothing'), {});
  assert.equal(await db.mset({ m1: 'a', m2: 'b' }), 'OK');
  assert.equal(await db.msetnx(new Map([['m3', 'c']])), 1);
  assert.deepEqual(await db.mget(['m1', 'm2'], 'm3', 'none'), ['a', 'b', 'c', null]);
  assert.equal(await db.zadd('z', 1, 'a', 2, 'b'), 2);
  assert.deepEqual(await db.zrange('z', 0, -1, 'WITHSCORES'), ['a', '1', 'b', '2']);
  assert.equal(await db.sadd('s', ['x', 'y'], 'z'), 3);
  assert.equal(await db.del(['m1', 'm2']), 2);
  assert.equal(await db.rpush('l', 1, 2, 3), 3);
  assert.deepEqual(await db.lrange('l', 0, -1), ['1', '2', '3']);
  await db.close();
});

test('hgetall keeps fields named like Object.prototype members as data', async () => {
  const db = await redlite.open(':memory:');
  await db.hset('h', '__proto__', 'p', 'constructor', 'c', 'toString', 't');
  const obj = await db.hgetall('h');
  assert.equal(Object.getPrototypeOf(obj), Object.prototype);
  assert.equal(Object.getOwnPropertyDescriptor(obj, '__proto__').value, 'p');
  assert.equal(obj.constructor, 'c');
  assert.deepEqual(Object.keys(obj).sort(), ['__proto__', 'constructor', 'toString']);
  const bufs = await db.hgetallBuffer('h');
  assert.deepEqual(bufs.toString, Buffer.from('t'));
  await db.close();
});

test('nested replies, integers, nil and Buffer arrays', async () => {
  const db = await redlite.open(':memory:');
  await db.rpush('l', 'a', 'b');
  assert.deepEqual(await db.lrangeBuffer('l', 0, -1), [Buffer.from('a'), Buffer.from('b')]);
  const [cursor, keys] = await db.scan(0, 'COUNT', 100);
  assert.equal(cursor, '0');
  assert.deepEqual(keys, ['l']);
  assert.deepEqual(await db.call('time').then((t) => t.length), 2);
  assert.equal(await db.exists('l', 'l', 'x'), 2);
  assert.equal(await db.lpop('missing'), null);
  await db.close();
});

test('call and callBuffer run any command, case-insensitive', async () => {
  const db = await redlite.open(':memory:');
  assert.equal(await db.call('SET', 'k', 'v'), 'OK');
  assert.equal(await db.call('get', 'k'), 'v');
  assert.deepEqual(await db.callBuffer('GET', 'k'), Buffer.from('v'));
  assert.equal(await db.call('Ping'), 'PONG');
  await assert.rejects(db.call('nosuchcommand', 'x'), (e) => e instanceof redlite.ReplyError && e.code === 'ERR' && /unknown command/.test(e.message));
  await db.close();
});

test('node-style callbacks as the last argument', async () => {
  const db = await redlite.open(':memory:');
  const got = await new Promise((resolve, reject) => {
    db.set('k', 'v', (err, ok) => {
      if (err) return reject(err);
      assert.equal(ok, 'OK');
      db.get('k', (err2, v) => (err2 ? reject(err2) : resolve(v)));
    });
  });
  assert.equal(got, 'v');
  const err = await new Promise((resolve) => db.lpush('k', 'x', (e) => resolve(e)));
  assert.equal(err.code, 'WRONGTYPE');
  await db.close();
});

test('open options: database, durability; bad options are refused', async () => {
  const file = tmpfile();
  const d1 = await redlite.open(file, { database: 3, durability: 'full', cacheMb: 8, readers: 2, busyTimeoutMs: 1000 });
  await d1.set('k', 'in3');
  await d1.close();
  const d0 = await redlite.open(file);
  assert.equal(await d0.get('k'), null);
  const c = d0.connection();
  await c.select(3);
  assert.equal(await c.get('k'), 'in3');
  await c.close();
  await d0.close();
  await assert.rejects(redlite.open(file, { durability: 'sometimes' }), RangeError);
  await assert.rejects(redlite.open(file, { database: 16 }), RangeError);
  await assert.rejects(redlite.open(file, { readers: -1 }), RangeError);
  await assert.rejects(redlite.open(''), TypeError);
  assert.throws(() => redlite.openSync(file, { cacheMb: 1.5 }), RangeError);
});

test('opening a file that cannot be created fails with a RedliteError', async () => {
  await assert.rejects(redlite.open('/nonexistent-dir/x/y.db'), redlite.RedliteError);
  assert.throws(() => redlite.openSync('/nonexistent-dir/x/y.db'), redlite.RedliteError);
});

test('ESM entry point exports the same API', async () => {
  const esm = await import('../index.mjs');
  assert.equal(esm.default, redlite);
  const named = Object.keys(redlite).filter((k) => k !== 'default');
  assert.deepEqual(Object.keys(esm).filter((k) => k !== 'default').sort(), named.sort());
  for (const k of named) assert.equal(esm[k], redlite[k], k);
  const db = await esm.open(':memory:');
  await db.set('k', 'v');
  assert.equal(await db.get('k'), 'v');
  await db.close();
});

test('scanStream and friends read every element', async () => {
  const db = await redlite.open(':memory:');
  for (let i = 0; i < 250; i++) await db.set('key:' + i, i);
  await db.sadd('set', ...Array.from({ length: 120 }, (_, i) => 'm' + i));
  const seen = new Set();
  for await (const batch of db.scanStream({ match: 'key:*', count: 50 })) for (const k of batch) seen.add(k);
  assert.equal(seen.size, 250);
  const members = new Set();
  for await (const batch of db.sscanStream('set', { count: 10 })) for (const m of batch) members.add(m);
  assert.equal(members.size, 120);
  await db.close();
});
