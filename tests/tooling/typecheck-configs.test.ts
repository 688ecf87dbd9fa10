// Proves `npm run typecheck` checks each file of src/ and tests/ once, with the types of the runtime it runs in: the
// TypeScript compiler itself lists each config's files (tsc --showConfig), and each config's lib and types are the
// ones its runtime has (no Node types in the browser's code, no DOM in the server's or the service worker's).
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const run = promisify(execFile);

// Each runtime's config and what it must (and must not) see. Ambient declarations every runtime shares are in all.
const RUNTIMES: Record<string, { lib: string[]; types: string[] }> = {
  'tsconfig.json': { lib: ['es2023'], types: ['node'] }, // vite.config.ts
  'tsconfig.app.json': { lib: ['es2023', 'dom', 'dom.iterable'], types: ['vite/client', 'vite-plugin-pwa/client'] },
  'tsconfig.console.json': { lib: ['es2023', 'dom', 'dom.iterable'], types: ['vite/client'] },
  'tsconfig.sw.json': { lib: ['es2023', 'webworker'], types: ['vite-plugin-pwa/client'] },
  'tsconfig.server.json': { lib: ['es2023'], types: ['node'] },
  'tsconfig.tests.json': { lib: ['es2023', 'dom', 'dom.iterable'], types: ['node', 'vite/client'] },
};
const SHARED = ['src/env.d.ts'];

interface Shown {
  compilerOptions: { lib?: string[]; types?: string[] };
  files?: string[];
}

function sourceFiles(folder: string): string[] {
  return readdirSync(join(root, folder), { withFileTypes: true }).flatMap((entry) => {
    const path = `${folder}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !entry.name.startsWith('__planted') ? [path] : []; // the import-rules test's, for a moment
  });
}

describe('npm run typecheck: one config per runtime', () => {
  const shown = new Map<string, Shown>();

  beforeAll(async () => {
    for (const config of Object.keys(RUNTIMES)) {
      const { stdout } = await run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', config, '--showConfig'], {
        cwd: root,
        maxBuffer: 16 * 1024 * 1024,
      });
      shown.set(config, JSON.parse(stdout) as Shown);
    }
  });

  it('runs every tsconfig*.json but the shared base, and no other', () => {
    const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    const checked = [...scripts.typecheck!.matchAll(/tsc --noEmit -p (\S+)/g)].map(([, config]) => config!);
    const present = readdirSync(root).filter((name) => /^tsconfig(\..+)?\.json$/.test(name) && name !== 'tsconfig.base.json');
    expect(checked.sort()).toEqual(Object.keys(RUNTIMES).sort());
    expect(present.sort()).toEqual(Object.keys(RUNTIMES).sort());
  });

  it.each(Object.entries(RUNTIMES))('%s has only its runtime’s lib and types', (config, runtime) => {
    const options = shown.get(config)!.compilerOptions;
    expect(options.lib).toEqual(runtime.lib);
    expect(options.types).toEqual(runtime.types);
  });

  it('checks each file of src/ and tests/ in exactly one config (the shared declarations aside)', () => {
    const owners = new Map<string, string[]>();
    for (const [config, { files = [] }] of shown) {
      for (const file of files) {
        const path = relative(root, join(root, file));
        owners.set(path, [...(owners.get(path) ?? []), config]);
      }
    }
    const files = [...sourceFiles('src'), ...sourceFiles('tests')].filter((file) => !SHARED.includes(file));
    expect(files.length).toBeGreaterThan(400);
    const wrong = files.filter((file) => owners.get(file)?.length !== 1).map((file) => `${file}: ${(owners.get(file) ?? ['none']).join(', ')}`);
    expect(wrong).toEqual([]);
    expect(owners.get('vite.config.ts')).toEqual(['tsconfig.json']);
  });
});
