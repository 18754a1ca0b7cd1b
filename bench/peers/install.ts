/**
 * The peers bench/compare.ts runs against, installed from their registries once and cached
 * under ~/.cache/eddy like the test drivers (test/support/drivers.ts): a venv per peer
 * (Deephaven's embedded server; PyFlink), and Flink's Kafka SQL connector from Maven Central.
 * Not part of npm test: the two venvs are about 1.5 GB.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CACHE_DIR, cached, digest, run } from '../../test/support/drivers.js';

const PEERS_DIR = dirname(fileURLToPath(import.meta.url));
/** The Flink SQL Kafka connector built for Flink 2.2, the PyFlink pinned in requirements-flink.txt. */
const KAFKA_CONNECTOR = 'org.apache.flink:flink-sql-connector-kafka:5.0.0-2.2';

async function venv(name: string): Promise<string> {
  const requirements = join(PEERS_DIR, `requirements-${name}.txt`);
  const dir = await cached(join(CACHE_DIR, `bench-venv-${name}-${digest([requirements])}`), async (staging) => {
    await run('creating a venv (apt-get install python3-venv)', 'python3', ['-m', 'venv', staging]);
    await run(`pip install -r ${requirements}`, join(staging, 'bin', 'python'), ['-m', 'pip', 'install', '-q', '--disable-pip-version-check', '-r', requirements]);
  });
  return join(dir, 'bin', 'python');
}

/** The python of a venv with deephaven-server (it starts the machine's Java 17 in process). */
export function deephavenPython(): Promise<string> {
  return venv('deephaven');
}

/** The python of a venv with PyFlink, and the Kafka SQL connector's jar. */
export async function flinkPeer(): Promise<{ python: string; connectorJar: string }> {
  const python = await venv('flink');
  const dir = await cached(join(CACHE_DIR, `bench-flink-jars-${digest([], KAFKA_CONNECTOR)}`), async (staging) => {
    await run(`fetching ${KAFKA_CONNECTOR} with Maven (mvn)`, 'mvn', ['-q', '-B', 'dependency:copy', `-Dartifact=${KAFKA_CONNECTOR}`, `-DoutputDirectory=${staging}`]);
  });
  const jar = readdirSync(dir).find((f) => f.endsWith('.jar'));
  if (!jar || !existsSync(join(dir, jar))) throw new Error(`no jar in ${dir}`);
  return { python, connectorJar: join(dir, jar) };
}

export const PEER_SCRIPTS = { deephaven: join(PEERS_DIR, 'deephaven_peer.py'), flink: join(PEERS_DIR, 'flink_peer.py') };
