'use strict';
// Processes exit by themselves: an idle open db holds the event loop no
// more than a closed one; pending calls hold it until they settle.
const test = require('node:test');
const assert = require('node:assert/strict');
const { execFile } = require('node:child_process');
const path = require('node:path');
const { tmpdir } = require('./helpers');

const pkg = path.resolve(__dirname, '..');

function run(code, cwd) {
  return new Promise((resolve) => {
    execFile(process.execPath, ['-e', code], { cwd, timeout: 30000, env: { ...process.env, NODE_PATH: path.dirname(pkg) } }, (err, stdout, stderr) => {
      resolve({ code: err ? err.code : 0, signal: err ? err.signal : null, stdout, stderr });
    });
  });
}

test("the issue's one-liner prints v and exits (db left open)", async () => {
  const dir = tmpdir();
  const r = await run(`const r=require(${JSON.stringify(pkg)});(async()=>{const db=await r.open('x.db');await db.set('k','v');console.log(await db.get('k'))})()`, dir);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'v\n');
  // What was written is in the file.
  const again = await run(`const r=require(${JSON.stringify(pkg)});const db=r.openSync('x.db');console.log(db.sync.get('k'));db.closeSync()`, dir);
  assert.equal(again.stdout, 'v\n', again.stderr);
});

test('a pending blocking call keeps the process alive until it settles', async () => {
  const start = Date.now();
  const r = await run(`const r=require(${JSON.stringify(pkg)});(async()=>{const db=await r.open(':memory:');console.log(await db.blpop('q', 0.3))})()`, tmpdir());
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'null\n');
  assert.ok(Date.now() - start >= 300);
});

test('exits with connections, transactions and subscriptions closed', async () => {
  const r = await run(`const r=require(${JSON.stringify(pkg)});(async()=>{
    const db=await r.open('y.db'); const c=db.connection(); await c.set('a',1);
    await db.transaction(tx=>tx.incr('n')); await db.subscribe('x'); await db.unsubscribe('x');
    await db.subscribe('y'); await db.close(); console.log('done')})()`, tmpdir());
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'done\n');
});

test('process.exit() with calls in flight does not hang or crash', async () => {
  const r = await run(`const r=require(${JSON.stringify(pkg)});(async()=>{const db=await r.open('z.db');
    for(let i=0;i<1000;i++) db.set('k'+i,i); db.blpop('never',0); setTimeout(()=>process.exit(3),20)})()`, tmpdir());
  assert.equal(r.code, 3, r.stderr);
  assert.equal(r.signal, null);
});

test('worker threads can use redlite and end cleanly', async () => {
  const r = await run(`const { Worker } = require('node:worker_threads');
    const src = "const r=require(" + JSON.stringify(${JSON.stringify(pkg)}) + ");(async()=>{const db=await r.open(':memory:');await db.set('k','w');require('node:worker_threads').parentPort.postMessage(await db.get('k'))})()";
    let n = 0;
    for (let i = 0; i < 3; i++) new Worker(src, { eval: true }).on('message', (m) => { console.log(m); n++; });`, tmpdir());
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'w\nw\nw\n');
});
