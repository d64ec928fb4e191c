'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

// A temporary directory removed when the process exits.
function tmpdir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redlite-node-'));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

let n = 0;
function tmpfile(name = 'db') {
  return path.join(tmpdir(), `${name}-${process.pid}-${n++}.db`);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Waits until cond() is true, polling; generous for a loaded machine.
async function until(cond, what = 'condition', timeoutMs = 10000) {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('timed out waiting for ' + what);
    await sleep(5);
  }
}

module.exports = { tmpdir, tmpfile, sleep, until };
