/**
 * The --password-file: one `user:password` line per user, `user:password:readonly` for a user who
 * may read but not change anything; blank lines and lines starting with '#' are skipped. A
 * password may itself contain ':' (everything after the user's colon is the password, bar a
 * trailing ':readonly').
 */
import { readFileSync } from 'node:fs';
import type { ServerAuth } from './server.js';

const READ_ONLY_SUFFIX = ':readonly';

export function readPasswordFile(file: string): ServerAuth {
  const users = new Map<string, { password: string; readOnly: boolean }>();
  for (const [index, line] of readFileSync(file, 'utf8').split('\n').entries()) {
    const text = line.trim();
    if (text === '' || text.startsWith('#')) continue;
    const colon = text.indexOf(':');
    // The line itself is never quoted: it holds a password.
    if (colon <= 0) throw new Error(`${file} line ${index + 1}: expected "user:password" or "user:password:readonly"`);
    const rest = text.slice(colon + 1);
    const readOnly = rest.endsWith(READ_ONLY_SUFFIX);
    users.set(text.slice(0, colon), { password: readOnly ? rest.slice(0, -READ_ONLY_SUFFIX.length) : rest, readOnly });
  }
  return {
    password: (user) => users.get(user)?.password,
    readOnly: (user) => users.get(user)?.readOnly ?? false,
  };
}

/** 127.0.0.0/8, ::1 and localhost: only this machine can reach them. */
export function isLoopback(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^(::ffff:)?127\.\d+\.\d+\.\d+$/.test(h);
}
