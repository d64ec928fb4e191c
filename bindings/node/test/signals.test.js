'use strict';
// The Go runtime in libredlite needs SA_ONSTACK on every signal handler
// (src/signals.c says why). Without the addon's fix, the flood below crashed
// the child in most runs when this was written (Go: "traceback did not
// unwind completely", SIGSEGV); with it, none did.
const test = require('node:test');
const assert = require('node:assert/strict');
const os = require('node:os');
const path = require('node:path');
const { spawn, spawnSync, execFileSync } = require('node:child_process');
const redlite = require('..');
const binding = require('../build/Release/redlite.node');

const SIG = os.constants.signals;
const ONSTACK = 1;
const NO_HANDLER = -1;

test('handlers Node installs later get SA_ONSTACK', async () => {
  assert.ok(redlite.version);
  // Installed by Node at startup, fixed when the addon loaded.
  assert.equal(binding.signalState(SIG.SIGINT), ONSTACK);
  assert.equal(binding.signalState(SIG.SIGTERM), ONSTACK);
  // process.on for a signal without a handler yet.
  assert.equal(binding.signalState(SIG.SIGUSR2), NO_HANDLER);
  const h = () => {};
  process.on('SIGUSR2', h);
  assert.equal(binding.signalState(SIG.SIGUSR2), ONSTACK);
  process.removeListener('SIGUSR2', h);
  assert.equal(binding.signalState(SIG.SIGUSR2), NO_HANDLER);
  process.once('SIGUSR2', h);
  assert.equal(binding.signalState(SIG.SIGUSR2), ONSTACK);
  process.removeListener('SIGUSR2', h);
  // SIGCHLD: installed once at load, kept across spawns.
  assert.equal(binding.signalState(SIG.SIGCHLD), ONSTACK);
  spawnSync('true');
  assert.equal(binding.signalState(SIG.SIGCHLD), ONSTACK);
  execFileSync('true');
  await new Promise((resolve) => spawn('true').on('exit', resolve));
  assert.equal(binding.signalState(SIG.SIGCHLD), ONSTACK);
  // Even when the program removes every SIGCHLD listener.
  process.removeAllListeners('SIGCHLD');
  assert.equal(binding.signalState(SIG.SIGCHLD), ONSTACK);
  await new Promise((resolve) => spawn('true').on('exit', resolve));
  assert.equal(binding.signalState(SIG.SIGCHLD), ONSTACK);
  // The Go runtime's own handlers keep theirs.
  assert.equal(binding.signalState(SIG.SIGSEGV), ONSTACK);
  assert.equal(binding.signalState(SIG.SIGURG), ONSTACK);
});

test('a process flooded with signals while commands run and children come and go survives', { timeout: 120000 }, async () => {
  const script = path.join(__dirname, 'fixtures', 'signal-flood.js');
  const child = spawn(process.execPath, [script, '3'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let sent = 0;
  let flood = null;
  const signals = ['SIGUSR2', 'SIGINT', 'SIGCHLD', 'SIGHUP', 'SIGTERM', 'SIGWINCH'];
  child.stderr.on('data', (d) => (err += d));
  child.stdout.on('data', (d) => {
    out += d;
    if (flood === null && out.includes('ready\n')) {
      // Bounded: at most 50 signals a millisecond, for as long as the load runs.
      flood = setInterval(() => {
        for (let i = 0; i < 50; i++) {
          try {
            process.kill(child.pid, signals[sent++ % signals.length]);
          } catch {
            return;
          }
        }
      }, 1);
    }
    if (out.includes('}\n')) {
      clearInterval(flood);
      // Let the last signals land before letting the child exit.
      setTimeout(() => child.stdin.end(), 200);
    }
  });
  const [code, signal] = await new Promise((resolve) => child.on('exit', (c, s) => resolve([c, s])));
  clearInterval(flood);
  assert.equal(signal, null, `child killed by ${signal}; stderr:\n${err.slice(0, 3000)}`);
  assert.equal(code, 0, `child exit ${code}; stderr:\n${err.slice(0, 3000)}`);
  const counts = JSON.parse(out.trim().split('\n').pop());
  assert.ok(sent > 1000, `sent ${sent} signals`);
  for (const s of ['SIGUSR2', 'SIGINT', 'SIGTERM', 'SIGHUP']) assert.ok(counts[s] > 0, `${s} handled: ${JSON.stringify(counts)}`);
  assert.ok(counts.ops > 1000, JSON.stringify(counts));
  assert.ok(counts.children > 5 && counts.syncChildren > 0, JSON.stringify(counts));
});
