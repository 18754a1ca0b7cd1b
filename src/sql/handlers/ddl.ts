/**
 * CREATE TABLE / VIEW / MATERIALIZED VIEW and DROP. Definitions are stored as the statement text
 * that created them, and replayed through these same handlers at start.
 */
import { SqlError, SQLSTATE } from '../../errors.js';
import { TableData, type TableColumn } from '../../catalog/table.js';
import { resolveTypeName } from '../../planner/type-names.js';
import type { RelationColumn } from '../../planner/catalog-api.js';
import { commandResult, simplePrepared, type Handler } from '../prepared.js';
import type { Session } from '../session.js';
import { referencedRelations } from '../ast-walk.js';
import { planForView } from '../query.js';

/** IF NOT EXISTS on a taken name: a notice, and the statement succeeds doing nothing. */
export function skipExisting(session: Session, name: string, ifNotExists: boolean, location: number): boolean {
  if (!session.db.nameTaken(name)) return false;
  if (!ifNotExists) session.db.checkNameFree(name, location);
  session.notice('NOTICE', SQLSTATE.duplicateTable, `relation "${name}" already exists, skipping`);
  return true;
}

function unsupportedConstraint(kind: string): never {
  throw new SqlError(SQLSTATE.featureNotSupported, `${kind} constraints are not supported yet; only PRIMARY KEY, NOT NULL and DEFAULT are`);
}

export const createTable: Handler = (session, statement) => {
  const node = statement.ast.CreateStmt;
  return simplePrepared(statement, null, () => {
    const db = session.db;
    const name: string = node.relation.relname;
    if (skipExisting(session, name, !!node.if_not_exists, node.relation.location)) return commandResult('CREATE TABLE');
    const columns: TableColumn[] = [];
    const primaryKeyNames: string[] = [];
    for (const elt of node.tableElts ?? []) {
      if (elt.ColumnDef) {
        const def = elt.ColumnDef;
        if (columns.some((c) => c.name === def.colname)) {
          throw new SqlError(SQLSTATE.duplicateColumn, `column "${def.colname}" specified more than once`);
        }
        const { type, typmod } = resolveTypeName(def.typeName);
        const column: TableColumn = { name: def.colname, type, typmod, notNull: false, defaultExpr: null };
        for (const c of def.constraints ?? []) {
          const con = c.Constraint;
          switch (con.contype) {
            case 'CONSTR_NOTNULL':
              column.notNull = true;
              break;
            case 'CONSTR_NULL':
              break;
            case 'CONSTR_DEFAULT':
              column.defaultExpr = con.raw_expr;
              break;
            case 'CONSTR_PRIMARY':
              primaryKeyNames.push(def.colname);
              break;
            default:
              unsupportedConstraint(String(con.contype).replace('CONSTR_', ''));
          }
        }
        columns.push(column);
      } else if (elt.Constraint?.contype === 'CONSTR_PRIMARY') {
        for (const k of elt.Constraint.keys ?? []) primaryKeyNames.push(k.String.sval);
      } else {
        unsupportedConstraint(String(elt.Constraint?.contype ?? 'table').replace('CONSTR_', ''));
      }
    }
    const primaryKey = primaryKeyNames.map((pk) => {
      const i = columns.findIndex((c) => c.name === pk);
      if (i < 0) throw new SqlError(SQLSTATE.undefinedColumn, `column "${pk}" named in key does not exist`);
      columns[i]!.notNull = true;
      return i;
    });
    if (new Set(primaryKey).size !== primaryKey.length || (primaryKey.length > 0 && primaryKeyNames.length !== primaryKey.length)) {
      throw new SqlError(SQLSTATE.invalidColumnReference, 'multiple primary keys for table are not allowed');
    }
    db.register({
      kind: 'table',
      id: db.newObjectId(name),
      name,
      sql: statement.sql,
      columns: columns.map(({ name: n, type, typmod, notNull }) => ({ name: n, type, typmod, notNull })),
      dependsOn: [],
      data: new TableData(name, columns, primaryKey),
      node: db.dataflow.input(name, 'general'),
    });
    return commandResult('CREATE TABLE');
  });
};

/** Applies a view's column aliases (CREATE VIEW v (a, b) AS ...) to the query's columns. */
function aliased(columns: RelationColumn[], aliases: any[] | undefined): RelationColumn[] {
  const names: string[] = (aliases ?? []).map((a) => a.String.sval);
  if (names.length > columns.length) {
    throw new SqlError(SQLSTATE.syntaxError, 'CREATE VIEW specifies more column names than columns');
  }
  return columns.map((c, i) => ({ ...c, name: names[i] ?? c.name }));
}

export const createView: Handler = (session, statement) => {
  const node = statement.ast.ViewStmt;
  return simplePrepared(statement, null, () => {
    const db = session.db;
    const name: string = node.view.relname;
    if (node.replace) throw new SqlError(SQLSTATE.featureNotSupported, 'CREATE OR REPLACE VIEW is not supported; drop the view and create it again');
    if (skipExisting(session, name, false, node.view.location)) return commandResult('CREATE VIEW');
    const planned = planForView(session, node.query);
    db.register({
      kind: 'view',
      id: db.newObjectId(name),
      name,
      sql: statement.sql,
      columns: aliased(planned.columns, node.aliases),
      dependsOn: referencedRelations(node.query),
      query: node.query,
    });
    return commandResult('CREATE VIEW');
  });
};

export const createTableAs: Handler = (session, statement) => {
  const node = statement.ast.CreateTableAsStmt;
  if (node.objtype !== 'OBJECT_MATVIEW') {
    return simplePrepared(statement, null, () => {
      throw new SqlError(SQLSTATE.featureNotSupported, 'CREATE TABLE AS is not supported; use CREATE TABLE and INSERT ... SELECT, or a materialized view');
    });
  }
  return simplePrepared(statement, null, () => {
    const db = session.db;
    const name: string = node.into.rel.relname;
    if (skipExisting(session, name, !!node.if_not_exists, node.into.rel.location)) return commandResult('CREATE MATERIALIZED VIEW');
    const planned = planForView(session, node.query);
    const view = planned.materialize();
    db.register({
      kind: 'materialized-view',
      id: db.newObjectId(name),
      name,
      sql: statement.sql,
      columns: aliased(planned.columns, node.into.colNames),
      dependsOn: referencedRelations(node.query),
      node: view.node,
      arrangement: view.arrangement,
      tableType: planned.tableType,
      explain: planned.explain(),
    });
    return commandResult('CREATE MATERIALIZED VIEW');
  });
};

const DROP_KINDS: Record<string, { kind: string; word: string; tag: string }> = {
  OBJECT_TABLE: { kind: 'table', word: 'table', tag: 'DROP TABLE' },
  OBJECT_VIEW: { kind: 'view', word: 'view', tag: 'DROP VIEW' },
  OBJECT_MATVIEW: { kind: 'materialized-view', word: 'materialized view', tag: 'DROP MATERIALIZED VIEW' },
  OBJECT_SOURCE: { kind: 'source', word: 'source', tag: 'DROP SOURCE' },
  OBJECT_SINK: { kind: 'sink', word: 'sink', tag: 'DROP SINK' },
};

/** The names a DROP statement lists (a schema qualifier dropped: everything is in public). */
export function droppedNames(node: any): string[] {
  return node.objects.map((o: any) => {
    const parts = o.List.items.map((i: any) => i.String.sval);
    return parts[parts.length - 1];
  });
}

export const drop: Handler = (session, statement) => {
  const node = statement.ast.DropStmt;
  const spec = DROP_KINDS[node.removeType];
  return simplePrepared(statement, null, () => {
    if (!spec) throw new SqlError(SQLSTATE.featureNotSupported, `DROP ${String(node.removeType).replace('OBJECT_', '')} is not supported`);
    const db = session.db;
    for (const name of droppedNames(node)) {
      if (spec.kind === 'sink' && db.sinks.byName.has(name)) {
        db.sinks.drop(name);
        continue;
      }
      const rel = spec.kind === 'sink' ? undefined : db.relations.get(name);
      if (!rel) {
        if (node.missing_ok) {
          session.notice('NOTICE', SQLSTATE.successfulCompletion, `${spec.word} "${name}" does not exist, skipping`);
          continue;
        }
        throw new SqlError(SQLSTATE.undefinedTable, `${spec.word} "${name}" does not exist`);
      }
      if (rel.kind !== spec.kind) {
        throw new SqlError(SQLSTATE.wrongObjectType, `"${name}" is not a ${spec.word}`, {
          hint: `Use DROP ${rel.kind === 'materialized-view' ? 'MATERIALIZED VIEW' : rel.kind.toUpperCase()} to remove it.`,
        });
      }
      const dropped = db.drop(name, node.behavior === 'DROP_CASCADE');
      for (const other of dropped.filter((d) => d !== name)) {
        session.notice('NOTICE', SQLSTATE.successfulCompletion, `drop cascades to ${other}`);
      }
    }
    return commandResult(spec.tag);
  });
};
