/**
 * TLS: SSLRequest answered 'S' and the session carried on encrypted, checked with node pg and
 * libpq; clients refused when TLS is required and they do not ask; plaintext smuggled in after
 * the SSLRequest refused (PostgreSQL's CVE-2021-23214).
 */
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { serialize } from 'pg-protocol';
import { RawClient } from './raw-client.js';
import { startRealListener, type RealListener } from './real-listener.js';

let certDir: string;
let cert: string;
let server: RealListener;

before(async () => {
  // A throwaway self-signed certificate for "localhost".
  certDir = mkdtempSync(join(tmpdir(), 'eddy-tls-'));
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', join(certDir, 'key.pem'), '-out', join(certDir, 'cert.pem'),
    '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost',
  ], { stdio: 'ignore' });
  cert = readFileSync(join(certDir, 'cert.pem'), 'utf8');
  server = await startRealListener({ tls: { key: readFileSync(join(certDir, 'key.pem')), cert, required: true } });
});
after(async () => {
  await server.close();
  rmSync(certDir, { recursive: true, force: true });
});

function client(ssl: pg.ClientConfig['ssl']): pg.Client {
  const c = new pg.Client({ host: '127.0.0.1', port: server.port, user: 'eddy', database: 'eddy', ssl });
  c.on('error', () => {});
  return c;
}

test('node pg over TLS, verifying the certificate', async () => {
  const c = client({ ca: cert, servername: 'localhost' });
  await c.connect();
  try {
    assert.deepEqual((await c.query('SELECT $1::int + 1 AS v', [1])).rows, [{ v: 2 }]);
    const stream = (c as unknown as { connection: { stream: TLSSocket } }).connection.stream;
    assert.equal(stream.encrypted, true);
    assert.match(String(stream.getProtocol()), /^TLSv1\.[23]$/);
  } finally {
    await c.end();
  }
});

test('psql (libpq) with sslmode=verify-full', async () => {
  const args = ['-X', '-A', '-t', '-c', 'SELECT 1', `host=localhost hostaddr=127.0.0.1 port=${server.port} user=eddy dbname=eddy sslmode=verify-full sslrootcert=${join(certDir, 'cert.pem')}`];
  const out = await new Promise<{ stdout: string; stderr: string }>((resolve) => {
    execFile('psql', args, { timeout: 15_000 }, (_err, stdout, stderr) => resolve({ stdout, stderr }));
  });
  assert.equal(out.stderr, '');
  assert.equal(out.stdout, '1\n');
});

test('a client that does not ask for TLS is refused when TLS is required', async () => {
  const c = client(false);
  await assert.rejects(c.connect(), (err: { code?: string; message: string }) => {
    assert.equal(err.code, '28000');
    assert.equal(err.message, 'this server requires SSL connections');
    return true;
  });
});

test('plaintext sent right after SSLRequest is refused before the handshake', async () => {
  const c = await RawClient.connect(server.port);
  c.startParsing();
  c.send(Buffer.concat([serialize.requestSsl(), serialize.startup({ user: 'eddy', database: 'eddy' })]));
  const replies = await c.until((m) => m.name === 'error');
  assert.equal(replies.at(-1)!.code, '08P01');
  assert.equal(replies.at(-1)!.message, 'received unencrypted data after SSL request');
  await c.waitForClose();
});
