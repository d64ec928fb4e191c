'use strict';
// The asynchronous path: ordering, merged GET/SET runs, blocking commands on
// their own threads, and an event loop that keeps turning meanwhile.
const test = require('node:test');
const assert = require('node:assert/strict');
const redlite = require('..');
const { sleep, until } = require('./helpers');

// Counts event-loop turns while fn runs: a blocked loop would count ~0.
async function ticksDuring(fn) {
  let ticks = 0;
  const t = setInterval(() => ticks++, 1);
  try {
    const result = await fn();
    return { ticks, result };
  } finally {
    clearInterval(t);
  }
}

test('requests run in the order they were made, without awaiting each', async () => {
  const db = await redlite.open(':memory:');
  const ps = [];
  for (let i = 0; i < 500; i++) {
    ps.push(db.set('k', i));
    ps.push(db.get('k'));
    ps.push(db.incr('n'));
  }
  const results = await Promise.all(ps);
  for (let i = 0; i < 500; i++) {
    assert.equal(results[3 * i], 'OK');
    assert.equal(results[3 * i + 1], String(i));
    assert.equal(results[3 * i + 2], i + 1);
  }
  await db.close();
});

test('merged GETs answer each request as GET would, WRONGTYPE included', async () => {
  const db = await redlite.open(':memory:');
  await db.set('s', 'str');
  await db.rpush('list', 'x');
  await db.set('empty', '');
  const ps = [];
  for (let i = 0; i < 300; i++) ps.push(db.get(['s', 'list', 'none', 'empty'][i % 4]).then((v) => v, (e) => e));
  const out = await Promise.all(ps);
  for (let i = 0; i < 300; i++) {
    const v = out[i];
    switch (i % 4) {
      case 0: assert.equal(v, 'str'); break;
      case 1: assert.ok(v instanceof redlite.ReplyError && v.code === 'WRONGTYPE', String(v)); break;
      case 2: assert.equal(v, null); break;
      case 3: assert.equal(v, ''); break;
    }
  }
  const bufs = await Promise.all([db.getBuffer('s'), db.get('s'), db.getBuffer('none')]);
  assert.deepEqual(bufs, [Buffer.from('str'), 'str', null]);
  await db.close();
});

test('merged plain SETs overwrite other types and clear TTLs like SET', async () => {
  const db = await redlite.open(':memory:');
  await db.rpush('list', 'x');
  await db.set('ttl', 'v', 'EX', 100);
  const ps = [];
  for (let i = 0; i < 200; i++) ps.push(db.set(i % 2 ? 'list' : 'ttl', 'v' + i));
  assert.ok((await Promise.all(ps)).every((r) => r === 'OK'));
  assert.equal(await db.get('list'), 'v199');
  assert.equal(await db.get('ttl'), 'v198');
  assert.equal(await db.ttl('ttl'), -1);
  assert.equal(await db.type('list'), 'string');
  await db.close();
});

test('a blocking pop waits on its own thread: the loop and other commands go on', async () => {
  const db = await redlite.open(':memory:');
  const popped = db.blpop('q', 0);
  // Other commands are not stuck behind it.
  for (let i = 0; i < 50; i++) assert.equal(await db.set('k' + i, i), 'OK');
  const { ticks } = await ticksDuring(() => sleep(100));
  assert.ok(ticks > 10, `event loop turned ${ticks} times`);
  await db.rpush('q', 'job');
  assert.deepEqual(await popped, ['q', 'job']);
  await db.close();
});

test('blocking pops time out with null, many at once', async () => {
  const db = await redlite.open(':memory:');
  const start = Date.now();
  const { ticks, result } = await ticksDuring(() => Promise.all(Array.from({ length: 20 }, (_, i) => db.brpop('none' + i, 0.2))));
  assert.deepEqual(result, Array(20).fill(null));
  assert.ok(Date.now() - start >= 190);
  assert.ok(ticks > 5, `event loop turned ${ticks} times`);
  assert.equal(await db.bzpopmin('nz', 0.05), null);
  assert.equal(await db.blmove('a', 'b', 'LEFT', 'RIGHT', 0.05), null);
  await db.close();
});

test('blocking commands wake in order of arrival, each with its own element', async () => {
  const db = await redlite.open(':memory:');
  const waiters = Array.from({ length: 5 }, () => db.blpop('jobs', 5));
  await sleep(50);
  await db.rpush('jobs', 'a', 'b', 'c', 'd', 'e');
  const got = await Promise.all(waiters);
  assert.deepEqual(got.map((g) => g[1]).sort(), ['a', 'b', 'c', 'd', 'e']);
  await db.close();
});

test('closing the db ends blocked calls', async () => {
  const db = await redlite.open(':memory:');
  const blocked = db.blpop('never', 0).then((v) => v, (e) => e);
  await sleep(30);
  await db.close();
  const r = await blocked;
  assert.ok(r === null || r instanceof redlite.ClosedError, String(r));
});

test('a long command does not block the event loop', async () => {
  const db = await redlite.open(':memory:');
  const members = Array.from({ length: 20000 }, (_, i) => 'member:' + i);
  const { ticks, result } = await ticksDuring(async () => {
    await db.sadd('big', members);
    return db.smembers('big');
  });
  assert.equal(result.length, 20000);
  assert.ok(ticks > 0);
  await db.close();
});

test('thousands of promises in flight settle', async () => {
  const db = await redlite.open(':memory:');
  const ps = [];
  for (let i = 0; i < 20000; i++) ps.push(i % 2 ? db.get('k' + (i % 100)) : db.set('k' + (i % 100), i));
  const out = await Promise.all(ps);
  assert.equal(out.length, 20000);
  assert.equal(await db.dbsize(), 50); // even i set k0, k2, ... k98
  await db.close();
});

test('the synchronous mirror', async () => {
  const db = await redlite.open(':memory:');
  assert.equal(db.sync.set('k', 'v'), 'OK');
  assert.equal(db.sync.get('k'), 'v');
  assert.deepEqual(db.sync.getBuffer('k'), Buffer.from('v'));
  assert.equal(db.sync.set('k', 'w', 'GET'), 'v');
  assert.equal(db.sync.hset('h', { a: 1 }), 1);
  assert.deepEqual(db.sync.hgetall('h'), { a: '1' });
  assert.equal(db.sync.call('INCRBY', 'n', 5), 5);
  assert.throws(() => db.sync.lpush('k', 'x'), (e) => e instanceof redlite.ReplyError && e.code === 'WRONGTYPE');
  // Commands that can wait are refused instead of freezing the loop.
  assert.throws(() => db.sync.blpop('q', 0), /block the event loop/);
  assert.throws(() => db.sync.call('brpop', 'q', 0), /block the event loop/);
  // Sync and async see each other's writes once they ran.
  await db.set('a', 1);
  assert.equal(db.sync.get('a'), '1');
  db.sync.set('b', 2);
  assert.equal(await db.get('b'), '2');
  await db.close();
  assert.throws(() => db.sync.get('a'), redlite.ClosedError);
});

test('refused connection-state commands on the db say where they belong', async () => {
  const db = await redlite.open(':memory:');
  await assert.rejects(db.select(1), (e) => e.code === 'ERR' && /db\.connection\(\)/.test(e.message));
  await assert.rejects(db.client('SETNAME', 'x'), /connection of your own/);
  assert.throws(() => db.sync.select(1), /connection of your own/);
  assert.equal(typeof (await db.client('ID')), 'number');
  await db.close();
});

test('work spread over many keys and commands keeps the numbers right', async () => {
  const db = await redlite.open(':memory:');
  await Promise.all(Array.from({ length: 2000 }, (_, i) => db.incr('c' + (i % 10))));
  const vals = await db.mget(Array.from({ length: 10 }, (_, i) => 'c' + i));
  assert.deepEqual(vals, Array(10).fill('200'));
  await until(async () => (await db.dbsize()) === 10, 'dbsize');
  await db.close();
});
