/**
 * Eddy's catalog SHOW statements: SHOW TABLES / VIEWS / MATERIALIZED VIEWS / SOURCES / SINKS,
 * SHOW COLUMNS FROM x and SHOW CREATE kind x.
 */
import { SqlError, SQLSTATE } from '../../errors.js';
import { formatTypeName } from '../../types/type-format.js';
import { rowsResult, simplePrepared, textColumns, type Handler } from '../prepared.js';
import type { Relation } from '../database.js';

const LISTED: Record<string, Relation['kind'] | null> = {
  tables: 'table',
  views: 'view',
  'materialized-views': 'materialized-view',
  // Sources and sinks arrive with the Kafka issues; until then there are none to list.
  sources: null,
  sinks: null,
};

export const showObjects: Handler = (session, statement) => {
  const { kind } = statement.ast.EddyShowObjects;
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
    const rel = session.db.get(name, location);
    if (rel.kind !== kind) {
      throw new SqlError(SQLSTATE.wrongObjectType, `"${name}" is not a ${String(kind).replace('-', ' ')}`);
    }
    return rowsResult(columns, [[rel.name, rel.sql]], 'SHOW');
  });
};
