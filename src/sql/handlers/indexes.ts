/**
 * CREATE INDEX and DROP INDEX. An index arranges a table's, materialized view's or source's rows
 * by its key columns (src/engine/index-arrangement.ts), and ad-hoc reads with equality conditions
 * on those columns look rows up in it instead of reading the relation whole. The catalog stores
 * the definition as pg_get_indexdef prints it (with the name chosen), and replays it at start,
 * which builds the arrangement again from the relation's restored rows.
 */
import { SqlError, SQLSTATE } from '../../errors.js';
import type { IndexObject } from '../../catalog/relation.js';
import { indexDefinitionText } from '../../catalog/system/definition-text.js';
import { IndexArrangement } from '../../engine/index-arrangement.js';
import type { Arrangement } from '../../engine/arrangement.js';
import { commandResult, simplePrepared, type Handler } from '../prepared.js';
import type { Session } from '../session.js';
import { droppedNames, skipExisting } from './ddl.js';

/** Access methods PostgreSQL has whose behaviour (ranges, containment) an equality index cannot stand in for. */
const OTHER_METHODS = new Set(['gin', 'gist', 'spgist', 'brin']);

const unsupported = (what: string): never => {
  throw new SqlError(SQLSTATE.featureNotSupported, `${what} are not supported; Eddy's indexes are on plain columns: CREATE INDEX [name] ON relation (column, ...)`);
};

/** The key column's name, refusing what Eddy's indexes do not have. */
function keyColumn(param: any): string {
  const elem = param.IndexElem;
  if (elem.expr) unsupported('indexes on expressions');
  if ((elem.ordering && elem.ordering !== 'SORTBY_DEFAULT') || (elem.nulls_ordering && elem.nulls_ordering !== 'SORTBY_NULLS_DEFAULT')) {
    unsupported('index column orderings (ASC, DESC, NULLS FIRST / LAST)');
  }
  if (elem.collation?.length || elem.opclass?.length) unsupported('index collations and operator classes');
  return elem.name;
}

/** PostgreSQL's ChooseIndexName: table_col1_col2_idx, then ..._idx1, ..._idx2 while taken. */
function defaultName(session: Session, table: string, columns: string[]): string {
  const base = `${table}_${columns.join('_')}_idx`.slice(0, 63);
  let name = base;
  for (let n = 1; session.db.nameTaken(name); n++) name = `${base}${n}`;
  return name;
}

export const createIndex: Handler = (session, statement) => {
  const node = statement.ast.IndexStmt;
  return simplePrepared(statement, null, () => {
    const db = session.db;
    if (node.unique) unsupported('UNIQUE indexes');
    if (node.whereClause) unsupported('partial indexes (WHERE)');
    if (node.indexIncludingParams?.length) unsupported('INCLUDE columns');
    const method: string = node.accessMethod ?? 'btree';
    if (OTHER_METHODS.has(method)) unsupported(`${method} indexes`);
    if (method !== 'btree' && method !== 'hash') throw new SqlError(SQLSTATE.undefinedObject, `access method "${method}" does not exist`);
    const target = node.relation;
    const rel = db.getQualified(target.schemaname ?? null, target.relname, target.location);
    if (rel.kind === 'system') {
      throw new SqlError(SQLSTATE.insufficientPrivilege, `permission denied: "${rel.name}" is a system catalog`);
    }
    if (rel.kind === 'view') {
      throw new SqlError(SQLSTATE.wrongObjectType, `cannot create index on relation "${rel.name}"`, { detail: 'This operation is not supported for views.' });
    }
    const names = (node.indexParams ?? []).map(keyColumn);
    // PostgreSQL's hash indexes take one key column; an index stored before Eddy said so still loads
    if (method === 'hash' && names.length > 1 && !db.replaying) {
      throw new SqlError(SQLSTATE.featureNotSupported, 'access method "hash" does not support multicolumn indexes');
    }
    const columns = names.map((name: string) => {
      const i = rel.columns.findIndex((c) => c.name === name);
      if (i < 0) throw new SqlError(SQLSTATE.undefinedColumn, `column "${name}" does not exist`);
      return i;
    });
    const name: string = node.idxname ?? defaultName(session, rel.name, names);
    if (skipExisting(session, name, !!node.if_not_exists, target.location)) return commandResult('CREATE INDEX');
    const index: IndexObject = {
      id: db.newObjectId(name),
      name,
      relation: rel.name,
      columns,
      method,
      sql: indexDefinitionText({ name, schema: 'public', table: rel.name, method, columns: names, unique: false }),
      arrangement: new IndexArrangement(rel.node.arrangement as Arrangement, columns),
    };
    db.registerIndex(index);
    return commandResult('CREATE INDEX');
  });
};

/**
 * DROP INDEX [IF EXISTS] name [, ...] [CASCADE]: nothing depends on an index, so CASCADE changes
 * nothing. A primary key's index goes only with its table.
 */
export const dropIndex: Handler = (session, statement) => {
  const node = statement.ast.DropStmt;
  return simplePrepared(statement, null, () => {
    dropIndexes(session, droppedNames(node), !!node.missing_ok);
    return commandResult('DROP INDEX');
  });
};

function dropIndexes(session: Session, names: string[], missingOk: boolean): void {
  const db = session.db;
  for (const name of names) {
    if (db.indexes.has(name)) {
      db.dropIndex(name);
      continue;
    }
    const keyed = [...db.relations.values()].find((r) => r.kind === 'table' && r.data.primaryKey.length > 0 && `${r.name}_pkey` === name);
    if (keyed) {
      throw new SqlError(SQLSTATE.dependentObjectsStillExist, `cannot drop index ${name} because constraint ${name} on table ${keyed.name} requires it`, {
        hint: `You can drop constraint ${name} on table ${keyed.name} instead.`,
      });
    }
    if (db.relations.has(name)) {
      throw new SqlError(SQLSTATE.wrongObjectType, `"${name}" is not an index`, { hint: 'Use DROP TABLE, DROP VIEW, DROP MATERIALIZED VIEW or DROP SOURCE to remove it.' });
    }
    if (missingOk) {
      session.notice('NOTICE', SQLSTATE.successfulCompletion, `index "${name}" does not exist, skipping`);
      continue;
    }
    throw new SqlError(SQLSTATE.undefinedObject, `index "${name}" does not exist`);
  }
}
