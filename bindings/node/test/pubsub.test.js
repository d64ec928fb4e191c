'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { execFile } = require('node:child_process');
const path = require('node:path');
const redlite = require('..');
const { sleep, until, tmpfile } = require('./helpers');

test('subscribe: message events, subscription counts, unsubscribe', async () => {
  const db = await redlite.open(':memory:');
  const got = [];
  db.on('message', (ch, msg) => got.push([ch, msg]));
  assert.equal(await db.subscribe('news', 'sports'), 2);
  assert.equal(await db.publish('news', 'hello'), 1);
  assert.equal(await db.publish('sports', 'goal'), 1);
  assert.equal(await db.publish('weather', 'rain'), 0);
  await until(() => got.length === 2, 'messages');
  assert.deepEqual(got, [['news', 'hello'], ['sports', 'goal']]);
  assert.equal(await db.unsubscribe('news'), 1);
  await db.publish('news', 'unheard');
  await db.publish('sports', 'heard');
  await until(() => got.length === 3, 'third message');
  assert.deepEqual(got[2], ['sports', 'heard']);
  assert.equal(await db.unsubscribe(), 0);
  // Commands keep working on the db while it is subscribed (another conn).
  assert.equal(await db.set('k', 'v'), 'OK');
  await db.close();
});

test('psubscribe: pmessage events', async () => {
  const db = await redlite.open(':memory:');
  const got = [];
  db.on('pmessage', (pattern, ch, msg) => got.push([pattern, ch, msg]));
  assert.equal(await db.psubscribe('user:*', 'order:*'), 2);
  await db.publish('user:1', 'a');
  await db.publish('order:9', 'b');
  await until(() => got.length === 2, 'pmessages');
  assert.deepEqual(got, [['user:*', 'user:1', 'a'], ['order:*', 'order:9', 'b']]);
  assert.equal(await db.punsubscribe('order:*'), 1);
  assert.equal(await db.punsubscribe(), 0);
  await db.close();
});

test('messageBuffer events carry Buffers, binary payloads intact', async () => {
  const db = await redlite.open(':memory:');
  const bufs = [];
  const strs = [];
  db.on('messageBuffer', (ch, msg) => bufs.push([ch, msg]));
  db.on('message', (ch, msg) => strs.push([ch, msg]));
  await db.subscribe('bin');
  const payload = Buffer.from([0, 255, 1, 2]);
  await db.publish('bin', payload);
  await until(() => bufs.length === 1 && strs.length === 1, 'buffer message');
  assert.deepEqual(bufs[0], [Buffer.from('bin'), payload]);
  assert.equal(strs[0][0], 'bin');
  await db.close();
});

test('a subscriber on a connection of its own, published to from another process handle', async () => {
  const file = tmpfile();
  const db = await redlite.open(file);
  const sub = db.duplicate();
  const got = [];
  sub.on('message', (ch, msg) => got.push(msg));
  await sub.subscribe('jobs');
  // In subscribed state the connection only takes (un)subscribe commands, as in Redis.
  await assert.rejects(sub.get('k'), /only .*SUBSCRIBE|Can't execute/i);
  const other = await redlite.open(file);
  for (let i = 0; i < 100; i++) await other.publish('jobs', 'job' + i);
  await until(() => got.length === 100, '100 messages', 20000);
  assert.deepEqual(got, Array.from({ length: 100 }, (_, i) => 'job' + i));
  await sub.unsubscribe('jobs');
  assert.equal(await sub.set('k', 'v'), 'OK');
  await sub.close();
  await other.close();
  await db.close();
});

test('a failed subscribe rejects and leaves no subscription behind', async () => {
  const db = await redlite.open(':memory:');
  const c = db.connection();
  await assert.rejects(c.subscribe(), (e) => e.code === 'ERR' && /wrong number of arguments/.test(e.message));
  assert.equal(await c.set('k', 'v'), 'OK'); // not in subscribed state
  // Inside MULTI, SUBSCRIBE is queued like any command.
  await c.call('multi');
  assert.equal(await c.subscribe('x'), 'QUEUED');
  await c.call('discard');
  await c.close();
  await db.close();
});

test('a subscribed db keeps the process alive; close lets it exit', async () => {
  const script = path.join(__dirname, 'fixtures', 'exit-subscribed.js');
  const start = Date.now();
  const out = await new Promise((resolve, reject) => {
    execFile(process.execPath, [script], { timeout: 30000 }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
  });
  assert.equal(out.trim(), 'message hi\nclosed');
  assert.ok(Date.now() - start >= 200, 'stayed alive while subscribed');
});

test('many messages in a burst arrive in order', async () => {
  const db = await redlite.open(':memory:');
  const got = [];
  db.on('message', (ch, m) => got.push(Number(m)));
  await db.subscribe('burst');
  const n = 5000;
  await Promise.all(Array.from({ length: n }, (_, i) => db.publish('burst', i)));
  await until(() => got.length === n, 'burst', 20000);
  assert.deepEqual(got, Array.from({ length: n }, (_, i) => i));
  await db.close();
  await sleep(10);
});

test('a subscriber that falls too far behind is dropped with an error event, as Redis drops it', async () => {
  const db = await redlite.open(':memory:');
  await db.config('SET', 'client-output-buffer-limit', 'pubsub 65536 65536 0');
  let received = 0;
  const errors = [];
  db.on('message', () => received++);
  db.on('error', (e) => errors.push(e));
  await db.subscribe('flood');
  // Publish synchronously: the JS thread delivers nothing meanwhile, so
  // messages pile up past what the reader buffers, then past the limit.
  const payload = 'x'.repeat(1000);
  for (let i = 0; i < 3000; i++) db.sync.publish('flood', payload);
  await until(() => errors.length === 1, 'the overflow error', 20000);
  assert.match(errors[0].message, /client-output-buffer-limit/);
  assert.ok(received < 3000, `received ${received}`); // how many depends on how fast the reader ran
  // Subscribing again works.
  assert.equal(await db.subscribe('again'), 1);
  await db.close();
});

test('without an error listener, a dropped subscriber is a warning, not a crash', async () => {
  const db = await redlite.open(':memory:');
  await db.config('SET', 'client-output-buffer-limit', 'pubsub 65536 65536 0');
  const warnings = [];
  const onWarning = (w) => warnings.push(w);
  process.on('warning', onWarning);
  await db.subscribe('flood');
  for (let i = 0; i < 3000; i++) db.sync.publish('flood', 'x'.repeat(1000));
  await until(() => warnings.some((w) => /client-output-buffer-limit/.test(w.message)), 'the warning', 20000);
  process.removeListener('warning', onWarning);
  await db.close();
});
