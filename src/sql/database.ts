/**
 * The database every session shares: the durable catalog store, the relations by name, and the
 * engine's dataflow that keeps materialized views up to date. At open (open-database.ts), the
 * stored definitions are replayed in creation order through the same statement handlers that
 * first created them, then tables' rows are loaded, so a restart rebuilds exactly what was there.
 */
import { SqlError, SQLSTATE } from '../errors.js';
import { CatalogStore, type ObjectKind } from '../catalog/store.js';
import type { TableChange } from '../catalog/table.js';
import type { IndexObject, Relation, SystemRelation, TableRelation } from '../catalog/relation.js';
import type { RelationColumn, RelationIndex, RelationResolver, ResolvedRelation } from '../planner/catalog-api.js';
import { Dataflow, type InputNode } from '../engine/dataflow.js';
import { Scheduler } from '../engine/scheduler.js';
import type { Row } from '../engine/batch.js';
import { SystemCatalog } from '../catalog/system/system-catalog.js';
import { rewriteForCatalog } from '../catalog/system/query-rewrite.js';
import { SessionRegistry } from './session-registry.js';
import { SOURCE_ERROR_COLUMNS, SOURCE_ERRORS_RELATION, SourceErrorLog } from '../kafka/source-errors.js';
import { SINK_ERROR_COLUMNS, SINK_ERRORS_RELATION } from '../kafka/sink-errors.js';
import { SINK_COLUMNS, SINKS_RELATION, SinkCatalog } from './sinks.js';

/** How long opening the database waits for sources to catch up before it serves anyway. */
const CATCH_UP_WAIT_MS = 30_000;

const KIND_WORDS: Record<Relation['kind'], string> = {
  table: 'table',
  view: 'view',
  'materialized-view': 'materialized view',
  source: 'source',
  system: 'system relation',
};

export interface DatabaseOptions {
  /** How many undecodable messages eddy_source_errors keeps per source (the latest). */
  sourceErrorsRetained?: number;
}

export class Database {
  readonly relations = new Map<string, Relation>();
  /** CREATE INDEX's indexes by name (primary keys' indexes are their tables' own: TableData). */
  readonly indexes = new Map<string, IndexObject>();
  readonly dataflow = new Dataflow();
  /** Runs an update cycle as soon as sources have pushed input (tables run theirs synchronously). */
  readonly scheduler: Scheduler;
  /** True while stored definitions are replayed at open: handlers then skip writing them again. */
  replaying = false;
  /** While replaying: the stored objects' ids by name, which the replayed definitions get back. */
  private storedIds = new Map<string, number>();
  /** The messages sources could not decode (the system relation eddy_source_errors). */
  readonly sourceErrors: SourceErrorLog;
  /** pg_catalog and information_schema, brought up to date after DDL when read (catalogUpToDate). */
  readonly system: SystemCatalog;
  /** DDL changed what the system tables describe since their rows were last computed. */
  private catalogStale = true;
  /** Counts DDL (and new role or database names): a plan made before it is not reused (statement-cache.ts). */
  catalogVersion = 0;
  readonly store: CatalogStore;
  /** The Kafka sinks (not relations), with eddy_sinks and eddy_sink_errors. */
  readonly sinks: SinkCatalog;
  /** The client sessions now (pg_stat_activity, pg_cancel_backend). */
  readonly sessions = new SessionRegistry();

  /** Opens the catalog in dataDir; `restore` rebuilds its relations before the database serves. */
  constructor(
    dataDir: string,
    readonly log: (line: string) => void,
    options: DatabaseOptions = {},
  ) {
    this.store = new CatalogStore(dataDir);
    this.scheduler = new Scheduler(this.dataflow, {
      onError: (err) => log(`update cycle failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`),
    });
    this.sourceErrors = new SourceErrorLog(this.dataflow, options.sourceErrorsRetained);
    this.sinks = new SinkCatalog(this.dataflow, this.store, log);
    const systemRelations: [string, RelationColumn[], InputNode][] = [
      [SOURCE_ERRORS_RELATION, SOURCE_ERROR_COLUMNS, this.sourceErrors.node],
      [SINKS_RELATION, SINK_COLUMNS, this.sinks.node],
      [SINK_ERRORS_RELATION, SINK_ERROR_COLUMNS, this.sinks.errors.node],
    ];
    for (const [name, columns, node] of systemRelations) this.relations.set(name, { kind: 'system', id: 0, name, sql: '', columns, dependsOn: [], node });
    this.system = new SystemCatalog(this.dataflow);
    this.catalogChanged();
  }

  /** A session started: its user and database name appear in pg_roles and pg_database. */
  sessionStarted(user: string, databaseName: string): void {
    if (this.system.connected(user, databaseName)) this.catalogChanged();
  }

  /**
   * After DDL, before the statement completes: the catalog functions' lookups (regclass,
   * pg_get_viewdef) are brought up to date at once, pg_catalog's and information_schema's rows
   * only when something reads them. Recomputing every system table takes tens of milliseconds
   * with a hundred relations, and most DDL is followed by no catalog query at all. What the
   * dataflow maintains over a system table (a view over pg_class, a SUBSCRIBE to it) needs the
   * rows after every change, so while there is one the tables are recomputed at once as well.
   * While replaying, the rows wait for the end of the restore either way (after each of n
   * definitions, that is O(n²)).
   */
  private catalogChanged(): void {
    this.system.describe(this.relations.values(), this.indexes.values());
    this.catalogVersion++;
    this.catalogStale = true;
    if (!this.replaying && this.system.followed()) this.catalogUpToDate();
  }

  /** Recomputes the system tables' rows if DDL changed what they describe since they were computed (see catalogChanged). */
  catalogUpToDate(): void {
    if (!this.catalogStale) return;
    this.catalogStale = false;
    if (this.system.refresh()) this.dataflow.runCycle();
  }

  /**
   * Rebuilds what the catalog stored: each definition, in creation order, goes through
   * `runDefinition` (a session's statement handlers, which sit above this module), then the
   * table's rows are loaded; finally waits (boundedly) for sources to catch up.
   */
  async restore(runDefinition: (sql: string) => Promise<void>): Promise<void> {
    const objects = this.store.objects();
    this.storedIds = new Map(objects.map((o) => [o.name, o.id]));
    this.replaying = true;
    try {
      for (const obj of objects) {
        await runDefinition(obj.sql);
        const rel = this.relations.get(obj.name);
        if (rel?.kind === 'table') this.loadTableRows(rel);
      }
    } finally {
      this.replaying = false;
      this.catalogChanged();
    }
    const catchingUp = [...this.relations.values()].flatMap((r) => (r.kind === 'source' && r.runtime.caughtUp ? [r.runtime.caughtUp()] : []));
    if (catchingUp.length > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.all(catchingUp), new Promise((resolve) => (timer = setTimeout(resolve, CATCH_UP_WAIT_MS)))]);
      clearTimeout(timer);
      await this.scheduler.idle();
    }
    // Sinks write once the views are rebuilt: what they compare the topic with is complete.
    this.sinks.startAll();
  }

  private loadTableRows(rel: TableRelation): void {
    const rows = this.store.tableRows(rel.id);
    for (const { rowId, row } of rows) rel.data.load(rowId, row);
    if (rows.length > 0) {
      rel.node.push(rows.map(({ row }) => ({ row, diff: 1 })));
      this.dataflow.runCycle();
    }
  }

  /** Registers a new relation (and stores its definition unless replaying). */
  register(rel: Relation): void {
    if (!this.replaying) this.store.addObject({ id: rel.id, kind: rel.kind as ObjectKind, name: rel.name, sql: rel.sql });
    this.relations.set(rel.name, rel);
    this.catalogChanged();
  }

  /** Registers a new index (and stores its definition unless replaying). */
  registerIndex(index: IndexObject): void {
    if (!this.replaying) this.store.addObject({ id: index.id, kind: 'index', name: index.name, sql: index.sql });
    this.indexes.set(index.name, index);
    this.catalogChanged();
  }

  /** Drops an index (DROP INDEX, or with its relation). */
  dropIndex(name: string): void {
    const index = this.indexes.get(name);
    if (!index) return;
    this.store.removeObject(index.id);
    index.arrangement.dispose();
    this.indexes.delete(name);
    this.catalogChanged();
  }

  /** The indexes on a relation, oldest first. */
  indexesOn(relation: string): IndexObject[] {
    return [...this.indexes.values()].filter((i) => i.relation === relation);
  }

  /** The id a new relation gets: the stored one during replay, else the next free one. */
  newObjectId(name: string): number {
    const stored = this.replaying ? this.storedIds.get(name) : undefined;
    if (stored !== undefined) return stored;
    const taken = [...this.relations.values(), ...this.indexes.values()].map((r) => r.id + 1);
    return Math.max(this.store.nextObjectId(), ...taken);
  }

  /** Fails with 42P07 when the name is taken (unless IF NOT EXISTS, which the caller checks first). */
  checkNameFree(name: string, location?: number): void {
    if (this.nameTaken(name)) {
      throw new SqlError(SQLSTATE.duplicateTable, `${this.sinks.byName.has(name) ? 'sink' : 'relation'} "${name}" already exists`, {
        position: location !== undefined ? location + 1 : undefined,
      });
    }
  }

  /** Relations, indexes and sinks share one namespace. */
  nameTaken(name: string): boolean {
    return this.relations.has(name) || this.indexes.has(name) || this.sinks.byName.has(name);
  }

  get(name: string, location?: number): Relation {
    const rel = this.relations.get(name);
    if (!rel) {
      throw new SqlError(SQLSTATE.undefinedTable, `relation "${name}" does not exist`, {
        position: location !== undefined && location >= 0 ? location + 1 : undefined,
      });
    }
    return rel;
  }

  table(name: string, location?: number): TableRelation {
    const rel = this.get(name, location);
    if (rel.kind !== 'table') {
      throw new SqlError(SQLSTATE.wrongObjectType, `"${name}" is a ${KIND_WORDS[rel.kind]}, not a table`);
    }
    return rel;
  }

  /** Resolves names to the shared dataflow's nodes: what materialized views are built from. */
  resolver(): RelationResolver {
    return {
      resolve: (schema, name, location) => this.resolved(this.getQualified(schema, name, location)),
    };
  }

  /**
   * Resolves [schema.]name as PostgreSQL's default search path does: pg_catalog first, then
   * public (user relations); information_schema only when named. Eddy's own system relations
   * (eddy_source_errors) live in pg_catalog but resolve as public too, as they always have.
   */
  getQualified(schema: string | null, name: string, location: number): Relation {
    if (schema === null) return this.system.relation('pg_catalog', name) ?? this.get(name, location);
    if (schema === 'public') return this.get(name, location);
    const own = schema === 'pg_catalog' ? this.relations.get(name) : undefined;
    const rel = this.system.relation(schema, name) ?? (own?.kind === 'system' ? own : undefined);
    if (!rel) throw new SqlError(SQLSTATE.undefinedTable, `relation "${schema}.${name}" does not exist`, { position: location + 1 });
    return rel;
  }

  resolved(rel: Relation): ResolvedRelation {
    switch (rel.kind) {
      case 'table':
        return { kind: 'table', name: rel.name, columns: rel.columns, tableType: 'general', node: rel.node, indexes: [...this.primaryKeyIndex(rel), ...this.relationIndexes(rel.name)] };
      case 'system':
        return { kind: 'system', name: rel.name, columns: rel.columns, tableType: 'general', node: rel.node };
      case 'materialized-view':
      case 'source':
        return { kind: rel.kind, name: rel.name, columns: rel.columns, tableType: rel.tableType, node: rel.node, indexes: this.relationIndexes(rel.name) };
      case 'view':
        // inlined into the reading query, so it gets the rewrite the reading query got
        return { kind: 'view', name: rel.name, columns: rel.columns, query: rewriteForCatalog(rel.query, this.system) };
    }
  }

  /**
   * A table's primary key as an index ad-hoc reads look rows up in: TableData keeps the key's row,
   * and is the arrangement's contents after every commit (a transaction block's own writes are
   * read before lookups). A prepared statement's lookup checks that the table is still the same.
   */
  private primaryKeyIndex(rel: TableRelation): RelationIndex[] {
    if (rel.data.primaryKey.length === 0) return [];
    const live = () => this.relations.get(rel.name) === rel;
    return [{ name: `${rel.name}_pkey`, columns: rel.data.primaryKey, lookup: (key) => (live() ? rel.data.lookup(key) : null), size: () => (live() ? rel.data.rows.size : null) }];
  }

  private relationIndexes(name: string): RelationIndex[] {
    // A prepared statement keeps its plan: its lookups check that the index still exists.
    return this.indexesOn(name).map((index) => ({
      name: index.name,
      columns: index.columns,
      lookup: (key) => (this.indexes.get(index.name) === index ? index.arrangement.lookup(key) : null),
      size: () => (this.indexes.get(index.name) === index ? index.arrangement.size() : null),
      share: () => (this.indexes.get(index.name) === index ? index.arrangement.share() : null),
    }));
  }

  /**
   * Commits changes to tables: checks constraints, writes SQLite, updates memory, and runs one
   * update cycle so every materialized view reflects them before the statement completes. When
   * any of it fails, nothing is kept, in memory or on disk.
   */
  commitTableChanges(changes: Map<TableRelation, TableChange>): void {
    const applied: { rel: TableRelation; added: { rowId: number; row: Row }[]; removed: { rowId: number; row: Row }[] }[] = [];
    try {
      for (const [rel, change] of changes) applied.push({ rel, ...rel.data.apply(change) });
      this.store.transaction(() => {
        for (const { rel, added, removed } of applied) {
          this.store.writeRows(rel.id, added, removed.map((r) => r.rowId));
        }
      });
    } catch (err) {
      // A later table's constraint or a write the disk refused: memory keeps nothing either.
      for (const a of applied.reverse()) a.rel.data.undo(a);
      throw err;
    }
    for (const { rel, added, removed } of applied) {
      if (added.length + removed.length === 0) continue;
      rel.node.push([...removed.map(({ row }) => ({ row, diff: -1 })), ...added.map(({ row }) => ({ row, diff: 1 }))]);
    }
    this.dataflow.runCycle();
  }

  truncate(rel: TableRelation): void {
    this.store.truncate(rel.id);
    const rows = rel.data.clear();
    if (rows.length > 0) {
      rel.node.push(rows.map((row) => ({ row, diff: -1 })));
      this.dataflow.runCycle();
    }
  }

  /** The relations whose definitions read `name`, directly. */
  dependents(name: string): Relation[] {
    return [...this.relations.values()].filter((r) => r.dependsOn.includes(name));
  }

  /**
   * Drops a relation; with cascade, everything that depends on it first (deepest first);
   * without, refuses naming the dependents.
   */
  drop(name: string, cascade: boolean): string[] {
    const rel = this.get(name);
    const direct = this.dependents(name);
    const sinks = this.sinks.readers(name);
    if (direct.length + sinks.length > 0 && !cascade) {
      const detail = [...direct.map((d) => `${KIND_WORDS[d.kind]} ${d.name}`), ...sinks.map((d) => `sink ${d.name}`)]
        .map((d) => `${d} depends on ${KIND_WORDS[rel.kind]} ${name}`)
        .join('\n');
      throw new SqlError(SQLSTATE.dependentObjectsStillExist, `cannot drop ${KIND_WORDS[rel.kind]} ${name} because other objects depend on it`, {
        detail,
        hint: 'Use DROP ... CASCADE to drop the dependent objects too.',
      });
    }
    const dropped: string[] = [];
    for (const sink of sinks) {
      this.sinks.drop(sink.name);
      dropped.push(sink.name);
    }
    for (const d of direct) if (this.relations.has(d.name)) dropped.push(...this.drop(d.name, true));
    // Its indexes go with it, without a word (as in PostgreSQL, where they are part of the table).
    for (const index of this.indexesOn(name)) this.dropIndex(index.name);
    // The catalog first: if the disk refuses, the relation is still fully there.
    this.store.removeObject(rel.id);
    if (rel.kind === 'source') {
      void rel.runtime.stop().catch((err) => this.log(`stopping source ${name}: ${String(err)}`));
      this.sourceErrors.forget(name);
    }
    // Subscriptions reading the relation end (their nodes are nobody's catalog objects).
    if (rel.kind !== 'view') this.dataflow.removeWithDependents(rel.node);
    this.relations.delete(name);
    this.catalogChanged();
    dropped.push(name);
    return dropped;
  }

  async close(): Promise<void> {
    this.scheduler.stop();
    await this.sinks.stopAll();
    for (const rel of this.relations.values()) {
      if (rel.kind === 'source') await rel.runtime.stop().catch(() => {});
    }
    this.store.close();
  }
}
