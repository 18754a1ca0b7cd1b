/**
 * The functions behind pg_settings and pg_stat_activity, and the ones that signal other sessions,
 * as PostgreSQL defines them: pg_show_all_settings(), pg_stat_get_activity(pid),
 * pg_backend_pid(), pg_cancel_backend(pid), pg_terminate_backend(pid [, timeout]). They read the
 * session through EvalEnv.sessions (src/sql implements it).
 */
import { SqlError, SQLSTATE } from '../../errors.js';
import { arrayTypeOf, T, type SqlType, type Value } from '../../types/types.js';
import type { EvalEnv } from '../expr-ir.js';
import type { SessionControl } from '../catalog-api.js';
import { register, type FunctionDef } from './registry.js';

type Columns = readonly { name: string; type: SqlType }[];

const spec = (s: string): Columns =>
  s.trim().split(/\s+/).map((item) => {
    const [name, type] = item.split(':') as [string, string];
    return { name, type: type === 'text[]' ? arrayTypeOf(T.text)! : T[type as keyof typeof T] };
  });

/** pg_show_all_settings()'s columns, which pg_settings shows as they are. */
export const SETTINGS_COLUMNS: Columns = spec(
  'name:text setting:text unit:text category:text short_desc:text extra_desc:text context:text vartype:text source:text ' +
    'min_val:text max_val:text enumvals:text[] boot_val:text reset_val:text sourcefile:text sourceline:int4 pending_restart:bool',
);

/**
 * pg_stat_get_activity()'s columns. PostgreSQL's client_addr is inet and backend_xid/xmin xid,
 * types Eddy does not have: they are text here (client_addr prints the same; the xids are NULL).
 */
export const ACTIVITY_COLUMNS: Columns = spec(
  'datid:oid pid:int4 usesysid:oid application_name:text state:text query:text wait_event_type:text wait_event:text ' +
    'xact_start:timestamptz query_start:timestamptz backend_start:timestamptz state_change:timestamptz client_addr:text ' +
    'client_hostname:text client_port:int4 backend_xid:text backend_xmin:text backend_type:text ssl:bool sslversion:text ' +
    'sslcipher:text sslbits:int4 ssl_client_dn:text ssl_client_serial:numeric ssl_issuer_dn:text gss_auth:bool gss_princ:text ' +
    'gss_enc:bool leader_pid:int4 query_id:int8',
);

function sessions(env: EvalEnv, fn: string): SessionControl {
  if (!env.sessions) throw new SqlError(SQLSTATE.featureNotSupported, `${fn}() is only available in a client session`);
  return env.sessions;
}

/** A set-returning function whose rows are records by column name; NULL arguments still give rows (pg_stat_get_activity(NULL)). */
function recordFunction(name: string, args: SqlType[], columns: Columns, records: (args: Value[], env: EvalEnv) => Record<string, Value>[]): FunctionDef {
  return {
    name,
    args,
    returns: columns[0]!.type,
    strict: false,
    volatile: true,
    setReturning: () => ({
      columns: [...columns],
      strict: false,
      rows: (a, env) => records(a, env).map((r) => columns.map((c) => r[c.name] ?? null)),
    }),
  };
}

const signal = (name: string, args: SqlType[], send: (s: SessionControl, pid: number) => boolean): FunctionDef => ({
  name,
  args,
  returns: T.bool,
  volatile: true,
  impl: ([pid], env) => send(sessions(env, name), pid as number),
});

register(
  recordFunction('pg_show_all_settings', [], SETTINGS_COLUMNS, (_a, env) => sessions(env, 'pg_show_all_settings').settingRows()),
  recordFunction('pg_stat_get_activity', [T.int4], ACTIVITY_COLUMNS, ([pid], env) => sessions(env, 'pg_stat_get_activity').activityRows((pid as number | null) ?? null)),
  { name: 'pg_backend_pid', args: [], returns: T.int4, volatile: true, impl: (_a, env) => env.sessions?.backendPid ?? process.pid },
  signal('pg_cancel_backend', [T.int4], (s, pid) => s.cancelBackend(pid)),
  signal('pg_terminate_backend', [T.int4], (s, pid) => s.terminateBackend(pid)),
  // the timeout (ms to wait for the session to end) is accepted; the session ends at once here
  signal('pg_terminate_backend', [T.int4, T.int8], (s, pid) => s.terminateBackend(pid)),
);
