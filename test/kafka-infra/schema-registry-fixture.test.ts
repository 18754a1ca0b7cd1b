/**
 * The schema registry test fixture at the HTTP level, against the behaviour of Confluent's
 * registry that clients rely on: ids shared by identical schemas, error codes, subject-level
 * config answering 40408 when unset, Avro compatibility levels, and state kept across restarts.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { startSchemaRegistryFixture, type RegistryFixture } from '../support/schema-registry-fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'eddy-registry-fixture-'));
const stateFile = join(dir, 'state.json');
let fixture: RegistryFixture | undefined;

after(async () => {
  await fixture?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const response = await fetch(`${fixture!.url}${path}`, {
    method,
    headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  assert.equal(response.headers.get('content-type'), 'application/vnd.schemaregistry.v1+json');
  return { status: response.status, json: await response.json() };
}

const record = (name: string, fields: object[]) => JSON.stringify({ type: 'record', name, fields });
const v1 = record('Quote', [{ name: 'symbol', type: 'string' }]);
const v2 = record('Quote', [{ name: 'symbol', type: 'string' }, { name: 'price', type: 'double', default: 0 }]);

test('identical schemas share one id across subjects; versions count per subject', async () => {
  fixture = await startSchemaRegistryFixture({ stateFile });
  const first = await call('POST', '/subjects/quotes-value/versions', { schema: v1 });
  assert.deepEqual(first, { status: 200, json: { id: 1 } });
  // Same schema, other layout, other subject: same id. A new schema: the next id.
  assert.deepEqual(await call('POST', '/subjects/other-value/versions', { schema: JSON.stringify(JSON.parse(v1), null, 1) }), { status: 200, json: { id: 1 } });
  assert.deepEqual(await call('POST', '/subjects/quotes-value/versions', { schema: v1 }), { status: 200, json: { id: 1 } });
  assert.deepEqual(await call('POST', '/subjects/quotes-value/versions', { schema: v2 }), { status: 200, json: { id: 2 } });

  assert.deepEqual((await call('GET', '/subjects')).json, ['quotes-value', 'other-value']);
  assert.deepEqual((await call('GET', '/subjects/quotes-value/versions')).json, [1, 2]);
  assert.deepEqual((await call('GET', '/subjects/other-value/versions')).json, [1]);
  assert.deepEqual((await call('GET', '/subjects/quotes-value/versions/latest')).json, {
    subject: 'quotes-value', version: 2, id: 2, schema: v2,
  });
  assert.deepEqual((await call('GET', '/subjects/quotes-value/versions/1')).json, {
    subject: 'quotes-value', version: 1, id: 1, schema: v1,
  });
  assert.deepEqual((await call('GET', '/subjects/quotes-value/versions/2/schema')).json, JSON.parse(v2));
  assert.deepEqual((await call('GET', '/schemas/ids/2')).json, { schema: v2 });
  assert.deepEqual((await call('POST', '/subjects/other-value', { schema: v1 })).json, {
    subject: 'other-value', version: 1, id: 1, schema: v1,
  });
});

test('unknown things answer 404 with Confluent error codes; bad input 422', async () => {
  assert.deepEqual(await call('GET', '/subjects/nope/versions'), {
    status: 404, json: { error_code: 40401, message: "Subject 'nope' not found." },
  });
  assert.equal((await call('GET', '/subjects/quotes-value/versions/9')).json.error_code, 40402);
  assert.equal((await call('GET', '/schemas/ids/99')).json.error_code, 40403);
  assert.equal((await call('POST', '/subjects/other-value', { schema: v2 })).json.error_code, 40403);
  const invalid = await call('POST', '/subjects/x/versions', { schema: '{"type": "record", "name": "R"}' });
  assert.equal(invalid.status, 422);
  assert.equal(invalid.json.error_code, 42201);
  assert.equal((await call('POST', '/subjects/x/versions', { schema: '{not json' })).json.error_code, 42201);
  assert.equal((await call('GET', '/subjects/x/versions')).status, 404, 'a refused schema creates no subject');
});

test('compatibility config: global default, subject level 40408 until set', async () => {
  assert.deepEqual((await call('GET', '/config')).json, { compatibilityLevel: 'BACKWARD' });
  assert.deepEqual(await call('GET', '/config/quotes-value'), {
    status: 404,
    json: { error_code: 40408, message: "Subject 'quotes-value' does not have subject-level compatibility configured" },
  });
  assert.deepEqual((await call('GET', '/config/quotes-value?defaultToGlobal=true')).json, { compatibilityLevel: 'BACKWARD' });
  assert.deepEqual((await call('PUT', '/config/quotes-value', { compatibility: 'full' })).json, { compatibility: 'FULL' });
  assert.deepEqual((await call('GET', '/config/quotes-value')).json, { compatibilityLevel: 'FULL' });
  assert.equal((await call('PUT', '/config', { compatibility: 'SIDEWAYS' })).json.error_code, 42203);
});

test('Avro compatibility levels decide what may be registered', async () => {
  const a = record('R', [{ name: 'a', type: 'int' }]);
  const withDefault = record('R', [{ name: 'a', type: 'int' }, { name: 'b', type: 'string', default: 'x' }]);
  const withoutDefault = record('R', [{ name: 'a', type: 'int' }, { name: 'b', type: 'string' }]);
  await call('PUT', '/config/evolve', { compatibility: 'BACKWARD' });
  assert.equal((await call('POST', '/subjects/evolve/versions', { schema: a })).status, 200);
  // A new field without a default cannot read v1 data.
  const refused = await call('POST', '/subjects/evolve/versions', { schema: withoutDefault });
  assert.equal(refused.status, 409);
  assert.match(refused.json.message, /incompatible/);
  assert.equal((await call('POST', '/subjects/evolve/versions', { schema: withDefault })).status, 200);

  // withoutDefault reads withDefault's data (b is always written) but not v1's.
  const latest = await call('POST', '/compatibility/subjects/evolve/versions/latest', { schema: withoutDefault });
  assert.deepEqual(latest.json, { is_compatible: true });
  const first = await call('POST', '/compatibility/subjects/evolve/versions/1', { schema: withoutDefault });
  assert.deepEqual(first.json, { is_compatible: false });
  await call('PUT', '/config/evolve', { compatibility: 'BACKWARD_TRANSITIVE' });
  assert.deepEqual((await call('POST', '/compatibility/subjects/evolve/versions/latest', { schema: withoutDefault })).json, { is_compatible: false });
  assert.equal((await call('POST', '/subjects/evolve/versions', { schema: withoutDefault })).status, 409);

  // FORWARD: old readers must read new data, so dropping a field they need (no default) is refused.
  await call('PUT', '/config/evolve', { compatibility: 'FORWARD' });
  const dropped = record('R', [{ name: 'b', type: 'string', default: 'x' }]);
  assert.equal((await call('POST', '/subjects/evolve/versions', { schema: dropped })).status, 409);
  await call('PUT', '/config/evolve', { compatibility: 'NONE' });
  assert.equal((await call('POST', '/subjects/evolve/versions', { schema: dropped })).status, 200);
});

test('schemas and ids survive a restart on the same state file', async () => {
  await fixture!.close();
  fixture = await startSchemaRegistryFixture({ stateFile });
  assert.deepEqual((await call('GET', '/subjects/quotes-value/versions/latest')).json, {
    subject: 'quotes-value', version: 2, id: 2, schema: v2,
  });
  assert.deepEqual((await call('GET', '/config/quotes-value')).json, { compatibilityLevel: 'FULL' });
  const next = await call('POST', '/subjects/fresh/versions', { schema: record('Fresh', [{ name: 'x', type: 'long' }]) });
  // Five schemas were registered before the restart (v1, v2 and three in "evolve").
  assert.equal(next.json.id, 6, 'ids continue after the ones already given');
  assert.deepEqual((await call('GET', '/subjects')).json, ['quotes-value', 'other-value', 'evolve', 'fresh']);
});
