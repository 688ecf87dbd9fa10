// WebKit (the engine of Safari on iPads) for the engine tests: Debian's WebKitGTK MiniBrowser under Xvfb, driven by its
// WebKitWebDriver over W3C WebDriver. WebDriver cannot run a script before the page's own, so the served copy of the
// built app gets an early error collector as its first script (precached like the rest, so it also runs offline).
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../server/support/process';
import type { EngineDriver, Key, Point } from './driver';
import { newSession, W3C_KEYS, type Action } from './webdriver';

const COLLECTOR_FILE = 'engines-errors.js';

/** Adds the error collector to a copy of the built app: the first script of index.html, and in the precache list. */
export function addErrorCollector(staticDir: string): void {
  copyFileSync(new URL('./error-collector.js', import.meta.url), join(staticDir, COLLECTOR_FILE));
  const indexPath = join(staticDir, 'index.html');
  const html = readFileSync(indexPath, 'utf8');
  if (!html.includes('<head>')) throw new Error('The built index.html has no <head>: the WebKit error collector cannot be added.');
  writeFileSync(indexPath, html.replace('<head>', `<head>\n    <script src="/${COLLECTOR_FILE}"></script>`));
  const swPath = join(staticDir, 'sw.js');
  const sw = readFileSync(swPath, 'utf8');
  const entry = /\{"revision":"[0-9a-f]+","url":"index\.html"\}/.exec(sw);
  if (!entry) throw new Error('The built sw.js has no precache entry for index.html: the WebKit error collector cannot be precached.');
  writeFileSync(swPath, sw.replace(entry[0], `{"revision":"engines","url":"${COLLECTOR_FILE}"},${entry[0]}`));
}

function waitForExit(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** A virtual screen; Xvfb picks a free display number and writes it to fd 3 once it is ready. */
async function startXvfb(): Promise<{ display: string; process: ChildProcess }> {
  const xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
  let printed = '';
  xvfb.stderr!.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  const display = await new Promise<string>((resolve, reject) => {
    let number = '';
    xvfb.stdio[3]!.on('data', (chunk: Buffer) => {
      number += chunk.toString();
      if (number.includes('\n')) resolve(`:${number.trim()}`);
    });
    xvfb.once('exit', (code) => reject(new Error(`Xvfb stopped (exit ${code}) before it was ready:\n${printed}`)));
  });
  return { display, process: xvfb };
}

async function startDriver(display: string): Promise<{ url: string; process: ChildProcess }> {
  const port = await freePort();
  const driver = spawn('WebKitWebDriver', [`--port=${port}`], { env: { ...process.env, DISPLAY: display }, stdio: ['ignore', 'pipe', 'pipe'] });
  let printed = '';
  driver.stdout!.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  driver.stderr!.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    const ready = await fetch(`${url}/status`)
      .then((response) => response.json() as Promise<{ value?: { ready?: boolean } }>)
      .then((status) => status.value?.ready === true)
      .catch(() => false);
    if (ready) return { url, process: driver };
    if (driver.exitCode !== null || Date.now() > deadline) {
      driver.kill();
      throw new Error(`WebKitWebDriver did not start:\n${printed}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50)); // polling the driver's own readiness answer
  }
}

export async function launchWebKit(miniBrowser: string, viewport: { width: number; height: number }): Promise<EngineDriver> {
  const xvfb = await startXvfb();
  let driver: { url: string; process: ChildProcess } | undefined;
  try {
    driver = await startDriver(xvfb.display);
    const session = await newSession(driver.url, {
      browserName: 'MiniBrowser',
      'webkitgtk:browserOptions': { binary: miniBrowser, args: ['--automation'] },
    });
    // The window is bigger than the page by MiniBrowser's toolbar: size it so the page gets the tablet's viewport.
    const chrome = await session.execute<{ width: number; height: number }>('return { width: outerWidth - innerWidth, height: outerHeight - innerHeight };');
    await session.send('POST', '/window/rect', { width: viewport.width + chrome.width, height: viewport.height + chrome.height });
    const version = `MiniBrowser (WebKitGTK) ${String(session.capabilities.browserVersion)}`;
    const keys = (text: string): Action[] =>
      [...text].flatMap(
        (value) =>
          [
            { type: 'keyDown', value },
            { type: 'keyUp', value },
          ] as Action[],
      );
    const move = (point: Point, duration = 0): Action => ({
      type: 'pointerMove',
      x: Math.round(point.x),
      y: Math.round(point.y),
      origin: 'viewport',
      duration,
    });
    const running = driver;

    return {
      engine: 'WebKit',
      version,
      evaluate: <T>(expression: string) => session.execute<T>(`return (${expression});`),
      async goto(url) {
        await session.send('POST', '/url', { url });
      },
      async reload() {
        await session.send('POST', '/refresh', {});
      },
      async back() {
        await session.send('POST', '/back', {});
      },
      clickAt: (point) => session.pointer([move(point), { type: 'pointerDown', button: 0 }, { type: 'pointerUp', button: 0 }]),
      type: (text) => session.keys(keys(text)),
      press: (key: Key) => session.keys(keys(W3C_KEYS[key])),
      async drag(from, to) {
        const steps = [1, 2, 3, 4, 5, 6, 7, 8].map((step) => move({ x: from.x + ((to.x - from.x) * step) / 8, y: from.y + ((to.y - from.y) * step) / 8 }, 16));
        await session.pointer([move(from), { type: 'pointerDown', button: 0 }, ...steps, { type: 'pointerUp', button: 0 }]);
      },
      screenshot: async () => Buffer.from(await session.send<string>('GET', '/screenshot'), 'base64'),
      async takePageErrors() {
        // A page of the app without the collector would hide its errors: that is an error of its own.
        return session.execute<string[]>(
          "if (!window.__enginesCollector) return ['no error collector on ' + location.href]; " +
            "const kept = sessionStorage.getItem('engines:page-errors'); sessionStorage.removeItem('engines:page-errors'); " +
            'return kept ? JSON.parse(kept) : [];',
        );
      },
      async close() {
        await session.end().catch(() => undefined);
        await waitForExit(running.process);
        await waitForExit(xvfb.process);
      },
    };
  } catch (error) {
    if (driver) await waitForExit(driver.process);
    await waitForExit(xvfb.process);
    throw error;
  }
}
