/**
 * No import cycles in src/: imports go one way down the layers of docs/ARCHITECTURE.md. madge
 * reads every module's imports (type-only and dynamic ones included, since a type two layers
 * share must live in the lower one) and lists the cycles. Because a module madge could not
 * resolve would silently drop its edges, the graph is first checked against the relative
 * imports each file spells out.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import madge from 'madge';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const src = join(root, 'src');

async function importGraph() {
  return madge(src, {
    fileExtensions: ['ts'],
    tsConfig: join(root, 'tsconfig.json'),
    detectiveOptions: { ts: { skipTypeImports: false, skipAsyncImports: false } },
  });
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** The modules a file imports by relative path (static, side-effect, type-only, re-exports and dynamic), as madge names them. */
function relativeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:\bfrom\s+|\bimport\s*\(?\s*)'(\.{1,2}\/[^']+)'/g)].map((m) => m[1]!);
  return [...new Set(specs.map((s) => relative(src, resolve(dirname(file), s.replace(/\.js$/, '.ts')))))].sort();
}

test('madge sees every module of src/ and every relative import in it', async () => {
  const graph = (await importGraph()).obj();
  for (const file of sourceFiles(src)) {
    const name = relative(src, file);
    assert.deepEqual([...(graph[name] ?? [])].sort(), relativeImports(file), `imports of src/${name}`);
  }
});

test('src/ has no import cycles', async () => {
  const cycles = (await importGraph()).circular();
  assert.deepEqual(
    cycles.map((c) => c.join(' > ')),
    [],
    `import cycles in src/ (break each with a type in the lower module, a callback passed down, or a split):\n${cycles.map((c) => `  ${c.join(' > ')}`).join('\n')}`,
  );
});
