// `npm run kafka -- start | stop | status | topic NAME [PARTITIONS] | reset`
// Runs a local single-node Apache Kafka (KRaft) and a Confluent-compatible schema registry for
// development and tests. start and stop are idempotent; start returns once both answer; data
// (topics, messages, schemas) survives stop and start, and `reset` (stop, then delete the data)
// throws it away, e.g. when test topics have piled up.
// Ports: KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (KAFKA_PORT + 1), SCHEMA_REGISTRY_PORT (8081);
// state (config, data, logs, pid files): EDDY_KAFKA_STATE_DIR (default $TMPDIR/eddy-kafka-<port>).
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { brokerAnswers, brokerDaemon, createTopic, ensureJars, launchBroker } from './broker.js';
import { logTail, runningPid, stopDaemon, type Daemon } from './daemon.js';
import { withInstanceLock } from './instance-lock.js';
import { launchRegistry, registryAnswers, registryDaemon } from './registry.js';
import { portIsFree } from './port.js';
import { brokerAddress, KAFKA_VERSION, LOCAL_HOST, readSettings, registryUrl, type KafkaSettings } from './settings.js';
import { waitUntil } from './wait-until.js';

// A cold JVM on a busy two-core machine can take a while; a broken one fails fast (giveUp).
const START_TIMEOUT_MS = 120_000;
const LOCK_TIMEOUT_MS = START_TIMEOUT_MS + 60_000;

interface Service {
  daemon: Daemon;
  address: string;
  /** Ports the service listens on, all on LOCAL_HOST. */
  ports: number[];
  answers: () => Promise<boolean>;
  launch: () => Promise<number> | number;
}

function services(settings: KafkaSettings): Service[] {
  return [
    {
      daemon: brokerDaemon(settings),
      address: brokerAddress(settings),
      ports: [settings.kafkaPort, settings.controllerPort],
      answers: () => brokerAnswers(brokerAddress(settings)),
      launch: () => launchBroker(settings),
    },
    {
      daemon: registryDaemon(settings),
      address: registryUrl(settings),
      ports: [settings.registryPort],
      answers: () => registryAnswers(registryUrl(settings)),
      launch: () => launchRegistry(settings),
    },
  ];
}

/**
 * Launches the service unless it already runs (or something already answers on its port), and
 * waits until it answers. Calls `launched` as soon as it has started a process.
 */
async function startService(service: Service, launched: (service: Service) => void): Promise<void> {
  const { daemon } = service;
  if (await service.answers()) {
    const pid = runningPid(daemon);
    console.log(`${daemon.name}: already running on ${service.address}${pid === undefined ? ' (not started by this script)' : ` (pid ${pid})`}`);
    return;
  }
  // A pid without an answer is a start still in progress (or hung): wait for it, don't relaunch.
  let pid = runningPid(daemon);
  if (pid === undefined) {
    for (const port of service.ports) {
      if (!(await portIsFree(LOCAL_HOST, port))) {
        throw new Error(`${daemon.name}: port ${port} on ${LOCAL_HOST} is in use by another program (see KAFKA_PORT, KAFKA_CONTROLLER_PORT, SCHEMA_REGISTRY_PORT)`);
      }
    }
    pid = await service.launch();
    launched(service);
  }
  await waitUntil(service.answers, {
    timeoutMs: START_TIMEOUT_MS,
    what: `starting ${daemon.name} on ${service.address}`,
    giveUp: () => (runningPid(daemon) === undefined ? `the process exited; ${daemon.logFile}:\n${logTail(daemon)}` : undefined),
  });
  console.log(`${daemon.name}: running on ${service.address} (pid ${pid}, log ${daemon.logFile})`);
}

async function start(settings: KafkaSettings): Promise<void> {
  const began = Date.now();
  mkdirSync(settings.stateDir, { recursive: true });
  await withInstanceLock(join(settings.stateDir, 'start-stop.lock'), LOCK_TIMEOUT_MS, async () => {
    if (await ensureJars(settings)) console.log(`kafka: fetched Kafka ${KAFKA_VERSION} jars into ${settings.jarDir}`);
    const launched: Service[] = [];
    const results = await Promise.allSettled(services(settings).map((s) => startService(s, (l) => launched.push(l))));
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) {
      // Half a setup is no use to anyone and would hold ports on a shared machine.
      for (const { daemon } of launched) await stopDaemon(daemon, 30_000);
      throw failure.reason;
    }
  });
  console.log(`started in ${((Date.now() - began) / 1000).toFixed(1)} s`);
}

/** Stops both; with `forget`, also deletes their data (inside the lock, so no start races it). */
async function stop(settings: KafkaSettings, forget = false): Promise<void> {
  mkdirSync(settings.stateDir, { recursive: true });
  const lockFile = join(settings.stateDir, 'start-stop.lock');
  await withInstanceLock(lockFile, LOCK_TIMEOUT_MS, async () => {
    // The registry first: it is the broker's client in spirit, and stops instantly.
    for (const { daemon } of services(settings).reverse()) {
      const wasRunning = await stopDaemon(daemon, 30_000);
      console.log(`${daemon.name}: ${wasRunning ? 'stopped' : 'was not running'}`);
    }
    if (!forget) return;
    for (const entry of readdirSync(settings.stateDir)) {
      if (entry !== basename(lockFile)) rmSync(join(settings.stateDir, entry), { recursive: true, force: true });
    }
    console.log(`deleted topics, messages and schemas in ${settings.stateDir}`);
  });
}

/** Prints both states; the exit code is 0 only when both answer. */
async function status(settings: KafkaSettings): Promise<boolean> {
  let allAnswer = true;
  for (const service of services(settings)) {
    const pid = runningPid(service.daemon);
    const answers = await service.answers();
    allAnswer &&= answers;
    const state =
      answers && pid !== undefined ? `running on ${service.address} (pid ${pid})`
      : answers ? `answering on ${service.address}, not started by this script`
      : pid !== undefined ? `process ${pid} is up but does not answer on ${service.address} yet`
      : 'stopped';
    console.log(`${service.daemon.name}: ${state}`);
  }
  return allAnswer;
}

async function topic(settings: KafkaSettings, name: string | undefined, partitionsArg: string | undefined): Promise<void> {
  const partitions = partitionsArg === undefined ? 1 : Number(partitionsArg);
  if (!name || !Number.isInteger(partitions) || partitions < 1) {
    throw new Error('usage: kafka topic NAME [PARTITIONS]');
  }
  const result = await createTopic(brokerAddress(settings), name, partitions);
  console.log(`topic ${name}: ${result.created ? 'created' : 'already exists'} with ${result.partitions} partition(s)`);
}

async function main(argv: string[]): Promise<number> {
  const settings = readSettings();
  const [command, ...args] = argv;
  switch (command) {
    case 'start': await start(settings); return 0;
    case 'stop': await stop(settings); return 0;
    case 'reset': await stop(settings, true); return 0;
    case 'status': return (await status(settings)) ? 0 : 1;
    case 'topic': await topic(settings, args[0], args[1]); return 0;
    default:
      console.error('usage: npm run kafka -- start | stop | status | topic NAME [PARTITIONS] | reset');
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
