// Leaving a page while the database is busy must not stop the next page from saving. WebKit keeps a page it caches for
// "back" with its open IndexedDB transactions frozen, and the next page's writes to the same tables then waited forever
// — in the smoke path the tablet followed its enrolment link while a list was being read, and could not enrol or log
// anything after. The fixture page uses the app's own database class (src/db/db.ts, with src/db/leave-page.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startAppServer, type AppUnderTest } from '../e2e/support/harness';
import type { EngineDriver } from './support/driver';
import { describeEachEngine } from './support/engines';
import { ENGINES_DIR } from './support/paths';
import { Tablet } from './support/tablet';
import { VIEWPORT } from './support/world';

const FIXTURE = fileURLToPath(new URL('./fixtures/leave-page/', import.meta.url));

describeEachEngine('leaving a page while the database is busy', (engine) => {
  let outDir: string;
  let served: AppUnderTest; // the app's own server, serving the fixture's build
  let driver: EngineDriver;
  let tablet: Tablet;

  beforeAll(async () => {
    outDir = mkdtempSync(join(ENGINES_DIR, 'leave-page-'));
    await build({ root: FIXTURE, configFile: false, logLevel: 'warn', build: { outDir, emptyOutDir: true, minify: false } });
    served = await startAppServer(outDir);
    driver = await engine.launch(VIEWPORT);
    tablet = new Tablet(driver);
  }, 120_000);

  afterAll(async () => {
    await driver?.close();
    await served?.stop();
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  it('saves on the next page although the last one left with a transaction open', async () => {
    await tablet.goto(`${served.url}/?role=hold&ms=30000`);
    await tablet.waitUntil('the first page to hold a transaction open', `document.getElementById('state')?.textContent === 'holding'`);
    await tablet.goto(`${served.url}/?role=write`);
    const state = await tablet.waitUntil<string>(
      'the next page to save',
      `(() => {
        const text = document.getElementById('state')?.textContent ?? '';
        return text.startsWith('saved') || text.startsWith('failed') ? text : '';
      })()`,
    );
    expect(state).toBe('saved 7');

    // Back to the first page: a fresh start, not the cached one showing what its cut reads left behind.
    await tablet.back();
    await tablet.waitUntil('the first page to start again', `document.getElementById('state')?.textContent === 'holding'`);
  });
});
