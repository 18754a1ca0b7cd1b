/**
 * What pg_settings and SHOW ALL say about each setting besides its value: PostgreSQL 15's own
 * category, short description, context, type, unit, bounds and choices (copied from its
 * pg_settings), and Eddy's for its own settings.
 */

export interface SettingDescription {
  category: string;
  description: string;
  /** When it may change: 'user' (SET), 'superuser', 'sighup', 'postmaster' (start), 'internal' (never). */
  context: 'user' | 'superuser' | 'sighup' | 'postmaster' | 'internal';
  vartype: 'bool' | 'integer' | 'real' | 'string' | 'enum';
  /** The unit an integer's pg_settings.setting is in ('ms', 's'); SHOW prints the value with its own unit. */
  unit?: string;
  min?: string;
  max?: string;
  enumvals?: string[];
  /** Left out of SHOW ALL and pg_settings, as PostgreSQL's GUC_NO_SHOW_ALL settings are. */
  hidden?: boolean;
}

const STATEMENT = 'Client Connection Defaults / Statement Behavior';
const LOCALE = 'Client Connection Defaults / Locale and Formatting';
const PRESET = 'Preset Options';
const ISOLATION_LEVELS = ['serializable', 'repeatable read', 'read committed', 'read uncommitted'];
const MAX_INT = '2147483647';

export const SETTING_DESCRIPTIONS: Record<string, SettingDescription> = {
  application_name: { category: 'Reporting and Logging / What to Log', description: 'Sets the application name to be reported in statistics and logs.', context: 'user', vartype: 'string' },
  authentication_timeout: { category: 'Connections and Authentication / Authentication', description: 'Sets the maximum allowed time to complete client authentication.', context: 'sighup', vartype: 'integer', unit: 's', min: '1', max: '600' },
  block_size: { category: PRESET, description: 'Shows the size of a disk block.', context: 'internal', vartype: 'integer', min: '8192', max: '8192' },
  bytea_output: { category: STATEMENT, description: 'Sets the output format for bytea.', context: 'user', vartype: 'enum', enumvals: ['escape', 'hex'] },
  client_encoding: { category: LOCALE, description: "Sets the client's character set encoding.", context: 'user', vartype: 'string' },
  client_min_messages: { category: STATEMENT, description: 'Sets the message levels that are sent to the client.', context: 'user', vartype: 'enum', enumvals: ['debug5', 'debug4', 'debug3', 'debug2', 'debug1', 'log', 'notice', 'warning', 'error'] },
  datestyle: { category: LOCALE, description: 'Sets the display format for date and time values.', context: 'user', vartype: 'string' },
  default_table_access_method: { category: STATEMENT, description: 'Sets the default table access method for new tables.', context: 'user', vartype: 'string' },
  default_transaction_isolation: { category: STATEMENT, description: 'Sets the transaction isolation level of each new transaction.', context: 'user', vartype: 'enum', enumvals: ISOLATION_LEVELS },
  default_transaction_read_only: { category: STATEMENT, description: 'Sets the default read-only status of new transactions.', context: 'user', vartype: 'bool' },
  extra_float_digits: { category: LOCALE, description: 'Sets the number of digits displayed for floating-point values.', context: 'user', vartype: 'integer', min: '-15', max: '3' },
  idle_in_transaction_session_timeout: { category: STATEMENT, description: 'Sets the maximum allowed idle time between queries, when in a transaction.', context: 'user', vartype: 'integer', unit: 'ms', min: '0', max: MAX_INT },
  in_hot_standby: { category: PRESET, description: 'Shows whether hot standby is currently active.', context: 'internal', vartype: 'bool' },
  integer_datetimes: { category: PRESET, description: 'Shows whether datetimes are integer based.', context: 'internal', vartype: 'bool' },
  intervalstyle: { category: LOCALE, description: 'Sets the display format for interval values.', context: 'user', vartype: 'enum', enumvals: ['postgres', 'postgres_verbose', 'sql_standard', 'iso_8601'] },
  is_superuser: { category: 'Ungrouped', description: 'Shows whether the current user is a superuser.', context: 'internal', vartype: 'bool', hidden: true },
  jit: { category: 'Query Tuning / Other Planner Options', description: 'Allow JIT compilation.', context: 'user', vartype: 'bool' },
  lc_collate: { category: PRESET, description: 'Shows the collation order locale.', context: 'internal', vartype: 'string' },
  lc_ctype: { category: PRESET, description: 'Shows the character classification and case conversion locale.', context: 'internal', vartype: 'string' },
  lc_messages: { category: LOCALE, description: 'Sets the language in which messages are displayed.', context: 'superuser', vartype: 'string' },
  lc_monetary: { category: LOCALE, description: 'Sets the locale for formatting monetary amounts.', context: 'user', vartype: 'string' },
  lc_numeric: { category: LOCALE, description: 'Sets the locale for formatting numbers.', context: 'user', vartype: 'string' },
  lc_time: { category: LOCALE, description: 'Sets the locale for formatting date and time values.', context: 'user', vartype: 'string' },
  lock_timeout: { category: STATEMENT, description: 'Sets the maximum allowed duration of any wait for a lock.', context: 'user', vartype: 'integer', unit: 'ms', min: '0', max: MAX_INT },
  max_connections: { category: 'Connections and Authentication / Connection Settings', description: 'Sets the maximum number of concurrent connections.', context: 'postmaster', vartype: 'integer', min: '1', max: '262143' },
  max_identifier_length: { category: PRESET, description: 'Shows the maximum identifier length.', context: 'internal', vartype: 'integer', min: '63', max: '63' },
  search_path: { category: STATEMENT, description: 'Sets the schema search order for names that are not schema-qualified.', context: 'user', vartype: 'string' },
  server_encoding: { category: PRESET, description: 'Shows the server (database) character set encoding.', context: 'internal', vartype: 'string' },
  server_name: { category: PRESET, description: 'Shows the name of this server (Eddy).', context: 'internal', vartype: 'string' },
  server_version: { category: PRESET, description: 'Shows the server version.', context: 'internal', vartype: 'string' },
  server_version_num: { category: PRESET, description: 'Shows the server version as an integer.', context: 'internal', vartype: 'integer', min: '150000', max: '150000' },
  session_authorization: { category: 'Ungrouped', description: 'Sets the session user name.', context: 'user', vartype: 'string', hidden: true },
  standard_conforming_strings: { category: 'Version and Platform Compatibility / Previous PostgreSQL Versions', description: "Causes '...' strings to treat backslashes literally.", context: 'user', vartype: 'bool' },
  statement_timeout: { category: STATEMENT, description: 'Sets the maximum allowed duration of any statement.', context: 'user', vartype: 'integer', unit: 'ms', min: '0', max: MAX_INT },
  timezone: { category: LOCALE, description: 'Sets the time zone for displaying and interpreting time stamps.', context: 'user', vartype: 'string' },
  timezone_abbreviations: { category: LOCALE, description: 'Selects a file of time zone abbreviations.', context: 'user', vartype: 'string' },
  transaction_isolation: { category: STATEMENT, description: "Sets the current transaction's isolation level.", context: 'user', vartype: 'enum', enumvals: ISOLATION_LEVELS },
  'eddy.max_recursion_iterations': { category: 'Eddy', description: 'Sets how many times a WITH RECURSIVE term may be evaluated while it still produces rows.', context: 'user', vartype: 'integer', min: '1', max: MAX_INT },
  'eddy.source_errors_retained': { category: 'Eddy', description: 'Shows how many undecodable messages eddy_source_errors keeps per source.', context: 'postmaster', vartype: 'integer', min: '0', max: MAX_INT },
  'eddy.subscribe_buffer_rows': { category: 'Eddy', description: 'Sets how many rows a subscription may queue for a slow reader.', context: 'user', vartype: 'integer', min: '1', max: MAX_INT },
};

/** A custom setting ("x.y", made by SET) as PostgreSQL lists a placeholder. */
export const CUSTOM_SETTING: SettingDescription = { category: 'Customized Options', description: '', context: 'user', vartype: 'string' };
