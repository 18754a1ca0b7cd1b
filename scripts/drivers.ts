/**
 * Installs (or finds cached) every driver the driver tests run: the Python venv, pgjdbc and the
 * pgx checks (test/support/drivers.ts). scripts/test.sh runs it once before the tests, so test
 * files running side by side never install the same thing twice.
 *   tsx scripts/drivers.ts
 */
import { goDriver, javaDriver, pythonDrivers } from '../test/support/drivers.js';

const started = Date.now();
const [python, java, go] = await Promise.all([pythonDrivers(), javaDriver(), goDriver()]);
process.stdout.write(`Drivers for tests (${((Date.now() - started) / 1000).toFixed(1)} s): ${python}, ${java.classpath}, ${go}\n`);
