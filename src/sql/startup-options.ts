/**
 * The startup packet's `options` (libpq's PGOPTIONS): command-line style settings for the
 * session, `-c name=value` or `--name=value`, separated by spaces (a backslash keeps the next
 * character, spaces included), as PostgreSQL's backend reads them.
 */
export function startupOptions(options: string): Record<string, string> {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < options.length; i++) {
    const ch = options[i]!;
    if (ch === '\\' && i + 1 < options.length) {
      word += options[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  const settings: Record<string, string> = {};
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const assignment = w === '-c' ? words[++i] : w.startsWith('-c') ? w.slice(2) : w.startsWith('--') ? w.slice(2) : undefined;
    const eq = assignment?.indexOf('=') ?? -1;
    // PostgreSQL spells the names with underscores and takes dashes for them
    if (assignment && eq > 0) settings[assignment.slice(0, eq).replace(/-/g, '_')] = assignment.slice(eq + 1);
  }
  return settings;
}
