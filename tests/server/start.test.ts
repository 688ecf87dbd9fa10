// `npm start` on a fresh checkout: it builds the app because there is no build yet, serves it with the health check
// on PORT, keeps its data under DATA_DIR, and prints where to open it and a first enrolment code.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SQLITE_FILE } from '../../src/server/sqlite';

const root = mkdtempSync(join(tmpdir(), 'digituki-start-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

describe('npm start', () => {
  it('builds when there is no build, then serves the app and the health check and says where', async () => {
    const port = await freePort();
    const staticDir = join(root, 'dist');
    let output = '';
    const child = spawn(process.execPath, ['--import', 'tsx', join(process.cwd(), 'src', 'server', 'start.ts')], {
      env: { ...process.env, DATABASE_URL: '', PORT: String(port), HOST: '127.0.0.1', DATA_DIR: join(root, 'data'), STATIC_DIR: staticDir, LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      for (let attempt = 0; !/Enrolment code/.test(output); attempt += 1) {
        if (attempt > 900 || child.exitCode !== null) throw new Error(`npm start did not come up:\n${output}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(output).toContain('Building the app');
      expect(output).toContain(`Digituki is running. Open http://localhost:${port} on this machine.`);
      expect(output).toMatch(/Enrolment code for one tablet: [0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/);
      expect(existsSync(join(staticDir, 'sw.js'))).toBe(true);
      expect(existsSync(join(root, 'data', SQLITE_FILE))).toBe(true);

      const health = await fetch(`http://127.0.0.1:${port}/v1/health`);
      expect(await health.json()).toMatchObject({ status: 'ok', storage: 'sqlite' });
      const page = await (await fetch(`http://127.0.0.1:${port}/guides/celia-aanikirjat/2`)).text();
      expect(page).toContain('<div id="app"></div>');
      expect(page).toMatch(/<script type="module" crossorigin src="\/assets\/index-[\w-]+\.js"><\/script>/);
    } finally {
      child.kill('SIGTERM');
    }
  }, 120_000);
});
