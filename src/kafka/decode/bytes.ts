/** BYTES [AS col]: the raw bytes as one bytea value. */
import { nullWhenAbsent, type Decoder } from './column.js';

export function bytesDecoder(): Decoder {
  // A copy: the client's message buffers are slices of a whole fetch response, which a kept
  // slice would hold in memory for as long as the row lives.
  return nullWhenAbsent(1, (bytes) => [Uint8Array.prototype.slice.call(bytes)]);
}
