/**
 * CREATE SOURCE, as SQL.md's "Sources" section writes it, parsed into the typed SourceSpec of
 * src/kafka/source-spec.ts:
 *
 *   CREATE SOURCE [IF NOT EXISTS] name FROM KAFKA (option, ...)
 *     [KEY FORMAT f] [VALUE FORMAT f] [INCLUDE {NONE | meta [AS col], ...}]
 *     [TABLE TYPE {APPEND | STREAM | RING n}] [WITH (ON ERROR = 'fail' | 'skip')]
 *   CREATE SOURCE [IF NOT EXISTS] name FROM TIME TABLE (PERIOD 'i' [, START TIME 'ts']) [TABLE TYPE ...]
 *
 * The clauses after the connection may come in any order, each at most once. Type names inside
 * formats go through PostgreSQL's own grammar (libpg-query) and the planner's type resolution.
 * Besides the spec, the parse records where START OFFSET, an AVRO format's VERSION and a time
 * table's START TIME are written (or would be), so that the handler can store the statement with
 * what it resolved at CREATE (see the rewrite functions).
 */
import { loadModule, parseSync } from 'libpg-query';
import { SqlError, SQLSTATE } from '../../errors.js';
import type { TableType } from '../../planner/catalog-api.js';
import { resolveTypeName } from '../../planner/type-names.js';
import { parseValue } from '../../types/text-io.js';
import { Interval, T } from '../../types/types.js';
import type { BinaryNumberFormat, DecodedColumn, JsonFieldColumn } from '../../kafka/decode/index.js';
import type {
  AvroFormatSpec,
  FormatSpec,
  KafkaConnectionSpec,
  KafkaSourceSpec,
  MetadataColumnSpec,
  MetadataKind,
  PartitionOffset,
  SourceSpec,
  StartOffsetSpec,
  TimeTableSourceSpec,
} from '../../kafka/source-spec.js';
import { ClauseOnce, leadingWords, parseCreateHead, TokenCursor, type Token } from './tokens.js';

await loadModule();

export interface CreateSourceStatement {
  spec: SourceSpec;
  /**
   * Where the statement text says (or would say) START OFFSET: the span of the whole option
   * when written, else the offset of the KAFKA option list's closing parenthesis. Null for a
   * time table.
   */
  startOffsetText: { kind: 'replace'; start: number; end: number } | { kind: 'insert'; at: number } | null;
  /**
   * For an AVRO key or value format without VERSION: where to add the version the latest one
   * resolved to at CREATE (just after the word AVRO; see rewriteAvroVersions).
   */
  avroVersionInsertAt: { key: number | null; value: number | null };
  /**
   * For a time table: where START TIME is written (its literal, which the handler reads in the
   * session's time zone), or where to add the one chosen at CREATE (see rewriteStartTime).
   */
  startTimeText: { kind: 'replace'; start: number; end: number; literal: string } | { kind: 'insert'; at: number } | null;
}

/** Default column names, folded as if written unquoted (SQL.md "Connecting"). */
const DEFAULT_KEY_COLUMN = 'kafkakey';
const DEFAULT_VALUE_COLUMN = 'kafkavalue';
const DEFAULT_METADATA_COLUMNS: Record<MetadataKind, string> = {
  partition: 'kafkapartition',
  offset: 'kafkaoffset',
  timestamp: 'kafkatimestamp',
  // Not in the seed; named so that they never collide with the default key column.
  key: 'kafkarawkey',
  headers: 'kafkaheaders',
};
const DEFAULT_INCLUDE: MetadataKind[] = ['partition', 'offset', 'timestamp'];

const CREATE_SOURCE = leadingWords('create', 'source');

/** True when the statement is a CREATE SOURCE (the dispatcher's cheap check). */
export function isCreateSource(sql: string): boolean {
  return CREATE_SOURCE.test(sql);
}

export function parseCreateSource(sql: string, offset: number): CreateSourceStatement {
  const c = TokenCursor.of(sql, offset);
  const { name: nameToken, ifNotExists } = parseCreateHead(c, 'source');
  const base = { name: nameToken.value, nameLocation: nameToken.offset, ifNotExists };
  if (c.acceptWords('time', 'table')) return { ...parseTimeTable(c, base), startOffsetText: null, avroVersionInsertAt: { key: null, value: null } };
  c.expectWords('kafka');
  return parseKafka(c, base);
}

type SpecBase = Pick<KafkaSourceSpec, 'name' | 'nameLocation' | 'ifNotExists'>;

// ---------------------------------------------------------------------------------------------
// FROM KAFKA

function parseKafka(c: TokenCursor, base: SpecBase): CreateSourceStatement {
  const { connection, startOffsetText } = parseConnection(c, base.name);
  const clauses = new ClauseOnce(c);
  let key: FormatClause | null = null;
  let value: FormatClause | null = null;
  let include: MetadataColumnSpec[] | null = null;
  let tableType: TableType | null = null;
  let onError: 'skip' | 'fail' = 'skip';
  while (!c.atEnd()) {
    const token = c.peek();
    if (c.acceptWords('key', 'format')) {
      clauses.once('KEY FORMAT', token);
      key = parseFormatClause(c, token, DEFAULT_KEY_COLUMN);
    } else if (c.acceptWords('value', 'format')) {
      clauses.once('VALUE FORMAT', token);
      value = parseFormatClause(c, token, DEFAULT_VALUE_COLUMN);
    } else if (c.acceptWords('include')) {
      clauses.once('INCLUDE', token);
      include = parseInclude(c);
    } else if (c.acceptWords('table', 'type')) {
      clauses.once('TABLE TYPE', token);
      tableType = parseTableType(c);
    } else if (c.acceptWords('with')) {
      clauses.once('WITH', token);
      onError = parseWithOptions(c);
    } else {
      c.fail();
    }
  }
  c.expectEnd();
  const keySpec = key?.spec ?? defaultTextFormat(DEFAULT_KEY_COLUMN);
  const valueSpec = value?.spec ?? defaultTextFormat(DEFAULT_VALUE_COLUMN);
  if (keySpec.kind === 'builtin' && keySpec.format.kind === 'ignore' && valueSpec.kind === 'builtin' && valueSpec.format.kind === 'ignore') {
    throw c.errorAt(value?.token ?? key!.token, SQLSTATE.syntaxError, 'KEY FORMAT and VALUE FORMAT cannot both be IGNORE', {
      hint: 'A source needs at least one of the key and the value.',
    });
  }
  const spec: KafkaSourceSpec = {
    kind: 'kafka',
    ...base,
    tableType: tableType ?? 'stream',
    connection,
    key: keySpec,
    value: valueSpec,
    include: include ?? DEFAULT_INCLUDE.map((meta) => ({ meta, column: DEFAULT_METADATA_COLUMNS[meta] })),
    onError,
  };
  const versionAt = (format: FormatClause | null) => (format?.spec.kind === 'avro' && format.spec.version === null ? format.avroEnd : null);
  return { spec, startOffsetText, startTimeText: null, avroVersionInsertAt: { key: versionAt(key), value: versionAt(value) } };
}

/**
 * A KEY or VALUE FORMAT clause: its format, its first word (where errors point), and where the
 * format's own first word ends (an AVRO without VERSION gets the resolved one inserted there).
 */
interface FormatClause {
  spec: FormatSpec;
  token: Token;
  avroEnd: number;
}

function parseFormatClause(c: TokenCursor, token: Token, defaultColumn: string): FormatClause {
  const avroEnd = c.peek().end;
  return { spec: parseFormat(c, defaultColumn), token, avroEnd };
}

function parseConnection(c: TokenCursor, sourceName: string): Pick<CreateSourceStatement, 'startOffsetText'> & { connection: KafkaConnectionSpec } {
  const open = c.expectPunct('(');
  const once = new ClauseOnce(c);
  let brokers: string[] | null = null;
  let topic: string | null = null;
  let partitions: number[] | null = null;
  let startOffset: StartOffsetSpec = { kind: 'latest' };
  let startOffsetSpan: { start: number; end: number } | null = null;
  let groupId: string | null = null;
  let schemaRegistry: string | null = null;
  const properties: { name: string; value: string }[] = [];
  do {
    const token = c.peek();
    if (c.acceptWords('broker')) {
      once.once('BROKER', token);
      brokers = brokerList(c, c.string());
    } else if (c.acceptWords('topic')) {
      once.once('TOPIC', token);
      const s = c.string();
      if (s.value === '') throw c.errorAt(s, SQLSTATE.invalidParameterValue, 'TOPIC must not be empty');
      topic = s.value;
    } else if (c.acceptWords('partitions')) {
      once.once('PARTITIONS', token);
      partitions = parsePartitionList(c);
    } else if (c.acceptWords('start', 'offset')) {
      once.once('START OFFSET', token);
      startOffset = parseStartOffset(c);
      startOffsetSpan = { start: token.offset, end: c.peek(-1).end };
    } else if (c.acceptWords('group', 'id')) {
      once.once('GROUP ID', token);
      groupId = c.string().value;
    } else if (c.acceptWords('schema', 'registry')) {
      once.once('SCHEMA REGISTRY', token);
      schemaRegistry = c.string().value;
    } else if (token.kind === 'string') {
      c.next();
      c.expectPunct('=');
      const value = c.string();
      // The client properties that mean an option of ours (as Deephaven's consume() takes them).
      const alias = PROPERTY_ALIASES[token.value];
      if (alias) {
        once.once(alias, token);
        if (alias === 'BROKER') brokers = brokerList(c, value);
        else if (alias === 'GROUP ID') groupId = value.value;
        else schemaRegistry = value.value;
      } else {
        properties.push({ name: token.value, value: value.value });
      }
    } else {
      c.fail('Options of FROM KAFKA are BROKER, TOPIC, PARTITIONS, START OFFSET, GROUP ID, SCHEMA REGISTRY and quoted client properties.');
    }
  } while (c.acceptPunct(','));
  const close = c.expectPunct(')');
  if (brokers === null) throw c.errorAt(open, SQLSTATE.syntaxError, 'FROM KAFKA needs a BROKER');
  if (topic === null) throw c.errorAt(open, SQLSTATE.syntaxError, 'FROM KAFKA needs a TOPIC');
  if (partitions !== null && startOffset.kind === 'offsets') {
    const unread = startOffset.offsets.find((o) => !partitions!.includes(o.partition));
    if (unread) {
      throw c.errorAt(close, SQLSTATE.invalidParameterValue, `START OFFSET names partition ${unread.partition}, which PARTITIONS does not include`);
    }
  }
  return {
    connection: { brokers, topic, partitions, startOffset, groupId: groupId ?? `eddy-${sourceName}`, schemaRegistry, properties },
    startOffsetText: startOffsetSpan ? { kind: 'replace', ...startOffsetSpan } : { kind: 'insert', at: close.offset },
  };
}

/** Quoted client properties that stand for an option (so each can be given only once either way). */
const PROPERTY_ALIASES: Record<string, 'BROKER' | 'GROUP ID' | 'SCHEMA REGISTRY'> = {
  'bootstrap.servers': 'BROKER',
  'group.id': 'GROUP ID',
  'schema.registry.url': 'SCHEMA REGISTRY',
};

/** BROKER 'host:port,...' (CREATE SINK's INTO KAFKA reads it the same way). */
export function brokerList(c: TokenCursor, s: Token): string[] {
  const brokers = s.value.split(',').map((b) => b.trim()).filter((b) => b !== '');
  if (brokers.length === 0 || brokers.some((b) => !/^[^:\s]+:\d+$/.test(b))) {
    throw c.errorAt(s, SQLSTATE.invalidParameterValue, `BROKER must be a list of host:port separated by commas, not '${s.value}'`);
  }
  return brokers;
}

const MAX_PARTITION = 2 ** 31 - 1;

function parsePartitionList(c: TokenCursor): number[] {
  c.expectPunct('(');
  const partitions: number[] = [];
  do {
    const { value, token } = c.smallInteger('a partition', 0, MAX_PARTITION);
    if (partitions.includes(value)) throw c.errorAt(token, SQLSTATE.invalidParameterValue, `partition ${value} is listed twice`);
    partitions.push(value);
  } while (c.acceptPunct(','));
  c.expectPunct(')');
  return partitions;
}

function parseStartOffset(c: TokenCursor): StartOffsetSpec {
  if (c.acceptWords('earliest')) return { kind: 'earliest' };
  if (c.acceptWords('latest')) return { kind: 'latest' };
  if (c.acceptWords('committed')) return { kind: 'committed' };
  if (!c.isPunct('(')) c.fail('START OFFSET is EARLIEST, LATEST, COMMITTED or (partition = offset, ...).');
  c.next();
  const offsets: PartitionOffset[] = [];
  do {
    const { value: partition, token } = c.smallInteger('a partition', 0, MAX_PARTITION);
    if (offsets.some((o) => o.partition === partition)) {
      throw c.errorAt(token, SQLSTATE.invalidParameterValue, `partition ${partition} is given two start offsets`);
    }
    c.expectPunct('=');
    const { value: offset, token: offsetToken } = c.integer();
    if (offset > 2n ** 63n - 1n) throw c.errorAt(offsetToken, SQLSTATE.numericValueOutOfRange, `offset ${offset} is out of range`);
    offsets.push({ partition, offset });
  } while (c.acceptPunct(','));
  c.expectPunct(')');
  return { kind: 'offsets', offsets };
}

/**
 * The statement with `VERSION n` after each AVRO that named none: the reader schema version the
 * latest one was at CREATE, so that a restart reads the same columns after newer versions came.
 * Edits only after the KAFKA options, so apply it before rewriteStartOffset.
 */
export function rewriteAvroVersions(sql: string, at: CreateSourceStatement['avroVersionInsertAt'], versions: { key?: number; value?: number }): string {
  const edits = (['key', 'value'] as const)
    .flatMap((role) => (at[role] !== null && versions[role] !== undefined ? [{ at: at[role]!, text: ` VERSION ${versions[role]}` }] : []))
    .sort((a, b) => b.at - a.at);
  return edits.reduce((text, edit) => text.slice(0, edit.at) + edit.text + text.slice(edit.at), sql);
}

/** The text of START OFFSET for resolved offsets, as the stored statement says it. */
function formatStartOffset(offsets: PartitionOffset[]): string {
  return `START OFFSET (${offsets.map((o) => `${o.partition} = ${o.offset}`).join(', ')})`;
}

/** The statement with START OFFSET replaced by (or given) the resolved per-partition offsets. */
export function rewriteStartOffset(sql: string, at: NonNullable<CreateSourceStatement['startOffsetText']>, offsets: PartitionOffset[]): string {
  const clause = formatStartOffset(offsets);
  return rewriteAt(sql, at, clause, `, ${clause}`);
}

/** The statement with the written span replaced, or, where nothing was written, the insertion made. */
function rewriteAt(sql: string, at: { kind: 'replace'; start: number; end: number } | { kind: 'insert'; at: number }, replacement: string, insertion: string): string {
  if (at.kind === 'replace') return sql.slice(0, at.start) + replacement + sql.slice(at.end);
  return sql.slice(0, at.at) + insertion + sql.slice(at.at);
}

// ---------------------------------------------------------------------------------------------
// Formats

function defaultTextFormat(column: string): FormatSpec {
  const decoded: DecodedColumn = { name: column, type: T.text, typmod: -1 };
  return { kind: 'builtin', format: { kind: 'text', column: decoded }, columns: [decoded] };
}

const BINARY_NUMBERS: Record<string, BinaryNumberFormat> = {
  smallint: 'SMALLINT',
  int: 'INT',
  integer: 'INT',
  bigint: 'BIGINT',
  real: 'REAL',
  double: 'DOUBLE',
};

const BINARY_NUMBER_TYPES = { SMALLINT: T.int2, INT: T.int4, BIGINT: T.int8, REAL: T.float4, DOUBLE: T.float8 } as const;

/** Words that end a type name written in a format (the next clause starts). */
const CLAUSE_WORDS = new Set(['key', 'value', 'include', 'table']);

function parseFormat(c: TokenCursor, defaultColumn: string): FormatSpec {
  const token = c.peek();
  if (c.acceptWords('ignore')) return { kind: 'builtin', format: { kind: 'ignore' }, columns: [] };
  if (c.acceptWords('text')) {
    if (!c.acceptWords('as')) return defaultTextFormat(defaultColumn);
    const name = c.identifier().value;
    const type = atClauseEnd(c) ? { type: T.text, typmod: -1 } : parseTypeUntil(c, (t) => atClauseEnd(t));
    const column: DecodedColumn = { name, ...type };
    return { kind: 'builtin', format: { kind: 'text', column }, columns: [column] };
  }
  if (c.acceptWords('bytes')) {
    const name = optionalAs(c) ?? defaultColumn;
    return { kind: 'builtin', format: { kind: 'bytes' }, columns: [{ name, type: T.bytea, typmod: -1 }] };
  }
  const number = token.kind === 'word' ? BINARY_NUMBERS[token.value] : undefined;
  if (number) {
    c.next();
    if (number === 'DOUBLE') c.acceptWords('precision');
    const name = optionalAs(c) ?? defaultColumn;
    return {
      kind: 'builtin',
      format: { kind: 'binary-number', format: number },
      columns: [{ name, type: BINARY_NUMBER_TYPES[number], typmod: -1 }],
    };
  }
  if (c.acceptWords('json')) {
    if (c.isPunct('(')) return parseJsonColumns(c);
    const name = optionalAs(c) ?? defaultColumn;
    return { kind: 'builtin', format: { kind: 'json-document' }, columns: [{ name, type: T.jsonb, typmod: -1 }] };
  }
  if (c.acceptWords('avro')) return parseAvro(c);
  c.fail('A format is IGNORE, TEXT, BYTES, SMALLINT, INT, BIGINT, REAL, DOUBLE, JSON or AVRO.');
}

function optionalAs(c: TokenCursor): string | null {
  return c.acceptWords('as') ? c.identifier().value : null;
}

/** At the end of a format: the statement ends, or another clause begins. */
function atClauseEnd(c: TokenCursor): boolean {
  if (c.atEnd()) return true;
  const token = c.peek();
  if (token.kind !== 'word') return false;
  if (token.value === 'with') return c.isPunct('(', 1); // WITH (ON ERROR ...), not `with time zone`
  return CLAUSE_WORDS.has(token.value) && (c.isWord('format', 1) || c.isWord('type', 1) || token.value === 'include');
}

/**
 * Reads a type name written in SQL up to where `stop` says (parentheses nest) and resolves it
 * with PostgreSQL's grammar: `SELECT NULL::<type>` gives the TypeName node.
 */
function parseTypeUntil(c: TokenCursor, stop: (c: TokenCursor) => boolean): { type: DecodedColumn['type']; typmod: number } {
  const first = c.peek();
  let depth = 0;
  while (depth > 0 || !stop(c)) {
    const token = c.peek();
    if (token.kind === 'end') break;
    if (token.kind === 'punct' && token.value === '(') depth += 1;
    if (token.kind === 'punct' && token.value === ')') depth -= 1;
    c.next();
  }
  const last = c.peek(-1);
  if (last === first && c.peek() === first) c.fail();
  const text = c.sql.slice(first.offset, last.end);
  const prefix = 'SELECT NULL::';
  const remap = (err: unknown): never => {
    const position = err instanceof SqlError ? err.extra.position : undefined;
    const inType = position !== undefined && position > prefix.length ? position - 1 - prefix.length : 0;
    const code = err instanceof SqlError ? err.code : SQLSTATE.syntaxError;
    const message = err instanceof Error ? err.message : String(err);
    throw new SqlError(code, message, { position: c.statementOffset + first.offset + inType + 1 });
  };
  let typeName: any;
  try {
    const parsed = parseSync(prefix + text) as any;
    typeName = parsed.stmts?.length === 1 ? parsed.stmts[0].stmt.SelectStmt?.targetList?.[0]?.ResTarget?.val?.TypeCast?.typeName : undefined;
  } catch (err) {
    const e = err as { message?: string; cursorPosition?: number; sqlDetails?: { cursorPosition?: number } };
    const cursor = e.sqlDetails?.cursorPosition ?? e.cursorPosition;
    remap(new SqlError(SQLSTATE.syntaxError, `invalid type name "${text}"`, { position: cursor !== undefined ? cursor + 1 : undefined }));
  }
  if (!typeName) remap(new SqlError(SQLSTATE.syntaxError, `invalid type name "${text}"`));
  try {
    return resolveTypeName(typeName);
  } catch (err) {
    return remap(err);
  }
}

function parseJsonColumns(c: TokenCursor): FormatSpec {
  c.expectPunct('(');
  const columns: (JsonFieldColumn & { token: Token })[] = [];
  do {
    const token = c.identifier();
    if (columns.some((col) => col.name === token.value)) {
      throw c.errorAt(token, SQLSTATE.duplicateColumn, `column "${token.value}" specified more than once`);
    }
    const type = parseTypeUntil(c, (t) => t.isPunct(',') || t.isPunct(')'));
    // An unquoted column reads its field in any case; a quoted one the exact name.
    columns.push({ name: token.value, ...type, path: [token.value], exactCase: token.kind === 'quoted', token });
  } while (c.acceptPunct(','));
  c.expectPunct(')');
  if (c.acceptWords('mapping')) {
    const mapped = new Set<string>();
    for (const { field, column, token } of parseMappingEntries(c)) {
      const target = columns.find((col) => col.name === column);
      if (!target) throw c.errorAt(token, SQLSTATE.undefinedColumn, `MAPPING names column "${column}", which the JSON column list does not have`);
      if (mapped.has(column)) throw c.errorAt(token, SQLSTATE.duplicateColumn, `MAPPING gives column "${column}" twice`);
      mapped.add(column);
      target.path = field.split('.');
      target.exactCase = true;
    }
  }
  const plain = columns.map(({ token: _token, ...column }) => column);
  return {
    kind: 'builtin',
    format: { kind: 'json-columns', columns: plain },
    columns: plain.map(({ name, type, typmod }) => ({ name, type, typmod })),
  };
}

/** ('field' = column, ...) */
function parseMappingEntries(c: TokenCursor): { field: string; column: string; token: Token }[] {
  c.expectPunct('(');
  const entries: { field: string; column: string; token: Token }[] = [];
  do {
    const field = c.string();
    if (field.value === '' || field.value.split('.').some((part) => part === '')) {
      throw c.errorAt(field, SQLSTATE.invalidParameterValue, `'${field.value}' is not a field name or dotted path`);
    }
    c.expectPunct('=');
    const token = c.identifier();
    entries.push({ field: field.value, column: token.value, token });
  } while (c.acceptPunct(','));
  c.expectPunct(')');
  return entries;
}

function parseAvro(c: TokenCursor): AvroFormatSpec {
  const spec: AvroFormatSpec = { kind: 'avro', subject: null, version: null, mapping: [], mappingOnly: false };
  const once = new ClauseOnce(c);
  for (;;) {
    const token = c.peek();
    if (c.acceptWords('subject')) {
      once.once('SUBJECT', token);
      spec.subject = c.string().value;
    } else if (c.acceptWords('version')) {
      once.once('VERSION', token);
      spec.version = c.smallInteger('VERSION', 1, MAX_PARTITION).value;
    } else if (c.acceptWords('mapping')) {
      once.once('MAPPING', token);
      spec.mappingOnly = c.acceptWords('only');
      const entries = parseMappingEntries(c);
      const columns = new Set<string>();
      for (const { field, column, token: at } of entries) {
        if (columns.has(column)) throw c.errorAt(at, SQLSTATE.duplicateColumn, `MAPPING gives column "${column}" twice`);
        columns.add(column);
        spec.mapping.push({ field, column });
      }
    } else {
      return spec;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// INCLUDE, TABLE TYPE, WITH

const METADATA_WORDS: Record<string, MetadataKind> = {
  partition: 'partition',
  offset: 'offset',
  timestamp: 'timestamp',
  key: 'key',
  headers: 'headers',
};

function parseInclude(c: TokenCursor): MetadataColumnSpec[] {
  if (c.acceptWords('none')) return [];
  const items: MetadataColumnSpec[] = [];
  do {
    const token = c.peek();
    const meta = token.kind === 'word' ? METADATA_WORDS[token.value] : undefined;
    if (!meta) c.fail('INCLUDE takes NONE or PARTITION, OFFSET, TIMESTAMP, KEY, HEADERS, each with an optional AS column.');
    c.next();
    if (items.some((i) => i.meta === meta)) throw c.errorAt(token, SQLSTATE.syntaxError, `${meta.toUpperCase()} is included twice`);
    items.push({ meta, column: optionalAs(c) ?? DEFAULT_METADATA_COLUMNS[meta] });
  } while (c.acceptPunct(','));
  return items;
}

function parseTableType(c: TokenCursor): TableType {
  if (c.acceptWords('append')) return 'append';
  if (c.acceptWords('stream')) return 'stream';
  if (c.acceptWords('ring')) return { ring: c.smallInteger('RING size', 1, 100_000_000).value };
  c.fail('TABLE TYPE is APPEND, STREAM or RING n.');
}

function parseWithOptions(c: TokenCursor): 'skip' | 'fail' {
  c.expectPunct('(');
  let onError: 'skip' | 'fail' = 'skip';
  do {
    c.expectWords('on', 'error');
    c.expectPunct('=');
    const s = c.string();
    const v = s.value.toLowerCase();
    if (v !== 'skip' && v !== 'fail') throw c.errorAt(s, SQLSTATE.invalidParameterValue, `ON ERROR must be 'skip' or 'fail', not '${s.value}'`);
    onError = v;
  } while (c.acceptPunct(','));
  c.expectPunct(')');
  return onError;
}

// ---------------------------------------------------------------------------------------------
// FROM TIME TABLE

function parseTimeTable(c: TokenCursor, base: SpecBase): Pick<CreateSourceStatement, 'startTimeText'> & { spec: TimeTableSourceSpec } {
  c.expectPunct('(');
  c.expectWords('period');
  const periodToken = c.string();
  const period = parseLiteral(c, periodToken, () => parseValue(T.interval, periodToken.value)) as Interval;
  if (period.months < 0 || period.days < 0 || period.micros < 0 || period.months + period.days + period.micros === 0) {
    throw c.errorAt(periodToken, SQLSTATE.invalidParameterValue, `PERIOD must be a positive interval, not '${periodToken.value}'`);
  }
  let startTime: number | null = null;
  let written: Token | null = null;
  if (c.acceptPunct(',')) {
    c.expectWords('start', 'time');
    written = c.string();
    const token = written;
    // Read in UTC here; the handler reads it again in the session's time zone.
    startTime = parseLiteral(c, token, () => parseValue(T.timestamptz, token.value)) as number;
    if (!Number.isFinite(startTime)) throw c.errorAt(token, SQLSTATE.datetimeFieldOverflow, 'START TIME must be a finite timestamp');
  }
  const close = c.expectPunct(')');
  let tableType: TableType = 'append';
  if (c.acceptWords('table', 'type')) tableType = parseTableType(c);
  c.expectEnd();
  return {
    spec: { kind: 'time-table', ...base, tableType, period, startTime },
    startTimeText: written ? { kind: 'replace', start: written.offset, end: written.end, literal: written.value } : { kind: 'insert', at: close.offset },
  };
}

/** Microseconds since the epoch as an ISO 8601 UTC timestamp with all six fraction digits. */
function isoMicros(micros: number): string {
  const millis = Math.floor(micros / 1000);
  const rest = micros - millis * 1000;
  return new Date(millis).toISOString().replace('Z', `${String(rest).padStart(3, '0')}Z`);
}

/**
 * The time table's statement with its START TIME as an instant in UTC: the one written (read in
 * the creating session's time zone) or the one chosen at CREATE, so that after a restart its ticks
 * are the same instants (and the ones missed while down are caught up).
 */
export function rewriteStartTime(sql: string, at: NonNullable<CreateSourceStatement['startTimeText']>, startMicros: number): string {
  const literal = `'${isoMicros(startMicros)}'`;
  return rewriteAt(sql, at, literal, `, START TIME ${literal}`);
}

/** A literal's value, with a bad one's error placed at its token. */
function parseLiteral<T>(c: TokenCursor, token: Token, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof SqlError) throw c.errorAt(token, err.code, err.message);
    throw err;
  }
}
