// `npm start` on a fresh checkout: it builds the app because there is no build yet, serves it with the health check
// on PORT, keeps its data under DATA_DIR, and prints where to open it and a first enrolment code.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SQLITE_FILE } from '../../src/server/sqlite';
import { startServerProcess } from './support/process';

const root = mkdtempSync(join(tmpdir(), 'digituki-start-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('npm start', () => {
  it('builds when there is no build, then serves the app and the health check and says where', async () => {
    const staticDir = join(root, 'dist');
    const server = await startServerProcess({ DATA_DIR: join(root, 'data'), STATIC_DIR: staticDir }, { until: /More codes and sites/ });
    const port = new URL(server.url).port;
    try {
      const output = server.output();
      expect(output).toContain('Building the app');
      expect(output).toContain(`Digituki is running. Open http://localhost:${port} on this machine.`);
      expect(output).toMatch(/Enrolment code for one tablet: [0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/);
      // The code stays out of logs.
      expect(output).toMatch(new RegExp(`open http://localhost:${port}/enrol#code=[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4} on the tablet`));
      // Named in Finnish, with the way to rename them, the path on the tablet and a date that reads one way.
      expect(output).toContain('Created "Oma organisaatio" with the site "Ensimmäinen toimipaikka".');
      expect(output).toContain('org rename');
      expect(output).toContain('On the tablet: Ohjaajalle → PIN → Synkronointi, and type the code.');
      expect(output).toMatch(/valid until \d{4}-\d{2}-\d{2} \d{2}:\d{2}\)/);
      expect(output).toContain('works only on this computer');
      expect(output).not.toContain('?code=');
      expect(existsSync(join(staticDir, 'sw.js'))).toBe(true);
      expect(existsSync(join(root, 'data', SQLITE_FILE))).toBe(true);

      const health = await fetch(`http://127.0.0.1:${port}/v1/health`);
      expect(await health.json()).toMatchObject({ status: 'ok', storage: 'sqlite' });
      const page = await (await fetch(`http://127.0.0.1:${port}/guides/celia-aanikirjat/2`)).text();
      expect(page).toContain('<div id="app"></div>');
      expect(page).toMatch(/<script type="module" crossorigin src="\/assets\/index-[\w-]+\.js"><\/script>/);
    } finally {
      await server.stop();
    }
  }, 120_000);
});
