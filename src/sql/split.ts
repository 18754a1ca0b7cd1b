/**
 * Splits a query string into statements at top-level semicolons, honouring PostgreSQL's lexical
 * rules for quotes, dollar quotes and comments. We split ourselves (rather than take the parser's
 * statement list) because Eddy's own statements (CREATE SOURCE, SUBSCRIBE, SHOW SOURCES ...) are
 * not PostgreSQL grammar and must be recognised one statement at a time.
 */
export interface StatementText {
  sql: string;
  /** Offset of `sql` in the whole query string. */
  offset: number;
}

export function splitStatements(query: string): StatementText[] {
  const out: StatementText[] = [];
  let start = 0;
  let i = 0;
  const n = query.length;
  const push = (end: number) => {
    const raw = query.slice(start, end);
    const lead = raw.length - raw.trimStart().length;
    const sql = raw.trim();
    if (sql.length > 0 && !isOnlyComments(sql)) out.push({ sql, offset: start + lead });
  };
  while (i < n) {
    const c = query[i]!;
    if (c === "'" ) {
      i = skipQuoted(query, i, "'", isEscapeString(query, i));
    } else if (c === '"') {
      i = skipQuoted(query, i, '"', false);
    } else if (c === '-' && query[i + 1] === '-') {
      const nl = query.indexOf('\n', i);
      i = nl < 0 ? n : nl + 1;
    } else if (c === '/' && query[i + 1] === '*') {
      i = skipBlockComment(query, i);
    } else if (c === '$') {
      i = skipDollarQuote(query, i);
    } else if (c === ';') {
      push(i);
      i++;
      start = i;
    } else {
      i++;
    }
  }
  push(n);
  return out;
}

function isEscapeString(query: string, quoteAt: number): boolean {
  const prev = query[quoteAt - 1];
  if (prev !== 'e' && prev !== 'E') return false;
  const before = query[quoteAt - 2];
  return before === undefined || !/[A-Za-z0-9_$]/.test(before);
}

/** Returns the index just past the closing quote (doubled quotes stay inside). */
function skipQuoted(query: string, at: number, quote: string, backslashEscapes: boolean): number {
  let i = at + 1;
  while (i < query.length) {
    const c = query[i]!;
    if (backslashEscapes && c === '\\') {
      i += 2;
      continue;
    }
    if (c === quote) {
      if (query[i + 1] === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return i;
}

function skipBlockComment(query: string, at: number): number {
  let depth = 0;
  let i = at;
  while (i < query.length) {
    if (query[i] === '/' && query[i + 1] === '*') {
      depth++;
      i += 2;
    } else if (query[i] === '*' && query[i + 1] === '/') {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else {
      i++;
    }
  }
  return i;
}

function skipDollarQuote(query: string, at: number): number {
  // A dollar quote opens with $tag$ where tag is empty or an identifier not starting with a digit;
  // "$1" is a parameter, and a $ inside an identifier is not a quote.
  const prev = query[at - 1];
  if (prev !== undefined && /[A-Za-z0-9_]/.test(prev)) return at + 1;
  const m = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/.exec(query.slice(at, at + 64));
  if (!m) return at + 1;
  const tag = m[0];
  const close = query.indexOf(tag, at + tag.length);
  return close < 0 ? query.length : close + tag.length;
}

function isOnlyComments(sql: string): boolean {
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (/\s/.test(c)) i++;
    else if (c === '-' && sql[i + 1] === '-') {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? sql.length : nl + 1;
    } else if (c === '/' && sql[i + 1] === '*') i = skipBlockComment(sql, i);
    else return false;
  }
  return true;
}
