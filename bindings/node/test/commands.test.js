'use strict';
// The methods and types follow the command table (COMMAND, through call).
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const redlite = require('..');

const RESERVED = new Set(['sync']); // db.sync is the synchronous mirror

test('lib/commands.json is the library\'s command table', async () => {
  const db = await redlite.open(':memory:');
  const live = (await db.call('COMMAND')).map((c) => c[0]).sort();
  assert.deepEqual([...redlite.commands].sort(), live, 'run `npm run gen` in bindings/node (or reinstall) after changing the command table');
  assert.equal(await db.call('COMMAND', 'COUNT'), live.length);
  assert.deepEqual((await db.call('COMMAND', 'LIST')).sort(), live);
  await db.close();
});

test('every command is a method, with its Buffer twin, on every kind of handle', async () => {
  const db = await redlite.open(':memory:');
  const conn = db.connection();
  const pipe = db.pipeline();
  for (const name of redlite.commands) {
    if (RESERVED.has(name)) continue;
    for (const m of [name, name + 'Buffer']) {
      assert.equal(typeof db[m], 'function', `db.${m}`);
      assert.equal(typeof conn[m], 'function', `connection.${m}`);
    }
    if (!['exec', 'discard', 'watch', 'unwatch'].includes(name)) assert.equal(typeof pipe[name], 'function', `pipeline.${name}`);
  }
  await conn.close();
  await db.close();
});

test('index.d.ts declares every command for db, db.sync and pipelines', () => {
  const dts = fs.readFileSync(path.join(__dirname, '..', 'index.d.ts'), 'utf8');
  const block = (name) => {
    const start = dts.indexOf(`export interface ${name} {`);
    assert.ok(start >= 0, name);
    return dts.slice(start, dts.indexOf('\n}\n', start));
  };
  const async = block('Commands');
  const sync = block('SyncCommands');
  const pipe = block('PipelineCommands');
  const subscribing = block('Subscribing');
  const declared = (body, m) => new RegExp(`\\n  (${m}|"${m}")\\(`).test(body);
  for (const name of redlite.commands) {
    if (RESERVED.has(name) || ['multi', 'quit'].includes(name)) continue;
    if (/subscribe$/.test(name)) {
      assert.ok(declared(subscribing, name), name);
      continue;
    }
    for (const m of [name, name + 'Buffer']) {
      assert.ok(declared(async, m), `Commands.${m}`);
      if (!['exec', 'discard', 'watch', 'unwatch'].includes(name)) {
        assert.ok(declared(sync, m), `SyncCommands.${m}`);
        assert.ok(declared(pipe, m), `PipelineCommands.${m}`);
      }
    }
  }
});

test('every command method reaches the command (arity errors, not crashes)', async () => {
  const db = await redlite.open(':memory:');
  const skip = new Set(['quit', 'shutdown', 'monitor', 'multi', 'sync', 'subscribe', 'psubscribe', 'ssubscribe', 'unsubscribe', 'punsubscribe', 'sunsubscribe']);
  for (const c of require('../lib/commands.json')) {
    if (skip.has(c.name)) continue;
    // No arguments: Redis' arity error when the command needs some.
    const r = await db[c.name]().then((v) => ({ v }), (e) => ({ e }));
    if (r.e) {
      assert.ok(r.e instanceof redlite.ReplyError, `${c.name}: ${r.e}`);
      if (Math.abs(c.arity) > 1 && !['exec', 'discard'].includes(c.name)) {
        assert.match(r.e.message, /wrong number of arguments|changes connection state|without MULTI/, c.name);
      }
    } else {
      assert.ok(Math.abs(c.arity) === 1 || c.arity === -1, `${c.name} answered ${JSON.stringify(r.v)} without arguments`);
    }
  }
  await db.close();
});
