// Owns the browser tests' shared set-up, as Vitest fixtures of file scope: `browser` (a real Chromium) and `app` (the
// real server on a free port over a copy of the build, started with `appOptions`). Each is started once per test
// file, for the first test or hook that names it, and closed after the file's last test. Test files import `it` from
// here instead of from vitest; a suite's own set-up that needs them uses `it.beforeAll(({ browser, app }) => …)`, and
// a file whose server needs other options says so once at its top: `it.override('appOptions', { scope: 'file' }, …)`.
import { test } from 'vitest';
import type { StartOptions } from '../../../src/server/main';
import { launchChromium, startAppServer } from './harness';

export const it = test
  // biome-ignore lint/correctness/noEmptyPattern: Vitest reads a fixture's dependencies from this pattern; it has none.
  .extend('browser', { scope: 'file' }, async ({}, { onCleanup }) => {
    const browser = await launchChromium();
    onCleanup(() => browser.close());
    return browser;
  })
  // biome-ignore lint/correctness/noEmptyPattern: as above.
  .extend('appOptions', { scope: 'file' }, ({}): StartOptions => ({}))
  .extend('app', { scope: 'file' }, async ({ appOptions }, { onCleanup }) => {
    const app = await startAppServer(undefined, appOptions);
    onCleanup(() => app.stop());
    return app;
  });
