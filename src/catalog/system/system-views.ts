/**
 * The pg_catalog views whose rows are the reading session's own, defined as PostgreSQL defines
 * them, over functions: pg_settings over pg_show_all_settings() (the session's SET values) and
 * pg_stat_activity and pg_stat_gssapi over pg_stat_get_activity(NULL) (every client session). A query reading them
 * inlines the view, so each session sees its own settings, and pg_class lists them as views.
 */
import type { RelationColumn } from '../../planner/catalog-api.js';
import { ACTIVITY_COLUMNS, SETTINGS_COLUMNS } from '../../planner/functions/session-fns.js';
import { T, type SqlType } from '../../types/types.js';
import { FIRST_EDDY_SYSTEM_OID } from './oids.js';

export interface SystemView {
  name: string;
  oid: number;
  columns: RelationColumn[];
  /** The view's query, as pg_get_viewdef shows it. */
  query: string;
}

const column = (name: string, type: SqlType): RelationColumn => ({ name, type, typmod: -1 });

const settingsSelect = SETTINGS_COLUMNS.map((c) => `a.${c.name}`).join(', ');

/** pg_stat_activity's columns: pg_stat_get_activity()'s (s), with the database's and role's names joined in. */
const ACTIVITY_VIEW_COLUMNS = (
  'datid datname pid leader_pid usesysid usename application_name client_addr client_hostname client_port backend_start ' +
  'xact_start query_start state_change wait_event_type wait_event state backend_xid backend_xmin query_id query backend_type'
).split(' ');
const JOINED: Record<string, { select: string; type: SqlType }> = {
  datname: { select: 'd.datname', type: T.name },
  usename: { select: 'u.rolname AS usename', type: T.name },
};
const activityType = (name: string): SqlType => JOINED[name]?.type ?? ACTIVITY_COLUMNS.find((c) => c.name === name)!.type;
const activitySelect = ACTIVITY_VIEW_COLUMNS.map((name) => JOINED[name]?.select ?? `s.${name}`).join(', ');

export const SYSTEM_VIEWS: readonly SystemView[] = [
  {
    name: 'pg_settings',
    oid: FIRST_EDDY_SYSTEM_OID + 3,
    columns: SETTINGS_COLUMNS.map((c) => column(c.name, c.type)),
    query: `SELECT ${settingsSelect} FROM pg_catalog.pg_show_all_settings() a`,
  },
  {
    name: 'pg_stat_activity',
    oid: FIRST_EDDY_SYSTEM_OID + 8,
    columns: ACTIVITY_VIEW_COLUMNS.map((name) => column(name, activityType(name))),
    query:
      `SELECT ${activitySelect} FROM pg_catalog.pg_stat_get_activity(NULL::integer) s ` +
      'LEFT JOIN pg_catalog.pg_database d ON s.datid = d.oid LEFT JOIN pg_catalog.pg_roles u ON s.usesysid = u.oid',
  },
  {
    // pgAdmin reads it when it connects; Eddy authenticates no one with GSSAPI
    name: 'pg_stat_gssapi',
    oid: FIRST_EDDY_SYSTEM_OID + 31,
    columns: [column('pid', T.int4), column('gss_authenticated', T.bool), column('principal', T.text), column('encrypted', T.bool)],
    query:
      'SELECT s.pid, false AS gss_authenticated, NULL::text AS principal, false AS encrypted ' +
      'FROM pg_catalog.pg_stat_get_activity(NULL::integer) s WHERE s.client_port IS NOT NULL',
  },
];
