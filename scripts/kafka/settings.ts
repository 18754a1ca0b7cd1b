// Where the local Kafka broker and schema registry live: versions, ports, directories.
// Everything can be moved with environment variables so that two checkouts (or CI and a
// developer) can run side by side on one machine.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Kept in step with <kafka.version> in pom.xml (passed to Maven with -Dkafka.version). */
export const KAFKA_VERSION = '4.1.1';

export const LOCAL_HOST = '127.0.0.1';

export const POM_PATH = join(dirname(fileURLToPath(import.meta.url)), 'pom.xml');

/** Names the jar cache after the pom's content, so a changed dependency list fetches anew. */
function pomDigest(): string {
  return createHash('sha256').update(readFileSync(POM_PATH)).digest('hex').slice(0, 12);
}

export interface KafkaSettings {
  /** Client listener, KAFKA_PORT (default 9092). */
  kafkaPort: number;
  /** KRaft controller listener, KAFKA_CONTROLLER_PORT (default: client port + 1). */
  controllerPort: number;
  /** Schema registry, SCHEMA_REGISTRY_PORT (default 8081). */
  registryPort: number;
  /** Config, data, logs and pid files of this instance, EDDY_KAFKA_STATE_DIR. */
  stateDir: string;
  /** Kafka's jars, fetched once from Maven Central and shared by every instance. */
  jarDir: string;
}

function portFrom(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new Error(`${name} must be a TCP port number, got ${JSON.stringify(raw)}`);
  }
  return port;
}

export function readSettings(env: NodeJS.ProcessEnv = process.env): KafkaSettings {
  const kafkaPort = portFrom(env, 'KAFKA_PORT', 9092);
  return {
    kafkaPort,
    controllerPort: portFrom(env, 'KAFKA_CONTROLLER_PORT', kafkaPort + 1),
    registryPort: portFrom(env, 'SCHEMA_REGISTRY_PORT', 8081),
    stateDir: env.EDDY_KAFKA_STATE_DIR || join(tmpdir(), `eddy-kafka-${kafkaPort}`),
    jarDir: join(homedir(), '.cache', 'eddy', `kafka-${KAFKA_VERSION}-${pomDigest()}`, 'libs'),
  };
}

export function brokerAddress(settings: KafkaSettings): string {
  return `${LOCAL_HOST}:${settings.kafkaPort}`;
}

export function registryUrl(settings: KafkaSettings): string {
  return `http://${LOCAL_HOST}:${settings.registryPort}`;
}
