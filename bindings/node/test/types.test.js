'use strict';
// tsc --noEmit --strict over test/types/sample.ts (typescript is a pinned
// devDependency): the declarations compile, results have the declared
// types, and the @ts-expect-error lines prove mistakes are caught.
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { execFile } = require('node:child_process');

test('index.d.ts type-checks a sample under tsc --strict', { timeout: 120000 }, async () => {
  const tsc = require.resolve('typescript/bin/tsc');
  const project = path.join(__dirname, 'types', 'tsconfig.json');
  const { code, out } = await new Promise((resolve) => {
    execFile(process.execPath, [tsc, '-p', project, '--noEmit', '--strict'], { timeout: 110000 }, (err, stdout, stderr) => {
      resolve({ code: err ? err.code : 0, out: stdout + stderr });
    });
  });
  assert.equal(code, 0, out);
});
