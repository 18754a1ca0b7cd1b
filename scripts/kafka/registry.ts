// The schema registry that `kafka start` runs beside the broker. No Confluent-compatible
// registry installs from the package registries reachable here (karapace is not on PyPI), so it
// is the test fixture in test/support/schema-registry-fixture.ts, run as its own process so that
// every test process and a developer's psql session see the same registry.
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnDaemon, type Daemon } from './daemon.js';
import { LOCAL_HOST, type KafkaSettings } from './settings.js';

const REPO_ROOT = resolve(fileURLToPath(import.meta.url), '..', '..', '..');
const FIXTURE = join(REPO_ROOT, 'test', 'support', 'schema-registry-fixture.ts');

function stateFile(settings: KafkaSettings): string {
  return join(settings.stateDir, 'schema-registry.json');
}

export function registryDaemon(settings: KafkaSettings): Daemon {
  return {
    name: 'schema registry',
    pidFile: join(settings.stateDir, 'schema-registry.pid'),
    logFile: join(settings.stateDir, 'schema-registry.log'),
    marker: stateFile(settings),
  };
}

export function launchRegistry(settings: KafkaSettings): number {
  return spawnDaemon(
    registryDaemon(settings),
    process.execPath,
    [
      '--import', 'tsx', FIXTURE,
      '--host', LOCAL_HOST,
      '--port', String(settings.registryPort),
      // Schemas persist next to the broker's data, whose messages carry their ids.
      '--state', stateFile(settings),
    ],
    { cwd: REPO_ROOT },
  );
}

/** True when `GET /subjects` answers 200, as a registry client's first call would. */
export async function registryAnswers(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/subjects`, { signal: AbortSignal.timeout(1000) });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}
