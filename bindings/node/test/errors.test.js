'use strict';
// Errors: ReplyError codes, closed handles (errors, never crashes).
const test = require('node:test');
const assert = require('node:assert/strict');
const redlite = require('..');

test('ReplyError carries Redis code and message', async () => {
  const db = await redlite.open(':memory:');
  await db.set('s', 'x');
  const e = await db.lpush('s', 'y').catch((err) => err);
  assert.ok(e instanceof redlite.ReplyError);
  assert.ok(e instanceof redlite.RedliteError);
  assert.ok(e instanceof Error);
  assert.equal(e.name, 'ReplyError');
  assert.equal(e.code, 'WRONGTYPE');
  assert.equal(e.message, 'WRONGTYPE Operation against a key holding the wrong kind of value');
  const ar = await db.get().catch((err) => err);
  assert.equal(ar.code, 'ERR');
  assert.equal(ar.message, "ERR wrong number of arguments for 'get' command");
  const nan = await db.incr('s').catch((err) => err);
  assert.equal(nan.message, 'ERR value is not an integer or out of range');
  const syn = await db.set('k', 'v', 'BOGUS').catch((err) => err);
  assert.equal(syn.message, 'ERR syntax error');
  // The typed fast path gives the same error as the command.
  const typed = await db.get('s').then(() => null, (err) => err);
  assert.equal(typed, null);
  await db.rpush('l', 1);
  const tg = await db.get('l').catch((err) => err);
  assert.equal(tg.code, 'WRONGTYPE');
  assert.throws(() => db.sync.get('l'), (err) => err instanceof redlite.ReplyError && err.code === 'WRONGTYPE');
  await db.close();
});

test('every kind of call on a closed db fails with ClosedError', async () => {
  const db = await redlite.open(':memory:');
  const conn = db.connection();
  await db.close();
  await db.close(); // closing twice is fine
  const isClosed = (e) => e instanceof redlite.ClosedError && e.code === 'CLOSED';
  await assert.rejects(db.get('k'), isClosed);
  await assert.rejects(db.getBuffer('k'), isClosed);
  await assert.rejects(db.set('k', 'v'), isClosed);
  await assert.rejects(db.hset('h', { a: 1 }), isClosed);
  await assert.rejects(db.call('ping'), isClosed);
  await assert.rejects(db.blpop('q', 0), isClosed);
  await assert.rejects(db.subscribe('c'), isClosed);
  await assert.rejects(db.watch('k'), isClosed);
  await assert.rejects(db.multi().set('a', 1).exec(), isClosed);
  await assert.rejects(db.transaction(async () => {}), isClosed);
  await assert.rejects(conn.get('k'), isClosed);
  await assert.rejects(conn.close().then(() => conn.get('k')), isClosed);
  assert.throws(() => db.sync.get('k'), isClosed);
  assert.throws(() => db.sync.set('k', 'v'), isClosed);
  assert.throws(() => db.sync.incr('k'), isClosed);
  assert.throws(() => db.connection(), isClosed);
  const cbErr = await new Promise((resolve) => db.get('k', (e) => resolve(e)));
  assert.ok(isClosed(cbErr));
  assert.equal(db.status, 'end');
});

test('calls in flight when the db closes settle', async () => {
  const db = await redlite.open(':memory:');
  const ps = [];
  for (let i = 0; i < 2000; i++) ps.push(db.set('k' + i, i).then(() => 'ok', (e) => (e instanceof redlite.ClosedError ? 'closed' : e)));
  const closing = db.close();
  const out = await Promise.all(ps);
  await closing;
  assert.ok(out.every((r) => r === 'ok' || r === 'closed'), String(out.find((r) => r !== 'ok' && r !== 'closed')));
});

test('closeSync, close events, and quit like ioredis', async () => {
  const db = redlite.openSync(':memory:');
  const events = [];
  db.on('close', () => events.push('close'));
  db.on('end', () => events.push('end'));
  db.closeSync();
  db.closeSync();
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(events, ['close', 'end']);
  const db2 = await redlite.open(':memory:');
  assert.equal(await db2.quit(), 'OK');
  await assert.rejects(db2.ping(), redlite.ClosedError);
  const db3 = await redlite.open(':memory:');
  db3.disconnect();
  await assert.rejects(db3.ping(), redlite.ClosedError);
});

test('a connection closed on its own, and closing twice', async () => {
  const db = await redlite.open(':memory:');
  const c = db.connection();
  assert.equal(await c.ping(), 'PONG');
  await c.close();
  await c.close();
  await assert.rejects(c.ping(), redlite.ClosedError);
  assert.throws(() => c.sync.ping(), redlite.ClosedError);
  assert.equal(await db.ping(), 'PONG'); // the db is unaffected
  await db.close();
});

test('arguments that cannot be converted reject instead of crashing', async () => {
  const db = await redlite.open(':memory:');
  await db.set('sym', { toString: () => 'obj' });
  assert.equal(await db.get('sym'), 'obj');
  await assert.rejects(db.set('bad', Symbol('x')), TypeError);
  await assert.rejects(db.set('bad', { toString() { throw new Error('nope'); } }), /nope/);
  await db.close();
});

test('many open and closed databases leave nothing behind', async () => {
  for (let i = 0; i < 30; i++) {
    const db = await redlite.open(':memory:');
    await db.set('k', i);
    const c = db.connection();
    await c.set('x', 1);
    await db.transaction((tx) => tx.incr('n'));
    await db.subscribe('ch');
    if (i % 2) await c.close();
    await db.close();
  }
});

test('a connection the program let go of stays open while its calls run', async () => {
  const db = await redlite.open(':memory:');
  const popped = db.connection().blpop('q', 5);
  for (let i = 0; i < 5; i++) {
    global.gc?.();
    await new Promise((r) => setTimeout(r, 10));
  }
  await db.rpush('q', 'x');
  assert.deepEqual(await popped, ['q', 'x']);
  await db.close();
});

test('closing a db right after a transaction (its conn closing meanwhile) never hangs', { timeout: 60000 }, async () => {
  // The transaction's conn is closed without waiting while the db closes:
  // both sides wait for the conn's thread.
  for (let i = 0; i < 300; i++) {
    const db = await redlite.open(':memory:');
    await db.transaction((tx) => tx.incr('n'));
    if (i % 3 === 0) db.connection().close();
    await db.close();
  }
});
