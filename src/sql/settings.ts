/**
 * Session settings (GUCs): what SET/SHOW/RESET and current_setting() read and write, and which
 * of them are reported to the client as ParameterStatus, as PostgreSQL does. Each session has its
 * own: the startup packet's values (options -c included) are what RESET returns to, SET LOCAL lasts
 * until the transaction block ends, and pg_settings (pg_show_all_settings) lists them all.
 */
import { SqlError, SQLSTATE } from '../errors.js';
import { SERVER_VERSION } from '../version.js';
import { DEFAULT_MAX_RECURSION_ITERATIONS } from '../planner/recursive.js';
import { SqlArray, type Value } from '../types/types.js';
import { CUSTOM_SETTING, SETTING_DESCRIPTIONS, type SettingDescription } from './setting-descriptions.js';
import { startupOptions } from './startup-options.js';

interface SettingSpec {
  defaultValue: string;
  /** Reported to the client in ParameterStatus at startup and whenever it changes. */
  reported?: boolean;
  /** Fixed by the server: SET is refused (55P02 in PostgreSQL; we use 0A000-like clarity). */
  readOnly?: boolean;
  /** Canonicalizes a value given to SET, or throws 22023. */
  normalize?: (value: string) => string;
}

function normalizeBool(value: string): string {
  const v = value.trim().toLowerCase();
  if (['on', 'true', 'yes', '1', 't', 'y'].includes(v)) return 'on';
  if (['off', 'false', 'no', '0', 'f', 'n'].includes(v)) return 'off';
  throw new SqlError(SQLSTATE.invalidParameterValue, `parameter requires a Boolean value`);
}

function normalizeTimeZone(value: string): string {
  const v = value.trim();
  if (/^(utc|gmt|z|zulu)$/i.test(v)) return 'UTC';
  if (/^[+-]?\d{1,2}(:\d{2})?$/.test(v)) return v;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: v });
    return v;
  } catch {
    throw new SqlError(SQLSTATE.invalidParameterValue, `invalid value for parameter "TimeZone": "${value}"`);
  }
}

function normalizeEncoding(value: string): string {
  const v = value.trim().toUpperCase().replace(/[-_]/g, '');
  if (v === 'UTF8' || v === 'UNICODE') return 'UTF8';
  throw new SqlError(SQLSTATE.featureNotSupported, `encoding "${value}" is not supported: Eddy speaks UTF8 only`);
}

function normalizePositiveInteger(value: string): string {
  const v = value.trim();
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 2 ** 31 - 1) {
    throw new SqlError(SQLSTATE.invalidParameterValue, `invalid value "${value}": give a whole number between 1 and ${2 ** 31 - 1}`);
  }
  return String(Number(v));
}

/** PostgreSQL's time units for settings measured in milliseconds, largest first. */
const TIME_UNITS: [string, number][] = [['d', 86_400_000], ['h', 3_600_000], ['min', 60_000], ['s', 1000], ['ms', 1]];

/** A duration in milliseconds as PostgreSQL shows it: in the largest unit that divides it ('5s', '1500ms'). */
export function normalizeMilliseconds(value: string): string {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(us|ms|s|min|h|d)?\s*$/i.exec(value);
  const unit = m?.[2]?.toLowerCase() ?? 'ms';
  const ms = m ? Math.round(Number(m[1]) * (unit === 'us' ? 0.001 : TIME_UNITS.find(([u]) => u === unit)![1])) : NaN;
  if (!Number.isSafeInteger(ms) || ms > 2 ** 31 - 1) {
    throw new SqlError(SQLSTATE.invalidParameterValue, `invalid value "${value}": give milliseconds, or a number with a unit (ms, s, min, h, d)`);
  }
  if (ms === 0) return '0';
  const [unitName, size] = TIME_UNITS.find(([, size]) => ms % size === 0)!;
  return `${ms / size}${unitName}`;
}

/** The milliseconds of a duration setting's (normalized) value. */
export function durationMs(value: string): number {
  if (value === '0') return 0;
  const m = /^(\d+)([a-z]+)$/.exec(value);
  return m ? Number(m[1]) * (TIME_UNITS.find(([u]) => u === m[2])?.[1] ?? 1) : Number(value);
}

const SPECS: Record<string, SettingSpec> = {
  server_version: { defaultValue: SERVER_VERSION, reported: true, readOnly: true },
  server_version_num: { defaultValue: '150000', readOnly: true },
  server_encoding: { defaultValue: 'UTF8', reported: true, readOnly: true },
  client_encoding: { defaultValue: 'UTF8', reported: true, normalize: normalizeEncoding },
  application_name: { defaultValue: '', reported: true },
  datestyle: {
    defaultValue: 'ISO, MDY',
    reported: true,
    normalize: (v) => {
      if (!/iso/i.test(v) && !/^\s*(mdy|dmy|ymd)\s*$/i.test(v)) {
        throw new SqlError(SQLSTATE.featureNotSupported, `DateStyle "${v}" is not supported: Eddy outputs ISO dates`);
      }
      return 'ISO, MDY';
    },
  },
  intervalstyle: {
    defaultValue: 'postgres',
    reported: true,
    normalize: (v) => {
      if (v.trim().toLowerCase() !== 'postgres') {
        throw new SqlError(SQLSTATE.featureNotSupported, `IntervalStyle "${v}" is not supported`);
      }
      return 'postgres';
    },
  },
  timezone: { defaultValue: 'UTC', reported: true, normalize: normalizeTimeZone },
  integer_datetimes: { defaultValue: 'on', reported: true, readOnly: true },
  standard_conforming_strings: { defaultValue: 'on', reported: true, normalize: normalizeBool },
  is_superuser: { defaultValue: 'on', reported: true, readOnly: true },
  session_authorization: { defaultValue: 'eddy', reported: true, readOnly: true },
  default_transaction_read_only: { defaultValue: 'off', reported: true, normalize: normalizeBool },
  in_hot_standby: { defaultValue: 'off', reported: true, readOnly: true },
  search_path: { defaultValue: '"$user", public' },
  extra_float_digits: { defaultValue: '1' },
  transaction_isolation: { defaultValue: 'serializable' },
  default_transaction_isolation: { defaultValue: 'serializable' },
  max_identifier_length: { defaultValue: '63', readOnly: true },
  /** The server's (--max-connections, --authentication-timeout): passed in as fixed values. */
  max_connections: { defaultValue: '100', readOnly: true },
  authentication_timeout: { defaultValue: '1min', readOnly: true },
  'eddy.source_errors_retained': { defaultValue: '1000', readOnly: true },
  /** Enforced by ClientSession.execute (src/sql/statement-timer.ts): 57014 past it. */
  statement_timeout: { defaultValue: '0', normalize: normalizeMilliseconds },
  // accepted and shown as PostgreSQL shows them ('5s'); Eddy takes no locks and has no idle timeout
  lock_timeout: { defaultValue: '0', normalize: normalizeMilliseconds },
  idle_in_transaction_session_timeout: { defaultValue: '0', normalize: normalizeMilliseconds },
  client_min_messages: { defaultValue: 'notice' },
  bytea_output: { defaultValue: 'hex' },
  lc_messages: { defaultValue: 'C' },
  lc_monetary: { defaultValue: 'C' },
  lc_numeric: { defaultValue: 'C' },
  lc_time: { defaultValue: 'C' },
  lc_collate: { defaultValue: 'C', readOnly: true },
  lc_ctype: { defaultValue: 'C', readOnly: true },
  jit: { defaultValue: 'off' },
  /** Tables' pg_class.relam (heap): SQLAlchemy's get_table_names compares pg_am.amname with it. */
  default_table_access_method: { defaultValue: 'heap' },
  timezone_abbreviations: { defaultValue: 'Default' },
  block_size: { defaultValue: '8192', readOnly: true },
  server_name: { defaultValue: 'eddy', readOnly: true },
  /** Rows a subscription may queue for a slow reader before it ends with 53200 (src/sql/subscription.ts). */
  'eddy.subscribe_buffer_rows': { defaultValue: '100000', normalize: normalizePositiveInteger },
  /** Evaluations of a WITH RECURSIVE term that may still produce rows before 54001 (src/engine/ops/recursive.ts). */
  'eddy.max_recursion_iterations': { defaultValue: String(DEFAULT_MAX_RECURSION_ITERATIONS), normalize: normalizePositiveInteger },
};

/** PostgreSQL's spelling of names it reports in mixed case. */
const DISPLAY_NAMES: Record<string, string> = { datestyle: 'DateStyle', intervalstyle: 'IntervalStyle', timezone: 'TimeZone' };

export function displayName(name: string): string {
  return DISPLAY_NAMES[name] ?? name;
}

/** Where a setting's current value came from, as pg_settings.source says. */
type Source = 'default' | 'client' | 'command line' | 'session';

/** One row of pg_show_all_settings(), by column name. */
export type SettingRow = Record<string, Value>;

/** A setting's state that a transaction block or savepoint may have to put back. */
interface SettingsState {
  values: ReadonlyMap<string, string>;
  locals: ReadonlyMap<string, string>;
}

export class Settings {
  /** What the session started with (startup packet, server flags): RESET returns to these. */
  private readonly startup = new Map<string, { value: string; source: Source }>();
  /** SET at session level. */
  private readonly values = new Map<string, string>();
  /** SET LOCAL: until the transaction block ends. */
  private readonly locals = new Map<string, string>();
  /** The state when the transaction block began, to undo SET on ROLLBACK. */
  private snapshot: SettingsState | null = null;
  private readonly changedReported = new Map<string, string>();
  private changes = 0;

  /** `fixed`: values the server decides for this session (max_connections, is_superuser...). */
  constructor(startup: Record<string, string>, fixed: Record<string, string> = {}) {
    // options (PGOPTIONS: "-c name=value --name=value") first: explicit startup keys win
    const given = { ...startupOptions(startup.options ?? ''), ...startup };
    for (const [key, value] of Object.entries(given)) {
      const name = key.toLowerCase();
      const spec = SPECS[name];
      // Startup packets carry user/database/options too; unknown or read-only keys are ignored as
      // PostgreSQL ignores what it does not set; custom "x.y" settings are taken as they are.
      if (spec?.readOnly || (!spec && !name.includes('.'))) continue;
      try {
        this.startup.set(name, { value: spec?.normalize ? spec.normalize(value) : value, source: 'client' });
      } catch {
        // A client's bad startup setting falls back to the default rather than refusing the connection.
      }
    }
    // Read-only for SET, but the connection's own: PostgreSQL reports the user who logged in.
    if (startup.user) this.startup.set('session_authorization', { value: startup.user, source: 'client' });
    for (const [name, value] of Object.entries(fixed)) {
      this.startup.set(name, { value, source: value === SPECS[name]?.defaultValue ? 'default' : 'command line' });
    }
  }

  get(name: string): string | undefined {
    const key = name.toLowerCase();
    return this.locals.get(key) ?? this.values.get(key) ?? this.startup.get(key)?.value ?? SPECS[key]?.defaultValue;
  }

  /** SHOW: the value, or 42704 for an unknown name. */
  show(name: string): string {
    const value = this.get(name);
    if (value === undefined) {
      throw new SqlError(SQLSTATE.undefinedObject, `unrecognized configuration parameter "${name}"`);
    }
    return value;
  }

  /** Counts changes after startup: a plan made under other settings is not reused (statement-cache.ts). */
  get version(): number {
    return this.changes;
  }

  /**
   * SET (value) or RESET (null) at session level, or SET LOCAL (`local`) until the block ends.
   * The caller checks that a SET LOCAL is inside a transaction block.
   */
  set(name: string, value: string | null, local = false): void {
    const { key, normalized } = this.checked(name, value);
    this.reportingChanges(() => {
      if (local) {
        this.locals.set(key, normalized ?? this.resetValue(key) ?? '');
        return;
      }
      // a session-level SET (or RESET) replaces a SET LOCAL of the same block, as in PostgreSQL
      this.locals.delete(key);
      if (normalized === null) this.values.delete(key);
      else this.values.set(key, normalized);
    });
  }

  /**
   * The setting's key and the value SET would store (null for RESET); throws what SET would
   * (42704 unknown, 55P02 read-only, 22023 bad value) without changing anything.
   */
  checked(name: string, value: string | null): { key: string; normalized: string | null } {
    const key = name.toLowerCase();
    const spec = SPECS[key];
    if (!spec && !key.includes('.')) {
      throw new SqlError(SQLSTATE.undefinedObject, `unrecognized configuration parameter "${name}"`);
    }
    if (spec?.readOnly) {
      throw new SqlError('55P02', `parameter "${name}" cannot be changed`);
    }
    return { key, normalized: value === null ? null : spec?.normalize ? spec.normalize(value) : value };
  }

  /** RESET ALL: every setting back to the session's startup value. */
  resetAll(): void {
    this.reportingChanges(() => {
      this.values.clear();
      this.locals.clear();
    });
  }

  /** Every setting SHOW ALL lists: name, value (as SHOW prints it) and description. */
  all(): [string, string, string][] {
    return this.listed().map((n) => [displayName(n), this.get(n) ?? '', describe(n).description]);
  }

  /** pg_show_all_settings(): pg_settings' rows with this session's values. */
  rows(): SettingRow[] {
    return this.listed().map((name) => {
      const d = describe(name);
      const spec = SPECS[name];
      const inUnit = (v: string | undefined) => (v === undefined ? null : settingInUnit(v, d.unit));
      return {
        name: displayName(name),
        setting: inUnit(this.get(name)),
        unit: d.unit ?? null,
        category: d.category,
        short_desc: d.description,
        extra_desc: null,
        context: d.context,
        vartype: d.vartype,
        source: this.source(name),
        min_val: d.min ?? null,
        max_val: d.max ?? null,
        enumvals: d.enumvals ? new SqlArray(d.enumvals) : null,
        boot_val: inUnit(spec?.defaultValue),
        reset_val: inUnit(this.resetValue(name)),
        sourcefile: null,
        sourceline: null,
        pending_restart: false,
      };
    });
  }

  reportedPairs(): [string, string][] {
    return Object.entries(SPECS)
      .filter(([, spec]) => spec.reported)
      .map(([name]) => [displayName(name), this.get(name) ?? '']);
  }

  takeChanges(): [string, string][] {
    const changes = [...this.changedReported];
    this.changedReported.clear();
    return changes;
  }

  beginTransaction(): void {
    this.snapshot = this.savepoint();
  }

  /** The block ends: SET LOCAL values go, and on ROLLBACK the block's SETs too. */
  endTransaction(commit: boolean): void {
    const before = this.snapshot;
    this.snapshot = null;
    this.restore({ values: !commit && before ? before.values : new Map(this.values), locals: new Map() });
  }

  /** The values now, for a SAVEPOINT to return to. */
  savepoint(): SettingsState {
    return { values: new Map(this.values), locals: new Map(this.locals) };
  }

  /** Puts back values taken earlier, reporting the reported ones that change (ROLLBACK, ROLLBACK TO). */
  restore(saved: SettingsState): void {
    this.reportingChanges(() => {
      for (const [mine, theirs] of [[this.values, saved.values], [this.locals, saved.locals]] as const) {
        mine.clear();
        for (const [k, v] of theirs) mine.set(k, v);
      }
    });
  }

  /** Runs a change and notes the reported settings whose value it changed (ParameterStatus). */
  private reportingChanges(change: () => void): void {
    const before = this.reportedPairs();
    change();
    this.changes++;
    const after = this.reportedPairs();
    after.forEach(([name, value], i) => {
      if (before[i]![1] !== value) this.changedReported.set(name, value);
    });
  }

  /** What RESET returns to: the startup value, else the default. */
  private resetValue(key: string): string | undefined {
    return this.startup.get(key)?.value ?? SPECS[key]?.defaultValue;
  }

  private source(key: string): Source {
    if (this.locals.has(key) || this.values.has(key)) return 'session';
    return this.startup.get(key)?.source ?? 'default';
  }

  /** The settings SHOW ALL and pg_settings list, by name: not the hidden ones nor custom "x.y" placeholders, as in PostgreSQL. */
  private listed(): string[] {
    return Object.keys(SPECS)
      .filter((n) => !describe(n).hidden)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }
}

const describe = (name: string): SettingDescription => SETTING_DESCRIPTIONS[name] ?? CUSTOM_SETTING;

/** pg_settings.setting of a duration: a number in the setting's unit ('5s' is 5000 for a unit of ms). */
function settingInUnit(value: string, unit: string | undefined): string {
  if (unit === 'ms') return String(durationMs(value));
  if (unit === 's') return String(Math.round(durationMs(value) / 1000));
  return value;
}
