/**
 * CREATE SINK, as SQL.md's "Sinks" section writes it, parsed into the typed KafkaSinkSpec of
 * src/kafka/sink-spec.ts:
 *
 *   CREATE SINK [IF NOT EXISTS] name FROM { relation | (query) }
 *     INTO KAFKA (BROKER '...', TOPIC '...' [, SCHEMA REGISTRY '...'] [, PARTITIONS n]
 *                 [, REPLICATION FACTOR n] [, 'client.property' = '...' ...])
 *     [KEY FORMAT f] [VALUE FORMAT f] [ENVELOPE { APPEND | UPSERT | DEBEZIUM }]
 *
 * where f is IGNORE, TEXT (col), BYTES (col), INT (col), BIGINT (col), DOUBLE [PRECISION] (col),
 * JSON [(col, ...)] or AVRO [SUBJECT 's'] [(col, ...)]. The clauses after INTO KAFKA come in
 * any order, each at most once. The query goes through PostgreSQL's own grammar. The parse also
 * records where the KAFKA options end, so that the handler can store the statement with the
 * 'transactional.id' it chose (see rewriteTransactionalId).
 */
import { parseSync } from 'libpg-query';
import { SqlError, SQLSTATE } from '../../errors.js';
import type { KafkaSinkConnectionSpec, KafkaSinkSpec, SingleColumnFormat, SinkColumnRef, SinkEnvelope, SinkFormatSpec } from '../../kafka/sink-spec.js';
import { brokerList } from './create-source.js';
import { ClauseOnce, leadingWords, parseCreateHead, TokenCursor, type Token } from './tokens.js';

export interface CreateSinkStatement {
  spec: KafkaSinkSpec;
  /** Where a 'transactional.id' option would go when none was written: the options' closing parenthesis. */
  transactionalIdInsertAt: number;
}

const CREATE_SINK = leadingWords('create', 'sink');

/** True when the statement is a CREATE SINK (the dispatcher's cheap check). */
export function isCreateSink(sql: string): boolean {
  return CREATE_SINK.test(sql);
}

export function parseCreateSink(sql: string, offset: number): CreateSinkStatement {
  const c = TokenCursor.of(sql, offset);
  const { name: nameToken, ifNotExists } = parseCreateHead(c, 'sink');
  const from = parseFrom(c);
  c.expectWords('into', 'kafka');
  const { connection, close } = parseConnection(c);
  const clauses = new ClauseOnce(c);
  let key: { spec: SinkFormatSpec; token: Token } | null = null;
  let value: { spec: SinkFormatSpec; token: Token } | null = null;
  let envelope: { kind: SinkEnvelope; token: Token } | null = null;
  while (!c.atEnd()) {
    const token = c.peek();
    if (c.acceptWords('key', 'format')) {
      clauses.once('KEY FORMAT', token);
      key = { spec: parseFormat(c), token };
    } else if (c.acceptWords('value', 'format')) {
      clauses.once('VALUE FORMAT', token);
      value = { spec: parseFormat(c), token };
    } else if (c.acceptWords('envelope')) {
      clauses.once('ENVELOPE', token);
      envelope = { kind: parseEnvelope(c), token };
    } else {
      c.fail('After INTO KAFKA (...) come KEY FORMAT, VALUE FORMAT and ENVELOPE.');
    }
  }
  c.expectEnd();
  const spec: KafkaSinkSpec = {
    name: nameToken.value,
    nameLocation: nameToken.offset,
    ifNotExists,
    from,
    connection,
    key: key?.spec ?? { kind: 'ignore' },
    value: value?.spec ?? { kind: 'json', columns: null },
    envelope: envelope?.kind ?? 'append',
  };
  checkEnvelope(c, spec, { key: key?.token ?? null, value: value?.token ?? null, envelope: envelope?.token ?? null, name: nameToken });
  return { spec, transactionalIdInsertAt: close.offset };
}

/** The combinations of formats and envelope that cannot make sense, refused at their clause. */
function checkEnvelope(c: TokenCursor, spec: KafkaSinkSpec, at: { key: Token | null; value: Token | null; envelope: Token | null; name: Token }): void {
  if (spec.key.kind === 'ignore' && spec.value.kind === 'ignore') {
    throw c.errorAt(at.value ?? at.key ?? at.name, SQLSTATE.syntaxError, 'KEY FORMAT and VALUE FORMAT cannot both be IGNORE', {
      hint: 'A sink writes at least one of the key and the value.',
    });
  }
  if (spec.envelope === 'upsert' && spec.key.kind === 'ignore') {
    throw c.errorAt(at.envelope!, SQLSTATE.syntaxError, 'ENVELOPE UPSERT needs a KEY FORMAT', {
      hint: 'UPSERT keeps the last row per key: name the key columns, e.g. KEY FORMAT JSON (id).',
    });
  }
  if (spec.envelope === 'upsert' && spec.value.kind === 'ignore') {
    throw c.errorAt(at.value!, SQLSTATE.syntaxError, 'ENVELOPE UPSERT needs a VALUE FORMAT', {
      hint: 'Under UPSERT a message without a value is a tombstone (the key was deleted).',
    });
  }
  if (spec.envelope === 'debezium' && spec.value.kind !== 'json') {
    throw c.errorAt(at.value ?? at.envelope!, SQLSTATE.featureNotSupported, 'ENVELOPE DEBEZIUM needs VALUE FORMAT JSON', {
      hint: 'DEBEZIUM writes {"before": ..., "after": ...} JSON values.',
    });
  }
}

function parseFrom(c: TokenCursor): KafkaSinkSpec['from'] {
  if (!c.isPunct('(')) {
    let name = c.identifier();
    // schema.name: user relations all live in public
    if (c.acceptPunct('.')) name = c.identifier();
    return { kind: 'relation', name: name.value, location: name.offset };
  }
  const open = c.next();
  let depth = 1;
  while (depth > 0) {
    const token = c.next();
    if (token.kind === 'end') c.fail();
    if (token.kind === 'punct' && token.value === '(') depth += 1;
    if (token.kind === 'punct' && token.value === ')') depth -= 1;
  }
  const close = c.peek(-1);
  const text = c.sql.slice(open.end, close.offset);
  return { kind: 'query', query: parseQuery(c, text, open.end), text };
}

/** The query in FROM (...): one SELECT, parsed by PostgreSQL's grammar, errors placed in the statement. */
function parseQuery(c: TokenCursor, text: string, at: number): unknown {
  let parsed: any;
  try {
    parsed = parseSync(text);
  } catch (err) {
    const e = err as { message?: string; cursorPosition?: number; sqlDetails?: { cursorPosition?: number } };
    const cursor = e.sqlDetails?.cursorPosition ?? e.cursorPosition ?? 0;
    throw new SqlError(SQLSTATE.syntaxError, e.message ?? String(err), { position: c.statementOffset + at + cursor + 1 });
  }
  const stmt = parsed.stmts?.length === 1 ? parsed.stmts[0].stmt?.SelectStmt : undefined;
  if (!stmt) throw new SqlError(SQLSTATE.syntaxError, 'CREATE SINK ... FROM (query) takes one SELECT', { position: c.statementOffset + at + 1 });
  return stmt;
}

/** Quoted client properties that stand for an option (so each can be given only once either way). */
const PROPERTY_ALIASES: Record<string, 'BROKER' | 'SCHEMA REGISTRY' | 'transactional.id'> = {
  'bootstrap.servers': 'BROKER',
  'schema.registry.url': 'SCHEMA REGISTRY',
  'transactional.id': 'transactional.id',
};

function parseConnection(c: TokenCursor): { connection: KafkaSinkConnectionSpec; close: Token } {
  const open = c.expectPunct('(');
  const once = new ClauseOnce(c);
  const connection: KafkaSinkConnectionSpec = {
    brokers: [],
    topic: '',
    schemaRegistry: null,
    partitions: null,
    replicationFactor: null,
    transactionalId: null,
    properties: [],
  };
  do {
    const token = c.peek();
    if (c.acceptWords('broker')) {
      once.once('BROKER', token);
      connection.brokers = brokerList(c, c.string());
    } else if (c.acceptWords('topic')) {
      once.once('TOPIC', token);
      const s = c.string();
      if (!/^[A-Za-z0-9._-]{1,249}$/.test(s.value)) {
        throw c.errorAt(s, SQLSTATE.invalidParameterValue, `'${s.value}' is not a Kafka topic name`, {
          hint: 'Topic names are 1 to 249 characters: letters, digits, ".", "_" and "-".',
        });
      }
      connection.topic = s.value;
    } else if (c.acceptWords('schema', 'registry')) {
      once.once('SCHEMA REGISTRY', token);
      connection.schemaRegistry = c.string().value;
    } else if (c.acceptWords('partitions')) {
      once.once('PARTITIONS', token);
      connection.partitions = c.smallInteger('PARTITIONS', 1, 100_000).value;
    } else if (c.acceptWords('replication', 'factor')) {
      once.once('REPLICATION FACTOR', token);
      connection.replicationFactor = c.smallInteger('REPLICATION FACTOR', 1, 32_767).value;
    } else if (token.kind === 'string') {
      c.next();
      c.expectPunct('=');
      const value = c.string();
      const alias = PROPERTY_ALIASES[token.value];
      if (alias) {
        once.once(alias, token);
        if (alias === 'BROKER') connection.brokers = brokerList(c, value);
        else if (alias === 'SCHEMA REGISTRY') connection.schemaRegistry = value.value;
        else if (value.value === '') throw c.errorAt(value, SQLSTATE.invalidParameterValue, "'transactional.id' must not be empty");
        else connection.transactionalId = value.value;
      } else {
        connection.properties.push({ name: token.value, value: value.value });
      }
    } else {
      c.fail('Options of INTO KAFKA are BROKER, TOPIC, SCHEMA REGISTRY, PARTITIONS, REPLICATION FACTOR and quoted client properties.');
    }
  } while (c.acceptPunct(','));
  const close = c.expectPunct(')');
  if (connection.brokers.length === 0) throw c.errorAt(open, SQLSTATE.syntaxError, 'INTO KAFKA needs a BROKER');
  if (connection.topic === '') throw c.errorAt(open, SQLSTATE.syntaxError, 'INTO KAFKA needs a TOPIC');
  return { connection, close };
}

const SINGLE_COLUMN: Record<string, SingleColumnFormat> = {
  text: 'text',
  bytes: 'bytes',
  int: 'int',
  integer: 'int',
  bigint: 'bigint',
  double: 'double',
};

function parseFormat(c: TokenCursor): SinkFormatSpec {
  const token = c.peek();
  if (c.acceptWords('ignore')) return { kind: 'ignore' };
  const single = token.kind === 'word' ? SINGLE_COLUMN[token.value] : undefined;
  if (single) {
    c.next();
    if (single === 'double') c.acceptWords('precision');
    c.expectPunct('(');
    const column = columnRef(c);
    c.expectPunct(')');
    return { kind: single, column };
  }
  if (c.acceptWords('json')) return { kind: 'json', columns: optionalColumnList(c) };
  if (c.acceptWords('avro')) {
    let subject: string | null = null;
    if (c.acceptWords('subject')) {
      const s = c.string();
      if (s.value === '') throw c.errorAt(s, SQLSTATE.invalidParameterValue, 'SUBJECT must not be empty');
      subject = s.value;
    }
    return { kind: 'avro', subject, columns: optionalColumnList(c) };
  }
  c.fail('A sink format is IGNORE, TEXT (col), BYTES (col), INT (col), BIGINT (col), DOUBLE (col), JSON [(cols)] or AVRO [SUBJECT ...] [(cols)].');
}

function columnRef(c: TokenCursor): SinkColumnRef {
  const token = c.identifier();
  return { name: token.value, location: token.offset };
}

function optionalColumnList(c: TokenCursor): SinkColumnRef[] | null {
  if (!c.acceptPunct('(')) return null;
  const columns: SinkColumnRef[] = [];
  do {
    const column = columnRef(c);
    if (columns.some((other) => other.name === column.name)) {
      throw c.errorAt(c.peek(-1), SQLSTATE.duplicateColumn, `column "${column.name}" specified more than once`);
    }
    columns.push(column);
  } while (c.acceptPunct(','));
  c.expectPunct(')');
  return columns;
}

function parseEnvelope(c: TokenCursor): SinkEnvelope {
  if (c.acceptWords('append')) return 'append';
  if (c.acceptWords('upsert')) return 'upsert';
  if (c.acceptWords('debezium')) return 'debezium';
  c.fail('ENVELOPE is APPEND, UPSERT or DEBEZIUM.');
}

/** The statement with the 'transactional.id' chosen at CREATE added to its KAFKA options. */
export function rewriteTransactionalId(sql: string, insertAt: number, transactionalId: string): string {
  return `${sql.slice(0, insertAt)}, 'transactional.id' = '${transactionalId.replace(/'/g, "''")}'${sql.slice(insertAt)}`;
}
