// Proves what Biome's formatter cannot: no line of code in src/ or tests/ is longer than biome.json's lineWidth (the
// formatter wraps code but leaves a long string or comment whole), and no comment silences ESLint, which the repository
// does not run (a Biome finding is silenced with `// biome-ignore <rule>: <reason>`). Data and prose are left out:
// JSON (locale words, built-in guides) cannot split a string, and Markdown is prose.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CODE = /\.(ts|tsx|js|mjs|cjs|css)$/;
const WIDTH = (JSON.parse(readFileSync(join(root, 'biome.json'), 'utf8')) as { formatter: { lineWidth: number } }).formatter.lineWidth;

/** The lines of a source text that break the rules, as "line: what". */
function problemsIn(source: string): string[] {
  return source.split('\n').flatMap((line, index) => {
    const found: string[] = [];
    if ([...line].length > WIDTH) found.push(`${index + 1}: ${[...line].length} characters`);
    if (/eslint-(disable|enable)/.test(line)) found.push(`${index + 1}: an eslint comment`);
    return found;
  });
}

function codeFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return codeFiles(path);
    return CODE.test(entry.name) ? [path] : [];
  });
}

describe('source lines', () => {
  it('finds a planted line one character too long, and an eslint comment', () => {
    expect(WIDTH).toBe(160);
    expect(problemsIn(`${'x'.repeat(WIDTH)}\nconst ok = 1;`)).toEqual([]);
    expect(problemsIn(`const ok = 1;\n${'x'.repeat(WIDTH + 1)}`)).toEqual([`2: ${WIDTH + 1} characters`]);
    expect(problemsIn(`${'ä'.repeat(WIDTH)}`)).toEqual([]); // characters, not bytes
    expect(problemsIn(`  // eslint${'-disable-next-line'} no-console`)).toEqual(['1: an eslint comment']); // split, or this file would hold one
  });

  it(`finds no line over ${WIDTH} characters and no eslint comment in src/ or tests/`, () => {
    const files = [...codeFiles(join(root, 'src')), ...codeFiles(join(root, 'tests'))];
    expect(files.length).toBeGreaterThan(400);
    const found = files.flatMap((path) => problemsIn(readFileSync(path, 'utf8')).map((problem) => `${relative(root, path)}:${problem}`));
    expect(found).toEqual([]);
  });
});
