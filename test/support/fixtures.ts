/**
 * Per-file fixtures: servers a test file's tests share, started in its before hook and stopped in
 * its after hook. Each returns an object whose fields are set once the before hook has run, so a
 * test reads them (env.eddy, env.db) only inside tests and hooks.
 */
import { after, before } from 'node:test';
import type pg from 'pg';
import { startEddy, type EddyHandle } from './eddy.js';
import { startPrivateKafka, type PrivateKafka } from './kafka.js';

/** An Eddy server and one connected session. */
export function eddySessionPerFile(): { eddy: EddyHandle; db: pg.Client } {
  const env = {} as { eddy: EddyHandle; db: pg.Client };
  before(async () => {
    env.eddy = await startEddy();
    env.db = await env.eddy.client();
  });
  after(async () => {
    await env.eddy?.stop();
  });
  return env;
}

/** A Kafka broker of the file's own (its tests stop and start it) and an Eddy server. */
export function privateKafkaAndEddyPerFile(): { kafka: PrivateKafka; eddy: EddyHandle } {
  const env = {} as { kafka: PrivateKafka; eddy: EddyHandle };
  // Bounded, so that a broker that will not start on a busy machine fails the file instead of hanging it.
  before(
    async () => {
      env.kafka = await startPrivateKafka();
      env.eddy = await startEddy();
    },
    { timeout: 200_000 },
  );
  after(
    async () => {
      await env.eddy?.stop();
      await env.kafka?.destroy();
    },
    { timeout: 120_000 },
  );
  return env;
}
