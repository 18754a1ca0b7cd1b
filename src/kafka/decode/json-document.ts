/** JSON [AS col]: the whole document as one jsonb value. */
import { Json } from '../../types/types.js';
import { nullWhenAbsent, type Decoder } from './column.js';
import { parseJsonMessage } from './json-message.js';

export function jsonDocumentDecoder(): Decoder {
  return nullWhenAbsent(1, (bytes) => [new Json(parseJsonMessage(bytes))]);
}
