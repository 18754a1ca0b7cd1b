// The Apache Kafka broker: jars from Maven Central (cached), a single-node KRaft config, storage
// formatting, the JVM process, and a readiness probe that is a real metadata request.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { spawnDaemon, type Daemon } from './daemon.js';
import { topicsWithLeaders } from '../../src/kafka/topic-leaders.js';
import { waitUntil } from './wait-until.js';
import { KAFKA_VERSION, LOCAL_HOST, POM_PATH, type KafkaSettings } from './settings.js';

const execFileAsync = promisify(execFile);
const SCRIPT_DIR = dirname(fileURLToPath(import.meta.url));

/** A failed command as one message: execFile's own (command, exit status, stderr) plus stdout. */
function commandFailed(what: string, error: unknown): Error {
  const { message, stdout } = error as { message: string; stdout?: string };
  return new Error(`${what} failed: ${message}${stdout ? `\n${stdout}` : ''}`);
}

function serverPropertiesPath(settings: KafkaSettings): string {
  return join(settings.stateDir, 'server.properties');
}

export function brokerDaemon(settings: KafkaSettings): Daemon {
  return {
    name: 'kafka',
    pidFile: join(settings.stateDir, 'kafka.pid'),
    logFile: join(settings.stateDir, 'kafka.log'),
    // The config path is unique to this instance and is the broker's last argument.
    marker: serverPropertiesPath(settings),
  };
}

function javaBinary(): string {
  return process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
}

/**
 * Copies Kafka's jars and their runtime dependencies into the shared cache once. Maven writes
 * into a staging directory that is renamed at the end, so an interrupted fetch is never taken
 * for a complete one. Returns whether it had to fetch.
 */
export async function ensureJars(settings: KafkaSettings): Promise<boolean> {
  if (existsSync(join(settings.jarDir, `kafka_2.13-${KAFKA_VERSION}.jar`))) return false;
  const staging = `${settings.jarDir}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(dirname(settings.jarDir), { recursive: true });
  try {
    await execFileAsync(
      'mvn',
      [
        '-q', '-B',
        '-f', POM_PATH,
        'dependency:copy-dependencies',
        `-Dkafka.version=${KAFKA_VERSION}`,
        '-DincludeScope=runtime',
        `-DoutputDirectory=${staging}`,
      ],
      { maxBuffer: 16 * 1024 * 1024 },
    );
  } catch (error) {
    throw commandFailed(`fetching Kafka ${KAFKA_VERSION} jars with Maven (mvn)`, error);
  }
  if (existsSync(settings.jarDir)) {
    // Another instance (other ports, other lock) fetched the same jars meanwhile.
    rmSync(staging, { recursive: true, force: true });
  } else {
    renameSync(staging, settings.jarDir);
  }
  return true;
}

/** Single-node KRaft: this process is broker and controller, tuned to start fast and small. */
function serverProperties(settings: KafkaSettings): string {
  const properties: Record<string, string | number | boolean> = {
    'process.roles': 'broker,controller',
    'node.id': 1,
    'controller.quorum.voters': `1@${LOCAL_HOST}:${settings.controllerPort}`,
    'listeners': `PLAINTEXT://${LOCAL_HOST}:${settings.kafkaPort},CONTROLLER://${LOCAL_HOST}:${settings.controllerPort}`,
    'advertised.listeners': `PLAINTEXT://${LOCAL_HOST}:${settings.kafkaPort}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    'log.dirs': join(settings.stateDir, 'data'),
    'num.partitions': 1,
    'auto.create.topics.enable': true,
    // One broker: every internal topic must be satisfied with one replica.
    'offsets.topic.replication.factor': 1,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    'share.coordinator.state.topic.replication.factor': 1,
    'share.coordinator.state.topic.min.isr': 1,
    // The default 50 partitions of these internal topics cost seconds when the first consumer
    // group or the first transaction appears.
    'offsets.topic.num.partitions': 1,
    'transaction.state.log.num.partitions': 1,
    // Tests join consumer groups constantly; the default 3 s delay would be paid every time.
    'group.initial.rebalance.delay.ms': 0,
  };
  return Object.entries(properties).map(([key, value]) => `${key}=${value}\n`).join('');
}

/** A Kafka cluster id: 16 random bytes, base64url, never starting with '-' (as Kafka's Uuid). */
function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

async function formatStorageOnce(settings: KafkaSettings): Promise<void> {
  if (existsSync(join(settings.stateDir, 'data', 'meta.properties'))) return;
  try {
    await execFileAsync(javaBinary(), [
      '-cp', join(settings.jarDir, '*'),
      'kafka.tools.StorageTool', 'format',
      '--cluster-id', newClusterId(),
      '--config', serverPropertiesPath(settings),
    ]);
  } catch (error) {
    throw commandFailed(`formatting Kafka's storage (${javaBinary()}, Java 17 or newer)`, error);
  }
}

/** Writes the config, formats storage on first use and starts the broker's JVM. */
export async function launchBroker(settings: KafkaSettings): Promise<number> {
  mkdirSync(settings.stateDir, { recursive: true });
  writeFileSync(serverPropertiesPath(settings), serverProperties(settings));
  await formatStorageOnce(settings);
  return spawnDaemon(
    brokerDaemon(settings),
    javaBinary(),
    [
      // Small heap: this machine is shared by many test processes; Kafka's own default is 1 GB.
      '-Xms128m', '-Xmx512m',
      '-XX:+UseG1GC', '-XX:MaxGCPauseMillis=20', '-XX:+ExitOnOutOfMemoryError',
      '-Djava.awt.headless=true',
      `-Dlog4j2.configurationFile=${join(SCRIPT_DIR, 'log4j2.properties')}`,
      '-cp', join(settings.jarDir, '*'),
      'kafka.Kafka', serverPropertiesPath(settings),
    ],
    { cwd: settings.stateDir },
  );
}

/**
 * Runs `body` with a connected admin client. `brokers` is a bootstrap list,
 * 'host:port[,host:port...]'. A probe fails at once (the caller polls); other requests retry
 * with kafkajs's defaults, since a broker on a busy shared machine can be slow to answer.
 */
async function withAdmin<T>(brokers: string, mode: 'probe' | 'request', body: (admin: Admin) => Promise<T>): Promise<T> {
  const kafka = new Kafka({
    clientId: 'eddy-kafka-script',
    brokers: brokers.split(','),
    ...(mode === 'probe' ? { connectionTimeout: 1000, requestTimeout: 5000, retry: { retries: 0 } } : {}),
    // Refused connections while the broker starts are expected; callers report real failures.
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    return await body(admin);
  } finally {
    await admin.disconnect();
  }
}

/** True when the broker answers a cluster metadata request (the way clients first talk to it). */
export async function brokerAnswers(brokers: string): Promise<boolean> {
  try {
    const cluster = await withAdmin(brokers, 'probe', (admin) => admin.describeCluster());
    return cluster.brokers.length > 0;
  } catch {
    return false;
  }
}

/** How long a new topic may take to have a leader for every partition. */
const TOPIC_READY_MS = 30_000;

/**
 * Creates the topic if it does not exist; returns whether it did and its partition count, once
 * every partition has a leader. The wait is ours (src/kafka/topic-leaders.ts, which Eddy's sinks
 * use too), not kafkajs's waitForLeaders: a broker that has just started may answer "This server
 * does not host this topic-partition" for a topic it created a moment ago, which kafkajs's wait
 * does not retry.
 */
export async function createTopic(
  brokers: string,
  name: string,
  partitions: number,
): Promise<{ created: boolean; partitions: number }> {
  return withAdmin(brokers, 'request', async (admin) => {
    // waitForLeaders is off: kafkajs's own wait gives up on 'This server does not host this
    // topic-partition', which a broker that has just started answers for a moment; the wait below
    // takes it as not yet.
    const created = await admin.createTopics({ topics: [{ topic: name, numPartitions: partitions }], waitForLeaders: false });
    let found = 0;
    await waitUntil(
      async () => {
        const ready = await topicsWithLeaders(admin, [name]);
        found = ready?.get(name) ?? 0;
        return ready !== null;
      },
      { timeoutMs: TOPIC_READY_MS, intervalMs: 100, what: `Kafka topic ${name} to have a leader for every partition` },
    );
    return { created, partitions: found };
  });
}
