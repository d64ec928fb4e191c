'use strict';
// Ordinary ioredis code (fixtures/ioredis-app.js) run against redlite.open(),
// and compared with ioredis on a real redis-server when one is installed.
const test = require('node:test');
const assert = require('node:assert/strict');
const net = require('node:net');
const { spawn, execFileSync } = require('node:child_process');
const redlite = require('..');
const app = require('./fixtures/ioredis-app');
const { tmpfile, until } = require('./helpers');

function hasRedisServer() {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

// Replies compared as values: error objects by message.
function plain(v) {
  return JSON.parse(JSON.stringify(v, (k, x) => (x instanceof Error ? { error: x.message } : x)));
}

test('ioredis-style code runs on redlite', async () => {
  const db = await redlite.open(tmpfile());
  const out = await app(db, () => db.duplicate());
  assert.deepEqual(out.cached, { name: 'Ada' });
  assert.equal(out.setnx, 'OK');
  assert.equal(out.setnxAgain, null);
  assert.deepEqual(out.session, { user: 'ada', role: 'admin', visits: '3' });
  assert.deepEqual(out.top, ['ada', '300', 'bob', '250']);
  assert.deepEqual(out.job1, ['jobs', 'j1']);
  assert.deepEqual(out.multi, [[null, 1], [null, 1], [null, 60]]);
  assert.deepEqual(out.watchOk, [[null, 'OK']]);
  assert.equal(out.error, 'WRONGTYPE Operation against a key holding the wrong kind of value');
  assert.deepEqual(out.messages, [['events', 'hello'], ['alerts', 'fire']]);
  assert.equal(out.subscribed, 2);
  await db.quit();
});

test('the same code gives the same results on ioredis with redis-server', { skip: hasRedisServer() ? false : 'redis-server is not installed (make deps installs it)', timeout: 60000 }, async () => {
  const Redis = require('ioredis');
  const port = await freePort();
  const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  try {
    const redis = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    redis.on('error', () => {}); // refused connects while the server starts are retried below
    await until(async () => {
      try {
        await redis.connect();
        return true;
      } catch {
        return false;
      }
    }, 'redis-server', 15000);
    await redis.flushall();
    const expected = await app(redis, () => redis.duplicate());
    await redis.quit();
    const db = await redlite.open(tmpfile());
    const actual = await app(db, () => db.duplicate());
    await db.close();
    assert.deepEqual(plain(actual), plain(expected));
  } finally {
    server.kill();
  }
});
