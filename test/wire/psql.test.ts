/**
 * The real server through the real `psql` (libpq): the client most users start with.
 */
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { startEddy, type EddyHandle } from '../support/eddy.js';

let eddy: EddyHandle;
before(async () => {
  eddy = await startEddy();
});
after(async () => {
  await eddy.stop();
});

interface PsqlRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs psql unaligned, tuples only, without reading ~/.psqlrc, with one -c per command. */
function psql(...commands: string[]): Promise<PsqlRun> {
  const args = ['-h', '127.0.0.1', '-p', String(eddy.port), '-U', 'eddy', '-d', 'eddy', '-X', '-A', '-t'];
  for (const c of commands) args.push('-c', c);
  return new Promise((resolve) => {
    // PGSSLMODE=prefer makes libpq send SSLRequest first, exercising the 'N' answer.
    execFile('psql', args, { env: { ...process.env, PGSSLMODE: 'prefer', PGCONNECT_TIMEOUT: '5' }, timeout: 15_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

test('psql -c SELECT 1', async () => {
  const r = await psql('SELECT 1');
  assert.equal(r.stderr, '');
  assert.equal(r.code, 0);
  assert.equal(r.stdout, '1\n');
});

test('psql: several statements in one -c, and several -c', async () => {
  const one = await psql("SELECT 1; SELECT 'two'::text");
  assert.equal(one.code, 0, one.stderr);
  // psql 15 prints the result of every statement of a multi-statement -c.
  assert.equal(one.stdout, '1\ntwo\n');
  const many = await psql('SELECT 1', "SELECT 'x'::text, 1.5::numeric");
  assert.equal(many.code, 0, many.stderr);
  assert.equal(many.stdout, '1\nx|1.5\n');
});

test('psql: an error is reported with its message and a failing exit code', async () => {
  const r = await psql('SELECT 1/0');
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /ERROR: {2}division by zero/);
  const syntax = await psql('SELEC 1');
  assert.notEqual(syntax.code, 0);
  assert.match(syntax.stderr, /ERROR: {2}syntax error at or near "SELEC"/);
  assert.match(syntax.stderr, /LINE 1: SELEC 1\n {8}\^/);
});
