// What every browser test needs: the real server on a free port over a copy of a build, and a real Chromium.
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { readConfig } from '../../../src/server/config';
import { createLogger } from '../../../src/server/log';
import { startServer, type RunningServer, type StartOptions } from '../../../src/server/main';
import { CHROMIUM_ARGS, findChromium } from './chromium';
import { BUILD_A, E2E_DIR } from './paths';

export interface AppUnderTest {
  url: string;
  /** The folder the server serves; replace its contents to publish a new build. */
  staticDir: string;
  server: RunningServer;
  stop(): Promise<void>;
}

export async function startAppServer(build = BUILD_A, extra: StartOptions = {}): Promise<AppUnderTest> {
  mkdirSync(E2E_DIR, { recursive: true }); // the engine tests use it too, without the browser project's set-up
  const root = mkdtempSync(join(E2E_DIR, 'run-'));
  const staticDir = join(root, 'www');
  cpSync(build, staticDir, { recursive: true });
  const server = await startServer(readConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: join(root, 'data'), STATIC_DIR: staticDir }), 'e2e', {
    logger: createLogger('silent'),
    ...extra,
  });
  return {
    url: server.url,
    staticDir,
    server,
    async stop() {
      await server.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Replaces the served app with another build, as a deployment would. */
export function publish(app: AppUnderTest, build: string): void {
  rmSync(app.staticDir, { recursive: true, force: true });
  cpSync(build, app.staticDir, { recursive: true });
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
}

export async function newTablet(browser: Browser, viewport = { width: 1024, height: 768 }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport, serviceWorkers: 'allow', locale: 'fi-FI' });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('page error:', error.message));
  return { context, page };
}

/** Resolves once the service worker has installed and controls the page (so the app works offline from now on). */
export async function waitForServiceWorker(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise<void>((resolve) => navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true }));
    }
  });
}
