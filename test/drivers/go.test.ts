/**
 * pgx v5, run in Go (test/drivers/go/main.go) against Eddy and a real PostgreSQL: its binary
 * protocol and pgtype decoding, CopyFrom, SendBatch and pgconn's CancelRequest, SCRAM and TLS.
 * pgx comes from the Go module proxy into a cached build (test/support/drivers.ts); without Go
 * these tests fail.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { goDriver, runDriverCheck } from '../support/drivers.js';
import { FIDELITY_COLUMNS } from './fidelity.js';
import { assertFaithful, startSecureListeners, startSides, type DriverSides, type SecureListeners } from './harness.js';

let sides: DriverSides;
let secure: SecureListeners;
let pgx: string;

before(async () => {
  [pgx, sides, secure] = await Promise.all([goDriver(), startSides('drivers_go'), startSecureListeners()]);
});
after(async () => {
  await sides?.stop();
  await secure?.stop();
});

const check = (name: string, env: Record<string, string> = {}) => runDriverCheck([pgx], name, { ...sides.env, ...env });

test('pgx (binary): every type decodes to the same Go values as from PostgreSQL', async () => {
  // pgx refuses json's 1e400 (no float64 holds it) on both sides, so the json column is not compared.
  assertFaithful(await check('fidelity'), FIDELITY_COLUMNS.length * 4 - 4);
});

test('pgx: pgtype.Numeric, Interval, Timestamptz, jsonb, bytea and arrays scan exactly', async () => {
  assert.deepEqual(await check('pgtype'), {
    n_nan: true,
    n2: -123456789.125,
    n4: '1234567890123456789012345678901234567890e-20',
    iv: [-178000000 * 12, 0, 0],
    tstz_inf: true,
    tstz4: '2200-04-11T18:17:16.854775Z',
    d4_bc: -4712,
    jb: { a: [true, null], z: 1 },
    by: '00ff',
    ai: '[{1 true} {0 false} {-3 true}]',
    at: '[{a b true} { false} { true} {"q" true}]',
  });
});

test('pgx CopyFrom (binary COPY) loads 1001 rows, NULLs and arrays included, as into PostgreSQL', async () => {
  const [eddy, postgres] = await Promise.all([check('copy-from'), check('copy-from', { EDDY_URL: sides.pgUrl })]);
  assert.equal(eddy.copied, 1001);
  assert.deepEqual(eddy, postgres);
});

test('pgx SendBatch: inserts and queries in one round trip, each with its own result', async () => {
  assert.deepEqual(await check('batch'), { tags: ['INSERT 0 1', 'INSERT 0 1', 'INSERT 0 1'], count: 3, v: 'v2' });
});

test("pgconn's CancelRequest ends a waiting SUBSCRIBE with 57014 and the connection goes on", async () => {
  const result = await check('cancel');
  assert.equal(result.code, '57014');
  assert.equal(result.message, 'canceling statement due to user request');
  assert.equal(result.after, 1);
});

test('pgx connects with SCRAM-SHA-256 and over TLS (verify-full)', async () => {
  assert.deepEqual(await check('connect', { EDDY_URL: secure.scramUrl }), { value: 42, tls: false });
  assert.deepEqual(await check('connect', { EDDY_URL: secure.tlsUrl }), { value: 42, tls: true });
});
