/**
 * TEST FIXTURE, not a product: a Confluent-compatible schema registry for development and tests.
 *
 * No Confluent-compatible registry server installs from the package registries reachable here
 * (karapace is not on PyPI), so this small Node server implements the REST subset that
 * `@kafkajs/confluent-schema-registry` (and Eddy through it) uses:
 *   POST /subjects/{s}/versions            register; the same schema gets the same id
 *   POST /subjects/{s}                     look a schema up in a subject
 *   GET  /subjects, /subjects/{s}/versions, /subjects/{s}/versions/{n|latest}, /schemas/ids/{id}
 *   GET|PUT /config, /config/{s}           compatibility levels
 *   POST /compatibility/subjects/{s}/versions/{n|latest}
 * Avro compatibility is checked for real with avsc's schema resolution (can a reader read what
 * a writer wrote), so evolution tests see 409s where Confluent's registry would; JSON and
 * PROTOBUF schemas are stored and served but not checked for compatibility.
 * Run as a process by `npm run kafka -- start`: `--host H --port P --state FILE` (the state
 * file keeps schemas across restarts, as Confluent's _schemas topic does).
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import avro from 'avsc';

type SchemaType = 'AVRO' | 'JSON' | 'PROTOBUF';

interface SchemaReference {
  name: string;
  subject: string;
  version: number;
}

interface StoredSchema {
  id: number;
  schemaType: SchemaType;
  schema: string;
  references: SchemaReference[];
}

interface RegistryState {
  schemas: StoredSchema[];
  /** subject → schema id of each version; version n is element n - 1 (no deletes, no gaps). */
  subjects: Record<string, number[]>;
  globalCompatibility: string;
  subjectCompatibility: Record<string, string>;
}

const COMPATIBILITY_LEVELS = [
  'NONE', 'BACKWARD', 'BACKWARD_TRANSITIVE', 'FORWARD', 'FORWARD_TRANSITIVE', 'FULL', 'FULL_TRANSITIVE',
];
const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

/** An error answered as Confluent does: an HTTP status and a body with error_code and message. */
class RegistryError extends Error {
  constructor(readonly status: number, readonly errorCode: number, message: string) {
    super(message);
  }
}

const subjectNotFound = (subject: string) => new RegistryError(404, 40401, `Subject '${subject}' not found.`);

function emptyState(): RegistryState {
  return { schemas: [], subjects: {}, globalCompatibility: 'BACKWARD', subjectCompatibility: {} };
}

/** The registry's data and rules, apart from HTTP. */
class Registry {
  constructor(readonly state: RegistryState, private readonly persist: (state: RegistryState) => void) {}

  subjectVersions(subject: string): number[] {
    const versions = this.state.subjects[subject];
    if (!versions) throw subjectNotFound(subject);
    return versions;
  }

  schemaById(id: number): StoredSchema {
    const schema = this.state.schemas[id - 1];
    if (!schema) throw new RegistryError(404, 40403, 'Schema not found');
    return schema;
  }

  /** Resolves "latest" or a version number to the version number and its schema. */
  version(subject: string, versionText: string): { version: number; schema: StoredSchema } {
    const versions = this.subjectVersions(subject);
    const version = versionText === 'latest' || versionText === '-1' ? versions.length : Number(versionText);
    if (!Number.isInteger(version) || version < 1) {
      throw new RegistryError(422, 42202, `The specified version '${versionText}' is not a valid version id.`);
    }
    const id = versions[version - 1];
    if (id === undefined) throw new RegistryError(404, 40402, `Version ${version} not found.`);
    return { version, schema: this.schemaById(id) };
  }

  compatibility(subject: string): string {
    return this.state.subjectCompatibility[subject] ?? this.state.globalCompatibility;
  }

  /** Parses an Avro schema with the named types of its references (recursively) in scope. */
  private avroType(schema: string, references: SchemaReference[]): avro.Type {
    const registry: Record<string, avro.Type> = {};
    const load = (text: string, refs: SchemaReference[]): avro.Type => {
      for (const ref of refs) {
        const referenced = this.version(ref.subject, String(ref.version)).schema;
        load(referenced.schema, referenced.references);
      }
      return avro.Type.forSchema(JSON.parse(text), { registry });
    };
    try {
      return load(schema, references);
    } catch (error) {
      if (error instanceof RegistryError) throw error;
      throw new RegistryError(422, 42201, `Invalid schema: ${(error as Error).message}`);
    }
  }

  /** Checks and normalizes a schema from a request body; identical schemas compare equal after this. */
  candidate(body: unknown): Omit<StoredSchema, 'id'> {
    const request = (body ?? {}) as { schema?: unknown; schemaType?: unknown; references?: unknown };
    if (typeof request.schema !== 'string') throw new RegistryError(422, 42201, 'Invalid schema: "schema" must be a string');
    const schemaType = (request.schemaType ?? 'AVRO') as SchemaType;
    if (!['AVRO', 'JSON', 'PROTOBUF'].includes(schemaType)) {
      throw new RegistryError(422, 42201, `Invalid schema type ${String(request.schemaType)}`);
    }
    const references = (Array.isArray(request.references) ? request.references : []) as SchemaReference[];
    let schema = request.schema;
    if (schemaType !== 'PROTOBUF') {
      try {
        // Whitespace and key layout must not make the same schema a new one.
        schema = JSON.stringify(JSON.parse(schema));
      } catch (error) {
        throw new RegistryError(422, 42201, `Invalid schema: ${(error as Error).message}`);
      }
    }
    if (schemaType === 'AVRO') this.avroType(schema, references);
    return { schemaType, schema, references };
  }

  private findSchema(candidate: Omit<StoredSchema, 'id'>): StoredSchema | undefined {
    return this.state.schemas.find(
      (s) =>
        s.schemaType === candidate.schemaType &&
        s.schema === candidate.schema &&
        JSON.stringify(s.references) === JSON.stringify(candidate.references),
    );
  }

  /** The version of the subject holding this schema, if any. */
  lookup(subject: string, candidate: Omit<StoredSchema, 'id'>): { version: number; schema: StoredSchema } | undefined {
    const existing = this.findSchema(candidate);
    if (!existing) return undefined;
    const index = this.subjectVersions(subject).indexOf(existing.id);
    return index < 0 ? undefined : { version: index + 1, schema: existing };
  }

  /** Whether a reader with schema `reader` can read data written with `writer` (Avro resolution). */
  private canRead(reader: Omit<StoredSchema, 'id'>, writer: Omit<StoredSchema, 'id'>): boolean {
    if (reader.schemaType !== 'AVRO' || writer.schemaType !== 'AVRO') return true;
    try {
      this.avroType(reader.schema, reader.references).createResolver(this.avroType(writer.schema, writer.references));
      return true;
    } catch (error) {
      if (error instanceof RegistryError) throw error;
      return false;
    }
  }

  /** Confluent's compatibility levels, checked against the given earlier versions' schemas. */
  isCompatible(level: string, candidate: Omit<StoredSchema, 'id'>, earlier: StoredSchema[]): boolean {
    if (level === 'NONE' || earlier.length === 0) return true;
    const against = level.endsWith('_TRANSITIVE') ? earlier : earlier.slice(-1);
    const backward = !level.startsWith('FORWARD');
    const forward = !level.startsWith('BACKWARD');
    return against.every(
      (old) => (!backward || this.canRead(candidate, old)) && (!forward || this.canRead(old, candidate)),
    );
  }

  register(subject: string, candidate: Omit<StoredSchema, 'id'>): number {
    const versions = this.state.subjects[subject] ?? [];
    const existing = this.findSchema(candidate);
    if (existing && versions.includes(existing.id)) return existing.id;
    const earlier = versions.map((id) => this.schemaById(id));
    if (!this.isCompatible(this.compatibility(subject), candidate, earlier)) {
      throw new RegistryError(
        409, 409,
        `Schema being registered is incompatible with an earlier schema for subject "${subject}" (${this.compatibility(subject)})`,
      );
    }
    // The same schema under another subject keeps its global id, as in Confluent's registry.
    const stored = existing ?? { id: this.state.schemas.length + 1, ...candidate };
    if (!existing) this.state.schemas.push(stored);
    this.state.subjects[subject] = [...versions, stored.id];
    this.persist(this.state);
    return stored.id;
  }

  setCompatibility(subject: string | undefined, body: unknown): string {
    const level = String((body as { compatibility?: unknown } | undefined)?.compatibility ?? '').toUpperCase();
    if (!COMPATIBILITY_LEVELS.includes(level)) {
      throw new RegistryError(422, 42203, `Invalid compatibility level. Valid values are ${COMPATIBILITY_LEVELS.join(', ')}`);
    }
    if (subject === undefined) this.state.globalCompatibility = level;
    else this.state.subjectCompatibility[subject] = level;
    this.persist(this.state);
    return level;
  }
}

/** The JSON Confluent returns for a schema: schemaType and references only when they say something. */
function schemaBody(schema: StoredSchema): Record<string, unknown> {
  return {
    schema: schema.schema,
    ...(schema.schemaType === 'AVRO' ? {} : { schemaType: schema.schemaType }),
    ...(schema.references.length > 0 ? { references: schema.references } : {}),
  };
}

function versionBody(subject: string, version: number, schema: StoredSchema): Record<string, unknown> {
  return { subject, version, id: schema.id, ...schemaBody(schema) };
}

type Handler = (registry: Registry, params: string[], body: unknown, query: URLSearchParams) => unknown;

/** Routes as [method, path pattern, handler]; path parameters are the pattern's groups, URL-decoded. */
const ROUTES: [string, RegExp, Handler][] = [
  ['GET', /^\/subjects$/, (r) => Object.keys(r.state.subjects)],
  ['GET', /^\/subjects\/([^/]+)\/versions$/, (r, [subject]) => r.subjectVersions(subject!).map((_, i) => i + 1)],
  ['GET', /^\/subjects\/([^/]+)\/versions\/([^/]+)$/, (r, [subject, version]) => {
    const found = r.version(subject!, version!);
    return versionBody(subject!, found.version, found.schema);
  }],
  ['GET', /^\/subjects\/([^/]+)\/versions\/([^/]+)\/schema$/, (r, [subject, version]) =>
    JSON.parse(r.version(subject!, version!).schema.schema)],
  ['POST', /^\/subjects\/([^/]+)\/versions$/, (r, [subject], body) => ({ id: r.register(subject!, r.candidate(body)) })],
  ['POST', /^\/subjects\/([^/]+)$/, (r, [subject], body) => {
    const found = r.lookup(subject!, r.candidate(body));
    if (!found) throw new RegistryError(404, 40403, 'Schema not found');
    return versionBody(subject!, found.version, found.schema);
  }],
  ['GET', /^\/schemas\/ids\/(\d+)$/, (r, [id]) => schemaBody(r.schemaById(Number(id)))],
  ['GET', /^\/config$/, (r) => ({ compatibilityLevel: r.state.globalCompatibility })],
  ['PUT', /^\/config$/, (r, _params, body) => ({ compatibility: r.setCompatibility(undefined, body) })],
  ['GET', /^\/config\/([^/]+)$/, (r, [subject], _body, query) => {
    const level = r.state.subjectCompatibility[subject!];
    if (level !== undefined) return { compatibilityLevel: level };
    // Confluent answers 40408 here unless asked to fall back; the client relies on that 404.
    if (query.get('defaultToGlobal') === 'true') return { compatibilityLevel: r.state.globalCompatibility };
    throw new RegistryError(404, 40408, `Subject '${subject}' does not have subject-level compatibility configured`);
  }],
  ['PUT', /^\/config\/([^/]+)$/, (r, [subject], body) => ({ compatibility: r.setCompatibility(subject!, body) })],
  ['POST', /^\/compatibility\/subjects\/([^/]+)\/versions\/([^/]+)$/, (r, [subject, versionText], body) => {
    const candidate = r.candidate(body);
    const level = r.compatibility(subject!);
    const { version } = r.version(subject!, versionText!);
    // "latest" under a transitive level means every version; a named version means just that one.
    const versions = r.subjectVersions(subject!);
    const earlier = level.endsWith('_TRANSITIVE') && versionText === 'latest' ? versions : [versions[version - 1]!];
    return { is_compatible: r.isCompatible(level, candidate, earlier.map((id) => r.schemaById(id))) };
  }],
];

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new RegistryError(400, 400, 'Request body is not valid JSON');
  }
}

async function handle(registry: Registry, request: IncomingMessage, response: ServerResponse): Promise<void> {
  let status = 200;
  let payload: unknown;
  try {
    const url = new URL(request.url ?? '/', 'http://registry');
    const route = ROUTES.find(([method, pattern]) => method === request.method && pattern.test(url.pathname));
    if (!route) throw new RegistryError(404, 404, `No route for ${request.method} ${url.pathname}`);
    const params = (route[1].exec(url.pathname) ?? []).slice(1).map((p) => decodeURIComponent(p));
    payload = route[2](registry, params, await readBody(request), url.searchParams);
  } catch (error) {
    const known = error instanceof RegistryError ? error : new RegistryError(500, 50001, String(error));
    status = known.status;
    payload = { error_code: known.errorCode, message: known.message };
  }
  response.writeHead(status, { 'content-type': CONTENT_TYPE });
  response.end(JSON.stringify(payload));
}

export interface RegistryFixture {
  url: string;
  close(): Promise<void>;
}

export async function startSchemaRegistryFixture(
  options: { host?: string; port?: number; stateFile?: string } = {},
): Promise<RegistryFixture> {
  const { stateFile } = options;
  const state: RegistryState =
    stateFile && existsSync(stateFile) ? (JSON.parse(readFileSync(stateFile, 'utf8')) as RegistryState) : emptyState();
  const persist = (current: RegistryState): void => {
    if (!stateFile) return;
    // Write then rename, so a crash never leaves a half-written state file behind.
    writeFileSync(`${stateFile}.tmp`, JSON.stringify(current));
    renameSync(`${stateFile}.tmp`, stateFile);
  };
  const registry = new Registry(state, persist);
  const server: Server = createServer((request, response) => void handle(registry, request, response));
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Clients keep connections alive; close() alone would wait for them to time out.
        server.closeAllConnections();
      }),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: { host: { type: 'string' }, port: { type: 'string' }, state: { type: 'string' } },
  });
  const fixture = await startSchemaRegistryFixture({
    host: values.host,
    port: values.port === undefined ? undefined : Number(values.port),
    stateFile: values.state,
  });
  console.log(`schema registry test fixture listening on ${fixture.url}`);
  const shutdown = () => void fixture.close().then(() => process.exit(0));
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}
