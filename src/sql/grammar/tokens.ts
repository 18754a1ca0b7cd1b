/**
 * A token stream for Eddy's own DDL (CREATE SOURCE, DROP SOURCE): identifiers folded as
 * PostgreSQL folds them, string and number literals, punctuation, each with its offset so that
 * syntax errors point at the token at fault. Comments and whitespace are skipped.
 */
import { SqlError, SQLSTATE } from '../../errors.js';

export type TokenKind = 'word' | 'quoted' | 'string' | 'number' | 'punct' | 'end';

export interface Token {
  kind: TokenKind;
  /** The text as written. */
  text: string;
  /** Identifiers folded (lower case unless quoted), strings unescaped, punctuation as is. */
  value: string;
  /** 0-based offset in the statement. */
  offset: number;
  /** Offset just past the token. */
  end: number;
}

const TOKEN = /\s+|--[^\n]*|\/\*[\s\S]*?\*\/|"((?:[^"]|"")*)"|'((?:[^']|'')*)'|([A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*)|(\d+(?:\.\d+)?)|(.)/gy;

const GAP = String.raw`(?:\s+|--[^\n]*(?:\n|$)|/\*[\s\S]*?\*/)`;

/**
 * A cheap test of a statement's leading keywords (comments and whitespace allowed around them),
 * so that dispatching never tokenizes a statement that is not ours, however long it is.
 */
export function leadingWords(...words: string[]): RegExp {
  return new RegExp(`^${GAP}*${words.join(`${GAP}+`)}(?![A-Za-z0-9_$])`, 'i');
}

export function tokenize(sql: string, statementOffset: number): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while (TOKEN.lastIndex < sql.length && (m = TOKEN.exec(sql)) !== null) {
    const base = { text: m[0], offset: m.index, end: m.index + m[0].length };
    if (m[1] !== undefined) tokens.push({ ...base, kind: 'quoted', value: m[1].replace(/""/g, '"') });
    else if (m[2] !== undefined) tokens.push({ ...base, kind: 'string', value: m[2].replace(/''/g, "'") });
    else if (m[3] !== undefined) tokens.push({ ...base, kind: 'word', value: m[3].toLowerCase() });
    else if (m[4] !== undefined) tokens.push({ ...base, kind: 'number', value: m[4] });
    else if (m[5] !== undefined) {
      if (m[5] === '"' || m[5] === "'") {
        throw new SqlError(SQLSTATE.syntaxError, `unterminated ${m[5] === '"' ? 'quoted identifier' : 'quoted string'}`, {
          position: statementOffset + m.index + 1,
        });
      }
      tokens.push({ ...base, kind: 'punct', value: m[5] });
    }
  }
  tokens.push({ kind: 'end', text: '', value: '', offset: sql.length, end: sql.length });
  return tokens;
}

/**
 * A cursor over tokens with the checks a recursive-descent parser needs. Errors are PostgreSQL's
 * `syntax error at or near "x"` (or `at end of input`) with the position of the token.
 */
export class TokenCursor {
  private at = 0;

  constructor(
    readonly sql: string,
    readonly tokens: Token[],
    /** Offset of the statement in the whole query string, for error positions. */
    readonly statementOffset: number,
  ) {}

  static of(sql: string, statementOffset: number): TokenCursor {
    return new TokenCursor(sql, tokenize(sql, statementOffset), statementOffset);
  }

  peek(ahead = 0): Token {
    return this.tokens[Math.min(this.at + ahead, this.tokens.length - 1)]!;
  }

  next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.at += 1;
    return token;
  }

  /** True when the token `ahead` is the unquoted keyword. */
  isWord(word: string, ahead = 0): boolean {
    const token = this.peek(ahead);
    return token.kind === 'word' && token.value === word;
  }

  isPunct(p: string, ahead = 0): boolean {
    const token = this.peek(ahead);
    return token.kind === 'punct' && token.value === p;
  }

  /** Consumes the keywords in sequence if all are next; returns whether it did. */
  acceptWords(...words: string[]): boolean {
    if (!words.every((w, i) => this.isWord(w, i))) return false;
    this.at += words.length;
    return true;
  }

  acceptPunct(p: string): boolean {
    if (!this.isPunct(p)) return false;
    this.at += 1;
    return true;
  }

  expectWords(...words: string[]): Token {
    const first = this.peek();
    for (const word of words) {
      if (!this.isWord(word)) this.fail();
      this.at += 1;
    }
    return first;
  }

  expectPunct(p: string): Token {
    if (!this.isPunct(p)) this.fail();
    return this.next();
  }

  /** An identifier (unquoted, folded, or quoted, exact). */
  identifier(): Token {
    const token = this.peek();
    if (token.kind !== 'word' && token.kind !== 'quoted') this.fail();
    return this.next();
  }

  string(): Token {
    if (this.peek().kind !== 'string') this.fail();
    return this.next();
  }

  /** A non-negative integer literal, as a bigint. */
  integer(): { value: bigint; token: Token } {
    const token = this.peek();
    if (token.kind !== 'number' || !/^\d+$/.test(token.value)) this.fail();
    this.next();
    return { value: BigInt(token.value), token };
  }

  /** An integer that must fit a JS number within [min, max]; `what` names it in the error. */
  smallInteger(what: string, min: number, max: number): { value: number; token: Token } {
    const { value, token } = this.integer();
    if (value < BigInt(min) || value > BigInt(max)) {
      throw this.errorAt(token, SQLSTATE.invalidParameterValue, `${what} must be between ${min} and ${max}, not ${token.text}`);
    }
    return { value: Number(value), token };
  }

  atEnd(): boolean {
    const token = this.peek();
    return token.kind === 'end' || (token.kind === 'punct' && token.value === ';' && this.peek(1).kind === 'end');
  }

  expectEnd(): void {
    this.acceptPunct(';');
    if (this.peek().kind !== 'end') this.fail();
  }

  /** A SqlError whose position is the token's. */
  errorAt(token: Token, code: string, message: string, extra: { hint?: string; detail?: string } = {}): SqlError {
    return new SqlError(code, message, { ...extra, position: this.statementOffset + token.offset + 1 });
  }

  /** The syntax error at the current token. */
  fail(hint?: string): never {
    const token = this.peek();
    const near = token.kind === 'end' ? 'at end of input' : `at or near "${token.text}"`;
    throw this.errorAt(token, SQLSTATE.syntaxError, `syntax error ${near}`, hint === undefined ? {} : { hint });
  }
}

/** Refuses a clause written twice, at its second occurrence. */
export class ClauseOnce {
  private readonly seen = new Set<string>();
  constructor(private readonly c: TokenCursor) {}
  once(name: string, token: Token): void {
    if (this.seen.has(name)) throw this.c.errorAt(token, SQLSTATE.syntaxError, `${name} specified more than once`);
    this.seen.add(name);
  }
}

/** `CREATE <kind> [IF NOT EXISTS] name FROM`: the name, and whether IF NOT EXISTS was written. */
export function parseCreateHead(c: TokenCursor, kind: string): { name: Token; ifNotExists: boolean } {
  c.expectWords('create', kind);
  const ifNotExists = c.acceptWords('if', 'not', 'exists');
  const name = c.identifier();
  c.expectWords('from');
  return { name, ifNotExists };
}
