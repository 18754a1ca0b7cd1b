/**
 * String functions and operators. PostgreSQL counts characters (code points), not UTF-16 units,
 * so positions and lengths go through code-point arrays when a string has surrogate pairs.
 */
import { createHash } from 'node:crypto';
import { SqlError, SQLSTATE } from '../../errors.js';
import { T, type SqlType, type Value } from '../../types/types.js';
import { castValue } from '../../types/casts.js';
import { formatValue } from '../../types/text-io.js';
import { ANY, ANYNONARRAY, fn, register, type FunctionDef } from './registry.js';
import type { EvalEnv } from '../expr-ir.js';

const SURROGATE = /[\uD800-\uDFFF]/;
/** The string as an array of characters (code points). */
const chars = (s: string): string[] => (SURROGATE.test(s) ? Array.from(s) : s.split(''));
const charLength = (s: string): number => (SURROGATE.test(s) ? Array.from(s).length : s.length);

const text = T.text;
const int = T.int4;

function substr(s: string, start: number, count?: number): string {
  if (count !== undefined && count < 0) throw new SqlError('22011', 'negative substring length not allowed');
  const cs = chars(s);
  const from = Math.max(start, 1);
  const to = count === undefined ? cs.length + 1 : start + count; // exclusive, 1-based
  if (to <= from) return '';
  return cs.slice(from - 1, to - 1).join('');
}

function strpos(s: string, sub: string): number {
  const i = s.indexOf(sub);
  return i < 0 ? 0 : charLength(s.slice(0, i)) + 1;
}

function trimChars(s: string, set: string, leading: boolean, trailing: boolean): string {
  const cs = chars(s);
  const remove = new Set(chars(set));
  let a = 0;
  let b = cs.length;
  if (leading) while (a < b && remove.has(cs[a]!)) a++;
  if (trailing) while (b > a && remove.has(cs[b - 1]!)) b--;
  return cs.slice(a, b).join('');
}

function pad(s: string, length: number, fill: string, left: boolean): string {
  const cs = chars(s);
  if (length <= cs.length) return cs.slice(0, Math.max(length, 0)).join('');
  const fs = chars(fill);
  if (fs.length === 0) return s;
  const padding: string[] = [];
  for (let i = 0; padding.length < length - cs.length; i++) padding.push(fs[i % fs.length]!);
  return left ? padding.join('') + s : s + padding.join('');
}

function initcap(s: string): string {
  let out = '';
  let inWord = false;
  for (const c of s) {
    const alnum = /[\p{L}\p{N}]/u.test(c);
    out += alnum ? (inWord ? c.toLowerCase() : c.toUpperCase()) : c;
    inWord = alnum;
  }
  return out;
}

function splitPart(s: string, delimiter: string, n: number): string {
  if (n === 0) throw new SqlError(SQLSTATE.invalidParameterValue, 'field position must not be zero');
  if (delimiter === '') return n === 1 || n === -1 ? s : '';
  const parts = s.split(delimiter);
  const i = n > 0 ? n - 1 : parts.length + n;
  return parts[i] ?? '';
}

function repeat(s: string, n: number): string {
  if (n <= 0) return '';
  if (s.length * n > 1_073_741_823) throw new SqlError('54000', 'requested length too large');
  return s.repeat(n);
}

/** Text of a value of any type: its cast to text (||) or its output function (concat: bool is t/f). */
function textOf(type: SqlType, env: EvalEnv, how: 'cast' | 'output'): (v: Value) => string {
  if (type.category === 'S' || type === T.unknown) return (v) => v as string;
  if (how === 'output') return (v) => formatValue(type, v, { timeZone: env.setting('timezone') });
  return (v) => castValue(v, type, T.text, -1, env) as string;
}

const concatDef = (name: string, withSeparator: boolean): FunctionDef => ({
  name,
  args: withSeparator ? [text, ANY] : [ANY],
  variadic: true,
  returns: text,
  strict: false,
  specialize: (types) => (args, env) => {
    const toText = types.map((t) => textOf(t, env, 'output'));
    const start = withSeparator ? 1 : 0;
    if (withSeparator && args[0] === null) return null;
    const parts: string[] = [];
    for (let i = start; i < args.length; i++) if (args[i] !== null) parts.push(toText[i]!(args[i]!));
    return parts.join(withSeparator ? (args[0] as string) : '');
  },
});

register(
  fn('length', [text], int, (s: string) => charLength(s)),
  fn('char_length', [text], int, (s: string) => charLength(s)),
  fn('character_length', [text], int, (s: string) => charLength(s)),
  fn('octet_length', [text], int, (s: string) => Buffer.byteLength(s, 'utf8')),
  fn('length', [T.bytea], int, (b: Uint8Array) => b.length),
  fn('octet_length', [T.bytea], int, (b: Uint8Array) => b.length),
  fn('bit_length', [text], int, (s: string) => Buffer.byteLength(s, 'utf8') * 8),
  fn('lower', [text], text, (s: string) => s.toLowerCase()),
  fn('upper', [text], text, (s: string) => s.toUpperCase()),
  fn('substr', [text, int], text, (s: string, a: number) => substr(s, a)),
  fn('substr', [text, int, int], text, substr),
  fn('substring', [text, int], text, (s: string, a: number) => substr(s, a)),
  fn('substring', [text, int, int], text, substr),
  fn('strpos', [text, text], int, strpos),
  // the grammar turns position(sub IN s) into position(s, sub)
  fn('position', [text, text], int, strpos),
  fn('replace', [text, text, text], text, (s: string, from: string, to: string) => (from === '' ? s : s.split(from).join(to))),
  fn('btrim', [text], text, (s: string) => trimChars(s, ' ', true, true)),
  fn('btrim', [text, text], text, (s: string, set: string) => trimChars(s, set, true, true)),
  fn('ltrim', [text], text, (s: string) => trimChars(s, ' ', true, false)),
  fn('ltrim', [text, text], text, (s: string, set: string) => trimChars(s, set, true, false)),
  fn('rtrim', [text], text, (s: string) => trimChars(s, ' ', false, true)),
  fn('rtrim', [text, text], text, (s: string, set: string) => trimChars(s, set, false, true)),
  fn('lpad', [text, int], text, (s: string, n: number) => pad(s, n, ' ', true)),
  fn('lpad', [text, int, text], text, (s: string, n: number, f: string) => pad(s, n, f, true)),
  fn('rpad', [text, int], text, (s: string, n: number) => pad(s, n, ' ', false)),
  fn('rpad', [text, int, text], text, (s: string, n: number, f: string) => pad(s, n, f, false)),
  fn('left', [text, int], text, (s: string, n: number) => {
    const cs = chars(s);
    return cs.slice(0, n < 0 ? Math.max(cs.length + n, 0) : n).join('');
  }),
  fn('right', [text, int], text, (s: string, n: number) => {
    const cs = chars(s);
    return cs.slice(n < 0 ? Math.min(-n, cs.length) : Math.max(cs.length - n, 0)).join('');
  }),
  fn('repeat', [text, int], text, repeat),
  fn('reverse', [text], text, (s: string) => chars(s).reverse().join('')),
  fn('split_part', [text, text, int], text, splitPart),
  fn('starts_with', [text, text], T.bool, (s: string, p: string) => s.startsWith(p)),
  fn('initcap', [text], text, initcap),
  fn('md5', [text], text, (s: string) => createHash('md5').update(s, 'utf8').digest('hex')),
  fn('md5', [T.bytea], text, (b: Uint8Array) => createHash('md5').update(b).digest('hex')),
  fn('ascii', [text], int, (s: string) => (s.length === 0 ? 0 : s.codePointAt(0)!)),
  fn('chr', [int], text, (n: number) => {
    if (n === 0) throw new SqlError('54000', 'null character not permitted');
    if (n < 0 || n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff)) throw new SqlError('54000', 'requested character too large for encoding: ' + n);
    return String.fromCodePoint(n);
  }),
  fn('translate', [text, text, text], text, (s: string, from: string, to: string) => {
    const f = chars(from);
    const t = chars(to);
    return chars(s)
      .map((c) => {
        const i = f.indexOf(c);
        return i < 0 ? c : (t[i] ?? '');
      })
      .join('');
  }),
  fn('quote_ident', [text], text, (s: string) => quoteIdent(s)),
  fn('quote_literal', [text], text, (s: string) => quoteLiteral(s)),
  fn('to_hex', [int], text, (n: number) => (n >>> 0).toString(16)),
  fn('to_hex', [T.int8], text, (n: bigint) => BigInt.asUintN(64, n).toString(16)),
  fn('||', [text, text], text, (a: string, b: string) => a + b),
  fn('||', [T.bytea, T.bytea], T.bytea, (a: Uint8Array, b: Uint8Array) => Buffer.concat([a, b])),
  {
    name: '||',
    args: [text, ANYNONARRAY],
    returns: text,
    specialize: (types) => (args, env) => (args[0] as string) + textOf(types[1]!, env, 'cast')(args[1]!),
  },
  {
    name: '||',
    args: [ANYNONARRAY, text],
    returns: text,
    specialize: (types) => (args, env) => textOf(types[0]!, env, 'cast')(args[0]!) + (args[1] as string),
  },
  concatDef('concat', false),
  concatDef('concat_ws', true),
);

// ---- format(), byte strings, counting nulls --------------------------------------------------

/** format(fmt, args...): %s (text, NULL as empty), %I (identifier), %L (literal, NULL as NULL), %%, with n$ positions. */
function formatString(fmt: string, args: Value[], toText: ((v: Value) => string)[]): string {
  let next = 0;
  return fmt.replace(/%(?:(\d+)\$)?(-?\d*)([sIL%])/g, (whole, pos: string | undefined, width: string, kind: string) => {
    if (kind === '%') return '%';
    const i = pos ? Number(pos) - 1 : next;
    next = i + 1;
    if (i >= args.length) throw new SqlError('22023', 'too few arguments for format()');
    const v = args[i]!;
    let s: string;
    if (kind === 'L') s = v === null ? 'NULL' : quoteLiteral(toText[i]!(v));
    else if (kind === 'I') {
      if (v === null) throw new SqlError(SQLSTATE.nullValueNotAllowed, 'null values cannot be formatted as an SQL identifier');
      s = quoteIdent(toText[i]!(v));
    } else s = v === null ? '' : toText[i]!(v);
    const w = width === '' || width === '-' ? 0 : Math.abs(Number(width));
    return width.startsWith('-') ? s.padEnd(w) : s.padStart(w);
  });
}

/**
 * PostgreSQL 15's keywords that are not unreserved (pg_get_keywords() catcode <> 'U'): as
 * identifiers they need quotes, so quote_ident quotes them (pgAdmin's collation names: "default").
 */
const QUOTED_KEYWORDS = new Set(
  (
    'all analyse analyze and any array as asc asymmetric authorization between bigint binary bit ' +
    'boolean both case cast char character check coalesce collate collation column concurrently ' +
    'constraint create cross current_catalog current_date current_role current_schema current_time ' +
    'current_timestamp current_user dec decimal default deferrable desc distinct do else end except ' +
    'exists extract false fetch float for foreign freeze from full grant greatest group grouping ' +
    'having ilike in initially inner inout int integer intersect interval into is isnull join lateral ' +
    'leading least left like limit localtime localtimestamp national natural nchar none normalize not ' +
    'notnull null nullif numeric offset on only or order out outer overlaps overlay placing position ' +
    'precision primary real references returning right row select session_user setof similar smallint ' +
    'some substring symmetric table tablesample then time timestamp to trailing treat trim true union ' +
    'unique user using values varchar variadic verbose when where window with xmlattributes xmlconcat ' +
    'xmlelement xmlexists xmlforest xmlnamespaces xmlparse xmlpi xmlroot xmlserialize xmltable'
  ).split(' '),
);

/** quote_ident: the name as an identifier, in double quotes unless it needs none. */
export function quoteIdent(s: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(s) && !QUOTED_KEYWORDS.has(s) ? s : `"${s.replace(/"/g, '""')}"`;
}

function quoteLiteral(s: string): string {
  return s.includes('\\') ? `E'${s.replace(/\\/g, '\\\\').replace(/'/g, "''")}'` : `'${s.replace(/'/g, "''")}'`;
}

function encodeBytes(bytes: Uint8Array, format: string): string {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (format.toLowerCase()) {
    case 'hex':
      return buf.toString('hex');
    case 'base64':
      // PostgreSQL wraps base64 output at 76 characters
      return (buf.toString('base64').match(/.{1,76}/g) ?? ['']).join('\n');
    case 'escape':
      return Array.from(buf, (b) => (b === 0x5c ? '\\\\' : b < 0x20 || b > 0x7e ? `\\${b.toString(8).padStart(3, '0')}` : String.fromCharCode(b))).join('');
    default:
      throw new SqlError(SQLSTATE.invalidParameterValue, `unrecognized encoding: "${format}"`);
  }
}

function decodeBytes(text: string, format: string): Uint8Array {
  switch (format.toLowerCase()) {
    case 'hex':
      if (/[^0-9a-fA-F\s]/.test(text)) throw new SqlError(SQLSTATE.invalidParameterValue, `invalid hexadecimal digit: "${/[^0-9a-fA-F\s]/.exec(text)![0]}"`);
      if (text.replace(/\s/g, '').length % 2) throw new SqlError(SQLSTATE.invalidParameterValue, 'invalid hexadecimal data: odd number of digits');
      return Buffer.from(text.replace(/\s/g, ''), 'hex');
    case 'base64':
      return Buffer.from(text.replace(/\s/g, ''), 'base64');
    case 'escape':
      return castValue(text, T.text, T.bytea, -1, { setting: () => undefined, now: 0 }) as Uint8Array;
    default:
      throw new SqlError(SQLSTATE.invalidParameterValue, `unrecognized encoding: "${format}"`);
  }
}

function checkUtf8Encoding(name: string): void {
  if (!/^utf-?8$/i.test(name)) throw new SqlError(SQLSTATE.featureNotSupported, `encoding "${name}" is not supported: Eddy speaks UTF8 only`);
}

function overlay(s: string, replacement: string, start: number, count?: number): string {
  const cs = chars(s);
  const n = count ?? chars(replacement).length;
  if (start < 1) throw new SqlError('22011', 'negative substring length not allowed');
  return cs.slice(0, start - 1).join('') + replacement + cs.slice(start - 1 + n).join('');
}

register(
  {
    name: 'format',
    args: [text, ANY],
    variadic: true,
    returns: text,
    strict: false,
    specialize: (types) => (args, env) => {
      if (args[0] === null) return null;
      const rest = types.slice(1).map((t) => textOf(t, env, 'output'));
      return formatString(args[0] as string, args.slice(1), rest);
    },
  },
  { name: 'format', args: [text], returns: text, impl: ([f]) => formatString(f as string, [], []) },
  { name: 'quote_nullable', args: [text], returns: text, strict: false, impl: ([s]) => (s === null ? 'NULL' : quoteLiteral(s as string)) },
  fn('encode', [T.bytea, text], text, encodeBytes),
  fn('decode', [text, text], T.bytea, decodeBytes),
  fn('convert_from', [T.bytea, text], text, (b: Uint8Array, enc: string) => {
    checkUtf8Encoding(enc);
    return new TextDecoder('utf-8', { fatal: false }).decode(b);
  }),
  fn('convert_to', [text, text], T.bytea, (s: string, enc: string) => {
    checkUtf8Encoding(enc);
    return Buffer.from(s, 'utf8');
  }),
  fn('get_byte', [T.bytea, int], int, (b: Uint8Array, i: number) => {
    if (i < 0 || i >= b.length) throw new SqlError('2202E', `index ${i} out of valid range, 0..${b.length - 1}`);
    return b[i]!;
  }),
  fn('sha256', [T.bytea], T.bytea, (b: Uint8Array) => createHash('sha256').update(b).digest()),
  fn('overlay', [text, text, int], text, (s: string, r: string, a: number) => overlay(s, r, a)),
  fn('overlay', [text, text, int, int], text, overlay),
  { name: 'num_nulls', args: [ANY], variadic: true, returns: int, strict: false, impl: (args) => args.filter((a) => a === null).length },
  { name: 'num_nonnulls', args: [ANY], variadic: true, returns: int, strict: false, impl: (args) => args.filter((a) => a !== null).length },
);
