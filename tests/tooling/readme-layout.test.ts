// Proves the README's Layout section is the tree: its tree block lists every folder and file directly under src/ and
// tests/, and nothing that does not exist. Names are what starts a line or stands after two or more spaces (a second
// column); the words after a name describe it. Files planted for a moment by the import-rules test do not count.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const NAME = /^[\w.*-]+(\/|\.\w+)$/;
const PLANTED = /^__planted/;

/** The tree block of a README's Layout section: each top-level name with the names listed under it. */
function layoutTree(readme: string): Map<string, string[]> {
  const section = readme.split(/^## Layout$/m)[1]?.split(/^## /m)[0];
  const block = section?.match(/^```\n([\s\S]*?)^```$/m)?.[1];
  if (!block) throw new Error('README.md has no tree block in its Layout section');
  const tree = new Map<string, string[]>();
  let parent: string | undefined;
  for (const line of block.split('\n').filter((text) => text.trim())) {
    const nested = line.startsWith('  ');
    const names = line
      .trim()
      .split(/\s{2,}/)
      .filter((part) => NAME.test(part));
    if (!nested) {
      parent = names[0];
      if (!parent) throw new Error(`a top-level line of the tree names nothing: ${line}`);
      tree.set(parent, []);
    } else if (parent) tree.get(parent)!.push(...names);
  }
  return tree;
}

/** What is directly in a folder: files, and folders that hold more than planted files. */
function entries(folder: string): string[] {
  const holdsReal = (path: string): boolean =>
    readdirSync(path, { withFileTypes: true }).some((entry) => (entry.isDirectory() ? holdsReal(join(path, entry.name)) : !PLANTED.test(entry.name)));
  return readdirSync(join(root, folder), { withFileTypes: true })
    .filter((entry) => (entry.isDirectory() ? holdsReal(join(root, folder, entry.name)) : !PLANTED.test(entry.name)))
    .map((entry) => (entry.isDirectory() ? `${entry.name}/` : entry.name));
}

describe("README.md's Layout section", () => {
  it('reads names from both columns and leaves descriptions out', () => {
    const readme = [
      '## Layout',
      '```',
      'src/',
      '  main.tsx      entry: settings, i18n',
      '  sessions/     session logs          feedback/   participant feedback',
      '  server/       sync server: app; server/console/ the API',
      'tests/',
      '  unit/  e2e/   (mirroring src/; each one)',
      'tsconfig*.json  one per runtime',
      '```',
      '## Next',
    ].join('\n');
    expect(Object.fromEntries(layoutTree(readme))).toEqual({
      'src/': ['main.tsx', 'sessions/', 'feedback/', 'server/'],
      'tests/': ['unit/', 'e2e/'],
      'tsconfig*.json': [],
    });
  });

  const tree = layoutTree(readFileSync(join(root, 'README.md'), 'utf8'));

  it.each(['src/', 'tests/'])('lists exactly what is directly in %s', (folder) => {
    expect(tree.get(folder)?.slice().sort()).toEqual(entries(folder).sort());
  });

  it('names only what exists at the top', () => {
    const missing = [...tree.keys()].filter((name) =>
      name.includes('*')
        ? !readdirSync(root).some((file) => new RegExp(`^${name.replace(/\./g, '\\.').replace(/\*/g, '.*')}$`).test(file))
        : !existsSync(join(root, name)),
    );
    expect(missing).toEqual([]);
  });
});
