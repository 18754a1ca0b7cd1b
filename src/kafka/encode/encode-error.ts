/**
 * A row a sink cannot write (a NULL key under UPSERT, a value its Avro schema cannot hold): the
 * sink records it in eddy_sink_errors with this reason and goes on with the next row.
 */
export class EncodeError extends Error {
  override readonly name = 'EncodeError';
}
