// Proves `npm run lint` refuses what it should: for each import rule of .dependency-cruiser.cjs a small file that
// breaks it is planted in src/, the checker runs on it and must name that rule; and Biome must refuse a floating promise.
// Planted files are removed in `finally`, whatever happens.
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const run = promisify(execFile);
const tag = `__planted_${process.pid}`;

/** Any existing file of `folder` (relative to src/) whose name ends with `ending`, as an import from `from`. */
function existing(folder: string, ending: string, from: string): string {
  const name = readdirSync(join(root, 'src', folder)).find((file) => file.endsWith(ending) && !file.endsWith('.d.ts') && !file.startsWith('__planted'));
  if (!name) throw new Error(`src/${folder} has no ${ending} file to import in a planted breach`);
  const path = relative(dirname(join(root, from)), join(root, 'src', folder, name.replace(/\.tsx?$/, '')));
  return path.startsWith('.') ? path : `./${path}`;
}

interface Breach {
  rule: string;
  file: string; // relative to the repository
  source: () => string;
}

// One breach per rule: the file that breaks it and what it imports.
const breaches: Breach[] = [
  { rule: 'dexie-only-in-db', file: `src/guides/${tag}_dexie.ts`, source: () => "import Dexie from 'dexie';\nexport const planted = Dexie;\n" },
  {
    rule: 'db-imports-no-feature',
    file: `src/db/${tag}.ts`,
    source: () => `import * as planted from '${existing('sessions', '.ts', `src/db/${tag}.ts`)}';\nexport { planted };\n`,
  },
  {
    rule: 'feature-state-imports-no-screen',
    file: `src/guides/${tag}_screen.ts`,
    source: () => `import * as planted from '${existing('guides', '.tsx', `src/guides/${tag}_screen.ts`)}';\nexport { planted };\n`,
  },
  {
    rule: 'screens-write-records-through-feature-state',
    file: `src/feedback/${tag}_writes.tsx`,
    source: () => "import { addFeedback } from '../db/changes';\nexport const planted = addFeedback;\n",
  },
  {
    rule: 'sync-engine-imports-db-and-protocol',
    file: `src/sync/${tag}.ts`,
    source: () => `import * as planted from '${existing('i18n', '.ts', `src/sync/${tag}.ts`)}';\nexport { planted };\n`,
  },
  {
    rule: 'server-imports-protocol-and-lib',
    file: `src/server/${tag}.ts`,
    source: () => `import * as planted from '${existing('db', '.ts', `src/server/${tag}.ts`)}';\nexport { planted };\n`,
  },
  {
    rule: 'protocol-imports-nothing-internal',
    file: `src/protocol/${tag}.ts`,
    source: () => `import * as planted from '${existing('db', '.ts', `src/protocol/${tag}.ts`)}';\nexport { planted };\n`,
  },
  {
    rule: 'lib-imports-nothing-internal',
    file: `src/lib/${tag}.ts`,
    source: () => `import * as planted from '${existing('protocol', '.ts', `src/lib/${tag}.ts`)}';\nexport { planted };\n`,
  },
  {
    rule: 'service-worker-imports-no-ui',
    file: `src/sw/${tag}.ts`,
    source: () => `import * as planted from '${existing('ui', '.ts', `src/sw/${tag}.ts`)}';\nexport { planted };\n`,
  },
  {
    rule: 'features-import-no-other-features-screens',
    file: `src/reports/${tag}.tsx`,
    source: () => `import * as planted from '${existing('sessions', '.tsx', `src/reports/${tag}.tsx`)}';\nexport { planted };\n`,
  },
  {
    rule: 'ui-kit-imports-no-feature',
    file: `src/ui/${tag}.ts`,
    source: () => `import * as planted from '${existing('sessions', '.ts', `src/ui/${tag}.ts`)}';\nexport { planted };\n`,
  },
  {
    rule: 'shell-on-top',
    file: `src/guides/${tag}_shell.ts`,
    source: () => `import * as planted from '${existing('app', '.ts', `src/guides/${tag}_shell.ts`)}';\nexport { planted };\n`,
  },
  { rule: 'imports-resolve', file: `src/lib/${tag}_missing.ts`, source: () => "import * as planted from './no-such-module';\nexport { planted };\n" },
];

interface Violation {
  from: string;
  to: string;
  rule: { name: string; severity: string };
}

/** Runs a command that is expected to refuse: its exit code and output, whether or not it failed. */
async function refusal(command: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(command, args, { cwd: root, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error; // the command did not run at all
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

function plant(file: string, source: string): void {
  mkdirSync(dirname(join(root, file)), { recursive: true });
  writeFileSync(join(root, file), source);
}

function unplant(files: string[]): void {
  for (const file of files) rmSync(join(root, file), { force: true });
  rmSync(join(root, 'src', 'sw'), { recursive: true, force: true }); // made only for the planted service-worker file
}

describe('npm run lint: the import rules', () => {
  let code = 0;
  let violations: Violation[] = [];

  beforeAll(async () => {
    const files = breaches.map((breach) => breach.file);
    try {
      for (const breach of breaches) plant(breach.file, breach.source());
      // The same reporter as `npm run lint`: one line per refusal, "error <rule>: <from> → <to>", and a failing exit.
      const result = await refusal(join(root, 'node_modules', '.bin', 'depcruise'), [...files, '--config', '.dependency-cruiser.cjs', '--output-type', 'err']);
      code = result.code;
      violations = [...result.stdout.matchAll(/^\s*(error|warn|info) ([\w-]+): (\S+) → (\S+)$/gm)].map(([, severity, name, from, to]) => ({
        from: from!,
        to: to!,
        rule: { name: name!, severity: severity! },
      }));
    } finally {
      unplant(files);
    }
  });

  it('has a planted breach for every rule in .dependency-cruiser.cjs', () => {
    const config = createRequire(import.meta.url)(join(root, '.dependency-cruiser.cjs')) as { forbidden: { name: string }[] };
    expect(breaches.map((breach) => breach.rule).sort()).toEqual(config.forbidden.map((rule) => rule.name).sort());
  });

  it('refuses the planted files (a non-zero exit)', () => {
    expect(code).not.toBe(0);
  });

  it.each(breaches)('$rule refuses $file', (breach) => {
    const mine = violations.filter((violation) => violation.from === breach.file);
    expect(mine.map((violation) => violation.rule.name)).toEqual([breach.rule]);
    expect(mine[0]!.rule.severity).toBe('error');
  });

  it('finds nothing else to refuse in the files the planted ones import', () => {
    expect(violations.filter((violation) => !breaches.some((breach) => breach.file === violation.from))).toEqual([]);
  });
});

describe('npm run lint: Biome', () => {
  it('refuses a floating promise', async () => {
    const file = `src/lib/${tag}_promise.ts`;
    let result: { code: number; stdout: string; stderr: string };
    try {
      plant(file, 'async function later(): Promise<number> {\n  return 1;\n}\n\nexport function fireAndForget(): void {\n  later();\n}\n');
      result = await refusal(join(root, 'node_modules', '.bin', 'biome'), ['lint', '--error-on-warnings', file]);
    } finally {
      unplant([file]);
    }
    expect(result.code).not.toBe(0);
    expect(`${result.stdout}${result.stderr}`).toContain('lint/nursery/noFloatingPromises');
  });
});
