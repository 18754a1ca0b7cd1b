/** TEXT [AS col [type]]: the bytes as UTF-8, parsed with the column type's text input. */
import { parseValue, type TextIoSettings } from '../../types/text-io.js';
import { T } from '../../types/types.js';
import { describeColumn, nullWhenAbsent, type DecodedColumn, type Decoder } from './column.js';
import { DecodeError } from './decode-error.js';
import { decodeUtf8 } from './utf8.js';

export function textDecoder(column: DecodedColumn, settings?: TextIoSettings): Decoder {
  const context = describeColumn(column);
  const plainText = column.type.oid === T.text.oid;
  return nullWhenAbsent(1, (bytes) => {
    let text: string;
    try {
      text = decodeUtf8(bytes);
    } catch (error) {
      throw DecodeError.wrap(context, error);
    }
    if (plainText) return [text];
    try {
      return [parseValue(column.type, text, column.typmod, settings)];
    } catch (error) {
      throw DecodeError.wrap(context, error);
    }
  });
}
