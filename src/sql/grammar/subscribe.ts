/**
 * SUBSCRIBE and the statements that carry it, which PostgreSQL's grammar does not know:
 *
 *   SUBSCRIBE [TO] { [schema.]relation | (query) } [WITH (SNAPSHOT [= bool], PROGRESS [= bool])]
 *   COPY (SUBSCRIBE ...) TO STDOUT [[WITH] (options)]
 *   DECLARE name [options] CURSOR [WITH[OUT] HOLD] FOR SUBSCRIBE ...
 *   FETCH [FORWARD] [n | ALL | NEXT] [FROM | IN] name [WITH (TIMEOUT = 'interval')]
 *
 * FETCH is parsed here in all its forms (PostgreSQL's grammar has no WITH clause for it). The
 * parts that are PostgreSQL's own (a (query), COPY's options, DECLARE's cursor options) go
 * through libpg-query, with the rest of the text blanked out so that positions stay where they
 * are in the statement.
 */
import { SqlError, SQLSTATE } from '../../errors.js';
import { parseValue } from '../../types/text-io.js';
import { Interval, T } from '../../types/types.js';
import { USECS_PER_DAY } from '../../types/datetime.js';
import { parsePostgres } from './postgres.js';
import { leadingWords, TokenCursor, type Token } from './tokens.js';

export type SubscribeTarget =
  | { kind: 'relation'; schema: string | null; name: string; location: number }
  /** A SelectStmt node whose locations count from the start of the statement. */
  | { kind: 'query'; query: any };

export interface SubscribeStatement {
  target: SubscribeTarget;
  snapshot: boolean;
  progress: boolean;
}

export interface FetchStatement {
  cursor: string;
  /** Rows to return at most; 'all' for ALL. */
  count: number | 'all';
  /** How long to wait for a first row (ms); null: until one comes. */
  timeoutMs: number | null;
}

const SUBSCRIBE = leadingWords('subscribe');
const COPY_SUBSCRIBE = /^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*copy(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*\((?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*subscribe(?![A-Za-z0-9_$])/i;
const DECLARE = leadingWords('declare');
const FETCH = leadingWords('fetch');

export type SubscribeFamilyStatement =
  | { EddySubscribe: SubscribeStatement }
  | { EddyCopySubscribe: { subscribe: SubscribeStatement; copy: any } }
  /** `options` is DeclareCursorStmt's bit set (CURSOR_OPT_HOLD, CURSOR_OPT_BINARY, ...). */
  | { EddyDeclareSubscribe: { name: string; options: number; subscribe: SubscribeStatement } }
  | { EddyFetch: FetchStatement };

/** Recognises and parses the statements above; null when the text is none of them. */
export function parseSubscribeFamily(sql: string, offset: number): SubscribeFamilyStatement | null {
  if (SUBSCRIBE.test(sql)) {
    const c = TokenCursor.of(sql, offset);
    const subscribe = parseSubscribe(c, sql, offset);
    c.expectEnd();
    return { EddySubscribe: subscribe };
  }
  if (COPY_SUBSCRIBE.test(sql)) return parseCopySubscribe(sql, offset);
  if (FETCH.test(sql)) return { EddyFetch: parseFetch(sql, offset) };
  if (DECLARE.test(sql)) return parseDeclareSubscribe(sql, offset);
  return null;
}

/** `text` with everything outside [start, end) blanked, so libpg-query's locations stay the statement's. */
function only(text: string, start: number, end: number): string {
  return text.slice(0, start).replace(/[^\n]/g, ' ') + text.slice(start, end);
}

/** The index of the token closing the parenthesis opened at `open`. */
function closingParen(c: TokenCursor, open: number): number {
  let depth = 0;
  for (let i = open; i < c.tokens.length; i++) {
    const t = c.tokens[i]!;
    if (t.kind === 'end') break;
    if (t.kind !== 'punct') continue;
    if (t.value === '(') depth++;
    else if (t.value === ')' && --depth === 0) return i;
  }
  throw new SqlError(SQLSTATE.syntaxError, 'syntax error at end of input: unbalanced parentheses', { position: c.statementOffset + c.sql.length + 1 });
}

/** Parses SUBSCRIBE ... from the cursor's position up to (not including) the cursor's end. */
function parseSubscribe(c: TokenCursor, sql: string, offset: number): SubscribeStatement {
  c.expectWords('subscribe');
  c.acceptWords('to');
  let target: SubscribeTarget;
  if (c.isPunct('(')) {
    const open = c.tokens.indexOf(c.peek());
    const close = closingParen(c, open);
    const start = c.tokens[open]!.end;
    const end = c.tokens[close]!.offset;
    const ast = parsePostgres(only(sql, start, end), offset);
    if (!ast.SelectStmt) {
      throw c.errorAt(c.tokens[open + 1]!, SQLSTATE.featureNotSupported, 'SUBSCRIBE (query) takes a SELECT query');
    }
    target = { kind: 'query', query: ast };
    while (c.tokens.indexOf(c.peek()) <= close) c.next();
  } else {
    const first = c.identifier();
    let schema: string | null = null;
    let name = first.value;
    if (c.acceptPunct('.')) {
      schema = name;
      name = c.identifier().value;
    }
    target = { kind: 'relation', schema, name, location: first.offset };
  }
  const options = { snapshot: true, progress: false };
  if (c.acceptWords('with')) {
    c.expectPunct('(');
    do {
      const option = c.identifier();
      if (option.value !== 'snapshot' && option.value !== 'progress') {
        throw c.errorAt(option, SQLSTATE.syntaxError, `unrecognized SUBSCRIBE option "${option.text}"`, { hint: 'SUBSCRIBE takes SNAPSHOT and PROGRESS.' });
      }
      options[option.value] = c.acceptPunct('=') ? booleanValue(c) : true;
    } while (c.acceptPunct(','));
    c.expectPunct(')');
  }
  return { target, ...options };
}

function booleanValue(c: TokenCursor): boolean {
  const token = c.next();
  const v = token.value.toLowerCase();
  if (['true', 'on', '1', 't', 'yes'].includes(v)) return true;
  if (['false', 'off', '0', 'f', 'no'].includes(v)) return false;
  throw c.errorAt(token, SQLSTATE.invalidParameterValue, `invalid boolean value "${token.text}"`);
}

function parseCopySubscribe(sql: string, offset: number): SubscribeFamilyStatement {
  const c = TokenCursor.of(sql, offset);
  c.expectWords('copy');
  const open = c.tokens.indexOf(c.peek());
  const close = closingParen(c, open);
  const inner = new TokenCursor(sql, [...c.tokens.slice(open + 1, close), endToken(c.tokens[close]!)], offset);
  const subscribe = parseSubscribe(inner, sql, offset);
  inner.expectEnd();
  // COPY's own part, with a stand-in query of the same length, through PostgreSQL's grammar.
  const from = c.tokens[open]!.offset;
  const to = c.tokens[close]!.end;
  const standIn = '(SELECT 1' + ' '.repeat(to - from - 10) + ')';
  const copy = parsePostgres(sql.slice(0, from) + standIn + sql.slice(to), offset).CopyStmt;
  if (!copy || copy.is_from) throw c.errorAt(c.tokens[close]!, SQLSTATE.syntaxError, 'COPY (SUBSCRIBE ...) only copies TO STDOUT');
  if (copy.filename || copy.is_program) {
    throw new SqlError(SQLSTATE.featureNotSupported, 'COPY (SUBSCRIBE ...) streams TO STDOUT only', { position: offset + to + 1 });
  }
  return { EddyCopySubscribe: { subscribe, copy } };
}

/** An end-of-input token at `token`, for parsing a parenthesised part on its own. */
function endToken(token: Token): Token {
  return { kind: 'end', text: '', value: '', offset: token.offset, end: token.offset };
}

function parseDeclareSubscribe(sql: string, offset: number): SubscribeFamilyStatement | null {
  const c = TokenCursor.of(sql, offset);
  const at = c.tokens.findIndex((t, i) => t.kind === 'word' && t.value === 'subscribe' && c.tokens[i - 1]?.kind === 'word' && c.tokens[i - 1]!.value === 'for');
  const cursorWord = c.tokens.findIndex((t) => t.kind === 'word' && t.value === 'cursor');
  // DECLARE ... CURSOR FOR SUBSCRIBE: the FOR right after the cursor options, not one inside a SELECT.
  if (at < 0 || cursorWord < 0 || !c.tokens.slice(cursorWord + 1, at - 1).every((t) => t.kind === 'word' && ['with', 'without', 'hold'].includes(t.value))) return null;
  const start = c.tokens[at]!.offset;
  const declare = parsePostgres(sql.slice(0, start) + 'SELECT 1', offset).DeclareCursorStmt;
  const inner = new TokenCursor(sql, c.tokens.slice(at), offset);
  const subscribe = parseSubscribe(inner, sql, offset);
  inner.expectEnd();
  return { EddyDeclareSubscribe: { name: declare.portalname, options: declare.options ?? 0, subscribe } };
}

function parseFetch(sql: string, offset: number): FetchStatement {
  const c = TokenCursor.of(sql, offset);
  c.expectWords('fetch');
  let count: number | 'all' = 1;
  const scrolling = ['backward', 'prior', 'first', 'last', 'absolute', 'relative'];
  if (scrolling.some((w) => c.isWord(w))) {
    throw c.errorAt(c.peek(), SQLSTATE.featureNotSupported, 'cursors can only scan forward', { hint: 'Use FETCH [FORWARD] n or FETCH ALL.' });
  }
  const forward = c.acceptWords('forward');
  if (c.acceptWords('all')) count = 'all';
  else if (c.peek().kind === 'number') count = c.smallInteger('the FETCH count', 0, 2 ** 31 - 1).value;
  else if (!forward) c.acceptWords('next');
  if (!c.acceptWords('from')) c.acceptWords('in');
  const cursor = c.identifier().value;
  let timeoutMs: number | null = null;
  if (c.acceptWords('with')) {
    c.expectPunct('(');
    const option = c.identifier();
    if (option.value !== 'timeout') throw c.errorAt(option, SQLSTATE.syntaxError, `unrecognized FETCH option "${option.text}"`, { hint: 'FETCH takes TIMEOUT.' });
    c.expectPunct('=');
    timeoutMs = timeoutValue(c);
    c.expectPunct(')');
  }
  c.expectEnd();
  return { cursor, count, timeoutMs };
}

/** TIMEOUT = '1s' (an interval) or a number of seconds. */
function timeoutValue(c: TokenCursor): number {
  const token = c.next();
  if (token.kind === 'number') return Number(token.value) * 1000;
  if (token.kind !== 'string') c.fail();
  let interval: Interval;
  try {
    interval = parseValue(T.interval, token.value) as Interval;
  } catch {
    throw c.errorAt(token, SQLSTATE.invalidParameterValue, `invalid TIMEOUT "${token.value}": give an interval such as '1s'`);
  }
  const micros = interval.micros + (interval.days + interval.months * 30) * USECS_PER_DAY;
  if (micros < 0) throw c.errorAt(token, SQLSTATE.invalidParameterValue, 'TIMEOUT cannot be negative');
  return micros / 1000;
}
