/**
 * Runs psql as an async child process against a server (the server under test lives in the test
 * process, so a blocking exec would deadlock it). Rejects on a non-zero exit with psql's stderr.
 */
import { execFile } from 'node:child_process';

export function psql(port: number, user: string, database: string, ...commands: string[]): Promise<string> {
  const args = ['-X', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-p', String(port), '-U', user, '-d', database];
  for (const c of commands) args.push('-c', c);
  return new Promise((resolve, reject) => {
    execFile('psql', args, { env: { ...process.env, PGCONNECT_TIMEOUT: '5' }, timeout: 20_000 }, (err, stdout, stderr) => {
      if (err || stderr.includes('ERROR')) reject(new Error(`psql ${commands.join(' ')} failed: ${stderr || String(err)}`));
      else resolve(stdout);
    });
  });
}
