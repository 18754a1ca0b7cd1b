/**
 * Eddy's catalog SHOW statements: SHOW TABLES / VIEWS / MATERIALIZED VIEWS / SOURCES / SINKS,
 * SHOW COLUMNS FROM x and SHOW CREATE kind x.
 */
import { SqlError, SQLSTATE } from '../../errors.js';
import { formatTypeName } from '../../types/type-format.js';
import { T } from '../../types/types.js';
import type { TableType } from '../../planner/catalog-api.js';
import { column, rowsResult, simplePrepared, textColumns, type Handler } from '../prepared.js';
import type { Relation, SourceRelation } from '../../catalog/relation.js';
import { SINK_COLUMNS } from '../sinks.js';

const LISTED: Record<string, Relation['kind']> = {
  tables: 'table',
  views: 'view',
  'materialized-views': 'materialized-view',
};

function tableTypeWords(tableType: TableType): string {
  return typeof tableType === 'object' ? `ring ${tableType.ring}` : tableType;
}

const SOURCE_COLUMNS = [
  ...textColumns('name', 'type', 'topic', 'table_type', 'status'),
  column('messages', T.int8),
  column('decode_errors', T.int8),
  column('lag', T.int8),
];

/** SHOW SOURCES: each source with its runtime's view of itself. */
function showSources(sources: SourceRelation[]) {
  const rows = sources
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((s) => {
      const st = s.runtime.status();
      return [s.name, st.type, st.topic, tableTypeWords(s.tableType), st.status, BigInt(st.messages), BigInt(st.errors), st.lag === null ? null : BigInt(st.lag)];
    });
  return rowsResult(SOURCE_COLUMNS, rows, 'SHOW');
}

export const showObjects: Handler = (session, statement) => {
  const { kind } = statement.ast.EddyShowObjects;
  if (kind === 'sources') {
    return simplePrepared(statement, SOURCE_COLUMNS, () =>
      showSources([...session.db.relations.values()].filter((r): r is SourceRelation => r.kind === 'source')),
    );
  }
  if (kind === 'sinks') {
    const columns = SINK_COLUMNS.map((c) => column(c.name, c.type));
    return simplePrepared(statement, columns, () => rowsResult(columns, session.db.sinks.rows(), 'SHOW'));
  }
  const columns = textColumns('name');
  return simplePrepared(statement, columns, () => {
    const wanted = LISTED[kind];
    const names = [...session.db.relations.values()].filter((r) => r.kind === wanted).map((r) => [r.name]);
    names.sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
    return rowsResult(columns, names, 'SHOW');
  });
};

export const showColumns: Handler = (session, statement) => {
  const { relation, location } = statement.ast.EddyShowColumns;
  const columns = textColumns('name', 'nullable', 'type');
  return simplePrepared(statement, columns, () => {
    const rel = session.db.get(relation, location);
    const rows = rel.columns.map((c) => [c.name, c.notNull ? 'NO' : 'YES', formatTypeName(c.type, c.typmod)]);
    return rowsResult(columns, rows, 'SHOW');
  });
};

export const showCreate: Handler = (session, statement) => {
  const { kind, name, location } = statement.ast.EddyShowCreate;
  const columns = textColumns('name', 'create_sql');
  return simplePrepared(statement, columns, () => {
    const sink = kind === 'sink' ? session.db.sinks.byName.get(name) : undefined;
    if (sink) return rowsResult(columns, [[sink.name, sink.sql]], 'SHOW');
    if (kind === 'sink' && !session.db.relations.has(name)) {
      throw new SqlError(SQLSTATE.undefinedObject, `sink "${name}" does not exist`, { position: location + 1 });
    }
    const rel = session.db.get(name, location);
    if (rel.kind !== kind) {
      throw new SqlError(SQLSTATE.wrongObjectType, `"${name}" is not a ${String(kind).replace('-', ' ')}`);
    }
    return rowsResult(columns, [[rel.name, rel.sql]], 'SHOW');
  });
};
