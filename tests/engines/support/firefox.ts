// Firefox ESR (Gecko) for the engine tests: Debian's firefox-esr driven by puppeteer-core over WebDriver BiDi. Page errors
// are collected from the very start (the listener is attached before the first page loads).
import puppeteer, { type Browser, type KeyInput, type Page } from 'puppeteer-core';
import type { EngineDriver, Key, Point } from './driver';

const KEYS: Record<Key, KeyInput> = { Enter: 'Enter', Tab: 'Tab', ArrowRight: 'ArrowRight', ArrowLeft: 'ArrowLeft', Backspace: 'Backspace' };

export interface FirefoxDriver extends EngineDriver {
  /** Firefox's own offline mode: every request of the page and its service worker fails as with no network. */
  setOffline(offline: boolean): Promise<void>;
}

export async function launchFirefox(executablePath: string, viewport: { width: number; height: number }): Promise<FirefoxDriver> {
  const browser: Browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath,
    headless: true,
    // The tablet language, and no update or telemetry traffic from a test browser.
    extraPrefsFirefox: { 'intl.accept_languages': 'fi-FI, fi', 'intl.locale.requested': 'fi', 'app.update.enabled': false },
  });
  const page: Page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error instanceof Error ? `${error.name}: ${error.message}` : String(error)));
  await page.setViewport(viewport);
  const version = await browser.version();

  return {
    engine: 'Firefox',
    version,
    evaluate: <T>(expression: string) => page.evaluate(expression) as Promise<T>,
    async goto(url) {
      await page.goto(url, { waitUntil: 'load' });
    },
    async reload() {
      await page.reload({ waitUntil: 'load' });
    },
    async back() {
      await page.goBack({ waitUntil: 'load' });
    },
    clickAt: ({ x, y }) => page.mouse.click(x, y),
    type: (text) => page.keyboard.type(text),
    press: (key) => page.keyboard.press(KEYS[key]),
    async drag(from: Point, to: Point) {
      await page.mouse.move(from.x, from.y);
      await page.mouse.down();
      await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 4 });
      await page.mouse.move(to.x, to.y, { steps: 4 });
      await page.mouse.up();
    },
    screenshot: async () => Buffer.from(await page.screenshot({ type: 'png' })),
    async takePageErrors() {
      return errors.splice(0);
    },
    setOffline: (offline) => page.setOfflineMode(offline),
    close: () => browser.close(),
  };
}
