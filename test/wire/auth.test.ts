/**
 * SCRAM-SHA-256 password authentication, checked with two independent client implementations
 * (node pg and libpq through psql), over the real database and session.
 */
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import pg from 'pg';
import { startRealListener, type RealListener } from './real-listener.js';

const passwords: Record<string, string> = { alice: 'correct horse', bob: 'b0b-s3cret' };

let server: RealListener;
before(async () => {
  server = await startRealListener({ auth: { password: (user) => passwords[user] } });
});
after(async () => {
  await server.close();
});

async function connectAs(user: string, password: string): Promise<pg.Client> {
  const c = new pg.Client({ host: '127.0.0.1', port: server.port, user, password, database: 'eddy' });
  c.on('error', () => {});
  await c.connect();
  return c;
}

async function failureOf(promise: Promise<unknown>): Promise<{ code?: string; message: string }> {
  try {
    await promise;
  } catch (err) {
    return err as { code?: string; message: string };
  }
  assert.fail('expected the connection to be refused');
}

test('node pg: the right password gets a session', async () => {
  for (const [user, password] of Object.entries(passwords)) {
    const c = await connectAs(user, password);
    assert.deepEqual((await c.query('SELECT $1::int + 1 AS v', [1])).rows, [{ v: 2 }]);
    await c.end();
  }
});

test('node pg: a wrong password or an unknown user is refused with 28P01', async () => {
  const wrong = await failureOf(connectAs('alice', 'not it'));
  assert.equal(wrong.code, '28P01');
  assert.equal(wrong.message, 'password authentication failed for user "alice"');
  // Someone else's password does not work either.
  assert.equal((await failureOf(connectAs('alice', passwords.bob!))).code, '28P01');
  // An unknown user fails exactly like a wrong password: nothing tells who exists.
  const unknown = await failureOf(connectAs('mallory', 'anything'));
  assert.equal(unknown.code, '28P01');
  assert.equal(unknown.message, 'password authentication failed for user "mallory"');
});

function psql(user: string, password: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const args = ['-h', '127.0.0.1', '-p', String(server.port), '-U', user, '-d', 'eddy', '-X', '-A', '-t', '-w', '-c', 'SELECT 1'];
  return new Promise((resolve) => {
    execFile('psql', args, { env: { ...process.env, PGPASSWORD: password }, timeout: 15_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

test('psql (libpq): SCRAM with the right password, refusal with a wrong one', async () => {
  const ok = await psql('bob', passwords.bob!);
  assert.equal(ok.stderr, '');
  assert.equal(ok.stdout, '1\n');
  const refused = await psql('bob', 'nope');
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /password authentication failed for user "bob"/);
});

test('the server keeps serving after refusals', async () => {
  const c = await connectAs('alice', passwords.alice!);
  assert.deepEqual((await c.query('SELECT 1 AS v')).rows, [{ v: 1 }]);
  await c.end();
});
