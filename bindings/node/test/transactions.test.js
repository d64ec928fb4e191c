'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const redlite = require('..');
const { tmpfile, sleep } = require('./helpers');

test('transaction commits what its function did and returns its result', async () => {
  const db = await redlite.open(tmpfile());
  const r = await db.transaction(async (tx) => {
    await tx.set('a', 1);
    await tx.incrby('a', 41);
    await tx.hset('h', { f: 'v' });
    return tx.get('a');
  });
  assert.equal(r, '42');
  assert.equal(await db.get('a'), '42');
  assert.deepEqual(await db.hgetall('h'), { f: 'v' });
  await db.close();
});

test('transaction rolls back everything when its function throws', async () => {
  const db = await redlite.open(tmpfile());
  await db.set('a', 'before');
  const boom = new Error('boom');
  await assert.rejects(db.transaction(async (tx) => {
    await tx.set('a', 'during');
    await tx.rpush('list', 1, 2, 3);
    assert.equal(await tx.get('a'), 'during'); // reads see its own writes
    throw boom;
  }), (e) => e === boom);
  assert.equal(await db.get('a'), 'before');
  assert.equal(await db.exists('list'), 0);
  await db.close();
});

test('a failing command inside a transaction does not end it', async () => {
  const db = await redlite.open(tmpfile());
  await db.transaction(async (tx) => {
    await tx.set('s', 'x');
    await assert.rejects(tx.lpush('s', 'y'), (e) => e.code === 'WRONGTYPE');
    await tx.set('t', 'y');
  });
  assert.deepEqual(await db.mget('s', 't'), ['x', 'y']);
  await db.close();
});

test('others see a transaction all at once, at commit', async () => {
  const db = await redlite.open(tmpfile());
  let release;
  const gate = new Promise((r) => (release = r));
  const tx = db.transaction(async (t) => {
    await t.set('x', 1);
    await t.set('y', 1);
    await gate;
  });
  await sleep(30);
  // Reads do not wait for the open transaction and do not see it.
  assert.deepEqual(await db.mget('x', 'y'), [null, null]);
  assert.deepEqual(db.sync.mget('x', 'y'), [null, null]);
  // A write through the db waits for the commit (its own thread waits, not the loop).
  const write = db.set('x', 2);
  let written = false;
  write.then(() => (written = true));
  await sleep(50);
  assert.equal(written, false);
  // A synchronous write would wait on the JS thread, which the transaction needs: refused.
  assert.throws(() => db.sync.set('z', 1), /open transaction/);
  release();
  await tx;
  await write;
  assert.deepEqual(await db.mget('x', 'y'), ['2', '1']);
  await db.close();
});

test('the tx handle is finished after the transaction', async () => {
  const db = await redlite.open(':memory:');
  let saved;
  await db.transaction(async (tx) => {
    saved = tx;
  });
  await assert.rejects(saved.get('a'), /transaction is finished/);
  await assert.rejects(saved.close(), /ends when its function returns/);
  await db.close();
});

test('many transactions one after another and side by side', async () => {
  const db = await redlite.open(tmpfile());
  for (let i = 0; i < 50; i++) await db.transaction((tx) => tx.incr('seq'));
  await Promise.all(Array.from({ length: 20 }, () => db.transaction(async (tx) => {
    const v = Number(await tx.get('par'));
    await tx.set('par', v + 1); // serialized: no lost update
  })));
  assert.deepEqual(await db.mget('seq', 'par'), ['50', '20']);
  await db.close();
});

test('multi().exec() gives [[err, result], ...] like ioredis', async () => {
  const db = await redlite.open(':memory:');
  await db.set('s', 'str');
  const res = await db.multi().set('a', 1).incr('a').get('a').lpush('s', 'x').hset('h', { f: 1 }).hgetall('h').exec();
  assert.equal(res.length, 6);
  assert.deepEqual(res[0], [null, 'OK']);
  assert.deepEqual(res[1], [null, 2]);
  assert.deepEqual(res[2], [null, '2']);
  assert.equal(res[3].length, 1);
  assert.ok(res[3][0] instanceof redlite.ReplyError);
  assert.equal(res[3][0].code, 'WRONGTYPE');
  assert.deepEqual(res[4], [null, 1]);
  assert.deepEqual(res[5], [null, { f: '1' }]);
  // The array form and Buffer variants.
  const res2 = await db.multi([['set', 'b', 'x'], ['get', 'b']]).getBuffer('b').exec();
  assert.deepEqual(res2, [[null, 'OK'], [null, 'x'], [null, Buffer.from('x')]]);
  // Callback form.
  const res3 = await new Promise((resolve, reject) => db.multi().ping().exec((e, r) => (e ? reject(e) : resolve(r))));
  assert.deepEqual(res3, [[null, 'PONG']]);
  await db.close();
});

test('EXECABORT rejects exec with the queued errors', async () => {
  const db = await redlite.open(':memory:');
  const err = await db.multi().set('a', 1).call('nosuch').get('a', 'extra').exec().catch((e) => e);
  assert.ok(err instanceof redlite.ReplyError);
  assert.equal(err.code, 'EXECABORT');
  assert.equal(err.previousErrors.length, 2);
  assert.match(err.previousErrors[0].message, /unknown command/);
  assert.match(err.previousErrors[1].message, /wrong number of arguments/);
  assert.equal(await db.get('a'), null);
  await db.close();
});

test('watch: exec gives null when a watched key changed', async () => {
  const db = await redlite.open(':memory:');
  await db.set('w', 1);
  assert.equal(await db.watch('w'), 'OK');
  const v = Number(await db.get('w'));
  await db.set('w', 100); // someone else's write
  assert.equal(await db.multi().set('w', v + 1).exec(), null);
  assert.equal(await db.get('w'), '100');
  // Without interference it goes through.
  await db.watch('w');
  assert.deepEqual(await db.multi().incr('w').exec(), [[null, 101]]);
  // unwatch.
  await db.watch('w');
  await db.set('w', 0);
  await db.unwatch();
  assert.deepEqual(await db.multi().incr('w').exec(), [[null, 1]]);
  await db.close();
});

test('watch and multi on a connection of its own', async () => {
  const db = await redlite.open(':memory:');
  const c = db.connection();
  await c.set('k', 1);
  await c.watch('k');
  await db.set('k', 2);
  assert.equal(await c.multi().incr('k').exec(), null);
  assert.deepEqual(await c.multi().incr('k').exec(), [[null, 3]]);
  await c.close();
  await db.close();
});

test('pipeline() runs commands without a transaction', async () => {
  const db = await redlite.open(':memory:');
  await db.set('s', 'x');
  const res = await db.pipeline().set('a', 1).lpush('s', 'y').get('a').exec();
  assert.deepEqual(res[0], [null, 'OK']);
  assert.equal(res[1][0].code, 'WRONGTYPE');
  assert.deepEqual(res[2], [null, '1']);
  assert.equal(db.pipeline().get('a').get('b').length, 2);
  await db.close();
});
