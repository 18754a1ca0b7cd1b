/** Session and system information functions: version(), current_database(), current_setting()... */
import { SqlError, SQLSTATE } from '../../errors.js';
import { T } from '../../types/types.js';
import { VERSION_STRING } from '../../version.js';
import { register } from './registry.js';

/** Who is connected: the session's settings carry it (session_authorization, as PostgreSQL reports it). */
const sessionUser = (setting: (name: string) => string | undefined) => setting('session_authorization') ?? 'eddy';

register(
  { name: 'version', args: [], returns: T.text, impl: () => VERSION_STRING },
  {
    name: 'current_database',
    args: [],
    returns: T.name,
    volatile: true,
    impl: (_a, env) => env.setting('eddy.database') ?? env.setting('database') ?? sessionUser((n) => env.setting(n)),
  },
  { name: 'current_schema', args: [], returns: T.name, impl: () => 'public' },
  { name: 'current_user', args: [], returns: T.name, volatile: true, impl: (_a, env) => sessionUser((n) => env.setting(n)) },
  { name: 'session_user', args: [], returns: T.name, volatile: true, impl: (_a, env) => sessionUser((n) => env.setting(n)) },
  {
    name: 'current_setting',
    args: [T.text],
    returns: T.text,
    volatile: true,
    impl: ([name], env) => {
      const value = env.setting((name as string).toLowerCase());
      if (value === undefined) throw new SqlError(SQLSTATE.undefinedObject, `unrecognized configuration parameter "${name as string}"`);
      return value;
    },
  },
  {
    name: 'current_setting',
    args: [T.text, T.bool],
    returns: T.text,
    volatile: true,
    impl: ([name, missingOk], env) => {
      const value = env.setting((name as string).toLowerCase());
      if (value === undefined && !missingOk) throw new SqlError(SQLSTATE.undefinedObject, `unrecognized configuration parameter "${name as string}"`);
      return value ?? null;
    },
  },
  {
    // Drivers call it in a SELECT (asyncpg turns jit off before introspecting types). is_local
    // lasts until the transaction block ends, as SET LOCAL.
    name: 'set_config',
    args: [T.text, T.text, T.bool],
    returns: T.text,
    volatile: true,
    impl: ([name, value, local], env) => {
      if (!env.setSetting) throw new SqlError(SQLSTATE.featureNotSupported, 'set_config is not available here');
      return env.setSetting(name as string, value as string, local === true);
    },
  },
);
