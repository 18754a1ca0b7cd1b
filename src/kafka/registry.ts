/**
 * Eddy's only way to a Confluent-compatible schema registry: `@kafkajs/confluent-schema-registry`,
 * one client per registry URL (its cache of schemas by id is then shared by every source reading
 * from that registry), building avsc types with Eddy's options (avro-types.ts).
 *
 * Failures become SqlErrors that say which registry, subject and version: CREATE SOURCE shows
 * them to the user. A registry that does not answer fails within REGISTRY_DEADLINE_MS.
 */
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import avro from 'avsc';
import { SqlError, SQLSTATE } from '../errors.js';
import { withDeadline } from './deadline.js';
import { AVRO_TYPE_OPTIONS, type AvroType } from './decode/avro-types.js';

/** How long one registry lookup may take, retries included, before it counts as unreachable. */
export const REGISTRY_DEADLINE_MS = 5000;

/** The client's ResponseError: HTTP errors carry their status; network errors come as 400. */
interface ClientError {
  status?: number;
  message?: string;
}

/** The registry's own words, without the client's name in front. */
function registryWords(error: unknown): string {
  const message = (error as ClientError)?.message ?? String(error);
  return message.replace(/^Confluent_Schema_Registry - /, '').replace(/^Error, status \d+: /, '');
}

function isNotFound(error: unknown): boolean {
  return (error as ClientError)?.status === 404;
}

export class SchemaRegistryConnection {
  private readonly client: SchemaRegistry;

  constructor(readonly url: string) {
    this.client = new SchemaRegistry({ host: url, clientId: 'eddy' }, { forSchemaOptions: AVRO_TYPE_OPTIONS });
  }

  /**
   * The schema registered under `subject` at `version` (null: the latest), with its id and its
   * version number (which the latest resolves to, so that a stored source can name it).
   */
  async subjectVersion(subject: string, version: number | null): Promise<{ id: number; version: number; type: AvroType }> {
    const which = version === null ? `subject "${subject}"` : `subject "${subject}" version ${version}`;
    const found = await this.call(which, () => this.versionLookup(subject, version ?? 'latest')).catch((error: unknown) => {
      if (!isNotFound(error)) throw error;
      throw new SqlError(SQLSTATE.undefinedObject, `${which} not found in the schema registry at ${this.url}: ${registryWords(error)}`);
    });
    const type = await this.schemaById(found.id);
    if (type === null) throw new SqlError(SQLSTATE.undefinedObject, `schema id ${found.id} of ${which} not found in the schema registry at ${this.url}`);
    return { id: found.id, version: found.version, type };
  }

  /**
   * GET /subjects/{subject}/versions/{version}. The client's public getRegistryId and
   * getLatestSchemaId make this very request but keep only the id; its (TypeScript-private) API
   * client gives the version number too.
   */
  private async versionLookup(subject: string, version: number | 'latest'): Promise<{ id: number; version: number }> {
    const api = this.client['api'] as { Subject: { version(args: object): Promise<{ data(): { id: number; version: number } }> } };
    const { id, version: number } = (await api.Subject.version({ subject, version })).data();
    return { id, version: number };
  }

  /**
   * The Avro schema with this id; null when the registry has no such id. Throws when the
   * registry cannot be reached, and for a schema that is not Avro.
   */
  async schemaById(id: number): Promise<AvroType | null> {
    const what = `schema id ${id}`;
    let schema: unknown;
    try {
      schema = await this.call(what, () => this.client.getSchema(id));
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
    if (!avro.Type.isType(schema)) {
      throw new SqlError(SQLSTATE.featureNotSupported, `${what} in the schema registry at ${this.url} is not an Avro schema`);
    }
    return schema as AvroType;
  }

  /**
   * Registers an Avro schema under `subject` (the registry returns the existing id when the
   * subject already has it) and returns its id. A schema the subject's compatibility rules
   * refuse is 22023, naming the subject.
   */
  async register(subject: string, schema: string): Promise<number> {
    const what = `subject "${subject}"`;
    const { id } = await this.call(`registering ${what}`, () =>
      this.client.register({ type: SchemaType.AVRO, schema }, { subject }).catch((error: unknown) => {
        const status = (error as ClientError)?.status;
        if (status === 409 || status === 422) {
          throw new SqlError(SQLSTATE.invalidParameterValue, `the schema registry at ${this.url} refused the schema for ${what}: ${registryWords(error)}`, {
            hint: 'The subject holds an incompatible schema: name another one with SUBJECT, or change its compatibility level.',
          });
        }
        throw error;
      }),
    );
    return id;
  }

  /** Runs one lookup within the deadline; anything but "not found" means the registry failed us. */
  private async call<R>(what: string, lookup: () => Promise<R>): Promise<R> {
    const timedOut = () =>
      new SqlError(SQLSTATE.connectionFailure, `schema registry at ${this.url} did not answer within ${REGISTRY_DEADLINE_MS / 1000} s (looking up ${what})`);
    try {
      return await withDeadline(lookup(), REGISTRY_DEADLINE_MS, timedOut);
    } catch (error) {
      if (error instanceof SqlError || isNotFound(error)) throw error;
      if ((error as Error)?.name !== 'ResponseError') {
        // Not an HTTP or network failure: the registry answered with a schema avsc cannot build.
        throw new SqlError(SQLSTATE.invalidParameterValue, `${what} in the schema registry at ${this.url} is not a valid Avro schema: ${registryWords(error)}`);
      }
      throw new SqlError(SQLSTATE.connectionFailure, `schema registry at ${this.url} failed looking up ${what}: ${registryWords(error)}`);
    }
  }
}

const connections = new Map<string, SchemaRegistryConnection>();

/** The one connection to the registry at `url`. */
export function schemaRegistry(url: string): SchemaRegistryConnection {
  let connection = connections.get(url);
  if (connection === undefined) {
    connection = new SchemaRegistryConnection(url);
    connections.set(url, connection);
  }
  return connection;
}
