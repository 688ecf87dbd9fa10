// Owns the browser tests' shared set-up, as Vitest fixtures of file scope: `browser` (a real Chromium) and `app` (the
// real server on a free port over a copy of the build). Each is started once per test file, for the first test or
// hook that names it, and closed after the file's last test. Test files import `it` from here instead of from vitest;
// a suite's own set-up that needs them uses `it.beforeAll(({ browser, app }) => …)`.
import { test } from 'vitest';
import { launchChromium, startAppServer } from './harness';

export const it = test
  // biome-ignore lint/correctness/noEmptyPattern: Vitest reads a fixture's dependencies from this pattern; it has none.
  .extend('browser', { scope: 'file' }, async ({}, { onCleanup }) => {
    const browser = await launchChromium();
    onCleanup(() => browser.close());
    return browser;
  })
  // biome-ignore lint/correctness/noEmptyPattern: as above.
  .extend('app', { scope: 'file' }, async ({}, { onCleanup }) => {
    const app = await startAppServer();
    onCleanup(() => app.stop());
    return app;
  });
