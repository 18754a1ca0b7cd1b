/** The quoted client properties of FROM KAFKA (...) as kafkajs settings, and the ones refused. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SqlError } from '../../src/errors.js';
import { mapClientProperties } from '../../src/kafka/kafka-client.js';

const props = (pairs: Record<string, string>) => Object.entries(pairs).map(([name, value]) => ({ name, value }));

test('client and consumer properties map to kafkajs settings', () => {
  const mapped = mapClientProperties(
    props({
      'client.id': 'eddy-prod',
      'request.timeout.ms': '4000',
      'session.timeout.ms': '10000',
      'fetch.max.bytes': '1048576',
      'max.partition.fetch.bytes': '65536',
      'isolation.level': 'read_uncommitted',
      'security.protocol': 'SASL_SSL',
      'sasl.mechanism': 'SCRAM-SHA-512',
      'sasl.username': 'u',
      'sasl.password': 'p',
    }),
  );
  assert.deepEqual(mapped, {
    client: { clientId: 'eddy-prod', requestTimeout: 4000, ssl: true, sasl: { mechanism: 'scram-sha-512', username: 'u', password: 'p' } },
    consumer: { sessionTimeout: 10000, maxBytes: 1048576, maxBytesPerPartition: 65536, readUncommitted: true },
  });
  assert.deepEqual(mapClientProperties(props({ 'enable.ssl.certificate.verification': 'false' })).client, { ssl: { rejectUnauthorized: false } });
});

test('unknown properties and bad values are refused with 22023', () => {
  for (const [pairs, message] of [
    [{ 'auto.offset.reset': 'earliest' }, /'auto.offset.reset' is not supported/],
    [{ 'request.timeout.ms': 'soon' }, /must be a non-negative integer, not 'soon'/],
    [{ 'isolation.level': 'dirty' }, /'isolation.level' must be/],
    [{ 'security.protocol': 'TLS' }, /'security.protocol' must be/],
    [{ 'sasl.mechanism': 'GSSAPI' }, /'sasl.mechanism' must be/],
  ] as const) {
    assert.throws(
      () => mapClientProperties(props(pairs)),
      (err: unknown) => err instanceof SqlError && err.code === '22023' && message.test(err.message),
    );
  }
});
