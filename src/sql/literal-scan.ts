/**
 * Finds the literals of a query text without parsing it: numbers and plain '...' strings, with
 * the text's shape once they are taken out (the key), as pg_stat_statements normalizes queries.
 * Clients that inline values (pgbench's simple mode, psql scripts, ORMs without parameters) send
 * a new text for each value; with the key, a session parses and plans one such text and reuses
 * the plan for the others (src/sql/statement-cache.ts).
 *
 * The scan follows PostgreSQL's lexical rules for what it accepts and gives up (null) on what it
 * would have to know more to read exactly: non-ASCII text (the parser's locations count bytes),
 * escape, bit, national and Unicode strings, dollar quotes, string continuation over a newline,
 * parameters already in the text, and PostgreSQL 16's non-decimal and underscored numbers.
 */

/** How a literal types when bound as a constant (bind-expr's bindConst). */
export type LiteralClass = 'int4' | 'int8' | 'numeric' | 'string';

export interface ScannedLiteral {
  /** Offset of the literal's first character (the opening quote of a string). */
  start: number;
  /** What the literal says: the digits as written, or the string's contents, '' undoubled. */
  value: string;
  cls: LiteralClass;
}

export interface ScannedText {
  /** The text with each literal replaced by a marker of its class. */
  key: string;
  literals: ScannedLiteral[];
}

const MARK: Record<LiteralClass, string> = { int4: '\0i', int8: '\0l', numeric: '\0n', string: '\0s' };
const INT4_LIMIT = 2n ** 31n;
const INT8_LIMIT = 2n ** 63n;

export function scanLiterals(sql: string): ScannedText | null {
  if (/[^\x01-\x7f]/.test(sql)) return null;
  const literals: ScannedLiteral[] = [];
  let key = '';
  let copied = 0;
  const take = (start: number, end: number, value: string, cls: LiteralClass) => {
    literals.push({ start, value, cls });
    key += sql.slice(copied, start) + MARK[cls];
    copied = end;
  };
  const n = sql.length;
  let i = 0;
  while (i < n) {
    const c = sql.charCodeAt(i);
    if (c === QUOTE) {
      // a prefix letter (E'', B'', X'', N'') or U&'' makes another kind of string
      if (i > 0 && (isIdentChar(sql.charCodeAt(i - 1)) || sql.charCodeAt(i - 1) === AMPERSAND)) return null;
      const end = quotedEnd(sql, i);
      if (end < 0 || continuesOnNextLine(sql, end)) return null;
      take(i, end, sql.slice(i + 1, end - 1).replaceAll("''", "'"), 'string');
      i = end;
    } else if (c === DOUBLE_QUOTE) {
      i = quotedEnd(sql, i);
      if (i < 0) return null;
    } else if (c === DASH && sql.charCodeAt(i + 1) === DASH) {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? n : nl + 1;
    } else if (c === SLASH && sql.charCodeAt(i + 1) === STAR) {
      i = blockCommentEnd(sql, i);
      if (i < 0) return null;
    } else if (c === DOLLAR) {
      return null;
    } else if (isIdentStart(c)) {
      i++;
      while (i < n && isIdentChar(sql.charCodeAt(i))) i++;
    } else if (isDigit(c) || (c === DOT && isDigit(sql.charCodeAt(i + 1)))) {
      const end = numberEnd(sql, i);
      if (end < 0) return null;
      const text = sql.slice(i, end);
      take(i, end, text, numberClass(text));
      i = end;
    } else {
      i++;
    }
  }
  return { key: key + sql.slice(copied), literals };
}

const QUOTE = 39;
const DOUBLE_QUOTE = 34;
const AMPERSAND = 38;
const DASH = 45;
const SLASH = 47;
const STAR = 42;
const DOLLAR = 36;
const DOT = 46;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function isIdentChar(c: number): boolean {
  return isIdentStart(c) || isDigit(c) || c === DOLLAR;
}

/**
 * Just past the quote closing the string or quoted identifier opening at `at` (a doubled quote
 * stays inside); -1 if unclosed.
 */
function quotedEnd(sql: string, at: number): number {
  const quote = sql[at]!;
  let i = at + 1;
  for (;;) {
    const close = sql.indexOf(quote, i);
    if (close < 0) return -1;
    if (sql[close + 1] !== quote) return close + 1;
    i = close + 2;
  }
}

/** White space from `lastIndex` on (sticky: no copy of the rest of the text per string). */
const WHITE_SPACE = /\s*/y;

/** 'a' <newline> 'b' is one string 'ab' in PostgreSQL. */
function continuesOnNextLine(sql: string, end: number): boolean {
  WHITE_SPACE.lastIndex = end;
  const space = WHITE_SPACE.exec(sql)![0];
  return space.includes('\n') && sql.charCodeAt(end + space.length) === QUOTE;
}

/** Block comments nest in PostgreSQL. */
function blockCommentEnd(sql: string, at: number): number {
  let depth = 0;
  let i = at;
  while (i < sql.length) {
    if (sql.startsWith('/*', i)) {
      depth++;
      i += 2;
    } else if (sql.startsWith('*/', i)) {
      i += 2;
      if (--depth === 0) return i;
    } else {
      i++;
    }
  }
  return -1;
}

/**
 * Just past a decimal number (digits, a fraction, an exponent) starting at `at`; -1 when what
 * follows would make the lexer read it otherwise (0x1F, 1_000, 1e, 12abc).
 */
function numberEnd(sql: string, at: number): number {
  const m = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(sql.slice(at, at + 400))!;
  const end = at + m[0].length;
  const next = sql.charCodeAt(end);
  if (isIdentChar(next) || next === DOT) return -1;
  return end;
}

function numberClass(text: string): LiteralClass {
  if (!/^\d+$/.test(text)) return 'numeric';
  const value = BigInt(text);
  return value < INT4_LIMIT ? 'int4' : value < INT8_LIMIT ? 'int8' : 'numeric';
}
