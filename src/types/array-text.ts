/**
 * The text form of one-dimensional arrays, as PostgreSQL's array_out writes and array_in reads
 * it: '{1,2,NULL}', '{}', elements double-quoted when they are empty, NULL-like, or hold a brace,
 * quote, comma, backslash or white space; '[0:1]={a,b}' when the lower bound is not 1.
 */
import { SqlError, SQLSTATE } from '../errors.js';
import { SqlArray, type Value } from './types.js';

/** array_isspace: the characters array_in skips and array_out quotes. */
const ARRAY_SPACE = /[ \t\n\r\v\f]/;
const NEEDS_QUOTES = /[{}",\\ \t\n\r\v\f]/;

/** array_out, given each non-null element's text. */
export function formatArrayText(array: SqlArray, formatElement: (v: Value) => string): string {
  const parts = array.elements.map((e) => {
    if (e === null) return 'NULL';
    const text = formatElement(e);
    if (text === '' || text.toUpperCase() === 'NULL' || NEEDS_QUOTES.test(text)) {
      return '"' + text.replace(/["\\]/g, '\\$&') + '"';
    }
    return text;
  });
  const body = '{' + parts.join(',') + '}';
  if (array.elements.length === 0 || array.lower === 1) return body;
  return `[${array.lower}:${array.lower + array.elements.length - 1}]=${body}`;
}

function malformed(text: string, detail: string): SqlError {
  return new SqlError(SQLSTATE.invalidTextRepresentation, `malformed array literal: "${text}"`, { detail });
}

/** array_in for one dimension, given the element type's input function. */
export function parseArrayText(text: string, parseElement: (text: string) => Value): SqlArray {
  let i = 0;
  const skipSpace = () => {
    while (i < text.length && ARRAY_SPACE.test(text[i]!)) i++;
  };
  skipSpace();
  let lower = 1;
  let upper: number | undefined;
  if (text[i] === '[') {
    const m = /^\[\s*([+-]?\d+)\s*(?::\s*([+-]?\d+)\s*)?\]\s*=/.exec(text.slice(i));
    if (!m) throw malformed(text, 'Missing "]" after array dimensions.');
    if (m[2] === undefined) upper = Number(m[1]);
    else {
      lower = Number(m[1]);
      upper = Number(m[2]);
    }
    if (upper < lower) throw new SqlError(SQLSTATE.invalidTextRepresentation, 'upper bound cannot be less than lower bound');
    i += m[0].length;
    skipSpace();
  }
  if (text[i] !== '{') throw malformed(text, 'Array value must start with "{" or dimension information.');
  i++;
  const elements: Value[] = [];
  skipSpace();
  if (text[i] === '}') i++;
  else {
    for (;;) {
      skipSpace();
      if (text[i] === '{') throw new SqlError(SQLSTATE.featureNotSupported, 'multidimensional arrays are not supported');
      let value = '';
      let quotedOrEscaped = false;
      if (text[i] === '"') {
        quotedOrEscaped = true;
        i++;
        while (i < text.length && text[i] !== '"') {
          if (text[i] === '\\') i++;
          if (i >= text.length) break;
          value += text[i++];
        }
        if (text[i] !== '"') throw malformed(text, 'Unexpected end of input.');
        i++;
        skipSpace();
      } else {
        // unquoted: up to the next comma or brace; backslashes escape; trailing spaces dropped
        let trimmedLength = 0;
        while (i < text.length && text[i] !== ',' && text[i] !== '}') {
          if (text[i] === '"' || text[i] === '{') throw malformed(text, `Unexpected "${text[i]}" character.`);
          if (text[i] === '\\') {
            quotedOrEscaped = true;
            i++;
            if (i >= text.length) break;
            value += text[i++];
            trimmedLength = value.length;
          } else {
            value += text[i++];
            if (!ARRAY_SPACE.test(value[value.length - 1]!)) trimmedLength = value.length;
          }
        }
        value = value.slice(0, trimmedLength);
        if (value === '' && !quotedOrEscaped) throw malformed(text, 'Unexpected "' + (text[i] ?? '') + '" character.');
      }
      elements.push(!quotedOrEscaped && value.toUpperCase() === 'NULL' ? null : parseElement(value));
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === '}') {
        i++;
        break;
      }
      throw malformed(text, 'Unexpected end of input.');
    }
  }
  skipSpace();
  if (i < text.length) throw malformed(text, 'Junk after closing right brace.');
  if (upper !== undefined && upper - lower + 1 !== elements.length) {
    throw malformed(text, 'Specified array dimensions do not match array contents.');
  }
  return new SqlArray(elements, lower);
}
