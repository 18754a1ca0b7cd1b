/**
 * LIKE / ILIKE (~~, ~~*, and their negations), POSIX regular expressions (~, ~*, !~, !~*),
 * regexp_replace, regexp_matches and like_escape. Patterns compile to JS RegExps once and are cached, since a
 * pattern is nearly always a constant.
 */
import { SqlError, SQLSTATE } from '../../errors.js';
import { SqlArray, T, arrayTypeOf, type Value } from '../../types/types.js';
import { register, srf } from './registry.js';

const cache = new Map<string, RegExp>();
function cached(key: string, build: () => RegExp): RegExp {
  let re = cache.get(key);
  if (!re) {
    if (cache.size > 1000) cache.clear();
    re = build();
    cache.set(key, re);
  }
  return re;
}

/** A LIKE pattern (backslash escapes) as an anchored RegExp. */
function likeRegExp(pattern: string, caseInsensitive: boolean): RegExp {
  return cached(`${caseInsensitive ? 'i' : 's'}:${pattern}`, () => {
    let src = '';
    for (let i = 0; i < pattern.length; i++) {
      const c = pattern[i]!;
      if (c === '\\') {
        // a dangling escape can match nothing (PostgreSQL only complains if matching reaches it)
        if (i + 1 >= pattern.length) src += '(?!)';
        else src += escapeRegExp(pattern[++i]!);
      } else if (c === '%') src += '.*';
      else if (c === '_') src += '.';
      else src += escapeRegExp(c);
    }
    return new RegExp(`^${src}$`, caseInsensitive ? 'isu' : 'su');
  });
}

function escapeRegExp(c: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c;
}

/** like_escape(pattern, escape): rewrites a pattern with a custom escape character to backslash escapes. */
function likeEscape(pattern: string, escape: string): string {
  if ([...escape].length > 1) throw new SqlError(SQLSTATE.invalidEscapeSequence, 'invalid escape string', { hint: 'Escape string must be empty or one character.' });
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (escape !== '' && c === escape) {
      if (i + 1 >= pattern.length) throw new SqlError(SQLSTATE.invalidEscapeSequence, 'LIKE pattern must not end with escape character');
      out += '\\' + pattern[++i]!;
    } else if (c === '\\') out += '\\\\';
    else out += c;
  }
  return out;
}

const POSIX_CLASSES: Record<string, string> = {
  alpha: '\\p{L}',
  digit: '0-9',
  alnum: '\\p{L}\\p{N}',
  upper: '\\p{Lu}',
  lower: '\\p{Ll}',
  space: '\\s',
  blank: ' \\t',
  punct: '\\p{P}',
  xdigit: '0-9A-Fa-f',
  word: '\\w',
  cntrl: '\\p{Cc}',
};

/**
 * A PostgreSQL (ARE) regular expression in JavaScript's dialect: POSIX bracket classes
 * ([[:digit:]]), the word-boundary escapes \y \Y \m \M, \A and \Z, and escaped punctuation
 * that JavaScript's unicode mode refuses (\-, \").
 */
function toJsRegex(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (inClass && pattern.startsWith('[:', i)) {
      const end = pattern.indexOf(':]', i + 2);
      const cls = end < 0 ? undefined : POSIX_CLASSES[pattern.slice(i + 2, end)];
      if (cls !== undefined) {
        out += cls;
        i = end + 1;
        continue;
      }
    }
    if (c === '\\' && i + 1 < pattern.length) {
      const e = pattern[++i]!;
      const word: Record<string, string> = { y: '\\b', Y: '\\B', m: '\\b(?=\\w)', M: '\\b(?<=\\w)', A: '^', Z: '$' };
      if (!inClass && e in word) out += word[e];
      else if (/[A-Za-z0-9]/.test(e) || '^$\\.*+?()[]{}|/'.includes(e) || (inClass && e === '-')) out += '\\' + e;
      else out += e;
      continue;
    }
    if (c === '[' && !inClass) {
      inClass = true;
      out += c;
      if (pattern[i + 1] === '^') out += pattern[++i];
      if (pattern[i + 1] === ']') out += '\\' + pattern[++i]; // a leading ] is literal in POSIX
      continue;
    }
    if (c === ']' && inClass) inClass = false;
    out += c;
  }
  return out;
}

function posixRegExp(pattern: string, flags: string): RegExp {
  return cached(`r${flags}:${pattern}`, () => {
    try {
      return new RegExp(toJsRegex(pattern), flags + 'u');
    } catch (err) {
      throw new SqlError(SQLSTATE.invalidRegularExpression, `invalid regular expression: ${(err as Error).message}`);
    }
  });
}

function regexpReplace(source: string, pattern: string, replacement: string, flags = ''): string {
  const bad = flags.replace(/[gi]/g, '');
  if (bad) throw new SqlError(SQLSTATE.invalidParameterValue, `invalid regular expression option: "${bad[0]}"`);
  const re = posixRegExp(pattern, flags.replace(/[^gi]/g, ''));
  // PostgreSQL's \1..\9 and \& become JS's $1..$9 and $&; a literal $ must be doubled
  const js = replacement.replace(/\$/g, '$$$$').replace(/\\([0-9&\\])/g, (_, c: string) => (c === '\\' ? '\\' : c === '&' ? '$&' : `$${c}`));
  return source.replace(re, js);
}

/**
 * similar_to_escape: a SQL-standard regular expression (SIMILAR TO) as a POSIX one anchored at
 * both ends: % and _ are wildcards, the escape character (default backslash) quotes, and a dot is
 * literal; |, *, +, ?, {m,n}, () and [] keep their regex meaning.
 */
function similarToRegex(pattern: string, escape = '\\'): string {
  if ([...escape].length > 1) throw new SqlError(SQLSTATE.invalidEscapeSequence, 'invalid escape string', { hint: 'Escape string must be empty or one character.' });
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (escape !== '' && c === escape) {
      if (i + 1 >= pattern.length) throw new SqlError(SQLSTATE.invalidEscapeSequence, 'invalid escape string');
      out += escapeRegExp(pattern[++i]!);
    } else if (inClass) {
      out += c === '\\' ? '\\\\' : c;
      if (c === ']') inClass = false;
    } else if (c === '[') {
      inClass = true;
      out += c;
    } else if (c === '%') out += '.*';
    else if (c === '_') out += '.';
    else if (c === '.' || c === '^' || c === '$' || c === '\\') out += '\\' + c;
    else out += c;
  }
  return `^(?:${out})$`;
}

/** substring(s FROM regex): the first parenthesized group's match if the pattern has one, else the whole match. */
function regexSubstring(s: string, re: RegExp): Value {
  const m = re.exec(s);
  if (!m) return null;
  return m.length > 1 ? (m[1] ?? null) : m[0];
}

const bool = T.bool;
const text = T.text;
/**
 * A matcher for one call site that remembers its last pattern: the pattern is nearly always one
 * constant, and a string comparison is far cheaper than building the cache key for every row.
 */
function matcher(compile: (pattern: string) => RegExp, negate: boolean): (args: Value[]) => Value {
  let lastPattern: string | undefined;
  let lastRegExp: RegExp | undefined;
  return (args) => {
    const pattern = args[1] as string;
    if (pattern !== lastPattern) {
      lastRegExp = compile(pattern);
      lastPattern = pattern;
    }
    return lastRegExp!.test(args[0] as string) !== negate;
  };
}
const like = (ci: boolean, negate: boolean) => matcher((p) => likeRegExp(p, ci), negate);
const regex = (ci: boolean, negate: boolean) => matcher((p) => posixRegExp(p, ci ? 'i' : ''), negate);

register(
  { name: '~~', args: [text, text], returns: bool, specialize: () => like(false, false) },
  { name: '!~~', args: [text, text], returns: bool, specialize: () => like(false, true) },
  { name: '~~*', args: [text, text], returns: bool, specialize: () => like(true, false) },
  { name: '!~~*', args: [text, text], returns: bool, specialize: () => like(true, true) },
  { name: '~', args: [text, text], returns: bool, specialize: () => regex(false, false) },
  { name: '!~', args: [text, text], returns: bool, specialize: () => regex(false, true) },
  { name: '~*', args: [text, text], returns: bool, specialize: () => regex(true, false) },
  { name: '!~*', args: [text, text], returns: bool, specialize: () => regex(true, true) },
  { name: 'like_escape', args: [text, text], returns: text, impl: ([p, e]) => likeEscape(p as string, e as string) },
  { name: 'regexp_replace', args: [text, text, text], returns: text, impl: ([s, p, r]) => regexpReplace(s as string, p as string, r as string) },
  { name: 'regexp_replace', args: [text, text, text, text], returns: text, impl: ([s, p, r, f]) => regexpReplace(s as string, p as string, r as string, f as string) },
  { name: 'regexp_like', args: [text, text], returns: bool, specialize: () => regex(false, false) },
  { name: 'similar_to_escape', args: [text], returns: text, impl: ([p]) => similarToRegex(p as string) },
  { name: 'similar_to_escape', args: [text, text], returns: text, impl: ([p, e]) => similarToRegex(p as string, e as string) },
  { name: 'substring', args: [text, text], returns: text, impl: ([s, p]) => regexSubstring(s as string, posixRegExp(p as string, '')) },
  {
    name: 'substring',
    args: [text, text, text],
    returns: text,
    impl: ([s, p, e]) => {
      // SQL's substring(s SIMILAR p ESCAPE e): the part between the two escaped double quotes
      const parts = (p as string).split(`${e as string}"`);
      if (parts.length !== 3) return regexSubstring(s as string, posixRegExp(similarToRegex(p as string, e as string), ''));
      const [head, mid, tail] = parts.map((x) => similarToRegex(x, e as string).slice(4, -2)) as [string, string, string];
      return regexSubstring(s as string, posixRegExp(`^(?:${head})(${mid})(?:${tail})$`, ''));
    },
  },
);

/**
 * regexp_matches(s, pattern [, flags]): per match the captured groups (the whole match when the
 * pattern has none) as text[], unmatched groups NULL; the first match only unless flags has g.
 */
function regexpMatches([source, pattern, flags = '']: string[]): Value[][] {
  const bad = flags.replace(/[gi]/g, '');
  if (bad) throw new SqlError(SQLSTATE.invalidParameterValue, `invalid regular expression option: "${bad[0]}"`);
  const re = posixRegExp(pattern!, flags.replace(/[^i]/g, '') + 'g');
  const rows: Value[][] = [];
  re.lastIndex = 0;
  for (let m = re.exec(source!); m; m = re.exec(source!)) {
    rows.push([new SqlArray(m.length > 1 ? m.slice(1).map((g) => g ?? null) : [m[0]])]);
    if (!flags.includes('g')) break;
    if (m[0] === '') re.lastIndex++;
  }
  return rows;
}

const textArray = arrayTypeOf(text)!;
register(
  srf('regexp_matches', [text, text], [{ type: textArray }], regexpMatches),
  srf('regexp_matches', [text, text, text], [{ type: textArray }], regexpMatches),
);
